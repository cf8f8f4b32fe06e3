"""Fit the labeller's whole-reference gate (crf_parse.GATE) on a fold its model never saw.

Consumes a model fitted without AnyStyle's gate fold (`index % 5 == 3`, besides the held-out and untouched
parts) and that fold's journal articles; produces the GATE threshold: the lowest probability of the whole
labelling at which the `parsed` rows left are >= TARGET fully right (the other rows become `partial`).
Prints, per candidate threshold, how many rows stay `parsed` and how many of them are fully right.
"""
from __future__ import annotations

import re
from pathlib import Path

from anystyle_data import gold_fields, load_sequences, raw_and_spans
from evaluate import CORE, got, norm

TARGET = 0.975


def is_gate_fold(index: int) -> bool:
    return index % 5 == 3


def readings(model: Path) -> list[tuple[float, bool, bool]]:
    """(probability, parsed before the gate, every core field right) per journal article of the gate fold;
    the probability of a reference whose two readings agree fully is 1.0 (the gate never applies to it)."""
    from pipeline.references import crf_labeller, crf_parse
    from pipeline.references.stage import parse_reference

    seen = []

    def label(text, hints=(), path=model):
        result = crf_labeller.label(text, hints, path)
        seen.append(result.probability)
        return result

    def agree(reference, fields):
        if agreed := kept_agree(reference, fields):
            seen.append(1.0)
        return agreed

    def arbitrate(*args):
        journal_path.append(True)  # only journal readings pass the gate; rules' readings kept are not gated
        return kept_arbitrate(*args)

    journal_path = []
    crf_parse.label, kept_gate, kept_agree, kept_arbitrate = label, crf_parse.GATE, crf_parse.agree_fully, \
        crf_parse._arbitrate
    crf_parse.GATE, crf_parse.agree_fully, crf_parse._arbitrate = 0.0, agree, arbitrate
    out = []
    try:
        for index, pieces in enumerate(load_sequences()):
            if not is_gate_fold(index) or not any(name == "journal" for name, _ in pieces):
                continue
            seen.clear()
            journal_path.clear()
            reference = parse_reference(raw_and_spans(pieces)[0])
            gold, mine = gold_fields(pieces), got(reference)
            right = all(norm(mine[f]) == norm(gold[f]) for f in CORE)
            probability = seen[-1] if seen and journal_path else 1.0
            out.append((probability, reference.parse_status.value == "parsed", right))
    finally:
        crf_parse.label, crf_parse.GATE, crf_parse.agree_fully = crf_labeller.label, kept_gate, kept_agree
        crf_parse._arbitrate = kept_arbitrate
    return out


def choose(rows: list[tuple[float, bool, bool]]) -> float:
    """The lowest threshold whose `parsed` rows are >= TARGET fully right (1.0 when none is)."""
    best = 1.0
    for threshold in sorted({round(p, 3) for p, _, _ in rows} | {0.0}, reverse=True):
        kept = [right for p, parsed, right in rows if parsed and p >= threshold]
        if kept and sum(kept) / len(kept) >= TARGET:
            best = threshold
        elif len(kept) > 10:
            break
    for threshold in (0.0, 0.5, 0.8, 0.9, 0.95, best):
        kept = [right for p, parsed, right in rows if parsed and p >= threshold]
        print(f"  gate {threshold:.3f}: parsed {len(kept)} of {len(rows)}, fully right "
              f"{sum(kept) / max(len(kept), 1):.3f}")
    return best


def write(threshold: float, module: Path) -> None:
    text = module.read_text(encoding="utf-8")
    module.write_text(re.sub(r"(?m)^GATE = .*$", f"GATE = {threshold:.3f}", text), encoding="utf-8")
