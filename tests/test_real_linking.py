"""Linking on real open-access articles (tests/data/real_articles): the articles' own markers are
the truth. With markers kept, every numeric citation and the author-year citations of listed
entries resolve exactly, no statistic is linked, and no claims row starts with punctuation; with
markers stripped, inferred links are scored against a random baseline on the tuning and on the
untouched articles (figures printed; `make bench` prints the same through bench/bench_real_linking.py).

Also the sentence splitter's cuts that real articles showed (claims/stage.sentences_of).
"""
from __future__ import annotations

import pytest

from tests.data.real_articles.realset import FRESH, TUNE, UNTOUCHED, load, run, score_inferred, score_markers


@pytest.fixture(scope="module")
def nlp():
    from pipeline.nlp import load_nlp

    return load_nlp(disable=("ner",))


@pytest.mark.parametrize("text, expected", [
    ("Lipids accumulate in vivo [2], [3], [4], [5] and in vitro, under stress conditions [6], [7]. Next one.",
     ["Lipids accumulate in vivo [2], [3], [4], [5] and in vitro, under stress conditions [6], [7].", "Next one."]),
    ("As Smith et al. [\n7] showed, lysis is timed. It varies.", ["As Smith et al. [\n7] showed, lysis is timed.", "It varies."]),
    ("Some studies have suggested inverse associations (Potter and McMichael, 1983; Martinez et al, 1997; "
     "Fernandez et al, 1998; Nichols et al, 2005; Campbell et al, 2007; Hannaford et al, 2007), whereas "
     "others have found none. A meta-analysis followed.", 2),
])
def test_the_splitter_never_cuts_inside_or_right_after_a_continuing_marker(nlp, text, expected):
    from pipeline.claims.stage import sentences_of

    pieces = [s.text.strip() for s in sentences_of(nlp(text))]
    if isinstance(expected, int):
        assert len(pieces) == expected and pieces[0].endswith("found none.")
    else:
        assert pieces == expected


def test_markers_kept_resolve_exactly_on_real_articles():
    articles = load(markers=True)
    s = score_markers(articles)
    print(f"\nreal articles, markers kept: numeric groups {s['numbered'][0]}/{s['numbered'][1]}, author-year "
          f"{s['author_year'][0]}/{s['author_year'][1]} ({s['listed'][0]}/{s['listed'][1]} of groups whose entries "
          f"were listed), references named that no marker cites {s['extra_refs']}, rows starting with punctuation "
          f"{s['punctuation_rows']}")
    assert s["numbered"][0] == s["numbered"][1] >= 250
    assert s["listed"][0] >= 0.98 * s["listed"][1]
    assert s["extra_refs"] == 0 and s["punctuation_rows"] == 0


def test_markers_kept_resolve_on_the_fresh_set():
    s = score_markers(load(markers=True, names=FRESH))
    print(f"\nfresh set, markers kept: numeric groups {s['numbered'][0]}/{s['numbered'][1]}, author-year "
          f"{s['author_year'][0]}/{s['author_year'][1]}, references named that no marker cites {s['extra_refs']}, "
          f"rows starting with punctuation {s['punctuation_rows']}")
    assert s["numbered"][0] == s["numbered"][1] >= 60
    assert s["listed"][0] >= 0.98 * s["listed"][1]
    # the one extra: "(Jha et al., 2012)" names the listed Jha 2012 (one author), while the article's own
    # link goes to a Jha et al. entry its XML gives no year; no statistic is read as a citation
    assert s["extra_refs"] <= 1 and s["punctuation_rows"] == 0


def _line(part, s):
    return (f"{part:<9}: {s['cited']} cited claims; top-1 {s['top1']:.3f} top-3 {s['top3']:.3f} "
            f"(random {s['random_top1']:.3f} / {s['random_top3']:.3f}); links recall {s['recall']:.3f} precision "
            f"{s['precision']:.3f}; uncited claims linked to nothing {s['uncited_unlinked']:.3f} of {s['uncited']}; "
            f"cited sentences not scored as claims {s['cited_nonclaim']}")


def test_inferred_links_on_real_articles_beat_chance_on_the_untouched_part():
    articles = load(markers=False, names=TUNE + UNTOUCHED + FRESH)
    result = run(articles)
    by_name = {a.name: a for a in articles}
    scores = {}
    for part, names in (("tune", TUNE), ("untouched", UNTOUCHED), ("fresh", FRESH)):
        scores[part] = score_inferred([by_name[n] for n in names], result)
        print("\n" + _line(part, scores[part]))
    untouched = scores["untouched"]
    assert untouched["cited"] >= 100
    assert untouched["top1"] >= 3 * untouched["random_top1"] and untouched["top3"] >= 2 * untouched["random_top3"]
    # measured when the structure and the gate were chosen (on the tuning articles only): 0.517 / 0.728 / 0.798
    # with the cue scorer; with the learned claim model 0.481 / 0.721 / 0.753; with each reference weighed by its
    # best sentence (read by then, so no longer untouched) 0.552 / 0.766 / 0.751
    assert untouched["top1"] >= 0.52 and untouched["top3"] >= 0.74
    assert untouched["uncited_unlinked"] >= 0.5
    # the fresh set, first (and only) reading before any change was judged on it: 0.381 / 0.588 (random 0.086 /
    # 0.236), uncited claims linked to nothing 0.568 with a cap of 2 claims per reference in popular articles,
    # 0.365 without it (the cap is off: it unlinked most gold-cited claims of the samples in a full run); the
    # issue's bar of 0.50 / 0.75 is not met there
    fresh = scores["fresh"]
    assert fresh["cited"] >= 90 and fresh["uncited_unlinked"] >= 0.35
    assert fresh["top1"] >= 3 * fresh["random_top1"] and fresh["top3"] >= 2 * fresh["random_top3"]


def test_the_first_citation_order_is_found_from_scores_alone():
    from pipeline.linking.structure import first_citations

    # three references, four sentences: reference 3 scores best in sentence 2, but reference 2 is first
    # cited in sentence 3, so reference 3's first citation cannot come before it
    scores = [[0.9, 0.0, 0.0], [0.0, 0.1, 0.9], [0.0, 0.8, 0.2], [0.0, 0.0, 0.5]]
    assert first_citations(scores) == [0, 2, 3]


def test_an_unnumbered_or_alphabetical_list_is_not_taken_for_citation_order():
    from pipeline.linking.structure import citation_ordered
    from pipeline.models import Author, Reference

    def refs(names, numbered):
        return [Reference("a", f"R{i}", i, n, (Author(n, "A"),), number=str(i) if numbered else "")
                for i, n in enumerate(names, start=1)]
    shuffled = ["Smith", "Adams", "Young", "Baker", "Moore", "Clark"]
    assert citation_ordered(refs(shuffled, True))
    assert not citation_ordered(refs(shuffled, False))
    assert not citation_ordered(refs(sorted(shuffled), True))


def test_a_research_article_is_told_from_its_headings():
    from pipeline.linking.calibration import research_article

    assert research_article(["Introduction", "Materials and Methods", "Results", "Discussion"])
    assert not research_article(["Fundamentals", "Intermediate", "Academic"])


def test_paragraph_neighbours_blend_only_within_a_paragraph():
    from pipeline.linking.structure import neighbours

    scores = [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    blended = neighbours(scores, ["B1", "B1", "B2"], 0.5)
    assert blended[1] == [0.5, 0.0]   # the B2 sentence is not its neighbour
    assert blended[2] == [0.0, 1.0]   # alone in its paragraph: unchanged


def test_each_reference_is_weighed_by_its_own_best_sentence():
    from pipeline.linking.structure import column_scaled

    # reference 0 matches every sentence a little (a broad title), reference 1 matches one sentence only:
    # in that sentence reference 1 comes first once each column is weighed by its own best score
    scores = [[0.30, 0.25], [0.40, 0.00], [0.40, 0.05]]
    scaled = column_scaled(scores, 1.0)
    assert scaled[0][1] > scaled[0][0] and scaled[1] == [0.40, 0.0]
    assert all(0.0 <= s <= 1.0 for row in scaled for s in row)
    assert column_scaled(scores, 0.0) == scores
    assert column_scaled([[0.0, 0.0]], 1.0) == [[0.0, 0.0]]  # nothing matches: nothing moves


def test_the_popular_article_cap_when_set_links_at_most_that_many_claims_per_listed_reference():
    from dataclasses import replace

    from pipeline.linking.stage import CALIBRATED, link_claims
    from pipeline.models import Author, Claim, Reference

    refs = [Reference("a", "R1", 1, "Smith, A. (2001). Sleep loss raises appetite.", (Author("Smith", "A"),),
                      year=2001, title="Sleep loss raises appetite")]
    claims = [Claim("a", f"C{i}", f"B{i}", i, "", "", f"Sleep loss raises appetite in case {i}.", 0.9, True)
              for i in range(5)]
    result = link_claims(claims, refs, embedder=False, settings=CALIBRATED["lexical"])
    assert sum(bool(link.linked_refs) for link in result.links) == 5  # off by default: a popular article's
    capped = replace(CALIBRATED["lexical"], claims_per_reference_popular=2.0)  # claims all rest on its sources
    result = link_claims(claims, refs, embedder=False, settings=capped)
    assert sum(bool(link.linked_refs) for link in result.links) == 2


@pytest.mark.parametrize("sentence, expected", [
    ("Life is built from a few molecules (Lehninger 1975, p 21).", ["R1"]),          # a page locator
    ("Light is not the limit (Ravens et al. 2000).", ["R2"]),                       # misspelt by a letter
    ("A hinge was found (Deaton and Case, 2009).", ["R3"]),                         # two authors swapped
    ("Child mortality fell (United Nations, 2011).", ["R4"]),                       # first part of a group name
    ("Nothing like it (Rave et al. 2000).", []),                                    # too short to call a misspelling
])
def test_author_year_markers_that_real_articles_write_loosely(sentence, expected):
    from pipeline.linking.markers import find_markers
    from pipeline.models import Author, Reference

    refs = [Reference("a", "R1", 1, "Lehninger AL (1975) Biochemistry.", (Author("Lehninger", "AL"),), year=1975),
            Reference("a", "R2", 2, "Raven JA, Kubler JE (2000) Put out the light.",
                      (Author("Raven", "JA"), Author("Kubler", "JE")), year=2000),
            Reference("a", "R3", 3, "Case A, Deaton A (2009) Health in Udaipur.",
                      (Author("Case", "A"), Author("Deaton", "A")), year=2009),
            Reference("a", "R4", 4, "United Nations, Population Division (2011) World Population Prospects.",
                      (Author("United Nations, Population Division", ""),), year=2011)]
    assert [r for m in find_markers(sentence, refs) for r in m.ref_ids] == expected
