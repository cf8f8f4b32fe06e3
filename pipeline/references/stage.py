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
2006;444(7121):840-6.", with "[Internet]", "[cited ...]", "Available from:"), Chicago author-date
("Hardin, Garrett. 1968. “Title.” Science 162 (3859): 1243–48.") and notes-bibliography ("Journal 100,
no. 3 (2010): 641–72."), IEEE ("[3] A. B. Author, “Title,” Journal, vol. 5, no. 2, pp. 3-9, 2020."),
Wikipedia cite templates, books, chapters, reports, theses, preprints and web pages. In HTML, the address
an entry links to stands in for a URL the text does not print. Field normal forms are those of
`fields`. The rule parser's parts: `patterns` (the regular expressions), `rule_fields` (the fields
being filled, authors, years, titles), `rule_tails` (what follows a title), `rule_styles` (whole
entries by style), `rule_finish` (identifiers, type, status); `crf_parse` refines its reading with
the learned labeller.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from pipeline.models import Block, BlockKind, Reference
from pipeline.references.fields import (
    find_doi, looks_like_apa_authors, strip_trailing,
)
from pipeline.references.patterns import APA_HEAD, APA_HEAD_BARE, BULLET_RE, CHICAGO_HEAD, NUMBER_RE
from pipeline.references.rule_fields import Fields, _authors, _first_year, _looks_like_title, _sentence_break
from pipeline.references.rule_finish import _guess_type, _status, _strip_identifiers
from pipeline.references.rule_styles import (
    _find_quoted, _parse_apa, _parse_initials_book, _parse_names_first, _parse_quoted, _parse_vancouver)
from pipeline.repair import collapse_space, repair_artifacts

def _use_links(links: Iterable[str], fields: Fields) -> None:
    """An HTML entry's links: its DOI or web address when the text printed none."""
    for link in links:
        if not fields.doi and (doi := find_doi(link)) and "doi.org/" in link.lower():
            fields.doi = doi
            fields.notes.append("DOI taken from the entry's link")
        elif not fields.url and not fields.doi and "doi.org/" not in link.lower():
            fields.url = link
            fields.notes.append("URL taken from the entry's link")


def _linked_title(body: str, fields: Fields) -> None:
    """A short linked entry with no date and no quotes ("Persona, Mozilla"): the link's title, then the site."""
    if fields.title or fields.year is not None or not fields.url or not 1 <= len(body.split()) <= 12 \
            or _sentence_break(body):
        return
    title, _, site = body.rpartition(", ")
    fields.title, fields.container = (strip_trailing(title), strip_trailing(site)) if title else (strip_trailing(body), "")
    fields.type_guess = "web-page"


def parse_reference(raw: str, article: str = "", ref_id: str = "", source_line: int = 0,
                    links: tuple[str, ...] = ()) -> Reference:
    """One entry's text -> a Reference; never raises, deterministic. `links` are the web addresses the
    entry linked to in HTML (used when the text prints no DOI or URL). The rules read the entry first;
    the learned labeller (crf_parse) then reads it with the rules' fields as hints and decides."""
    from pipeline.references.crf_parse import refine  # imported here: crf_parse builds on this module

    return refine(parse_by_rules(raw, article, ref_id, source_line, links))


def parse_by_rules(raw: str, article: str = "", ref_id: str = "", source_line: int = 0,
                   links: tuple[str, ...] = ()) -> Reference:
    """The rule parser alone (the styles listed at the top of this module)."""
    fields = Fields()
    text = collapse_space(repair_artifacts(unicodedata.normalize("NFC", raw or "")))
    text = BULLET_RE.sub("", text)
    number = ""
    if match := NUMBER_RE.match(text):
        number = match.group(1) or match.group(2)
        text = text[match.end():]
    body = _strip_identifiers(text, fields)
    _use_links(links, fields)
    if body:
        try:
            quoted = _find_quoted(body)
            apa = APA_HEAD.match(body)
            if not apa:
                bare = APA_HEAD_BARE.match(body)
                apa = bare if bare and looks_like_apa_authors(bare.group("authors")) else None
            if not apa:
                bare = CHICAGO_HEAD.match(body)
                names = _authors(bare.group("authors"))[0] if bare else ()
                # persons with initials, or an organisation (title case, not a sentence-case title)
                apa = bare if names and (all(a.initials for a in names) or len(names) == 1 and not
                                         _looks_like_title(bare.group("authors"))) else None
            if not quoted and (_parse_names_first(body, fields) or not apa and _parse_initials_book(body, fields)):
                pass
            elif quoted and (not apa or quoted.start() < apa.start("rest") + 3):
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
    if links:
        _linked_title(body, fields)
    if fields.year is None and fields.url and not fields.undated:
        fields.year = _first_year(text)
    if fields.year is None and body and not fields.undated:
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
                                          ref_id=f"R{counters[block.article]}", source_line=block.source_line,
                                          links=block.links))
    return references
