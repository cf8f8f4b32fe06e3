"""Verdicts a reviewer can trust (issue 12): identity and validation as two decisions, each tested
on its own, and the generated flawed citations (tests/flawed_citations.py) scored through the real
path (ingest, reference parser, Crossref stage against the local stand-in).

The generator's split was fixed by DOI hash before any result was seen. First reading, before any
change (rows expected, columns given):
  tuning (276):    verified 30 + 1 mismatch; mismatch 153 + 15 verified + 15 not_found;
                   misattributed 27 + 4 not_found; not_found 31. Right with the flawed fields named
                   0.870, verified precision 0.667, lost 0.
  untouched (285): verified 32; mismatch 155 + 23 verified + 11 not_found; misattributed 31 + 1
                   not_found; not_found 32. Named 0.877, verified precision 0.582, lost 0.
(Two labels were then aligned with the verdict table before tuning: a wrong-paper mix under a title
of fewer than 4 words is not_found.)
After identity and validation were split (looking at the tuning part's misses only): tuning named
0.996, exact 0.982, verified precision 1.0. The untouched part's first reading after that tuning:
named 283/285 = 0.993, exact 282/285 = 0.989, verified precision 0.941 (32/34): two citations that
drop a first author whose family name the second author shares (Abbott BP, Abbott R) were verified.
That was fixed in general (the initial decides when a family name repeats among the work's authors);
from then on the untouched figures are no longer blind (named 285/285, precision 1.0).
A second draw (draw=1: other styles, words, shifts and partners from the same records), read once after
all of the above: tuning 276/276; untouched named 284/285 = 0.996, verified precision 0.970 (32/33), lost 0:
an MLA citation of a volume numbered like a year ("vol. 2013, 2014") took the volume for the year. Fixed
in the parser in general (a year right after "vol." is the volume); both draws are asserted below.
A third draw (draw=2: each style's other common shape, see `render`), read once before any change:
tuning 276/276, untouched 285/285 right with exactly the flawed fields, verified precision 1.0, lost 0.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.crossref.matching import identify, judge
from pipeline.crossref.titles import title_diff, title_similarity, titles_agree
from pipeline.crossref.validation import compare
from pipeline.models import Author, CrossrefWork, Reference, Verdict
from tests.crossref_server import FIXTURES, CrossrefStandIn
from tests.flawed_citations import CLASSES, STYLES, cases, part
from tests.verdict_scoring import checks_for, describe, score

WORK = CrossrefWork(doi="10.1/x", title="Effects of training on visceral fat in adults: a randomised trial",
                    authors=(Author("Kahn", "S.E."), Author("Hull", "R.L."), Author("Utzschneider", "K.M.")),
                    container="Nature", container_short=("Nature",), year=2006, years=(2006,), volume="444",
                    issue="7121", pages="840-846", type="journal-article")


def _ref(title=WORK.title, authors=("Kahn S.E.", "Hull R.L."), year=2006, container="Nature", volume="444",
         pages="840-846", doi="") -> Reference:
    people = tuple(Author(*a.split(" ")) for a in authors)
    return Reference(article="a", ref_id="R1", source_line=1, raw="", authors=people, year=year, title=title,
                     container=container, volume=volume, issue="", pages=pages, doi=doi)


# -- titles: agreement is strict, similarity tolerant ------------------------------------------------------
@pytest.mark.parametrize("cited", [
    "EFFECTS OF TRAINING ON VISCERAL FAT IN ADULTS: A RANDOMISED TRIAL",
    "Effects of training on visceral fat in adults — a randomised trial",
    "Effects of training on visceral fat in adults ∞ a randomised trial",
    "Effects of training on <i>visceral</i> fat in adults: a randomised trial",
    "Effects of training on visceral fat in adults",                       # subtitle dropped
    "Effects of tráining on visceral fat in adults: a randomised trial.",
])
def test_titles_agree_after_folding_or_without_the_subtitle(cited):
    assert titles_agree(cited, WORK.title)


def test_titles_agree_across_hyphenation_and_entities():
    assert titles_agree("Anti-inflammatory therapy with canakinumab", "Antiinflammatory Therapy with Canakinumab")
    assert titles_agree("Diet &amp; lifestyle", "Diet & Lifestyle")
    assert titles_agree("Diet and lifestyle", "Diet &amp; Lifestyle")
    assert titles_agree("Effect of interleukin-1 beta inhibition", "Effect of interleukin-1β inhibition")


@pytest.mark.parametrize("cited", [
    "Effects of training on hepatic fat in adults: a randomised trial",     # one word replaced
    "Effects of training on fat in adults: a randomised trial",             # one word dropped
    "Effects of exercise training on visceral fat in adults: a randomised trial",  # one word added
    "Effects of training on visceral fat",                                  # cut inside the main title
])
def test_any_other_word_difference_is_a_title_mismatch(cited):
    assert not titles_agree(cited, WORK.title)
    assert title_similarity(cited, WORK.title) >= 0.5


def test_the_title_diff_names_words_changed_added_and_dropped():
    assert title_diff("Effects of training on hepatic fat in adults", "Effects of training on visceral fat in adults") \
        == "'hepatic' for 'visceral'"
    assert title_diff("Effects of exercise training", "Effects of training") == "added 'exercise'"
    assert title_diff("Effects of training", "Effects of strength training") == "dropped 'strength'"


# -- identity ---------------------------------------------------------------------------------------------
def _identify(reference, work=WORK):
    return identify(reference, work, compare(reference, work))


def test_identity_by_title_and_locator():
    assert _identify(_ref()) == "title"
    assert _identify(_ref(authors=("Smith J.",))) == "title"          # wrong people, locator right
    assert _identify(_ref(authors=("Hull R.L.", "Utzschneider K.M."))) == "title"  # first author dropped
    assert _identify(_ref(authors=("Smith J.",), year=2007, volume="", pages="")) == ""  # only the venue


def test_a_strong_locator_carries_a_changed_title():
    changed = "Effects of training on hepatic fat in adults: a randomised trial"
    assert _identify(_ref(title=changed)) in ("title", "locator")
    short = CrossrefWork(**{**WORK.__dict__, "title": "Atopic dermatitis"})
    assert _identify(_ref(title="Atopic eczema"), short) == "locator"
    assert _identify(_ref(title="Atopic eczema", pages="850-856"), short) == ""   # pages are the locator's key
    assert _identify(_ref(title="Atopic eczema", authors=("Smith J.",)), short) == ""
    assert _identify(_ref(title="Something else entirely about glaciers"), short) == ""


def test_the_cited_doi_carries_a_near_title_but_not_another_work():
    changed = "Effects of training on hepatic fat in adults: a randomised trial"
    assert _identify(_ref(title=changed, authors=("Smith J.",), volume="", pages="", doi="10.1/X")) == "doi"
    assert _identify(_ref(title="Glacier retreat in the Alps", doi="10.1/x")) == ""


def test_notices_never_count_as_the_work():
    erratum = CrossrefWork(**{**WORK.__dict__, "title": "Erratum: " + WORK.title})
    assert _identify(_ref(), erratum) == ""
    assert judge(_ref(), [erratum]).verdict == Verdict.NOT_FOUND


# -- the verdict table ------------------------------------------------------------------------------------
def test_verified_only_when_every_stated_field_agrees():
    assert judge(_ref(), [WORK]).verdict == Verdict.VERIFIED
    check = judge(_ref(title="Effects of training on hepatic fat in adults: a randomised trial"), [WORK])
    assert check.verdict == Verdict.MISMATCH and check.mismatched_fields == ("title",)
    assert "'hepatic' for 'visceral'" in check.note


def test_a_real_title_with_other_people_is_never_not_found():
    # the venue kept, the year one off, no volume or pages: not the work, but its title is real
    check = judge(_ref(authors=("Smith J.", "Brown K."), year=2007, volume="", pages=""), [WORK])
    assert check.verdict == Verdict.MISATTRIBUTED and check.mismatched_fields == ("authors", "year")
    assert check.work == WORK and "Kahn" in check.note
    # everything but the title from another paper
    check = judge(_ref(authors=("Smith J.",), year=2019, container="Science", volume="3", pages="1-9"), [WORK])
    assert check.verdict == Verdict.MISATTRIBUTED
    assert check.mismatched_fields == ("authors", "year", "container", "volume", "pages")


def test_a_short_generic_title_is_not_misattributed():
    short = CrossrefWork(**{**WORK.__dict__, "title": "Working memory"})
    check = judge(_ref(title="Working memory", authors=("Smith J.",), year=2019, container="Science", volume="3",
                       pages="1-9"), [short])
    assert check.verdict == Verdict.NOT_FOUND


def test_a_title_nobody_wrote_is_not_found():
    assert judge(_ref(title="Glacier retreat and ferry ridership in alpine towns", pages="1-9"), [WORK]).verdict \
        == Verdict.NOT_FOUND


# -- the generated citations, through the real path -------------------------------------------------------
def test_the_generator_covers_nine_classes_in_three_styles_split_by_doi():
    generated = cases()
    assert {c.flaw for c in generated} == set(CLASSES) and {c.style for c in generated} == set(STYLES)
    assert all(c.untouched == (part(c.doi) == "untouched") for c in generated)
    assert 230 <= sum(c.untouched for c in generated) <= 300
    assert not {c.doi for c in generated if c.untouched} & {c.doi for c in generated if not c.untouched}


@pytest.fixture(scope="module")
def stand_in():
    with CrossrefStandIn() as server:
        yield server


@pytest.mark.parametrize("which, draw", [(part, draw) for draw in (0, 1, 2) for part in ("tuning", "untouched")])
def test_verdicts_on_generated_flawed_citations(stand_in, which, draw):
    result = score(checks_for(cases(which, draw=draw), stand_in.url))
    print("\n" + result.table(f"{which}, draw {draw}"))
    for case, check in result.wrong:
        print(describe(case, check))
    assert result.lost == 0
    assert result.precision == 1.0
    assert result.named / result.total >= 0.97


# -- the Crossref stage asks again by the title when the search followed another paper's locator ---------
def _item(doi, title, people, container, year, volume, page):
    return {"DOI": doi, "type": "journal-article", "title": [title], "container-title": [container],
            "author": [{"given": g, "family": f} for g, f in people], "issued": {"date-parts": [[year]]},
            "volume": volume, "page": page}


MIXED_WORLD = [_item("10.9/real", "Alpine meltwater chemistry after glacier retreat", [("Ana", "Okafor")],
                     "Arctic Science", 2011, "7", "55-61")] + [
    _item(f"10.9/h{k}", f"Alpine meltwater chemistry after glacier retreat in catchment {k}",
          [("Per", "Lindqvist"), ("Bea", "Marchetti")], "Journal of Hydrology", 2015, "520",
          f"{100 + 20 * k}-{110 + 20 * k}") for k in range(8)]
MIXED = ("Lindqvist, P., & Marchetti, B. (2015). Alpine meltwater chemistry after glacier retreat. "
         "Journal of Hydrology, 520, 100-110.")


def test_a_mixed_citation_whose_search_follows_the_people_still_finds_the_real_title(monkeypatch):
    from pipeline.crossref import stage
    from pipeline.settings import Settings
    from pipeline.references.stage import parse_reference

    reference = parse_reference(MIXED, article="a", ref_id="R1")
    with CrossrefStandIn(items=json.loads(FIXTURES.read_text(encoding="utf-8")) + MIXED_WORLD) as server:
        settings = Settings(crossref_url=server.url)
        first = stage.check_references([reference], settings)[0]
        monkeypatch.setattr(stage, "_pulled_away", lambda *_: False)
        without = stage.check_references([reference], settings)[0]
    # asked once, the search follows the people and locator to their own paper, taken for the cited one
    assert without.verdict == Verdict.MISMATCH and without.work.doi == "10.9/h0"
    assert first.verdict == Verdict.MISATTRIBUTED and first.work.doi == "10.9/real"
    assert first.mismatched_fields == ("authors", "year", "container", "volume", "pages")


def test_the_report_shows_a_title_mismatch_word_by_word():
    from bs4 import BeautifulSoup

    from pipeline.outputs.report import render_report

    reference = _ref(title="Effects of training on hepatic fat in adults: a randomised trial")
    check = judge(reference, [WORK])
    html = render_report([], [], [reference], [check], [])
    diff = BeautifulSoup(html, "html.parser").find("table", class_="diff")
    title_row = [td.get_text(" ") for td in diff.find("tbody").find("tr").find_all("td")]
    assert title_row[0] == "title" and "words: 'hepatic' for 'visceral'" in title_row[1]
    assert "visceral" in title_row[2]


_WORDS = st.lists(st.from_regex(r"[a-z]{4,9}", fullmatch=True), min_size=2, max_size=10)


@given(_WORDS, st.from_regex(r"[a-z]{4,9}", fullmatch=True), st.integers(min_value=0))
@settings(max_examples=200, deadline=None)
def test_titles_agree_only_as_the_same_words(words, swap, where):
    title = " ".join(words)
    assert titles_agree(title, title.upper()) and titles_agree(title.capitalize() + ".", title)
    assert titles_agree(title, f"{title}: a subtitle here") and titles_agree(f"{title}: a subtitle here", title)
    changed = list(words)
    changed[where % len(words)] = swap
    assert titles_agree(" ".join(changed), title) == (changed == words)
    if changed != words:
        assert swap in title_diff(" ".join(changed), title)
