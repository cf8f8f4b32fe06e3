"""Pure judging: one citation and candidate Crossref works -> identity, field comparisons and a verdict.

Consumes a `Reference` and `CrossrefWork`s (the work a cited DOI resolves to, and the works a
bibliographic search returned); produces a `Check` with the verdict, the exact list of mismatched
fields, a match score and a note. No I/O, so it is tested exhaustively. Two separate decisions:

**Identity** (`identify`): is this candidate the cited work? Never a correction, erratum, retraction
or comment notice that repeats a title. Otherwise, the first that holds:
  - `doi`: the cited DOI is the work's and the titles are at least near (similarity >= 0.60);
  - `title`: the titles are the same (similarity >= 0.90) and the locator supports it: the authors
    agree and one of year (one off counts), container, volume or pages does, or two of them agree
    exactly (then the authors are what the citation got wrong);
  - `locator`: a strong locator carries a moderately changed title (similarity >= 0.50): the authors
    agree, the pages agree, and two of year, container and volume agree exactly.
A candidate identified by DOI or title outranks one identified by its locator alone, and a locator alone
never stands against another work that carries the cited title exactly (then the citation is a mix).

**Validation** (validation.py): every field the citation states, compared with the identified
work; the title agrees only when it is the same after folding or one is the other without its
subtitle (titles.py), so a one-word change is a title mismatch, shown as a word diff in the note.

| verdict         | when                                                                                    |
|-----------------|-----------------------------------------------------------------------------------------|
| `verified`      | a candidate is identified and every field the citation states agrees                    |
| `mismatch`      | a candidate is identified and the named fields differ                                   |
| `misattributed` | no candidate is identified, but one carries the cited title (similarity >= 0.90, at     |
|                 | least 4 words): its people and/or locator are not the citation's; the real record given |
| `not_found`     | no candidate carries that title or that locator                                         |
| `unchecked`     | not asked (no title or DOI, Crossref unreachable) or a web page or an organisation's    |
|                 | report Crossref does not index                                                          |

A real title of 4 words or more is therefore never `not_found` when Crossref returns its work.
Titles that state different numbers are different works ("Cancer statistics, 2019" and "..., 2020").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from pipeline.crossref.titles import fold, title_diff
from pipeline.crossref.validation import compare
from pipeline.models import Check, CrossrefWork, FieldComparison, Reference, Verdict

TITLE_MATCH = 0.90      # folded title similarity from which two titles name the same work
TITLE_NEAR = 0.60       # below this a candidate is not even a near miss worth naming
TITLE_CARRIED = 0.50    # the least a title may keep of the work's when a strong locator identifies it
MIN_MISATTRIBUTION_WORDS = 4  # "Atopic dermatitis" is too generic to say who wrote it
NOTICE_TITLE = re.compile(r"^(correction|corrigendum|erratum|errata|retraction|retracted|expression of concern|"
                          r"withdrawn|comment on|reply to|response to)\b", re.I)
RANK = {"doi": 2, "title": 2, "locator": 1, "": 0}
LOCATOR = ("year", "container", "volume", "pages")


@dataclass(frozen=True)
class Assessment:
    work: CrossrefWork
    comparisons: tuple[FieldComparison, ...]
    title: float
    identified_by: str       # "doi", "title", "locator" or "" (not the cited work)
    misattributed: bool      # the title is this work's, the people and/or locator are not
    score: float
    why_not: str

    @property
    def same_work(self) -> bool:
        return bool(self.identified_by)


def _get(comparisons, name) -> FieldComparison | None:
    return next((c for c in comparisons if c.field == name), None)


def _agrees(comparisons, name) -> bool:
    found = _get(comparisons, name)
    return found is not None and found.agrees


def identify(reference: Reference, work: CrossrefWork, comparisons: Sequence[FieldComparison]) -> str:
    """How the work is known to be the cited one ("doi", "title", "locator"), or "" when it is not."""
    if NOTICE_TITLE.match(work.title or "") and not NOTICE_TITLE.match(reference.title or ""):
        return ""
    title = _get(comparisons, "title")
    title_sim = title.score if title else 0.0
    if reference.doi and work.doi and reference.doi.casefold() == work.doi.casefold() \
            and (title_sim >= TITLE_NEAR or not reference.title):
        return "doi"
    authors = _agrees(comparisons, "authors")
    exact = [c for c in comparisons if c.field in LOCATOR and c.agrees]
    near = exact + [c for c in comparisons if c.field == "year" and not c.agrees and c.score >= 0.5]
    if title_sim >= TITLE_MATCH and ((authors and near) or len(exact) >= 2):
        return "title"
    if title_sim >= TITLE_CARRIED and authors and _agrees(comparisons, "pages") \
            and sum(c.field in ("year", "container", "volume") for c in exact) >= 2:
        return "locator"
    return ""


def _why_not(reference: Reference, comparisons, title_sim: float, notice: bool) -> str:
    reasons = []
    if notice:
        reasons.append("it is a correction/retraction notice, not the work")
    if title_sim < TITLE_MATCH:
        reasons.append(f"title similarity {title_sim:.2f}")
    authors = _get(comparisons, "authors")
    if authors is None or not authors.agrees:
        reasons.append("authors differ" if authors is not None else "no authors to compare")
    if not any(c.field in LOCATOR and (c.agrees or c.score >= 0.5) for c in comparisons):
        reasons.append("no year, venue, volume or pages agree")
    return "; ".join(reasons)


def assess(reference: Reference, work: CrossrefWork) -> Assessment:
    comparisons = compare(reference, work)
    title = _get(comparisons, "title")
    title_sim = title.score if title else 0.0
    notice = bool(NOTICE_TITLE.match(work.title or "")) and not NOTICE_TITLE.match(reference.title or "")
    score = round(sum(c.score for c in comparisons) / len(comparisons), 3) if comparisons else 0.0
    identified_by = identify(reference, work, comparisons)
    # the title both sides share must say who wrote it: "Working memory: looking back" is no misattributed
    # "Working Memory"
    shared_words = min(len(fold(reference.title).split()), len(fold(work.title).split()))
    misattributed = (not identified_by and not notice and title_sim >= TITLE_MATCH
                     and shared_words >= MIN_MISATTRIBUTION_WORDS)
    return Assessment(work, comparisons, title_sim, identified_by, misattributed, score,
                      _why_not(reference, comparisons, title_sim, notice))


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


def _title_note(chosen: Assessment) -> list[str]:
    title = _get(chosen.comparisons, "title")
    if title is None or title.agrees:
        return []
    return [f"title differs from the record's ({title_diff(title.cited, title.found) or 'word order'}): "
            f"cited '{title.cited}', Crossref '{title.found}'"]


def _titles_agree(assessment: Assessment) -> bool:
    title = _get(assessment.comparisons, "title")
    return title is not None and title.agrees


def _pool(candidates: Sequence[CrossrefWork], cited_doi_work: CrossrefWork | None) -> list[CrossrefWork]:
    pool = [cited_doi_work] if cited_doi_work is not None else []
    pool.extend(c for c in candidates if cited_doi_work is None or c.doi.casefold() != cited_doi_work.doi.casefold())
    return pool


def judge(reference: Reference, candidates: Sequence[CrossrefWork], cited_doi_work: CrossrefWork | None = None,
          cited_doi_missing: bool = False) -> Check:
    """The verdict for one reference from the works Crossref returned for it."""
    notes: list[str] = []
    if cited_doi_missing:
        notes.append(f"the cited DOI {reference.doi} is not registered with Crossref")
    assessments = [assess(reference, work) for work in _pool(candidates, cited_doi_work)]
    same = sorted((a for a in assessments if a.same_work),
                  key=lambda a: (-RANK[a.identified_by], -a.score, -a.title))
    if cited_doi_work is not None and not assessments[0].same_work:
        notes.append(f"the cited DOI {reference.doi} resolves to another work: "
                     f"'{cited_doi_work.title}' ({assessments[0].why_not})")
    misattributed = sorted((a for a in assessments if a.misattributed), key=lambda a: (-a.title, -a.score))
    if same and same[0].identified_by == "locator" and misattributed and _titles_agree(misattributed[0]):
        same = []  # another work carries the cited title exactly: the locator is another paper's (a mix)
    if same:
        chosen = same[0]
        mismatched = [c.field for c in chosen.comparisons if not c.agrees]
        if reference.doi and chosen.work.doi.casefold() != reference.doi.casefold() and "doi" not in mismatched:
            mismatched.append("doi")
        if not mismatched:
            return _check(reference, Verdict.VERIFIED, chosen, "; ".join(notes))
        return _check(reference, Verdict.MISMATCH, chosen, "; ".join(notes + _title_note(chosen)), tuple(mismatched))
    if misattributed:
        chosen = misattributed[0]
        authors = "; ".join(a.family for a in chosen.work.authors[:3])
        notes.append(f"the title is a real work by {authors} ({chosen.work.container}, {chosen.work.year}, "
                     f"{chosen.work.doi})")
        mismatched = tuple(c.field for c in chosen.comparisons if not c.agrees)
        return _check(reference, Verdict.MISATTRIBUTED, chosen, "; ".join(notes + _title_note(chosen)), mismatched)
    return _not_identified(reference, assessments, notes)


def _not_identified(reference: Reference, assessments: list[Assessment], notes: list[str]) -> Check:
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
    return _check(reference, Verdict.NOT_FOUND, None, "; ".join(notes))
