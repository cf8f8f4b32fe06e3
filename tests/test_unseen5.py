"""Issue 17, held-out round: excerpts of the samples' site written by a helper session apart from the
code (tests/data/unseen5, copied from /work/wt/unseen17 after the tuning on unseen4 and on table
sets 1-10 was committed; see its README), measured like test_unseen4.py.

FIRST READING (measured once, code at 785f88c, nothing tuned on this set): blocks 100/102; tooltips removed with
  the host rejoined 19/22 (rows 21/22, one definition became a claim); body sentences kept whole 106/111;
  captions 11/11; pull-quotes 9/11 (missed: dhea-adrenal-aging line 13, serotonin-winter-mood line 15);
  holes 7/13 (missed 'the until', 'the because', 'inner of', 'the when', 'on in', 'your has'); clean
  sentences flagged 1/98 ('Leptin acts ...', read as a determiner with no head noun).
  Bar: tooltips >= 95% NOT met (86%), body kept >= 98% NOT met (95.5%), captions met, pull-quotes 100%
  NOT met, holes >= 11/13 NOT met, <= 1 false flag met.

TUNED (after that reading, general fixes each with dev tests in test_tooltips / test_hole_shapes /
test_pullquotes): a definition's full stop followed by the host's own (" . It starts"), a definition
giving the term's acronym before its verb ("X (GnRH) is"), a quoted line with a dash attribution set off
between paragraphs, "my/your/our/their" the tagger read as a pronoun, an article before a subordinator
("the until", "the when"), and a capitalised name tagged as an adjective before its own verb ("Leptin
acts") left alone: blocks 102/102, tooltips 22/22 (rows 22/22, definitions as claims 0), body sentences
kept whole 111/111, captions 11/11, pull-quotes 11/11, holes 11/13 (still missed: 'inner of', 'on in'),
clean sentences flagged 0/98. This set is tuned on from here: it is no longer a held-out measure.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims.stage import extract_claims
from pipeline.ingest.stage import ingest_path
from tests.test_unseen4 import measure_all

DATA = Path(__file__).resolve().parent / "data" / "unseen5"
NAMES = sorted(p.stem for p in DATA.glob("*.txt"))


@pytest.fixture(scope="module")
def runs():
    documents = {name: ingest_path(DATA / f"{name}.txt") for name in NAMES}
    claims = extract_claims(list(documents.values()))
    return {name: (doc, [c for c in claims if c.article == name]) for name, doc in documents.items()}


def test_held_out_tooltip_excerpts_against_their_labels(runs):
    totals = measure_all(runs, DATA)
    # floors at the tuned reading (the first, untuned reading is in the docstring)
    for key in ("blocks", "tooltips", "tooltip_rows", "body_sentences_kept_whole", "captions", "pull_quotes"):
        assert totals[key][0] == totals[key][1], (key, totals[key])
    assert totals["holes"][0] >= 11
    assert totals["clean_sentences_flagged"][0] == 0 and totals["definitions_as_claims"] == 0
