"""Corrected citations (pipeline/outputs/corrected.py) and their round trip.

Every corrected citation is fed back through the pipeline's own reference parser and Crossref
check against the local stand-in, and must come back `verified` as the same work: on the two
samples (each list in its own detected style) and on the Crossref test sets (truth.jsonl,
heldout.jsonl), each read as one list in its detected style and also rendered in every one of
the six styles.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.crossref.matching import fold
from pipeline.crossref.stage import CrossrefClient, check_references
from pipeline.crossref.works import work_from_item
from pipeline.ingest.stage import ingest_path
from pipeline.models import Author, CrossrefWork, Verdict
from pipeline.settings import Settings
from pipeline.outputs.citation_style import STYLES
from pipeline.outputs.corrected import (IDENTIFIED, Conventions, conventions_of, correct_list,
                                        corrected_citation, format_work)
from pipeline.references.stage import parse_reference, parse_references
from tests.conftest import RAW
from tests.crossref_server import CrossrefStandIn

CROSSREF_SETS = Path(__file__).parent / "data" / "crossref"


def _check(references, server):
    settings = Settings(crossref_url=server.url, request_timeout=2.0, crossref_mailto="audit@example.org")
    client = CrossrefClient(settings, None, backoff_base=0.01, max_backoff=0.2)
    return check_references(references, settings, client=client)


def _round_trip(pairs, server):
    """(citation, Check) pairs -> the ones that did not come back verified as the same work."""
    again = [parse_reference(text, article="again", ref_id=f"R{i + 1}") for i, (text, _) in enumerate(pairs)]
    rechecked = _check(again, server)
    return [(text, c.verdict.value, c.mismatched_fields) for (text, first), c in zip(pairs, rechecked)
            if c.verdict != Verdict.VERIFIED or c.work.doi.casefold() != first.work.doi.casefold()]


@pytest.fixture(scope="module")
def server():
    with CrossrefStandIn() as running:
        yield running


def _sample_lists():
    return {path.stem: parse_references(ingest_path(path).blocks) for path in sorted(RAW.glob("*.txt"))}


def test_samples_round_trip_in_their_own_style(server):
    pairs, styles = [], {}
    for article, references in _sample_lists().items():
        checks = {c.ref_id: c for c in _check(references, server)}
        corrected = correct_list(references, checks)
        styles[article] = {c.style for c in corrected.values()}
        for reference in references:
            fix, check = corrected[reference.ref_id], checks[reference.ref_id]
            if check.verdict in IDENTIFIED:
                assert fix.citation and not fix.reason, (reference.raw, fix)
                pairs.append((fix.citation, check))
            else:
                assert not fix.citation and fix.reason.startswith("no corrected citation")
    assert styles == {"exercise-metabolic-dysregulation": {"mla"}, "insulin-resistance-lifestyle": {"apa"}}
    assert len(pairs) == 17  # 20 references, 3 not_found
    assert _round_trip(pairs, server) == []


def test_verified_rows_equal_the_citation_up_to_formatting(server):
    for references in _sample_lists().values():
        checks = {c.ref_id: c for c in _check(references, server)}
        corrected = correct_list(references, checks)
        for reference in references:
            if checks[reference.ref_id].verdict != Verdict.VERIFIED:
                continue
            again = parse_reference(corrected[reference.ref_id].citation)
            for name in ("year", "volume", "issue", "pages"):
                assert getattr(again, name) == getattr(reference, name), (name, reference.raw, again)
            assert fold(again.title) == fold(reference.title)
            assert [fold(a.family) for a in again.authors] == [fold(a.family) for a in reference.authors]


def _crossref_set(name):
    entries = [json.loads(line) for line in (CROSSREF_SETS / name).read_text(encoding="utf-8").splitlines() if line]
    return [parse_reference(e["raw"], article=name, ref_id=f"R{i + 1}") for i, e in enumerate(entries)]


@pytest.mark.parametrize("name", ["truth.jsonl", "heldout.jsonl"])
def test_crossref_sets_round_trip_in_the_detected_style(server, name):
    references = _crossref_set(name)
    checks = {c.ref_id: c for c in _check(references, server)}
    corrected = correct_list(references, checks)
    pairs = [(corrected[r.ref_id].citation, checks[r.ref_id]) for r in references if checks[r.ref_id].verdict in IDENTIFIED]
    assert len(pairs) >= 30
    failures = _round_trip(pairs, server)
    print(f"\n{name}: {len(pairs) - len(failures)}/{len(pairs)} corrected citations come back verified")
    # heldout held one miss until the rule parser read a proceedings paper cited with pages and no volume
    # ('... Recognition (CVPR). 2016. p. 770-8.'): now every corrected citation comes back verified
    assert failures == []


@pytest.mark.parametrize("name", ["truth.jsonl", "heldout.jsonl"])
def test_crossref_sets_round_trip_in_every_style(server, name):
    references = _crossref_set(name)
    checks = {c.ref_id: c for c in _check(references, server)}
    conventions = conventions_of(references, checks)
    identified = [checks[r.ref_id] for r in references if checks[r.ref_id].verdict in IDENTIFIED]
    failed = {}
    for style in STYLES:
        pairs = [(corrected_citation(c.work, style, conventions)[0], c) for c in identified]
        failed[style] = _round_trip(pairs, server)
    print(f"\n{name}: round trip failures per style of {len(identified)}: "
          + ", ".join(f"{s} {len(f)}" for s, f in failed.items()))
    for style, failures in failed.items():
        for failure in failures:
            print(f"  {style}: {failure}")
    assert sum(len(f) for f in failed.values()) <= ROUND_TRIP_FAILURES_ALLOWED[name]


# every style, both sets: the failures left, parser limits (a journal whose volume is its year
# 'Mediators of Inflammation 2013: 320724', initials before a particle 'E. Van Cauter', a book with
# initials first 'T. Hastie, ...', a proceedings paper without volume), never more.
# First reading: truth 1 (of 204), heldout 22 (of 240)
ROUND_TRIP_FAILURES_ALLOWED = {"truth.jsonl": 0, "heldout.jsonl": 0}


def test_numbering_et_al_and_quotes_follow_the_article():
    work = CrossrefWork(doi="10.1/x", title="A study of things", authors=tuple(
        Author(f"Name{i}", "A.", "Anne") for i in range(8)), container="Journal of Things", year=2020,
        volume="3", issue="2", pages="10-19", type="journal-article")
    text = format_work(work, "vancouver", Conventions(et_al_min=4, et_al_use_first=3), "7", "[{n}]")
    assert text.startswith("[7] Name0 A, Name1 A, Name2 A, et al. A study of things.")
    assert "2020;3(2):10–9" in text
    ieee = format_work(work, "ieee", Conventions(et_al_min=9, et_al_use_first=8, punctuation_inside_quotes=True))
    assert "Name7" in ieee and "et al" not in ieee and "“A study of things,”" in ieee
    assert "doi" not in ieee and "10.1/x" in format_work(work, "apa", Conventions(dois=True))


def test_names_follow_the_list_initials_or_spelled_out_and_or_ampersand():
    work = CrossrefWork(doi="10.1/b", title="The need to belong", authors=(
        Author("Baumeister", "R.F.", "Roy F."), Author("Leary", "M.R.", "Mark R.")), container="Psychological Bulletin",
        year=1995, volume="117", issue="3", pages="497-529", type="journal-article")
    spelled = [parse_reference("Baumeister, Roy F., and Mark R. Leary. “The Need to Belong.” Psychological Bulletin, "
                               "vol. 117, no. 3, 1995, pp. 497–529."),
               parse_reference("Haidt, Jonathan, et al. “Social Media.” Journal of Adolescence, vol. 95, no. 2, 2023, "
                               "pp. 12–30.")]
    assert format_work(work, "mla", conventions_of(spelled, {})) == (
        "Baumeister, Roy F., and Mark R. Leary. “The Need to Belong.” Psychological Bulletin, vol. 117, no. 3, 1995, "
        "pp. 497–529.")  # the MLA handbook's own form
    initialled = [parse_reference("Petersen, K. F. & Shulman, G. I. “Molecular mechanisms.” Diabetes, vol. 55, "
                                  "no. 2, 2006, pp. 9-15."),
                  parse_reference("Hou, L. et al. “Potential mechanisms.” Frontiers, vol. 14, 2023, p. 1195300.")]
    assert format_work(work, "mla", conventions_of(initialled, {})).startswith("Baumeister, R. F. & Leary, M. R. “")
    assert format_work(work, "apa", conventions_of(spelled, {})).startswith("Baumeister, R. F., and Leary, M. R. (1995)")


def test_every_record_of_the_stand_in_round_trips_in_every_style(server):
    """Beyond the two sets: every work the stand-in serves (76, of every type it holds), formatted
    alone in each of the six styles and read back. First reading 7 failures of 456; left: the two
    notices whose titles hold another citation ("Correction for Ceballos et al., ...", "Retraction
    notice to '...' [Food Chem. Toxicol. 50 (2012) 4221–4231]"), which the parser reads as that one."""
    works = [work_from_item(item) for item in json.loads((CROSSREF_SETS / "works.json").read_text(encoding="utf-8"))]
    failures = []
    for style in STYLES:
        citations = [corrected_citation(work, style, Conventions())[0] for work in works]
        again = [parse_reference(text, article="again", ref_id=f"R{i + 1}") for i, text in enumerate(citations)]
        for work, text, check in zip(works, citations, _check(again, server)):
            if check.verdict != Verdict.VERIFIED or check.work.doi.casefold() != work.doi.casefold():
                failures.append((style, text[:60]))
    print(f"\nevery record, every style: {len(works) * len(STYLES) - len(failures)}/{len(works) * len(STYLES)}")
    assert all("Ceballos et al" in text or "Retraction notice" in text for _, text in failures), failures
    assert len(failures) <= 3


def test_lists_from_records_never_seen_round_trip_in_their_detected_style():
    """Held out for this check: the 58 Crossref records of tests/data/crossref_unseen (committed for issue 12,
    never used in building the corrected citations). Each draw's generated citations form one list per
    style (APA, Vancouver, MLA); every identified one's corrected citation must come back verified as
    the same work. First reading: APA 339/339, Vancouver 342/342, MLA 338/357 (the parser missed MLA's
    "nos. 2-3" and initials written together, "Frank L.H. Brown"); after those two general fixes, all."""
    from tests.flawed_citations import UNSEEN, cases
    from tests.verdict_scoring import world

    with CrossrefStandIn(items=world(UNSEEN)) as stand_in:
        for draw in (0, 1, 2):
            by_style = {}
            for case in cases(None, path=UNSEEN, draw=draw):
                by_style.setdefault(case.style, []).append(case.raw)
            for style, raws in by_style.items():
                references = [parse_reference(raw, article=style, ref_id=f"R{i + 1}") for i, raw in enumerate(raws)]
                checks = {c.ref_id: c for c in _check(references, stand_in)}
                corrected = correct_list(references, checks)
                assert {fix.style for fix in corrected.values()} == {style}
                pairs = [(corrected[r.ref_id].citation, checks[r.ref_id]) for r in references
                         if checks[r.ref_id].verdict in IDENTIFIED]
                assert len(pairs) >= 100 and _round_trip(pairs, stand_in) == [], (draw, style)
