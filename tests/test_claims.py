"""The claims stage: claim/not-claim accuracy of the learned check-worthiness model on labelled
sentences (trained-on and untouched parts apart, and held-out debates from ClaimBuster when
../shared is present), the kind and reasons in `cues`, scraping damage found in the exercise sample without false flags on clean text,
sentence splitting around abbreviations, stable ids."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.claims.stage import claim_id, extract_claims
from pipeline.claims.model import score_claim, threshold
from pipeline.ingest.stage import ingest_path, ingest_text
from pipeline.nlp import load_nlp
from pipeline.claims.scrape_damage import find_damage
from tests.conftest import RAW

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def nlp():
    return load_nlp(disable=("ner",))


@pytest.fixture(scope="module")
def sample_claims():
    documents = [ingest_path(RAW / f"{name}.txt") for name in
                 ("insulin-resistance-lifestyle", "exercise-metabolic-dysregulation")]
    return extract_claims(documents)


def _load(name):
    with open(DATA / "claims" / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _prf(entries, nlp):
    tp = fp = fn = 0
    for entry in entries:
        predicted = score_claim(nlp(entry["sentence"])[:])[0] >= threshold()
        tp += predicted and entry["claim"]
        fp += predicted and not entry["claim"]
        fn += (not predicted) and entry["claim"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_claim_detection_trained_and_untouched(nlp):
    # samples.jsonl and untuned.jsonl are the health part of the model's training data (and were
    # read while the cue lexicons grew); heldout_b.jsonl (other topics) and heldout_c.jsonl (health
    # news and explainer prose, written before any run) were never fitted or tuned on.
    tuned, leaked, untuned = _load("samples.jsonl"), _load("untuned.jsonl"), _load("heldout_b.jsonl")
    news = _load("heldout_c.jsonl")
    assert len(tuned) >= 60 and len(untuned) >= 60 and len(news) >= 150
    results = {}
    for label, entries in (("samples (trained on)", tuned), ("set A, other topics (trained on)", leaked),
                           ("set B, other topics (never tuned on)", untuned),
                           ("set C, health news and explainers (never tuned on)", news)):
        results[label] = _prf(entries, nlp)
        print(f"\nclaims, {label}: {len(entries)} sentences, precision {results[label][0]:.3f} "
              f"recall {results[label][1]:.3f} F1 {results[label][2]:.3f}")
    assert results["set B, other topics (never tuned on)"][2] >= 0.95


def test_damage_on_holes_written_apart(nlp):
    """Holes written on other topics: the tuning set was read while the rules grew, the held-out
    set never was. The issue's bar is on the sample; this shows how the rules generalise."""
    for label, name, floor in (("tuning", "damage_tuning.jsonl", 0.9), ("held-out", "damage_heldout.jsonl", 0.8)):
        entries = _load(name)
        found = sum(bool(find_damage(nlp(e["sentence"]))) for e in entries)
        print(f"\ndamage, {label} holes: {found} of {len(entries)} found")
        assert found / len(entries) >= floor


def test_every_labelled_hole_is_found(sample_claims):
    labels = json.loads((DATA / "claims" / "damage-labels.json").read_text(encoding="utf-8"))["holes"]
    flagged = [(c.source_line, d) for c in sample_claims if c.article == "exercise-metabolic-dysregulation"
               for d in c.scrape_damage]
    for line, words in labels:
        assert any(l == line and f"'{words}')" in d for l, d in flagged), (line, words)
    assert len(flagged) == len(labels)
    damaged = [c for c in sample_claims if c.scrape_damage]
    assert all(c.sentence for c in damaged)  # damaged claims stay in the table, flagged


def test_false_damage_flags_on_clean_text(sample_claims, nlp):
    clean_sample = [c for c in sample_claims if c.article == "insulin-resistance-lifestyle"]
    own = [e["sentence"] for name in ("untuned.jsonl", "heldout_b.jsonl", "damage_clean_tuning.jsonl")
           for e in _load(name)]
    for name in ("caption_heldout.json", "caption_heldout_b.json", "caption_heldout_c.json"):
        own += json.loads((DATA / "ingest" / name).read_text(encoding="utf-8"))["bodies"]
    sentences = [s for doc in nlp.pipe(own) for s in doc.sents]
    false_flags = sum(1 for c in clean_sample if c.scrape_damage) + sum(1 for s in sentences if find_damage(s))
    total = len(clean_sample) + len(sentences)
    print(f"\ndamage: {false_flags} false flags in {total} clean sentences")
    assert false_flags <= total / 100


def test_abbreviations_and_decimals_never_split(nlp):
    text = ("Kahn et al. showed that 2.5 mg doses vs. placebo lowered glucose, e.g. in Fig. 2 of the report. "
            "Dr. Smith agreed, i.e. the U.S. data hold. A second sentence follows.")
    assert [s.text for s in nlp(text).sents] == [
        "Kahn et al. showed that 2.5 mg doses vs. placebo lowered glucose, e.g. in Fig. 2 of the report.",
        "Dr. Smith agreed, i.e. the U.S. data hold.",
        "A second sentence follows.",
    ]


def test_rows_ids_and_what_never_becomes_a_claim(sample_claims):
    assert len({c.claim_id for c in sample_claims}) == len(sample_claims)
    rows = [c for c in sample_claims if c.cues[:1] == ("table row",)]
    assert len(rows) == 17 and all(c.is_claim for c in rows)
    assert rows[0].sentence.startswith("Lifestyle Factor: Dietary Adjustments; Primary Mechanism of Action:")
    texts = " ".join(c.sentence for c in sample_claims)
    for never in ("Cellular inattention to insulin’s signals creates a systemic imbalance",  # pull-quote
                  "A white root symbolizes",  # caption
                  "Meaning", "Kelley, D. E."):  # glossary, reference
        assert never not in texts
    hedged = next(c for c in sample_claims if c.sentence.startswith("This sustained elevation of insulin"))
    assert "hedge" in hedged.cues and hedged.is_claim


def test_claim_ids_survive_edits_elsewhere():
    before = extract_claims([ingest_text("Heading One\n\nInsulin lowers blood glucose. Exercise raises GLUT4.\n", "a")])
    after = extract_claims([ingest_text("Heading One\n\nA new first sentence about sleep. Insulin lowers blood "
                                        "glucose. Exercise raises GLUT4.\n", "a")])
    assert {c.claim_id for c in before} <= {c.claim_id for c in after}
    assert claim_id("a", "Insulin  lowers blood glucose.") == claim_id("a", "insulin lowers blood glucose.")
    assert claim_id("a", "x") != claim_id("b", "x")


def test_markers_cut_off_by_the_splitter_stay_with_their_sentence():
    text = ("Heading\n\nInsulin lowers blood glucose in adults. [1–3]. Sleep loss raises cortisol. "
            "(Spiegel et al., 1999). Exercise raises GLUT4 in muscle [4].\n")
    sentences = [c.sentence for c in extract_claims([ingest_text(text, "a")])]
    assert sentences == ["Insulin lowers blood glucose in adults. [1–3].",
                         "Sleep loss raises cortisol. (Spiegel et al., 1999).",
                         "Exercise raises GLUT4 in muscle [4]."]
    # pages that print markers after the full stop: the marker opens the next "sentence"
    text = "Heading\n\nNetscape released the source code. [3] One day later, mozilla.org was registered. [4]\n"
    sentences = [c.sentence for c in extract_claims([ingest_text(text, "b")])]
    assert sentences == ["Netscape released the source code. [3]", "One day later, mozilla.org was registered. [4]"]


def test_claims_read_the_parses_ingest_made_and_give_the_same_claims():
    """Parse once: the caption detector's parses are kept in a ParseMemo and the claims stage
    takes them instead of parsing the same text again; the claims are the same."""
    import io

    from pipeline.claims import stage as claims_stage
    from pipeline.ingest.stage import ingest_bytes
    from pipeline.nlp import ParseMemo
    from pipeline.progress import Progress

    path = sorted(RAW.glob("*.txt"))[0]
    plain = extract_claims([ingest_path(path)])
    memo = ParseMemo()
    document = ingest_bytes(path.read_bytes(), path, memo=memo)
    parsed_by_ingest = set(memo.docs)
    texts = [b.text for b in claims_stage.claim_blocks([document])]
    assert sum(text in parsed_by_ingest for text in texts) >= len(texts) // 2  # most are not parsed again
    total = len(texts)
    progress = Progress("claims", total, stream=io.StringIO())
    assert extract_claims([document], memo=memo, progress=progress) == plain
    assert progress.done == total


@pytest.mark.parametrize("sentence, hole", [
    ("High doses of reduce the risk of relapse in most adults.", "'of reduce'"),
    ("In the standard account of , a fall in pressure raises renin release from the kidney.", "'of ,'"),
    ("The antibodies target the that line the stomach wall, which stops acid secretion.", "'the that'"),
    ("The usual outcome is , in which nerve fibres lose their insulating sheath.", "'is ,'"),
    ("Chronic inflammation raises , which in turn lowers iron absorption from the gut.", "'raises ,'"),
])
def test_hole_shapes_of_the_second_unseen_round(nlp, sentence, hole):
    """New sentences with the hole shapes the second unseen round missed (never its own wording)."""
    assert any(hole in d for d in find_damage(nlp(sentence))), find_damage(nlp(sentence))


@pytest.mark.parametrize("sentence", [
    "When ferritin is low, absorption of iron from food rises sharply.",
    "Pressure rose fastest where intake was high.",
    "That is, the kidney excretes more sodium when pressure rises.",
    "The good news is, most people recover their stores within three months.",
    "Blood glucose increases, prompting the pancreas to release insulin.",
    "The rise in pressure was small in people whose intake of salt was low.",
    "Most of the iron in the body is recycled from old red cells.",
])
def test_clean_sentences_near_those_shapes_stay_quiet(nlp, sentence):
    assert find_damage(nlp(sentence)) == ()


def test_a_narrative_citation_as_subject_is_not_a_hole(nlp):
    sentence = ("In two large cohorts of nurses, Smith, Jones, Brown and Lee (2015) found that tea drinkers "
                "formed fewer stones.")
    assert find_damage(nlp(sentence)) == ()


# false flags read on a page of the third unseen round and on the real pages in ../shared/corpus
# (new sentences of the same shapes)
QUIET_ON_REAL_PROSE = [
    "Risk depends on both how loud a sound is and how long you are exposed to it.",
    "The evidence is much weaker than for noise at work.",
    "Book a hearing test if you notice ringing in your ears or speech starts to sound muffled.",
    "That is why the WHO now calls for safe listening features in personal audio devices.",
    "An over-the-counter formulation is available in 60 mg capsules.",
    "The community has thousands of active contributors from across the globe.",
    "Build on and support existing local programs for older adults.",
]


@pytest.mark.parametrize("sentence", QUIET_ON_REAL_PROSE)
def test_clean_sentences_of_unseen_and_real_pages_stay_quiet(nlp, sentence):
    assert find_damage(nlp(sentence)) == ()


def test_a_sentence_cut_at_a_mid_sentence_marker_is_whole_again(nlp):
    """The splitter cut the real Wikipedia page's sentence before "[17]"; the marker moved back and
    "codec to play ..." stood as a sentence starting lowercase (a false damage flag)."""
    from pipeline.claims.stage import sentences_of

    text = ("At the end of 2013, Mozilla announced a deal with Cisco Systems whereby Firefox would download and "
            "use a Cisco-provided binary build of an open source [17] codec to play the proprietary H.264 video "
            "format. [18] [19] As part of the deal, Cisco would pay any patent licensing fees.")
    pieces = [span.text for span in sentences_of(nlp(text))]
    assert pieces[0].endswith("codec to play the proprietary H.264 video format. [18] [19]"), pieces
    assert pieces[1].startswith("As part of the deal")


def test_held_out_debates_rank_and_calibrate(nlp):
    """The debates the model never saw (bench/claims_heldout.md: whole debates by a hash of their
    File_id) rank check-worthy sentences first, and a score means what it says there."""
    from bench.train_claims import CROWD, debate_parts

    if not CROWD.exists():
        pytest.skip("../shared/benchmarks/check-worthiness is absent (the ClaimBuster data is not copied here)")
    import numpy as np

    from bench.claims_metrics import average_precision, prf

    test = debate_parts()["TEST"]
    y = np.array([label for _, label in test])
    scores = np.array([score_claim(doc[:])[0] for doc in nlp.pipe([text for text, _ in test], batch_size=256)])
    precision, recall, f1 = prf(y, scores >= threshold())
    ap = average_precision(y, scores)
    print(f"\nheld-out debates: {len(y)} sentences, precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} AP {ap:.3f}")
    assert ap >= 0.7 and f1 >= 0.6
    for low in (0.0, 0.2, 0.4, 0.6, 0.8):
        band = (scores >= low) & (scores < low + 0.2)
        assert abs(y[band].mean() - scores[band].mean()) < 0.1, low


def test_fresh_debates_leave_training_only_when_held_out():
    """The second round's untouched debates (bench/claims_heldout.md) are whole debates of TRAIN, and
    `--hold-out-fresh` takes every one of their sentences out of it and nothing else."""
    from bench.train_claims import CROWD, FRESH, debate_parts

    if not CROWD.exists():
        pytest.skip("../shared/benchmarks/check-worthiness is absent (the ClaimBuster data is not copied here)")
    whole, held = debate_parts(), debate_parts(hold_out_fresh=True)
    assert len(FRESH) == 5 and "FRESH" not in whole
    assert len(held["FRESH"]) == 2939 and len(held["TRAIN"]) + len(held["FRESH"]) == len(whole["TRAIN"])
    assert held["DEV"] == whole["DEV"] and held["TEST"] == whole["TEST"]


@pytest.mark.parametrize("sentence, kind", [
    ("About 38 percent of adults in the region had high blood pressure in 2019.", "statistic"),
    ("Smoking damages the lining of the arteries and raises the risk of stroke.", "causal or comparative claim"),
    ('"We found that the drug halved the rate of relapse," said Dr. Amir, who led the trial.', "quoted finding"),
    ("The health agency recommends that adults eat at least five portions of fruit a day.", "recommendation"),
    ("When my father had his first heart attack, I was twelve.", "personal anecdote"),
    ("I think the new rules are a mistake.", "opinion"),
])
def test_cues_name_the_kind_first_then_reasons_in_words(nlp, sentence, kind):
    score, cues = score_claim(nlp(sentence)[:])
    assert cues[0] == kind, cues
    assert all(c[:2] in ("+ ", "- ") for c in cues[1:] if c != "hedge"), cues
