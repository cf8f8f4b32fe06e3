"""The reference parser: field accuracy on a labelled corpus (printed per field, tuned and
held-out parts apart), the 20 sample references fully right, garbage kept with a reason."""
from __future__ import annotations

import pytest

from pipeline.ingest import ingest_path
from pipeline.models import ParseStatus
from pipeline.references import parse_reference, parse_references
from tests.conftest import RAW
from tests.refeval import accuracy, compare, load

PARTS = {
    "samples (tuned)": "samples.jsonl",
    "extra (tuned)": "tuned.jsonl",
    "held-out A (written before tuning)": "heldout.jsonl",
    "held-out B (written after tuning, never tuned on)": "heldout_b.jsonl",
}
# written before the parser was run on it; measured once before the fixes that followed (overall 0.785,
# 20/58 fully right), never tuned on: printed with the others, the bar applies to the parts above
HELD_OUT_C = {"held-out C (other fields and styles, read once before fixes)": "heldout_c.jsonl"}


def test_corpus_size_and_spread():
    entries = [e for name in PARTS.values() for e in load(name)] + load("garbage.jsonl")
    assert len(entries) >= 100
    areas = {e.get("area") for e in entries if "area" in e}
    assert {"medicine", "physics", "social science", "book", "web page"} <= areas
    held_out = len(load("heldout.jsonl")) + len(load("heldout_b.jsonl"))
    assert held_out > len(load("samples.jsonl")) + len(load("tuned.jsonl")) - held_out


def test_field_accuracy_per_part():
    overall = {}
    for label, name in {**PARTS, **HELD_OUT_C}.items():
        rates, total, wrong = accuracy(load(name))
        if label in PARTS:
            overall[label] = total
        print(f"\n{label}: {len(load(name))} references, overall field accuracy {total:.3f}")
        print("  " + ", ".join(f"{field} {rate:.2f}" for field, rate in sorted(rates.items())))
        for field, raw in wrong:
            print(f"  wrong {field}: {raw}")
    assert all(total >= 0.95 for total in overall.values()), overall


def test_every_sample_reference_is_parsed_fully_right():
    for entry in load("samples.jsonl"):
        assert all(compare(entry).values()), entry["raw"]
        assert parse_reference(entry["raw"]).parse_status == ParseStatus.PARSED


def test_garbage_is_kept_with_a_reason():
    for entry in load("garbage.jsonl"):
        reference = parse_reference(entry["raw"])
        assert reference.parse_status.value == entry["status"], entry["raw"]
        assert entry["note"] in reference.parse_note
        assert reference.raw == entry["raw"]


def test_references_from_the_samples_end_to_end():
    for name in ("insulin-resistance-lifestyle", "exercise-metabolic-dysregulation"):
        document = ingest_path(RAW / f"{name}.txt")
        references = parse_references(document.blocks)
        assert [r.ref_id for r in references] == [f"R{i}" for i in range(1, 11)]
        assert all(r.parse_status == ParseStatus.PARSED for r in references)
        assert all(r.article == name and r.source_line > 100 for r in references)
        assert "∞" in "".join(r.raw for r in references)  # the raw entry is kept as listed
        assert "∞" not in "".join(r.title for r in references)


@pytest.mark.parametrize("raw", ["", "((((", "2020", "doi:", "10.1000/", "“”", "Smith, (2020). .", "a" * 5000,
                                 "Kahn SE. . 2006;:.", "\x00\x01"])
def test_odd_strings_never_raise(raw):
    reference = parse_reference(raw)
    assert reference.raw == raw and reference.parse_status in ParseStatus
    assert parse_reference(raw) == reference  # deterministic


def test_real_pages_reference_lists_parse():
    from tests.conftest import SHARED_CORPUS

    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus (real pages) is absent on this machine")
    statuses = []
    for page in sorted(SHARED_CORPUS.glob("*.html")):
        references = parse_references(ingest_path(page).blocks)
        statuses.extend(r.parse_status for r in references)
        assert all(r.parse_note for r in references if r.parse_status != ParseStatus.PARSED)
    parsed = statuses.count(ParseStatus.PARSED) / len(statuses)
    print(f"\nreal pages: {len(statuses)} references, {parsed:.0%} parsed fully")
    assert len(statuses) == 128 and parsed >= 0.85
