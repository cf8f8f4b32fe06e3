"""Plain-text dumps of scraped pages -> labelled blocks.

Consumes the decoded text of one `.txt` article; produces its blocks in order. Each
non-empty line is a unit (in these dumps a paragraph is one line, and captions or list
items may follow other lines with no blank between). Units are labelled in this order:
boilerplate lines; reference, glossary and closing headings (which switch the mode);
glossary terms and their "Meaning ∞" lines; flattened tables (a title line directly
followed by a header line); headings (short title-case lines); captions (see
captions.py); list items (bullets) and reference entries; body prose. Pull-quotes are
marked afterwards (pullquotes.py). With no reference heading, a bulleted or numbered run
of citation-looking lines at the end becomes the reference list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.ingest import captions

from pipeline.ingest import flattened_tables as tables
from pipeline.ingest.long_lines import LONG_LINE_CHARS, paragraphs_of
from pipeline.ingest.blocks import (
    CLOSING_HEADING, GLOSSARY_HEADING, GLOSSARY_MEANING, LEVEL_HEADING, NAME_LEAD, REFERENCE_HEADING, parses_as_reference, BlockBuilder, boilerplate_reason,
    mark_back_matter, table_row_text,
)
from pipeline.models import Block, BlockKind
from pipeline.ingest.pullquotes import mark_pull_quotes
from pipeline.ingest.tooltips import Tooltip, take_tooltips, tooltip_reason

LIST_NUMBER = re.compile(r"^\s*(?:\[\d{1,3}\]|\d{1,3}[.)])\s+")
BULLET = re.compile(r"^\s*([•●▪◦‣∙·*\-–—]|\(?\d{1,3}[.)\]]|\[\d{1,3}\])\s+")
YEAR = re.compile(r"(\(|\b)(1[89]\d\d|20\d\d)[a-z]?(\)|\b)")
AUTHOR_START = re.compile(rf"^{NAME_LEAD}(,\s*[A-Z]\.|\s+[A-Z]{{1,3}}[,.]|,\s+[A-Z][a-z]+|\s+et al)"
                          # Harvard with one author or a body as author: "Hites RA (2004) ...", "American
                          # Cancer Society (2007) ...", "DINAP (2002) ..."
                          r"|^[A-ZÀ-Þ][^()\n]{0,150}?\((?:1[6-9]|20)\d\d[a-z]?\)\s+[A-ZÀ-Þ]")
STOPWORDS = frozenset("a an and as at by for from in into of on or the to vs with".split())
MAX_ROW_WORDS = 120
MAX_ROW_CHARS = 2000


@dataclass(frozen=True)
class Unit:
    line: int
    text: str
    blank_before: bool
    bullet: bool
    cut: bool = False  # a piece of a line whose line ends were lost: prose, never a caption


def split_units(text: str) -> list[Unit]:
    """The non-empty lines as units; a line over LONG_LINE_CHARS (a page whose line ends were
    lost) as several units of paragraph size, each with the line's number."""
    units: list[Unit] = []
    blank = True
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            blank = True
            continue
        pieces = paragraphs_of(line.strip())
        for piece in pieces:
            units.append(Unit(number, piece, blank, bool(BULLET.match(piece)), cut=len(pieces) > 1))
            blank = len(line) > LONG_LINE_CHARS  # the pieces of a long line are paragraphs apart
    return units


def strip_bullet(text: str) -> str:
    return BULLET.sub("", text, count=1).strip()


def is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\s]+", text) if w.lower().strip("()?:,") not in STOPWORDS]
    if not words:
        return False
    capital = sum(1 for w in words if w.lstrip("(“\"‘")[:1].isupper() or w[:1].isdigit())
    return capital / len(words) >= 0.75


def heading_like(unit: Unit) -> bool:
    text = unit.text
    return (not unit.bullet and len(text.split()) <= 14 and text[:1].isupper()
            and not re.search(r"[.;,]$", text) and is_title_case(text))


def too_long_for_a_row(unit: Unit) -> bool:
    """Longer than any table row or header: prose. The cell splitter's cost grows with the
    square of a row's words, so a 1 MB line must never reach it."""
    return len(unit.text) > MAX_ROW_CHARS or len(unit.text.split()) > MAX_ROW_WORDS


def citation_like(text: str) -> bool:
    body = strip_bullet(text)
    return bool(YEAR.search(body)) and (bool(AUTHOR_START.match(body)) or "doi" in body.lower()
                                        or bool(re.search(r"[“\"].{10,}[”\"]|https?://|\bwww\.", body)))


class TextIngest:
    """The labelling pass over one article's units."""

    def __init__(self, article: str, units: list[Unit], parse=None):
        self.builder = BlockBuilder(article)
        self.units = units
        self.parse = parse  # text -> spaCy Doc, for the caption detector's grammar cue
        self.mode = "body"
        self.originals: dict[int, str] = {}  # source line -> the line as written, when tooltips were taken out

    def run(self) -> list[Block]:
        i = 0
        while i < len(self.units):
            tips = self.take_tooltips(i)
            step = self.step(i)
            self.add_tooltips(i, tips)
            i = step
        blocks = self.builder.blocks
        if not any(b.kind == BlockKind.REFERENCE for b in blocks):
            blocks = self.trailing_reference_list(blocks)
        # tooltip rows stand between paragraphs only in the list: a pull-quote's neighbours are counted without them
        marked = {b.block_id: b for b in mark_pull_quotes([b for b in blocks if b.kind != BlockKind.TOOLTIP])}
        return mark_back_matter([marked.get(b.block_id, b) for b in blocks])

    def take_tooltips(self, i: int) -> tuple[Tooltip, ...]:
        """Unit i with its inline definitions taken out (the unit's text becomes the host sentence
        joined back); a glossary's own lines and reference entries are left alone."""
        unit = self.units[i]
        if self.mode in ("glossary", "references") or GLOSSARY_MEANING.match(unit.text):
            return ()
        text, tips = take_tooltips(unit.text)
        if tips:
            self.originals[unit.line] = unit.text
            self.units[i] = replace(unit, text=text)
        return tips

    def add_tooltips(self, i: int, tips: tuple[Tooltip, ...]) -> None:
        """One removed `tooltip` block per definition taken out of unit i, after the unit's own block,
        so that nothing disappears unseen."""
        host = self.builder.blocks[-1] if self.builder.blocks else None
        for tip in tips:
            self.builder.add(BlockKind.TOOLTIP, tip.definition, self.units[i].line, kept=False,
                             reason=tooltip_reason(tip), sets_heading=False)
        if tips and host is not None and host.source_line == self.units[i].line:
            self.builder.replace(host.index, original_text=self.originals[self.units[i].line])

    def next_unit(self, i: int) -> Unit | None:
        return self.units[i + 1] if i + 1 < len(self.units) else None

    def caption_verdict(self, i: int) -> captions.CaptionVerdict:
        unit, after = self.units[i], self.next_unit(i)
        if unit.cut:  # a paragraph-sized piece of a page saved on one line: its sentences are prose
            return captions.CaptionVerdict(0.0, False, ())
        before = self.builder.blocks[-1] if self.builder.blocks else None
        return captions.score_caption(
            strip_bullet(unit.text),
            next_is_heading_or_caption=after is not None and heading_like(after),
            prev_is_caption=before is not None and before.kind == BlockKind.CAPTION,
            parsed=self.parse(unit.text) if self.parse and len(unit.text.split()) <= CAPTION_PARSE_WORDS else None,
        )

    def step(self, i: int) -> int:
        """Label unit i (and the units a table or a glossary entry takes with it); the next unit's index."""
        if self.structure_line(i):
            return i + 1
        consumed = self.try_table(i)
        if consumed:
            return i + consumed
        if not self.reference_or_heading_line(i):
            self.prose_line(i)
        return i + 1

    def structure_line(self, i: int) -> bool:
        """Boilerplate, the headings that open references, a glossary or a closing section, and the
        glossary's own lines; False when unit i is none of them."""
        unit, add = self.units[i], self.builder.add
        text = unit.text
        reason = boilerplate_reason(text)
        if reason:
            add(BlockKind.BOILERPLATE, text, unit.line, kept=False, reason=reason)
            return True
        if REFERENCE_HEADING.match(text):
            add(BlockKind.SECTION, text.rstrip(":"), unit.line, original=text)
            self.mode = "references"
            return True
        if GLOSSARY_HEADING.match(text):
            add(BlockKind.SECTION, text.rstrip(":"), unit.line, kept=False, reason="glossary heading", original=text)
            self.mode = "glossary"
            return True
        if CLOSING_HEADING.match(text):
            add(BlockKind.SECTION, text.rstrip(":"), unit.line, original=text)
            self.mode = "closing"
            return True
        if self.mode == "glossary":
            after = self.next_unit(i)
            if GLOSSARY_MEANING.match(text):
                add(BlockKind.GLOSSARY, text, unit.line, kept=False, reason="glossary definition")
                return True
            if after is not None and GLOSSARY_MEANING.match(after.text) and len(text.split()) <= 8:
                add(BlockKind.GLOSSARY, text, unit.line, kept=False, reason="glossary term")
                return True
            self.mode = "body"
        return False

    def reference_or_heading_line(self, i: int) -> bool:
        """A reference entry or a heading; False when unit i is neither."""
        unit, add = self.units[i], self.builder.add
        text = unit.text
        if self.mode == "references" and (unit.bullet or citation_like(text) or parses_as_reference(text)):
            # a citation is never a caption: the (parsing) caption test only for the other lines,
            # so that a list of thousands of references is not parsed line by line
            # a bulleted line, like any list item, only when it talks about a picture outright
            if not citation_like(text) and (verdict := self.caption_verdict(i)).is_caption \
                    and (verdict.talks_about_picture or not unit.bullet):
                add(BlockKind.CAPTION, text, unit.line, kept=False, reason=verdict.reason)
            else:
                # a list number stays in original_text: the references stage reads it (Reference.number),
                # and the linker takes a numbered list for one in order of first citation
                add(BlockKind.REFERENCE, strip_bullet(text), unit.line,
                    original=text if LIST_NUMBER.match(text) else None)
            return True
        if heading_like(unit):
            single_word = len(text.split()) == 1 and unit.blank_before
            add(BlockKind.SECTION if single_word else BlockKind.HEADING, text, unit.line)
            if self.mode in ("references", "closing") and not single_word:
                self.mode = "body"
            elif single_word:
                self.mode = "body"
            return True
        return False

    def prose_line(self, i: int) -> None:
        """A caption, a list item, a sentence-case heading or body text."""
        unit, add = self.units[i], self.builder.add
        text = unit.text
        verdict = self.caption_verdict(i)
        if unit.bullet or self.in_plain_list(i):
            # a list line (bulleted, or in a run of short lines) is removed as a caption
            # only when it talks about a picture outright: list items are noun phrases too
            if verdict.is_caption and verdict.talks_about_picture:
                add(BlockKind.CAPTION, text, unit.line, kept=False, reason=verdict.reason)
            else:
                add(BlockKind.LIST_ITEM, strip_bullet(text), unit.line)
            return
        # a short line before body text that opens like a heading, or is only weakly a
        # caption and never talks about a picture, is the heading check's first
        heading_first = verdict.is_caption and verdict.may_be_heading and self.sentence_case_heading(i)
        if verdict.is_caption and not heading_first:
            add(BlockKind.CAPTION, text, unit.line, kept=False, reason=verdict.reason)
            return
        if self.sentence_case_heading(i):
            add(BlockKind.HEADING, text, unit.line)
            if self.mode == "references":
                self.mode = "body"
            return
        if unit.bullet:
            add(BlockKind.LIST_ITEM, strip_bullet(text), unit.line)
        elif self.mode == "closing":
            add(BlockKind.CLOSING, text, unit.line)
        else:
            add(BlockKind.BODY, text, unit.line)

    def in_plain_list(self, i: int) -> bool:
        """Whether unit i is a line of a list written without bullets.

        Two shapes: lines straight after an introducing line that ends with ":" (and the
        lines that continue such a run), or a run of three or more short lines with no
        blank line between them and no final period. Captions also come two in a row, but
        they are long, so the run must be of short lines (at most 20 words).
        """
        unit = self.units[i]
        if unit.bullet or len(unit.text.split()) > 25 or REFERENCE_HEADING.match(unit.text):
            return False
        last = self.builder.blocks[-1] if self.builder.blocks else None
        if not unit.blank_before and i > 0:
            prev = self.units[i - 1]
            if not prev.bullet and last is not None and last.source_line == prev.line:
                if last.kind == BlockKind.LIST_ITEM or prev.text.endswith(":"):
                    return True
        start = i
        while start > 0 and not self.units[start].blank_before:
            start -= 1
        if start < i and not (last is not None and last.kind == BlockKind.LIST_ITEM):
            return False  # the run's first line was judged something else
        return self.starts_plain_run(start)

    def starts_plain_run(self, start: int) -> bool:
        """Units from `start` up to the next blank line: three or more short lines, no bullets, no periods."""
        end = start
        while end + 1 < len(self.units) and not self.units[end + 1].blank_before:
            end += 1
        run = self.units[start:end + 1]
        return len(run) >= 3 and all(not u.bullet and len(u.text.split()) <= 20 and not u.text.endswith(".")
                                     for u in run)

    def sentence_case_heading(self, i: int) -> bool:
        """A short stand-alone line without a final period that opens the prose after it.

        Title-case headings are caught by `heading_like`; this catches "How poor sleep
        raises blood pressure": blank lines around it, at most 12 words, and the next
        line a longer paragraph or a list. Caption-like lines are decided before this,
        except those that open like a heading or are weak captions without picture talk.
        """
        unit, after = self.units[i], self.next_unit(i)
        text = unit.text
        if unit.bullet or not unit.blank_before or after is None or not after.blank_before:
            return False
        if len(text.split()) > 12 or not text[:1].isupper() or re.search(r"[.;,:]$", text):
            return False
        return after.bullet or self.starts_plain_run(i + 1) or (len(after.text.split()) >= max(8, 2 * len(text.split()))
                                and bool(re.search(r"[.!?:][\"”’)]*$", after.text)))

    def try_table(self, i: int) -> int:
        """Units used by a flattened table starting at unit i (its title), or 0."""
        title, header = self.units[i], self.next_unit(i)
        if header is None or header.blank_before or not heading_like(title) or too_long_for_a_row(header) \
                or not is_title_case(header.text):
            return 0
        if header.text.endswith("."):
            return 0
        following = self.units[i + 2:]
        # one row per line: at least two rows follow the header with no blank line between
        if len(following) > 1 and not following[0].blank_before and not following[1].blank_before:
            rows = []
            for unit in following:
                if unit.blank_before and rows or unit.bullet or too_long_for_a_row(unit):
                    break
                if self.caption_verdict(i + 2 + len(rows)).is_caption:
                    break
                rows.append(unit)
            table = tables.rebuild_row_per_line(header.text, [u.text for u in rows]) if rows else None
            if table is None:
                return 0
            self.emit_table(title, header, table, rows)
            return 2 + len(rows)
        cells = []
        for k, unit in enumerate(following):
            if unit.bullet or REFERENCE_HEADING.match(unit.text) or GLOSSARY_HEADING.match(unit.text) \
                    or CLOSING_HEADING.match(unit.text) or LEVEL_HEADING.match(unit.text):
                break
            # cells stand one per line between blank lines: a line with another straight under
            # it (past the first cell) opens something else, such as the next table's title
            if k > 0 and k + 1 < len(following) and not following[k + 1].blank_before:
                break
            # a cell is a noun phrase too: only a line that talks about a picture outright ends the table
            verdict = self.caption_verdict(i + 2 + k)
            if verdict.is_caption and (verdict.talks_about_picture or k == 0):
                break
            cells.append(unit)
        fitted = tables.rebuild_cell_per_line(header.text, [u.text for u in cells])
        if fitted is None:
            return 0
        table, used = fitted
        n = len(table.headers)
        self.emit_table(title, header, table, [cells[r * n] for r in range(len(table.rows))])
        return 2 + used

    def emit_table(self, title: Unit, header: Unit, table: tables.Table, row_units: list[Unit]) -> None:
        add = self.builder.add
        add(BlockKind.HEADING, title.text, title.line)
        add(BlockKind.HEADING, "Columns: " + " | ".join(table.headers), header.line, kept=False,
            reason="table header (its names are written into each row)", sets_heading=False, original=header.text)
        for unit, cells in zip(row_units, table.rows):
            add(BlockKind.TABLE_ROW, table_row_text(table.headers, cells), unit.line,
                headers=table.headers, cells=cells, original=" ".join(cells))

    def trailing_reference_list(self, blocks: list[Block]) -> list[Block]:
        """With no reference heading: the last run of list items, most of them citations."""
        end = len(blocks)
        while end > 0 and blocks[end - 1].kind != BlockKind.LIST_ITEM:
            end -= 1
        start = end
        while start > 0 and blocks[start - 1].kind == BlockKind.LIST_ITEM:
            start -= 1
        run = blocks[start:end]
        if len(run) >= 2 and sum(citation_like(b.text) for b in run) >= 0.6 * len(run):
            return blocks[:start] + [replace(b, kind=BlockKind.REFERENCE) for b in run] + blocks[end:]
        return blocks


CAPTION_PARSE_WORDS = 90  # longer units are prose: the caption detector reads them without a parse


def ingest_text_units(text: str, article: str, parse=None, prefetch=None) -> list[Block]:
    """`parse`: text -> spaCy Doc for the caption detector. `prefetch`, when given, is called
    first with every text the detector may ask about, so that they are parsed in batches
    (one `nlp.pipe`, several times faster than one call per line) and kept for `parse`."""
    units = split_units(text)
    if prefetch is not None:
        prefetch([u.text for u in units if len(u.text.split()) <= CAPTION_PARSE_WORDS and not citation_like(u.text)])
    return TextIngest(article, units, parse=parse).run()
