"""References stage: reference-list entries -> `Reference` records with parsed fields.

Consumes the `reference` blocks that ingest found (one per entry, in list order) and
produces one `Reference` per entry: authors in order, year, title, container, volume,
issue, pages or article number, DOI, PMID, PMCID, URL, a type guess and a parse status
with its reason. Nothing is dropped: an empty bullet, a line of prose, a bare URL or two
references run together are all kept with a status and a note.

The parser recognises the styles web articles use: APA ("Kahn, S. E. (2006). Title.
Journal, 444(7121), 840-846."), MLA/Chicago with a quoted title ("... “Title.” Journal,
vol. 8, no. 8, 2012, pp. 457-465."), Harvard ("Kahn, S.E. (2006) 'Title', Journal,
444(7121), pp. 840-846."), Vancouver/NLM ("Kahn SE, Hull RL. Title. Nature.
2006;444(7121):840-6."), Wikipedia cite templates, books, chapters, preprints and web
pages. Field normal forms are those of `reference_fields`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterable

from pipeline.models import Author, Block, BlockKind, ParseStatus, Reference
from pipeline.reference_fields import (
    PMCID_RE, PMID_RE, URL_RE, YEAR_RE, expand_pages, find_doi, looks_like_apa_authors, looks_like_vancouver_authors,
    parse_apa_authors, parse_full_name_authors, parse_vancouver_authors, strip_trailing,
)
from pipeline.repair import collapse_space, repair_artifacts

NUMBER_RE = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)])\s+")
BULLET_RE = re.compile(r"^\s*[•●▪◦‣∙·*\-–—]\s*")
QUOTED = re.compile(r"[“\"](?P<title>[^“”\"]{3,}?)[,.]?[”\"]|(?<![\w])'(?P<title2>[^']{3,}?)'(?=[,.]\s)")
APA_HEAD = re.compile(r"^(?P<authors>.*?)\s*\((?P<year>(?:1[5-9]|20)\d\d)[a-z]?(?:,[^)]*)?\)\.?\s*(?P<rest>.*)$")
# "Niculescu, A.B. 2024. Title. Container." (year without parentheses after APA-style names)
APA_HEAD_BARE = re.compile(r"^(?P<authors>.+?[A-Z]\.)\s+(?P<year>(?:1[5-9]|20)\d\d)[a-z]?\.\s+(?P<rest>.*)$")
# a ". " that does not end a sentence: after an abbreviation made of single letters ("U.S. adults")
SENTENCE_BREAK = re.compile(r"(?<=[^\s.])([.?!])\s+(?=\S)")
VANCOUVER_TAIL = re.compile(
    r"(?P<year>(?:1[5-9]|20)\d\d)(?:\s+[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?(?:\s+\d{1,2})?)?\s*;\s*"
    r"(?P<volume>[\w ]*?)\s*(?:\((?P<issue>[^)]+)\))?\s*(?::\s*(?P<pages>[A-Za-z]?\d+[\w\-–—]*))?\.?\s*$")
JOURNAL_TAIL = re.compile(
    r"^(?P<container>.+?),\s*(?P<volume>\d+[A-Za-z]?)\s*(?:\((?P<issue>[^)]+)\))?"
    r"(?:,\s*(?:pp?\.\s*)?(?P<pages>[A-Za-z]?\d+(?:[\-–—][A-Za-z]?\d+)?))?\.?$")
PUBLISHER_WORDS = re.compile(r"\b(press|publish\w*|books|wiley|springer|elsevier|routledge|penguin|random house|"
                             r"mcgraw|harper|norton|oxford|cambridge|holt|schuster|bloomsbury|sage|academic)\b", re.I)
PREPRINT_WORDS = re.compile(r"\b(arxiv|biorxiv|medrxiv|ssrn|preprint|research square|psyarxiv)\b", re.I)
REPORT_WORDS = re.compile(r"\b(report|guidelines?|organization|department|agency|institute|ministry|statement)\b", re.I)
WEB_TAIL = re.compile(r"\b(retrieved|accessed|available (at|from))\b.*$", re.I)


@dataclass
class Fields:
    """The mutable working record of one parse; frozen into a Reference at the end."""

    authors: tuple[Author, ...] = ()
    truncated: bool = False
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
    notes: list[str] = field(default_factory=list)


def _authors(text: str) -> tuple[tuple[Author, ...], bool]:
    text = strip_trailing(text)
    if not text:
        return (), False
    if looks_like_vancouver_authors(text):
        return parse_vancouver_authors(text)
    if looks_like_apa_authors(text):
        return parse_apa_authors(text)
    if re.fullmatch(r"[^,;]+,\s*[A-Z][a-z]+(\s+[A-Z][a-z]+)*(;\s*[^,;]+,\s*[A-Z][a-z]+(\s+[A-Z][a-z]+)*)*", text):
        return parse_full_name_authors(text)
    return (Author(text, ""),), False  # a corporate author ("World Health Organization")


def _first_year(text: str) -> int | None:
    match = YEAR_RE.search(text)
    return int(match.group(1)) if match else None


def _sentence_break(text: str) -> re.Match | None:
    """The first ". ", "? " or "! " that ends a sentence, skipping "U.S."-style abbreviations."""
    for match in SENTENCE_BREAK.finditer(text):
        if match.group(1) == "." and re.search(r"(?:\b[A-Z]\.){1,}[A-Z]$", text[: match.start()]):
            continue
        return match
    return None


def _split_title(rest: str) -> tuple[str, str]:
    """Title and what follows it: the title ends at the first sentence break (a "?" is kept)."""
    match = _sentence_break(rest)
    if not match:
        return strip_trailing(rest), ""
    title = rest[: match.start() + (1 if match.group(1) in "?!" else 0)]
    return title.strip(), rest[match.end():].strip()


def _journal_tail(tail: str, fields: Fields) -> bool:
    match = JOURNAL_TAIL.match(strip_trailing(tail) + ".")
    if not match:
        return False
    fields.container = strip_trailing(match.group("container"))
    fields.volume = match.group("volume")
    fields.issue = (match.group("issue") or "").strip()
    fields.pages = expand_pages(match.group("pages") or "")
    fields.type_guess = "journal-article"
    return True


def _other_tail(tail: str, fields: Fields) -> None:
    """What follows the title when it is not "Journal, vol(issue), pages": chapter, book, preprint, site."""
    tail = strip_trailing(WEB_TAIL.sub("", tail))
    chapter = re.match(r"^In:?\s+(?:.*?\(Eds?\.\),?\s*)?(?P<book>[^(]+?)\s*(?:\((?:pp?\.)\s*(?P<pages>[^)]+)\))?[.,]\s*(?P<publisher>.*)$",
                       tail)
    if chapter:
        fields.container = strip_trailing(chapter.group("book"))
        fields.pages = expand_pages(chapter.group("pages") or "")
        fields.type_guess = "chapter"
        return
    if PREPRINT_WORDS.search(tail):
        fields.container = tail
        fields.type_guess = "preprint"
        return
    tail = re.sub(r"^\(?\d+(st|nd|rd|th) ed\.?\)?\.?\s*", "", tail)
    if ":" in tail and re.match(r"^[A-Z][\w .]+:\s", tail):  # "London: Bloomsbury" / "New York: Henry Holt; 2004"
        tail = tail.split(":", 1)[1]
    fields.container = strip_trailing(re.split(r";\s*(?:1[5-9]|20)\d\d", tail)[0])
    if PUBLISHER_WORDS.search(fields.container) and not fields.type_guess:
        fields.type_guess = "book"


def _parse_quoted(text: str, match: re.Match, fields: Fields) -> None:
    """MLA / Chicago / Harvard / Wikipedia: the title stands in quotes."""
    before, after = text[: match.start()], text[match.end():]
    fields.title = strip_trailing(match.group("title") or match.group("title2"))
    year_in_before = re.search(r"\(([^)]*?)\)\.?\s*$", before)
    if year_in_before:
        fields.year = _first_year(year_in_before.group(1))
        before = before[: year_in_before.start()]
    fields.authors, fields.truncated = _authors(before)
    after = after.strip(" .,")
    if fields.year is None:
        fields.year = _first_year(after)
    mla = re.search(r"\bvol\.\s*(?P<volume>[\w]+)", after, re.I)
    if mla:
        fields.container = strip_trailing(after[: mla.start()])
        issue = re.search(r"\bno\.\s*(?P<issue>[^,]+)", after, re.I)
        fields.volume = mla.group("volume")
        fields.issue = strip_trailing(issue.group("issue")) if issue else ""
        pages = re.search(r"\bpp?\.\s*(?P<pages>[\w\-–—]+)", after, re.I)
        if not pages:  # an article number after the year: "2017, a029793."
            pages = re.search(r"(?:1[5-9]|20)\d\d,\s*(?P<pages>[A-Za-z]?\d+[\w\-–—]*)\s*\.?$", after)
        fields.pages = expand_pages(pages.group("pages")) if pages else ""
        fields.type_guess = "journal-article"
        return
    after = WEB_TAIL.sub("", after).strip(" .,")
    if _journal_tail(after, fields):  # Harvard: 'Title', Journal, 597(3), pp. 801-815.
        return
    site = strip_trailing(re.split(r"\.\s+", after, maxsplit=1)[0])
    fields.container = site if not YEAR_RE.fullmatch(site) else ""
    fields.type_guess = "web-page"


def _parse_apa(match: re.Match, fields: Fields) -> None:
    fields.authors, fields.truncated = _authors(match.group("authors"))
    fields.year = int(match.group("year"))
    fields.title, tail = _split_title(match.group("rest"))
    if not _journal_tail(tail, fields):
        _other_tail(tail, fields)


def _parse_vancouver(text: str, fields: Fields) -> bool:
    head = _sentence_break(text)
    if not head:
        return False
    authors_text, rest = text[: head.start()], text[head.end():]
    vancouver = looks_like_vancouver_authors(authors_text)
    if not vancouver and not re.fullmatch(r"[A-Z][\w&,.' ]{2,100}", authors_text):
        return False
    fields.title, tail = _split_title(rest)
    tail_match = VANCOUVER_TAIL.search(tail)
    if tail_match:
        fields.container = strip_trailing(tail[: tail_match.start()])
        fields.year = int(tail_match.group("year"))
        fields.volume = tail_match.group("volume").strip()
        fields.issue = (tail_match.group("issue") or "").strip()
        fields.pages = expand_pages(tail_match.group("pages") or "")
        fields.type_guess = "journal-article"
    else:
        fields.year = _first_year(tail)
        site_then_rest = re.split(r"\.\s+", WEB_TAIL.sub("", tail), maxsplit=1)
        if fields.url and site_then_rest:
            fields.container = strip_trailing(site_then_rest[0])
            fields.type_guess = "web-page"
        else:
            _other_tail(tail, fields)
    fields.authors, fields.truncated = _authors(authors_text)
    return bool(fields.title)


def _strip_identifiers(text: str, fields: Fields) -> str:
    fields.doi = find_doi(text)
    if pmid := PMID_RE.search(text):
        fields.pmid = pmid.group(1)
    if pmcid := PMCID_RE.search(text):
        fields.pmcid = pmcid.group(1)
    urls = [u.rstrip(".,;)") for u in URL_RE.findall(text) if "doi.org/" not in u.lower()]
    fields.url = urls[0] if urls else ""
    text = re.sub(r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)?\b10\.\d{4,9}/[^\s\"<>]+", " ", text, flags=re.I)
    text = URL_RE.sub(" ", text)
    text = PMID_RE.sub(" ", PMCID_RE.sub(" ", text))
    text = re.sub(r"\b(doi|available (at|from)):?\s*(?=\s|$)", " ", text, flags=re.I)
    return collapse_space(re.sub(r"(\s*\.\s*){2,}", ". ", text)).strip(" ,;")


def _guess_type(fields: Fields) -> None:
    if PREPRINT_WORDS.search(f"{fields.container} {fields.doi[:8] if fields.doi.startswith('10.1101') else ''}") \
            or fields.doi.startswith(("10.1101/", "10.48550/")):
        fields.type_guess = "preprint"
    elif not fields.type_guess:
        if fields.volume:
            fields.type_guess = "journal-article"
        elif fields.url and not fields.doi:
            fields.type_guess = "web-page"
        elif len(fields.authors) == 1 and not fields.authors[0].initials and REPORT_WORDS.search(fields.authors[0].family):
            fields.type_guess = "report"
        elif fields.container:
            fields.type_guess = "book"
    if fields.type_guess == "book" and len(fields.authors) == 1 and not fields.authors[0].initials \
            and REPORT_WORDS.search(fields.authors[0].family):
        fields.type_guess = "report"


def _status(text: str, fields: Fields) -> tuple[ParseStatus, str]:
    notes = list(fields.notes)
    run_together = len(re.findall(r"\((?:1[5-9]|20)\d\d[a-z]?\)\.", text)) >= 2 or \
        len(re.findall(r"\b(?:1[5-9]|20)\d\d;\s*\d+", text)) >= 2 or len(re.findall(r"\b10\.\d{4,9}/", text)) >= 2
    if run_together:
        notes.append("two references run together? (two years/volumes or DOIs in one entry)")
    # web pages often name no author and no date: their absence is normal, not a parse failure
    optional = ("authors", "year") if fields.type_guess == "web-page" else ()
    missing = [name for name, value in (("authors", fields.authors), ("year", fields.year), ("title", fields.title),
                                        ("container or URL", fields.container or fields.url))
               if not value and name not in optional]
    if not fields.title and not fields.year:
        if fields.url and len(text.split()) <= 2:
            notes.insert(0, "bare URL only: no author, year or title")
            return ParseStatus.PARTIAL, "; ".join(notes)
        notes.insert(0, "looks like prose, not a reference (no year, no title)" if text else "empty entry")
        return ParseStatus.FAILED, "; ".join(notes)
    if missing:
        notes.insert(0, "no " + ", no ".join(missing) + " found")
    if missing or run_together:
        return ParseStatus.PARTIAL, "; ".join(notes)
    return ParseStatus.PARSED, "; ".join(notes)


def parse_reference(raw: str, article: str = "", ref_id: str = "", source_line: int = 0) -> Reference:
    """One entry's text -> a Reference; never raises, deterministic."""
    fields = Fields()
    text = collapse_space(repair_artifacts(unicodedata.normalize("NFC", raw or "")))
    text = BULLET_RE.sub("", text)
    number = ""
    if match := NUMBER_RE.match(text):
        number = match.group(1) or match.group(2)
        text = text[match.end():]
    body = _strip_identifiers(text, fields)
    if body:
        try:
            quoted = QUOTED.search(body)
            apa = APA_HEAD.match(body)
            if not apa:
                bare = APA_HEAD_BARE.match(body)
                apa = bare if bare and looks_like_apa_authors(bare.group("authors")) else None
            if quoted and (not apa or quoted.start() < apa.start("rest") + 3):
                _parse_quoted(body, quoted, fields)
            elif apa and apa.group("authors"):
                _parse_apa(apa, fields)
            elif not _parse_vancouver(body, fields):
                # no known style: with a year, guess the longest sentence is the title;
                # without one, this is prose and stays failed with that reason
                fields.year = _first_year(body)
                if fields.year is not None:
                    fields.title = strip_trailing(max(re.split(r"\.\s+", body), key=len))
        except (re.error, ValueError, IndexError) as error:  # never lose an entry to a parser bug
            fields.notes.append(f"parser error: {error}")
    if fields.year is None and fields.url:
        fields.year = _first_year(text)
    if fields.year is None and body:
        fields.year = _first_year(body)
    _guess_type(fields)
    status, note = _status(body if body else text, fields)
    return Reference(
        article=article, ref_id=ref_id, source_line=source_line, raw=raw or "", authors=fields.authors,
        authors_truncated=fields.truncated, year=fields.year, title=fields.title, container=fields.container,
        volume=fields.volume, issue=fields.issue, pages=fields.pages, doi=fields.doi, pmid=fields.pmid,
        pmcid=fields.pmcid, url=fields.url, type_guess=fields.type_guess, parse_status=status, parse_note=note,
        number=number,
    )


def parse_references(blocks: Iterable[Block]) -> list[Reference]:
    """The `reference` blocks of one or more documents -> References "R1".."Rn" per article."""
    references: list[Reference] = []
    counters: dict[str, int] = {}
    for block in blocks:
        if block.kind != BlockKind.REFERENCE:
            continue
        counters[block.article] = counters.get(block.article, 0) + 1
        references.append(parse_reference(block.original_text or block.text, article=block.article,
                                          ref_id=f"R{counters[block.article]}", source_line=block.source_line))
    return references
