"""Validation: every field a citation states, compared with the identified work's record.

Consumes a `Reference` and a `CrossrefWork`; produces one `FieldComparison` per field both
state (title, authors, year, container, volume, issue, pages, DOI), each saying whether the
field agrees. Validation is strict where identity (matching.py) is tolerant: the title agrees
only as the same title after folding or without its subtitle (titles.py); family names agree
folded or transliterated (ø as o or oe); the first author must be the work's first author and at
least half the cited names the work's; a book's or proceedings' container may be cited as its
publisher or as the event's name without year and acronym; pages agree by range or first page,
an e-locator by its number.
"""
from __future__ import annotations

import re

from pipeline.crossref.titles import fold, title_similarity, titles_agree
from pipeline.models import CrossrefWork, FieldComparison, Reference

STOPWORDS = frozenset("the of and a an in on for to with &".split())
# the other spelling a name is often cited with (German and Scandinavian transliteration), on case-folded text
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa", "æ": "ae"})
# Crossref types whose container is a book, a series or proceedings, often cited by publisher or event name
BOOKISH = frozenset("book monograph edited-book reference-book book-chapter book-section book-part book-series "
                    "book-set reference-entry proceedings proceedings-article proceedings-series".split())


def _family(name: str) -> str:
    folded = fold(name).split()
    return folded[-1] if folded else ""


def _family_spellings(name: str) -> frozenset[str]:
    """The family name folded (Bjørnstad -> bjornstad) and transliterated (bjoernstad), as either may be cited."""
    return frozenset(filter(None, (_family(name), _family(name.casefold().translate(TRANSLITERATION)))))


def _same_initial(cited: str, found: str) -> bool:
    """The first initials agree, or one side gives none."""
    a, b = fold(cited)[:1], fold(found)[:1]
    return not a or not b or a == b


def author_agreement(reference: Reference, work: CrossrefWork) -> tuple[bool, float]:
    """(first author agrees, share of cited families found among the work's)."""
    cited = [_family_spellings(a.family) for a in reference.authors if a.family]
    found = [_family_spellings(a.family) for a in work.authors if a.family]
    if not cited or not found:
        return False, 0.0
    first_work = fold(" ".join(a.family for a in work.authors[:1]))
    first = bool(cited[0] & found[0]) or any(len(name) > 3 and name in first_work for name in cited[0])
    if first and sum(bool(cited[0] & names) for names in found) > 1:
        # the family name is shared among the work's authors (Abbott BP, Abbott R, Abbott TD): only the
        # initial tells the first author from a later one
        first = _same_initial(reference.authors[0].initials, work.authors[0].initials)
    found_any = frozenset().union(*found)
    overlap = sum(1 for names in cited if names & found_any) / len(cited)
    return first, round(overlap, 3)


def _abbreviation_of(short: list[str], full: list[str]) -> bool:
    """Each word of `short` is a prefix of the next significant word of `full`, in order."""
    words = [w for w in full if w not in STOPWORDS]
    short = [w for w in short if w not in STOPWORDS]
    if not short or len(short) != len(words):
        return False
    return all(f.startswith(s) for s, f in zip(short, words))


def _event_name(name: str) -> str:
    """A book or proceedings title without what citations vary: "In", "Proceedings of the", the year, an
    ordinal and a parenthesised acronym ("2016 IEEE Conference on ... (CVPR)" -> "ieee conference on ...")."""
    folded = fold(re.sub(r"\([^)]*\)", " ", name))
    folded = re.sub(r"\b(1[89]|20)\d\d\b|\b\d+(st|nd|rd|th)\b", " ", folded)
    folded = re.sub(r"^(in )?(the )?((proceedings|proc) (of )?(the )?)?", "", " ".join(folded.split()))
    return folded.removeprefix("the ")


def _leading_words(a: str, b: str) -> bool:
    """One name's words begin the other's: "Springer" and "Springer New York"."""
    a_words, b_words = a.removeprefix("the ").split(), b.removeprefix("the ").split()
    shorter, longer = sorted((a_words, b_words), key=len)
    return bool(shorter) and longer[:len(shorter)] == shorter


def container_agrees(cited: str, work: CrossrefWork) -> bool:
    a = fold(cited)
    if not a:
        return False
    bookish = work.type in BOOKISH
    for name in dict.fromkeys((work.container, *work.container_titles, *work.container_short)):
        b = fold(name)
        if not b:
            continue
        # "Proc Natl Acad Sci USA" is "Proc. Natl. Acad. Sci. U.S.A.": compared with the spaces gone too
        if a.removeprefix("the ").replace(" ", "") == b.removeprefix("the ").replace(" ", ""):
            return True
        if _abbreviation_of(a.split(), b.split()) or _abbreviation_of(b.split(), a.split()):
            return True
        if bookish and _event_name(cited) and _event_name(cited) == _event_name(name):
            return True
    # a book is cited with its publisher where an article names its journal
    return bookish and bool(work.publisher) and _leading_words(a, fold(work.publisher))


def _norm_issue(value: str) -> str:
    value = fold(value)
    value = re.sub(r"\bsuppl?\w*\b", "s", value)
    return value.replace(" ", "")


def pages_agree(cited: str, work: CrossrefWork) -> bool:
    a = fold(cited).replace(" ", "")
    if not a:
        return False
    for found in (work.pages, work.article_number):
        b = fold(found).replace(" ", "")
        if not b:
            continue
        if a == b:
            return True
        first_a, first_b = a.split("-")[0] if "-" in cited else a, fold(found.split("-")[0]).replace(" ", "")
        if first_a and first_a == first_b and ("-" not in found or "-" not in cited):
            return True
    return False


def compare(reference: Reference, work: CrossrefWork) -> tuple[FieldComparison, ...]:
    """Every field the citation states and the work records, compared."""
    out: list[FieldComparison] = []

    def add(name: str, cited: str, found: str, agrees: bool, score: float | None = None):
        out.append(FieldComparison(name, cited, found, agrees, float(agrees) if score is None else score))

    if reference.title and work.title:
        # the title agrees only when it is the same title (folded) or the same without its subtitle
        add("title", reference.title, work.title, titles_agree(reference.title, work.title),
            title_similarity(reference.title, work.title))
    if reference.authors and work.authors:
        first, overlap = author_agreement(reference, work)
        cited = "; ".join(f"{a.family} {a.initials}".strip() for a in reference.authors)
        found = "; ".join(f"{a.family} {a.initials}".strip() for a in work.authors[:8])
        add("authors", cited, found, first and overlap >= 0.5, round(0.5 * first + 0.5 * overlap, 3))
    if reference.year is not None and (work.year is not None or work.years):
        years = {work.year, *work.years} - {None}
        exact = reference.year in years
        near = any(abs(reference.year - y) == 1 for y in years)
        add("year", str(reference.year), str(work.year or min(years)), exact, 1.0 if exact else 0.5 if near else 0.0)
    if reference.container and (work.container or work.container_short):
        add("container", reference.container, work.container or work.container_short[0],
            container_agrees(reference.container, work))
    if reference.volume and work.volume:
        add("volume", reference.volume, work.volume, fold(reference.volume) == fold(work.volume))
    if reference.issue and work.issue:
        add("issue", reference.issue, work.issue, _norm_issue(reference.issue) == _norm_issue(work.issue))
    if reference.pages and (work.pages or work.article_number):
        add("pages", reference.pages, work.pages or work.article_number, pages_agree(reference.pages, work))
    if reference.doi and work.doi:
        add("doi", reference.doi, work.doi, reference.doi.casefold() == work.doi.casefold())
    return tuple(out)
