"""Shared building blocks of the ingest stage: the block builder and the patterns that
name a page's parts (reference-list headings, boilerplate, closing sections).

Consumes classified pieces of one article in document order; produces `Block` records
with ids, the section and heading they sit under, and repaired text. Used by both the
text-dump reader and the HTML reader so that both label blocks the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from pipeline.models import Block, BlockKind, ParseStatus
from pipeline.repair import ARTIFACT, collapse_space, repair_artifacts

# how a reference line opens with its first family name: lowercase or capitalised particles ("van der",
# "De", "de la"), a two-word family name ("Lloyd Jones", "Ortega Ruiz"), hyphens and apostrophes
NAME_LEAD = (r"(?:(?i:van|von|der|den|de|da|del|della|di|du|la|le|ter|ten|dos|das|bin|ibn|al|el|mac|st\.?)\s+){0,3}"
             r"[A-ZÀ-Þ][\w'’\-À-ÿ]+(?:\s[A-ZÀ-Þ][\w'’\-À-ÿ]+)?")
REFERENCE_HEADING = re.compile(
    r"^\s*(key\s+|other\s+|selected\s+|more\s+)?(references?|sources?|bibliography|works\s+cited|citations?|"
    r"further\s+reading|literature\s+cited|notes\s+and\s+references|reference\s+list)\s*:?\s*$", re.I)
GLOSSARY_HEADING = re.compile(r"^\s*(glossary|key\s+terms|definitions|terms\s+to\s+know)\s*:?\s*$", re.I)
# the reading-level sections of a page ("Fundamentals", "Intermediate", "Academic")
LEVEL_HEADING = re.compile(r"^\s*(fundamentals|basics|beginner|intermediate|advanced|academic|expert)\s*:?\s*$", re.I)
CLOSING_HEADING = re.compile(
    r"^\s*(reflection|reflections|final\s+thoughts|a\s+personal\s+note|your\s+next\s+steps|next\s+steps|"
    r"closing\s+thoughts)\s*:?\s*$", re.I)
# headings of a page's back matter: who wrote or reviewed it, thanks, disclosures, link lists. What
# stands under them is about the page, not claims of the article (author bios, "This publication is
# not copyrighted"), so it is removed as boilerplate, visibly, with the heading as the reason.
BACK_MATTER_HEADING = re.compile(
    r"^\s*(about\s+(the|our|this)\s+(authors?|reviewers?|experts?|writers?|contributors?)|"
    r"(this\s+)?(article|page|content|post)?\s*(medically\s+)?(written|reviewed|fact[-\s]?checked|edited|authored)"
    r"\s+by\b.{0,80}|meet\s+(the|our)\s+(authors?|experts?|team)|authors?(\s+(bio|bios|biography|information|"
    r"details|notes?))?|contributors?|acknowledge?ments?|disclosures?|conflicts?\s+of\s+interests?|"
    r"competing\s+interests|financial\s+disclosures?|funding(\s+sources?)?|disclaimers?|see\s+also|"
    r"external\s+links|related\s+(topics|resources|links|reading|content|posts|stories|pages)|more\s+(from|on|in)\s+\S.{0,60}|"
    r"permissions?(\s+for\s+use)?|terms\s+of\s+use|copyright(\s+notice)?|licen[cs]e|reprints?(\s+and\s+permissions)?|"
    r"how\s+to\s+cite(\s+this\s+(page|article))?|cite\s+this\s+(page|article)|suggested\s+citation|"
    r"(for\s+)?(more|further)\s+information|contact(\s+(us|information))?|learn\s+more|"
    r"(additional|other|useful|helpful)\s+(resources|links))"
    r"\s*:?\s*$", re.I)
_MONTH = r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\.?"
BOILERPLATE = re.compile(
    r"^\s*(skip\s+to\s+(main\s+)?content|skip\s+navigation|jump\s+to:?\s+(navigation|search|content)(,\s*search)?|"
    r"share(\s+(this|on)\b.*)?|tweet|pin\s+it|print(\s+this\s+page)?|e-?mail(\s+this)?|subscribe\b.*|"
    r"sign\s+up\b.*|log\s*in|sign\s+in|follow\s+us\b.*|advertisement|sponsored(\s+(content|ads?|posts?|links?))?|"
    r"(we|this\s+(site|website))\s+uses?\s+cookies\b.*|accept(\s+all)?\s+cookies|cookie\s+(settings|policy|preferences)\b.*|"
    r"all\s+rights\s+reserved\.?|copyright\s+©?.*|©\s*\d{4}.*|back\s+to\s+top|read\s+more|related\s+articles?|"
    r"you\s+may\s+also\s+like|recommended\s+for\s+you|table\s+of\s+contents|on\s+this\s+page|menu|home|search|"
    r"privacy\s+policy|terms\s+(of\s+(use|service)|and\s+conditions)|newsletter\b.*|donate\b.*|"
    r"was\s+this\s+(page|article)\s+helpful\??.*|last\s+(updated|reviewed)\s*:?.*|medically\s+reviewed\s+by\b.*|"
    r"print\s+this\s+(article|post)|e-?mail\s+(a\s+friend|this\s+(page|article|post))|text\s+size\b.*|"
    r"\d+\s+min(ute)?s?\s+read|(read|see)\s+(more|also)\s*:.*|download\b.{0,80}\((pdf|docx?|epub)\b[^)]*\)|"
    # a byline: "By Dana Whitfield, RN · Medically reviewed by ... · Updated March 4, 2024"
    r"by\s+(?-i:[A-Z])[^.]{0,60}?(·|•|\||\bupdated\b|\breviewed\b|\bmin(ute)?s?\s+read\b|,\s*(?-i:RN|MD|PhD|RD|DO|MPH|MS)\b).*|"
    # the standard medical disclaimer
    r"(this|the)\s+(information|content|article|material)(\s+(on|in)\s+this\s+(site|page|website|article))?\s+is\s+"
    r"(not\s+intended|provided\s+for\s+(general\s+)?information(al)?\s+purposes)\b.*|"
    # a date standing alone: the page's publication date ("December 24, 2024", "Posted on 3 May 2023")
    r"((posted|published|updated)(\s+on)?:?\s+)?(" + _MONTH + r"\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+" + _MONTH + r",?\s+\d{4}))\s*$",
    re.I)
GLOSSARY_MEANING = re.compile(r"^\s*meaning\s*(∞|:|—|-)\s*", re.I)


def boilerplate_reason(text: str) -> str:
    """Why a short line is site boilerplate, or "" when it is not."""
    if len(text) > 160 or not BOILERPLATE.match(text):
        return ""
    return f"site boilerplate: {collapse_space(text)[:40]!r}"


@dataclass
class BlockBuilder:
    """Collects blocks of one article in order, tracking the section and heading."""

    article: str
    blocks: list[Block] = field(default_factory=list)
    section: str = ""
    heading: str = ""

    def add(self, kind: BlockKind, text: str, source_line: int, kept: bool = True, reason: str = "",
            headers: tuple[str, ...] = (), cells: tuple[str, ...] = (), restates: str = "",
            sets_heading: bool = True, links: tuple[str, ...] = (), original: str | None = None) -> Block:
        """`original`: the source text when `text` was rebuilt from it (a table row that names
        its columns), so that original_text keeps every character the file had."""
        collapsed = collapse_space(text)  # once: outside blocks can hold a whole sidebar's text
        repaired = collapse_space(repair_artifacts(collapsed)) if ARTIFACT in collapsed else collapsed
        original = collapsed if original is None else collapse_space(original)
        if kind == BlockKind.SECTION:
            self.section, self.heading = repaired, ""
        block = Block(
            article=self.article,
            block_id=f"B{len(self.blocks) + 1:04d}",
            index=len(self.blocks),
            source_line=max(1, source_line),
            kind=kind,
            kept=kept,
            reason="" if kept else reason,
            section=self.section,
            heading=self.heading,
            text=repaired,
            original_text=original,
            restates=restates,
            headers=headers,
            cells=cells,
            links=links,
        )
        self.blocks.append(block)
        if kind == BlockKind.HEADING and sets_heading:
            self.heading = repaired
        return block

    def replace(self, index: int, **changes) -> None:
        """Change fields of a block already built (text_dump's tooltip pass gives its host its original text)."""
        self.blocks[index] = replace(self.blocks[index], **changes)


BACK_MATTER_KINDS = (BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.CLOSING,
                     BlockKind.HEADING, BlockKind.SECTION)


def mark_back_matter(blocks: list[Block]) -> list[Block]:
    """Blocks under a back-matter heading ("About the author", "Article reviewed by:",
    "Acknowledgments", "See also") turned into removed boilerplate, the heading included.

    A back-matter section runs to the next section heading; a back-matter sub-heading to the
    next heading of any level. Reference entries, captions and the other removed kinds keep
    their own kind: a reference list placed after the bios is still the reference list."""
    out, scope, title = [], None, ""
    for block in blocks:
        if block.kind in (BlockKind.SECTION, BlockKind.HEADING) and block.kept:
            if BACK_MATTER_HEADING.match(block.text):
                if scope is None or block.kind == BlockKind.SECTION or scope == BlockKind.HEADING:
                    scope, title = block.kind, block.text
            elif block.kind == BlockKind.SECTION or scope == BlockKind.HEADING:
                scope = None
        if scope is not None and block.kind in BACK_MATTER_KINDS and block.kept:
            block = replace(block, kind=BlockKind.BOILERPLATE, kept=False,
                            reason=f"back matter under {collapse_space(title)[:40]!r} (not the article's claims)")
        out.append(block)
    return out


def table_row_text(headers: tuple[str, ...], cells: tuple[str, ...]) -> str:
    """A table row as readable text that names its columns: "Header: cell; Header: cell"."""
    parts = []
    for i, cell in enumerate(cells):
        name = headers[i] if i < len(headers) else f"Column {i + 1}"
        parts.append(f"{name}: {cell.rstrip('.;')}")
    return "; ".join(parts) + "."


def parses_as_reference(text: str) -> bool:
    """Whether a line inside a reference list is an entry whatever its first word ("World Health
    Organization (2020). ..."): the reference parser finds its authors, year, title and container."""
    # the references stage's API, imported when first asked; the rules alone: whether a line is an entry is
    # theirs to say (the learned labeller's doubts about a field make an entry partial, not prose)
    from pipeline.references import parse_by_rules

    reference = parse_by_rules(text)
    return reference.parse_status == ParseStatus.PARSED and reference.year is not None and bool(reference.title)
