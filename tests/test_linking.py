"""The linking stage: explicit markers resolve exactly; without markers, content ranking is
measured on the gold set in tests/data/linking (tuned and held-out parts printed apart), and
claims labelled as resting on no listed reference are reported with their precision.

The lexical ranking is always tested; the embedding model is optional (extra `embed`) and its
test skips, with the reason shown by `pytest -ra`, when it is not installed.
"""
from __future__ import annotations

import pytest

from pipeline.linking import embeddings
from pipeline.ingest.stage import ingest_html
from pipeline.linking.lexical import expand, find_abbreviations
from pipeline.linking.stage import CALIBRATED, link_claims
from pipeline.linking.markers import find_markers, strip_markers
from pipeline.models import Author, Check, Claim, CrossrefWork, LinkMethod, ParseStatus, Reference, Support, Verdict
from tests.data.linking.gold import load_gold, marker_accuracy, score, unlinked_score


def _ref(ref_id, family, year, title, second=None, number="", raw=""):
    authors = (Author(family, "A."),) + ((Author(second, "B."),) if second else ())
    return Reference("a", ref_id, 1, raw or f"{family} ({year}). {title}.", authors, False, year, title,
                     "Journal", parse_status=ParseStatus.PARSED, number=number)


REFS = [
    _ref("R1", "Kahn", 2006, "Mechanisms linking obesity to insulin resistance", second="Hull"),
    _ref("R2", "Pedersen", 2012, "Muscles, exercise and obesity", second="Febbraio"),
    _ref("R3", "Shulman", 2000, "Cellular mechanisms of insulin resistance"),
    _ref("R4", "Spiegel", 2004, "Leptin levels are dependent on sleep duration", raw="Spiegel, K. (2004a). Leptin."),
    _ref("R5", "Spiegel", 2004, "Sleep curtailment in healthy young men", raw="Spiegel, K. (2004b). Sleep."),
    _ref("R6", "Van Cauter", 1999, "Impact of sleep debt"),
]


def _resolved(sentence, refs=REFS):
    return [ref for marker in find_markers(sentence, refs) for ref in marker.ref_ids]


# --- explicit markers ---------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, expected", [
    ("Insulin resistance follows obesity [1].", ["R1"]),
    ("Several mechanisms are known [1-3].", ["R1", "R2", "R3"]),
    ("Several mechanisms are known [1–3].", ["R1", "R2", "R3"]),
    ("Two reviews agree [1,4].", ["R1", "R4"]),
    ("Two reviews agree [2, 5-6].", ["R2", "R5", "R6"]),
    ("Muscle secretes myokines².", ["R2"]),
    ("Muscle secretes myokines¹⁻³.", ["R1", "R2", "R3"]),
    ("Obesity drives it (Kahn et al., 2006).", ["R1"]),
    ("Kahn and Hull (2006) showed this.", ["R1"]),
    ("Kahn et al. (2006) showed this.", ["R1"]),
    ("Exercise helps (Pedersen & Febbraio 2012; Shulman 2000).", ["R2", "R3"]),
    ("Leptin falls (Spiegel et al., 2004a).", ["R4"]),
    ("Hunger rises (Spiegel et al., 2004b).", ["R5"]),
    ("Sleep debt matters (Van Cauter, 1999).", ["R6"]),
])
def test_markers_resolve_exactly(sentence, expected):
    assert _resolved(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "About 10⁶ cells were counted.",          # a power, not a citation
    "In 2006 the rate doubled (see Table 1).",
    "The trial ran from 1999 to 2004.",
    "Smith (2010) found something else.",     # names nothing listed: resolves to nothing
])
def test_non_markers_and_unknown_citations_link_nothing(sentence):
    assert _resolved(sentence) == []


def test_markers_naming_nothing_listed_are_noted_and_do_not_link():
    claim = Claim("a", "C1", "B1", 1, "", "", "This was shown long ago [9].", 0.9, True)
    result = link_claims([claim], REFS, embedder=False)
    assert "[9]" in " ".join(result.notes)
    assert result.links[0].link_method is not LinkMethod.MARKER


def test_strip_markers_keeps_the_words():
    assert strip_markers("Exercise helps (Pedersen & Febbraio 2012; Shulman 2000).") == "Exercise helps."
    assert strip_markers("Kahn and Hull (2006) showed this [1, 3].") == "Kahn and Hull showed this."


def test_html_superscripts_link_through_ingest_even_when_the_splitter_cuts_them_off():
    html = """<html><body><article><h1>Sleep and appetite</h1>
<p>Two nights of short sleep lowered leptin in young men<sup>1</sup>. People sleeping five hours had a higher
body mass index<sup>2,3</sup>. Misaligned body clocks raised post-meal glucose<sup>1–3</sup>.</p>
<h2>References</h2><ol>
<li>Spiegel K, Tasali E. Sleep curtailment in healthy young men is associated with decreased leptin levels. Ann Intern Med. 2004;141(11):846-850.</li>
<li>Taheri S, Lin L. Short sleep duration is associated with reduced leptin and increased body mass index. PLoS Med. 2004;1(3):e62.</li>
<li>Scheer FA, Hilton MF. Adverse metabolic and cardiovascular consequences of circadian misalignment. Proc Natl Acad Sci USA. 2009;106(11):4453-4458.</li>
</ol></article></body></html>"""
    from pipeline.claims.stage import extract_claims
    from pipeline.references.stage import parse_references

    document = ingest_html(html, "sup-sample")
    references = parse_references(document.blocks)
    claims = extract_claims([document])
    result = link_claims(claims, references, (), document.blocks, embedder=False)
    by_start = {c.sentence[:12]: link for c, link in zip(claims, result.links) if c.is_claim}
    assert by_start["Two nights o"].linked_refs == ("R1",)
    assert by_start["People sleep"].linked_refs == ("R2", "R3")
    assert by_start["Misaligned b"].linked_refs == ("R1", "R2", "R3")
    assert {by_start[k].link_method for k in by_start} == {LinkMethod.MARKER}


def test_explicit_markers_of_the_gold_set_resolve_100_percent():
    gold = load_gold(markers=True)
    result = link_claims(gold.claims, gold.references, (), gold.blocks, embedder=False)
    exact, total = marker_accuracy(result, gold)
    print(f"\nexplicit markers: {exact}/{total} marked gold claims resolved exactly")
    assert total >= 40 and exact == total


# --- abbreviations and context ------------------------------------------------------------------

def test_abbreviations_the_article_defines_are_expanded():
    text = ("High-intensity interval training (HIIT) and resistance training (RT) both activate "
            "AMP-activated protein kinase (AMPK), which moves glucose transporter type 4 (GLUT4).")
    found = find_abbreviations([text])
    assert found == {"HIIT": "High-intensity interval training", "RT": "resistance training",
                     "AMPK": "AMP-activated protein kinase", "GLUT4": "glucose transporter type 4"}
    assert expand("HIIT beats RT", found) == "HIIT High-intensity interval training beats RT resistance training"


def test_an_abbreviation_defined_elsewhere_in_the_article_links_the_claim():
    refs = [_ref("R1", "Gibala", 2006, "Short-term sprint interval versus traditional endurance training"),
            _ref("R2", "Hardie", 2012, "AMP-activated protein kinase: a nutrient and energy sensor")]
    from pipeline.models import Block, BlockKind
    block = Block("a", "B1", 1, 1, BlockKind.BODY, True, "", "", "", "AMP-activated protein kinase (AMPK) senses energy.",
                  "AMP-activated protein kinase (AMPK) senses energy.")
    claim = Claim("a", "C1", "B2", 2, "", "", "AMPK is switched on when cellular fuel runs low.", 0.9, True)
    refs = [Reference(**{**r.__dict__, "article": "a"}) for r in refs]
    result = link_claims([claim], refs, (), [block], embedder=False)
    assert result.rankings["C1"][0][0] == "R2"


def test_crossref_subjects_and_abstract_count_only_for_a_confirmed_work():
    refs = [_ref("R1", "Alpha", 2010, "A cohort study"), _ref("R2", "Beta", 2011, "A cohort study")]
    work = CrossrefWork("10.1/x", "A cohort study", abstract="Ghrelin and leptin after sleep curtailment.")
    claim = Claim("a", "C1", "B1", 1, "", "", "Short sleep raised ghrelin and lowered leptin.", 0.9, True)
    for verdict, expected_first in ((Verdict.VERIFIED, "R2"), (Verdict.NOT_FOUND, "R1")):
        check = Check("a", "R2", verdict, work=work)
        result = link_claims([claim], refs, [check], embedder=False)
        assert result.rankings["C1"][0][0] == expected_first


# --- per-claim and per-reference outputs --------------------------------------------------------

def test_best_ref_verdict_counts_and_unlinked_references():
    claims = [Claim("a", "C1", "B1", 1, "", "", "Obesity causes insulin resistance [1].", 0.9, True),
              Claim("a", "C2", "B1", 1, "", "", "Think of your body as a garden.", 0.1, False)]
    checks = [Check("a", "R1", Verdict.NOT_FOUND)]
    result = link_claims(claims, REFS, checks, embedder=False)
    first, second = result.links
    assert first.best_ref_verdict == "not_found" and first.support is Support.SUPPORTED
    assert result.scored == (True, False) and ("a", "C2") not in result.scored_links()
    assert result.ref_link_counts[("a", "R1")] == 1
    assert ("a", "R3") in result.unlinked_refs and ("a", "R1") not in result.unlinked_refs


def test_without_the_model_linking_goes_lexical_and_says_so_once(monkeypatch):
    monkeypatch.setattr(embeddings, "_load", lambda: (None, "embedding model not installed (test)"))
    claims = [Claim("a", f"C{i}", "B1", 1, "", "", "Insulin resistance has cellular mechanisms.", 0.9, True)
              for i in range(3)]
    result = link_claims(claims, REFS)
    assert [n for n in result.notes if "lexical relevance only" in n] == [
        "embedding model not installed (test): linking on lexical relevance only"]
    assert all(link.link_method is LinkMethod.INFERRED for link in result.links)


# --- inferred links on the gold set -------------------------------------------------------------

def _report(label, result, gold):
    for part in ("tune", "heldout"):
        s = score(result, gold, gold.select(part))
        print(f"\n{label} {part:<7}: {s['claims']} claims / {s['links']} links; ranking top-1 {s['rank_top1']:.2f} "
              f"top-3 {s['rank_top3']:.2f}; linked top-1 {s['linked_top1']:.2f} top-3 {s['linked_top3']:.2f}; "
              f"unsupported precision {s['unsupported_precision']:.2f} recall {s['unsupported_recall']:.2f} "
              f"(n={s['unsupported_labelled']})")
        u = unlinked_score(result, gold, part)
        print(f"{label} {part:<7}: references no claim links to: {u['reported']} reported, {u['padding']} uncited "
              f"in the gold set; precision {u['precision']:.2f} recall {u['recall']:.2f}")
    return score(result, gold, gold.select("heldout"))


def test_gold_set_is_large_enough_and_has_a_heldout_part():
    gold = load_gold()
    with_gold = [g for g in gold.labelled if g.gold]
    assert sum(len(g.gold) for g in with_gold) >= 50
    assert len(gold.select("heldout")) >= 30 and any(g.unsupported for g in gold.select("heldout"))


def test_lexical_linking_on_the_gold_set():
    gold = load_gold()
    result = link_claims(gold.claims, gold.references, (), gold.blocks, embedder=False,
                         settings=CALIBRATED["lexical"])
    heldout = _report("lexical ", result, gold)
    assert heldout["rank_top3"] >= 0.8
    assert heldout["linked_top3"] >= 0.8
    assert heldout["unsupported_precision"] >= 0.6  # measured 0.75 (3 of 4) when the thresholds were set


def test_embedding_linking_on_the_gold_set():
    embedder = embeddings.load_embedder()
    if embedder is None:
        pytest.skip(f"embedding model unavailable: {embeddings.embedder_status()}")
    gold = load_gold()
    for mode in ("embedding", "combined"):
        result = link_claims(gold.claims, gold.references, (), gold.blocks, embedder=embedder,
                             settings=CALIBRATED[mode])
        heldout = _report(f"{mode:<8}", result, gold)
        assert heldout["rank_top3"] >= 0.8 and heldout["linked_top3"] >= 0.8


def test_a_narrative_citation_naming_every_author_resolves_to_its_entry():
    """APA's first citation of a work names up to twenty authors: "Ferraro, Taylor, Gambaro and
    Curhan (2013)" must resolve to Ferraro 2013, not be read as "Gambaro and Curhan"."""
    refs = [Reference("a", "R1", 1, "x", (Author("Ferraro", "P"), Author("Taylor", "E"), Author("Gambaro", "G"),
                                         Author("Curhan", "G")), year=2013),
            Reference("a", "R2", 2, "y", (Author("Gambaro", "G"), Author("Curhan", "G")), year=2013)]
    assert [m.ref_ids for m in find_markers("Ferraro, Taylor, Gambaro and Curhan (2013) found it.", refs)] == [("R1",)]
    assert [m.ref_ids for m in find_markers("It was found (Ferraro, Taylor, Gambaro, & Curhan, 2013).", refs)] == [("R1",)]
    assert [m.ref_ids for m in find_markers("Gambaro and Curhan (2013) found it.", refs)] == [("R2",)]
    assert [m.ref_ids for m in find_markers("Ferraro, Gambaro and Curhan (2013) found it.", refs)] == [()]  # not its authors


# --- marker bugs seen on real articles (issue 18) -------------------------------------------------

NUMBERED = [_ref(f"R{i}", f"Author{i}", 2000 + i, f"Title {i}", number=str(i)) for i in range(1, 16)]


@pytest.mark.parametrize("sentence", [
    "SD rose with MLT (F[1,12] = 8.42, p = 0.0133).",       # a statistic's degrees of freedom
    "A quadratic fit, F[2,4] = 12.87, was significant.",
    "The difference held (t[12] = 2.10).",
    "Scores were rescaled to [0, 1] before pooling.",        # an interval
    "Indices x[1-3] were summed.",                           # a formula's subscript range
])
def test_statistics_and_formulas_are_not_markers(sentence):
    assert _resolved(sentence, NUMBERED) == []
    assert strip_markers(sentence).startswith(sentence.split("[")[0].strip())


def test_a_dash_between_bracketed_markers_cites_the_whole_range():
    assert _resolved("Outbreaks were reported [4]–[7].", NUMBERED) == ["R4", "R5", "R6", "R7"]
    assert strip_markers("Outbreaks were reported [4]–[7].") == "Outbreaks were reported."


def test_a_bare_year_after_a_citation_belongs_to_its_authors():
    refs = [_ref("R1", "Lee", 2003, "First"), _ref("R2", "Lee", 2005, "Second"), _ref("R3", "Kim", 2005, "Other")]
    assert _resolved("It was shown twice (Lee et al. 2003; 2005).", refs) == ["R1", "R2"]
    assert strip_markers("It was shown twice (Lee et al. 2003; 2005).") == "It was shown twice."


@pytest.mark.parametrize("written", ["2004a, b", "2004a/b", "2004a,b"])
def test_suffix_letters_after_one_year_name_each_entry_once(written):
    assert _resolved(f"Leptin falls (Spiegel et al., {written}).") == ["R4", "R5"]


def test_a_suffixed_year_picks_one_of_two_same_author_same_year_entries():
    assert _resolved("Leptin falls (Spiegel et al., 2004a; Van Cauter, 1999).") == ["R4", "R6"]
