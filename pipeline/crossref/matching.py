"""Pure judging: one citation and candidate Crossref works -> field comparisons and a verdict.

Consumes a `Reference` and `CrossrefWork`s (the work a cited DOI resolves to, and the
works a bibliographic search returned); produces a `Check` with the verdict, the exact
list of mismatched fields, a match score and a note. No I/O, so it is tested exhaustively.

In the spirit of Crossref's search-based matching with validation, a candidate is the
cited work only when enough independent fields agree: the title (after folding case,
punctuation, " ∞ ", dashes and diacritics), the first author and the author overlap, and
at least one of year, container, volume or pages. `verified` needs every compared field
to agree. A title that matches a real work by other authors in another venue or year is
`misattributed`. Corrections, errata and retraction notices that repeat a title are
never taken for the work itself. Titles that state different numbers are different works;
family names agree folded or transliterated (ø as o or oe); a book's or proceedings' container
may be cited as its publisher or as the event's name without year and acronym.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence

from pipeline.models import Check, CrossrefWork, FieldComparison, Reference, Verdict

TITLE_MATCH = 0.90      # folded title similarity from which two titles are the same title
TITLE_NEAR = 0.60       # below this a candidate is not even a near miss worth naming
DIFFERENT_NUMBERS = 0.80  # the most two titles stating different numbers can agree: a near miss, never the same
MIN_MISATTRIBUTION_WORDS = 4  # "Atopic dermatitis" is too generic to say who wrote it
NOTICE_TITLE = re.compile(r"^(correction|corrigendum|erratum|errata|retraction|retracted|expression of concern|"
                          r"withdrawn|comment on|reply to|response to)\b", re.I)
STOPWORDS = frozenset("the of and a an in on for to with &".split())
# letters NFKD does not decompose; folded, never dropped
SPECIAL_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                 "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "ð": "d"})
# the other spelling a name is often cited with (German and Scandinavian transliteration), on case-folded text
TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ø": "oe", "å": "aa", "æ": "ae"})
# Crossref types whose container is a book, a series or proceedings, often cited by publisher or event name
BOOKISH = frozenset("book monograph edited-book reference-book book-chapter book-section book-part book-series "
                    "book-set reference-entry proceedings proceedings-article proceedings-series".split())


def fold(text: str) -> str:
    """Case, punctuation, " ∞ ", dashes and diacritics folded away; letters like ß and ø kept as ss, o."""
    text = (text or "").translate(SPECIAL_LETTERS).replace("∞", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"<[^>]+>", " ", text)  # Crossref titles may carry <i>, <sub> markup
    text = re.sub(r"[\W_]+", " ", text.casefold())
    return " ".join(text.split())


def title_similarity(cited: str, found: str) -> float:
    a, b = fold(cited), fold(found)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    # one title that stops at the other's colon still names the work (subtitle dropped or added)
    for short, full in ((a, found), (b, cited)):
        main = fold(re.split(r"[:?.]", full, maxsplit=1)[0])
        if main and len(main.split()) >= 4 and main != fold(full) and \
                (short == main or SequenceMatcher(None, short, main, autojunk=False).ratio() >= 0.97):
            ratio = max(ratio, 0.95)
    # titles that state different numbers name different works ("Cancer statistics, 2019" and "..., 2020");
    # a title cut short at its colon may lose a number, so only numbers on both sides that differ count
    numbers_a, numbers_b = set(re.findall(r"\d+", a)), set(re.findall(r"\d+", b))
    if numbers_a and numbers_b and not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        ratio = min(ratio, DIFFERENT_NUMBERS)
    return round(ratio, 3)


def _family(name: str) -> str:
    folded = fold(name).split()
    return folded[-1] if folded else ""


def _family_spellings(name: str) -> frozenset[str]:
    """The family name folded (Bjørnstad -> bjornstad) and transliterated (bjoernstad), as either may be cited."""
    return frozenset(filter(None, (_family(name), _family(name.casefold().translate(TRANSLITERATION)))))


def author_agreement(reference: Reference, work: CrossrefWork) -> tuple[bool, float]:
    """(first author agrees, share of cited families found among the work's)."""
    cited = [_family_spellings(a.family) for a in reference.authors if a.family]
    found = [_family_spellings(a.family) for a in work.authors if a.family]
    if not cited or not found:
        return False, 0.0
    first_work = fold(" ".join(a.family for a in work.authors[:1]))
    first = bool(cited[0] & found[0]) or any(len(name) > 3 and name in first_work for name in cited[0])
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
        if a == b or a.removeprefix("the ") == b.removeprefix("the "):
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
        sim = title_similarity(reference.title, work.title)
        add("title", reference.title, work.title, sim >= TITLE_MATCH, sim)
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


@dataclass(frozen=True)
class Assessment:
    work: CrossrefWork
    comparisons: tuple[FieldComparison, ...]
    title: float
    same_work: bool          # enough independent fields agree
    misattributed: bool      # the title is this work's, the authors and venue or year are not
    score: float
    why_not: str


def _get(comparisons, name) -> FieldComparison | None:
    return next((c for c in comparisons if c.field == name), None)


def assess(reference: Reference, work: CrossrefWork) -> Assessment:
    comparisons = compare(reference, work)
    title = _get(comparisons, "title")
    title_sim = title.score if title else 0.0
    authors = _get(comparisons, "authors")
    others = [c for c in comparisons if c.field in ("year", "container", "volume", "pages")]
    agreeing_others = [c for c in others if c.agrees or (c.field == "year" and c.score >= 0.5)]
    notice = bool(NOTICE_TITLE.match(work.title or "")) and not NOTICE_TITLE.match(reference.title or "")
    score = round(sum(c.score for c in comparisons) / len(comparisons), 3) if comparisons else 0.0
    authors_ok = authors is not None and authors.agrees
    exact_others = [c for c in others if c.agrees]
    # the same work: the title, and the authors with one more field, or without them two more exact fields
    # (then the authors are what the citation got wrong)
    same = (not notice and title_sim >= TITLE_MATCH
            and ((authors_ok and len(agreeing_others) >= 1) or len(exact_others) >= 2))
    if not same and reference.doi and work.doi and reference.doi.casefold() == work.doi.casefold() \
            and title_sim >= TITLE_MATCH and not notice:
        same = True  # the cited DOI and the title agree: the authors are what differs
    venue_or_year_off = any(c.field in ("container", "year") and not c.agrees and c.score < 0.5 for c in comparisons)
    misattributed = (not same and not notice and title_sim >= TITLE_MATCH and authors is not None
                     and not authors.agrees and authors.score < 0.5 and venue_or_year_off
                     and len(fold(reference.title).split()) >= MIN_MISATTRIBUTION_WORDS)
    reasons = []
    if notice:
        reasons.append("it is a correction/retraction notice, not the work")
    if title_sim < TITLE_MATCH:
        reasons.append(f"title similarity {title_sim:.2f}")
    if not authors_ok:
        reasons.append("authors differ" if authors is not None else "no authors to compare")
    if not agreeing_others:
        reasons.append("no year, venue, volume or pages agree")
    return Assessment(work, comparisons, title_sim, same, misattributed, score, "; ".join(reasons))


def _notices(work: CrossrefWork) -> tuple[bool, str]:
    retracted = any("retract" in u.type.lower() and u.source != "update-to" for u in work.updates)
    notices = [f"{u.type} {u.doi}".strip() for u in work.updates if u.source != "update-to"]
    return retracted, "; ".join(notices)


def _check(reference: Reference, verdict: Verdict, chosen: Assessment | None, note: str,
           mismatched: tuple[str, ...] = ()) -> Check:
    retracted, notice = _notices(chosen.work) if chosen else (False, "")
    return Check(article=reference.article, ref_id=reference.ref_id, verdict=verdict, mismatched_fields=mismatched,
                 match_score=chosen.score if chosen else 0.0, work=chosen.work if chosen else None,
                 comparisons=chosen.comparisons if chosen else (), retracted=retracted, update_notice=notice,
                 note=note)


def judge(reference: Reference, candidates: Sequence[CrossrefWork], cited_doi_work: CrossrefWork | None = None,
          cited_doi_missing: bool = False) -> Check:
    """The verdict for one reference from the works Crossref returned for it."""
    notes: list[str] = []
    pool: list[CrossrefWork] = []
    if cited_doi_work is not None:
        pool.append(cited_doi_work)
    pool.extend(c for c in candidates if cited_doi_work is None or c.doi.casefold() != cited_doi_work.doi.casefold())
    if cited_doi_missing:
        notes.append(f"the cited DOI {reference.doi} is not registered with Crossref")
    assessments = [assess(reference, work) for work in pool]
    same = sorted((a for a in assessments if a.same_work), key=lambda a: (-a.score, -a.title))
    if cited_doi_work is not None:
        doi_assessment = assessments[0]
        if not doi_assessment.same_work:
            notes.append(f"the cited DOI {reference.doi} resolves to another work: "
                         f"'{cited_doi_work.title}' ({doi_assessment.why_not})")
    if same:
        chosen = same[0]
        mismatched = [c.field for c in chosen.comparisons if not c.agrees]
        if reference.doi and chosen.work.doi.casefold() != reference.doi.casefold() and "doi" not in mismatched:
            mismatched.append("doi")
        if not mismatched:
            return _check(reference, Verdict.VERIFIED, chosen, "; ".join(notes))
        return _check(reference, Verdict.MISMATCH, chosen, "; ".join(notes), tuple(mismatched))
    misattributed = sorted((a for a in assessments if a.misattributed), key=lambda a: -a.title)
    if misattributed:
        chosen = misattributed[0]
        authors = "; ".join(a.family for a in chosen.work.authors[:3])
        notes.append(f"the title is a real work by {authors} ({chosen.work.container}, {chosen.work.year})")
        mismatched = tuple(c.field for c in chosen.comparisons if not c.agrees)
        return _check(reference, Verdict.MISATTRIBUTED, chosen, "; ".join(notes), mismatched)
    if assessments:
        nearest = max(assessments, key=lambda a: (0.5 * a.title + 0.5 * a.score, a.title))
        if nearest.title >= TITLE_NEAR or nearest.score > 0:
            notes.append(f"nearest candidate: '{nearest.work.title}' ({nearest.work.doi}), rejected: {nearest.why_not}")
    else:
        notes.append("Crossref returned no candidates")
    where = f" ({reference.url})" if reference.url else ""
    group_author = len(reference.authors) == 1 and not reference.authors[0].initials
    if not reference.doi and (reference.type_guess == "web-page"
                              or reference.type_guess == "report" and group_author):
        # Crossref registers scholarly works, not fact sheets, news pages or most agency reports:
        # absence there says nothing about whether the document exists, so it is no sign of a
        # fabricated reference
        what = "a web page" if reference.type_guess == "web-page" else "an organisation's report"
        notes.insert(0, f"{what}, which Crossref does not index: check it by hand{where}")
        return _check(reference, Verdict.UNCHECKED, None, "; ".join(notes))
    if reference.type_guess == "book" and not reference.doi:
        notes.append("many books, older editions above all, are not in Crossref: check the book by hand")
    check = _check(reference, Verdict.NOT_FOUND, None, "; ".join(notes))
    return check
