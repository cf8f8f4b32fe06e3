"""The records that flow between the stages: frozen dataclasses and enums, nothing else.

Every stage is a plain function from records to records (see docs/ARCHITECTURE.md).
Records are frozen so that a stage can never change what an earlier stage produced;
`pipeline.store.work_files` turns them into JSON lines and back for the per-article work files.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class BlockKind(str, Enum):
    """What a block of an article is; decides which later stage (if any) reads it."""

    SECTION = "section"          # a level marker such as "Fundamentals" / "Academic"
    HEADING = "heading"          # a heading inside a section (also table titles)
    BODY = "body"                # a prose paragraph
    LIST_ITEM = "list_item"      # one bullet or numbered item of body text
    TABLE_ROW = "table_row"      # one rebuilt table row, its text naming the column headers
    PULL_QUOTE = "pull_quote"    # a one-sentence restatement of a neighbouring paragraph
    CAPTION = "caption"          # image alt text / figure caption
    BOILERPLATE = "boilerplate"  # skip links, share / subscribe / cookie lines, navigation
    GLOSSARY = "glossary"        # a site glossary term or its "Meaning" line
    REFERENCE = "reference"      # one entry of the reference list
    CLOSING = "closing"          # a closing section's prose (Reflection, Conclusion-style outro)
    TOOLTIP = "tooltip"          # an inline term definition taken out of the sentence it interrupted


class ParseStatus(str, Enum):
    """How completely a reference entry was parsed into fields."""

    PARSED = "parsed"    # authors, year, title and a container or URL found
    PARTIAL = "partial"  # some fields found; `parse_note` says which are missing
    FAILED = "failed"    # nothing usable; the raw text is still kept


class Verdict(str, Enum):
    """The Crossref stage's finding for one reference (a **contract**, see README)."""

    VERIFIED = "verified"
    MISMATCH = "mismatch"
    MISATTRIBUTED = "misattributed"
    NOT_FOUND = "not_found"
    UNCHECKED = "unchecked"


class LinkMethod(str, Enum):
    MARKER = "marker"      # an explicit in-text marker ([1], (Kahn et al., 2006)) resolved exactly
    INFERRED = "inferred"  # ranked by content
    NONE = "none"          # a claim that no reference was linked to (non-claims get blank cells)


class Support(str, Enum):
    SUPPORTED = "supported"
    WEAK = "weak"
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Block:
    """One ordered piece of an article, kept or removed, with why.

    `text` is the repaired text (" ∞ " fixed, NFC); `original_text` is the text as it
    stood in the file after decoding. `reason` is empty when `kept` is true.
    `restates` holds the block_id a pull-quote restates; `headers` the column headers
    of a table row (its `text` already names them). `links` holds the web addresses an
    HTML reference entry links to (its title's link often carries the only URL).
    """

    article: str
    block_id: str
    index: int
    source_line: int
    kind: BlockKind
    kept: bool
    reason: str
    section: str
    heading: str
    text: str
    original_text: str
    restates: str = ""
    headers: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One input file after ingest: its identity, how it was decoded, and its blocks."""

    article: str
    path: str
    source_format: str  # "txt" or "html"
    encoding: str
    content_hash: str
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One sentence of kept text with its claim score; `is_claim` marks the check-worthy ones."""

    article: str
    claim_id: str
    block_id: str
    source_line: int
    section: str
    heading: str
    sentence: str
    claim_score: float
    is_claim: bool
    cues: tuple[str, ...] = ()
    scrape_damage: tuple[str, ...] = ()


@dataclass(frozen=True)
class Author:
    family: str
    initials: str = ""
    given: str = ""  # the full given name where the source has it (Crossref records); citations keep initials


@dataclass(frozen=True)
class Reference:
    """One listed reference: the raw entry and the fields parsed from it."""

    article: str
    ref_id: str
    source_line: int
    raw: str
    authors: tuple[Author, ...] = ()
    authors_truncated: bool = False  # "et al." in the entry
    year: int | None = None
    title: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    type_guess: str = ""
    parse_status: ParseStatus = ParseStatus.FAILED
    parse_note: str = ""
    number: str = ""  # the list number ("1", "[1]") when the list is numbered


@dataclass(frozen=True)
class UpdateNotice:
    """A retraction, correction or other update attached to a Crossref record."""

    type: str
    doi: str
    source: str = ""  # updated-by / update-to / relation


@dataclass(frozen=True)
class CrossrefWork:
    """The fields of a Crossref work record that the checker compares and shows."""

    doi: str
    title: str = ""
    authors: tuple[Author, ...] = ()
    container: str = ""
    container_short: tuple[str, ...] = ()
    year: int | None = None
    years: tuple[int, ...] = ()  # every dated version (print, online, issued): a citation may use any
    volume: str = ""
    issue: str = ""
    pages: str = ""
    article_number: str = ""
    type: str = ""
    subjects: tuple[str, ...] = ()
    abstract: str = ""
    updates: tuple[UpdateNotice, ...] = ()
    score: float = 0.0
    container_titles: tuple[str, ...] = ()  # every container title (a series and a book: LNCS, then the volume)
    publisher: str = ""  # a book is often cited with its publisher where an article names its journal


@dataclass(frozen=True)
class FieldComparison:
    """One field compared between the citation and a Crossref work."""

    field: str
    cited: str
    found: str
    agrees: bool
    score: float  # 0..1; partial credit such as a year one off


@dataclass(frozen=True)
class Check:
    """The Crossref stage's finding for one reference."""

    article: str
    ref_id: str
    verdict: Verdict
    mismatched_fields: tuple[str, ...] = ()
    match_score: float = 0.0
    work: CrossrefWork | None = None
    comparisons: tuple[FieldComparison, ...] = ()
    retracted: bool = False
    update_notice: str = ""
    note: str = ""


@dataclass(frozen=True)
class Link:
    """Which references one claim rests on, how sure we are, and how they fared."""

    article: str
    claim_id: str
    linked_refs: tuple[str, ...] = ()
    link_scores: tuple[float, ...] = ()
    link_method: LinkMethod = LinkMethod.NONE
    support: Support = Support.UNSUPPORTED
    best_ref_verdict: str = ""
