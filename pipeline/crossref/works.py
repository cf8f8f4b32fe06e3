"""Crossref REST API JSON -> `CrossrefWork` records.

Consumes one item of a `work` or `work-list` message (the shape documented for
api.crossref.org/works); produces the fields the checker compares and shows. Missing or
oddly typed fields become empty values, never errors.
"""
from __future__ import annotations

import re

from pipeline.models import Author, CrossrefWork, UpdateNotice
from pipeline.references import expand_pages, initials_of

SELECT_FIELDS = ("DOI", "title", "author", "container-title", "short-container-title", "issued", "published-print",
                 "published-online", "volume", "issue", "page", "article-number", "type", "score", "subject",
                 "updated-by", "update-to", "relation", "publisher", "abstract")
# ^ "abstract" (with "subject" and "container-title") is kept in the cache: the linker reads a
#   confirmed work's abstract as text about the reference (pipeline.linking.stage)


def _first(value) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _all(value) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    return tuple(str(v) for v in values if v)


def _year(date) -> int | None:
    try:
        return int(date["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _authors(items) -> tuple[Author, ...]:
    authors = []
    for item in items or ():
        if not isinstance(item, dict):
            continue
        family = item.get("family") or item.get("name") or ""
        given = str(item.get("given") or "")
        authors.append(Author(str(family), initials_of(given), " ".join(given.split())))
    return tuple(authors)


def _updates(item: dict) -> tuple[UpdateNotice, ...]:
    notices = []
    for source in ("updated-by", "update-to"):
        for update in item.get(source) or ():
            if isinstance(update, dict):
                notices.append(UpdateNotice(str(update.get("type", "")), str(update.get("DOI", "")), source))
    relation = item.get("relation") or {}
    if isinstance(relation, dict):
        for kind, targets in relation.items():
            if "retract" in kind or "correct" in kind or "erratum" in kind:
                for target in targets or ():
                    if isinstance(target, dict):
                        notices.append(UpdateNotice(kind, str(target.get("id", "")), "relation"))
    return tuple(notices)


def work_from_item(item: dict) -> CrossrefWork:
    years = tuple(sorted({y for key in ("issued", "published-print", "published-online", "published")
                          if (y := _year(item.get(key))) is not None}))
    abstract = re.sub(r"<[^>]+>", " ", str(item.get("abstract") or ""))
    return CrossrefWork(
        doi=str(item.get("DOI", "")),
        title=_first(item.get("title")),
        authors=_authors(item.get("author")),
        container=_first(item.get("container-title")),
        container_short=tuple(str(s) for s in item.get("short-container-title") or ()),
        year=_year(item.get("issued")) or (years[0] if years else None),
        years=years,
        volume=str(item.get("volume") or ""),
        issue=str(item.get("issue") or ""),
        pages=expand_pages(str(item.get("page") or "")),
        article_number=str(item.get("article-number") or ""),
        type=str(item.get("type") or ""),
        subjects=tuple(str(s) for s in item.get("subject") or ()),
        abstract=" ".join(abstract.split()),
        updates=_updates(item),
        score=float(item.get("score") or 0.0),
        container_titles=_all(item.get("container-title")),
        publisher=str(item.get("publisher") or ""),
    )
