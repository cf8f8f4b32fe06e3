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
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims.stage import extract_claims
from pipeline.ingest.stage import ingest_path
from tests.test_unseen import load_labels
from tests.test_unseen4 import measure

DATA = Path(__file__).resolve().parent / "data" / "unseen5"
NAMES = sorted(p.stem for p in DATA.glob("*.txt"))


@pytest.fixture(scope="module")
def runs():
    documents = {name: ingest_path(DATA / f"{name}.txt") for name in NAMES}
    claims = extract_claims(list(documents.values()))
    return {name: (doc, [c for c in claims if c.article == name]) for name, doc in documents.items()}


def measure_all(runs) -> dict:
    """Every count of test_unseen4.measure summed over the excerpts, with each excerpt's misses printed."""
    totals = {}
    for name in NAMES:
        result = measure(*runs[name], load_labels(DATA, name))
        print(f"\n{name}: " + ", ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, tuple) else f"{k} {v}"
                                        for k, v in result.items() if isinstance(v, (tuple, int))))
        for key in ("disagreements", "missed_holes", "false_flags"):
            for item in result[key]:
                print(f"  {key}: {item}")
        for key, value in result.items():
            if isinstance(value, tuple):
                a, b = totals.get(key, (0, 0))
                totals[key] = (a + value[0], b + value[1])
            elif isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
    print("\nall: " + ", ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, tuple) else f"{k} {v}"
                                for k, v in totals.items()))
    return totals


def test_held_out_tooltip_excerpts_against_their_labels(runs):
    totals = measure_all(runs)
    # floors at the first reading (not tuned to)
    assert totals["blocks"][0] >= 100 and totals["tooltips"][0] >= 19 and totals["tooltip_rows"][0] >= 21
    assert totals["body_sentences_kept_whole"][0] >= 106 and totals["captions"][0] == 11
    assert totals["pull_quotes"][0] >= 9 and totals["holes"][0] >= 7
    assert totals["clean_sentences_flagged"][0] <= 1 and totals["definitions_as_claims"] <= 1
