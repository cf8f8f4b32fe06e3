"""Fit the reference labeller (pipeline/references/crf_model.crfsuite) and print held-out per-field figures.

Consumes AnyStyle's labelled references (../shared/benchmarks/reference-parsing/anystyle-core.xml, BSD-2),
the project's own labelled references (tests/data/references: samples and tuned parts only) and the
AnyStyle training part's journal articles re-written in other styles (bench/crf/synthetic.py, templates;
bench/crf/csl_rendered.py, citeproc-py with published CSL styles); the
held-out parts (bench/crf/SPLIT.md: AnyStyle index % 5 == 4, the project's heldout*.jsonl) are never
trained on. Produces the model file and prints, on the held-out parts, the rules alone beside the
learned parser: every core field of a journal article right, per field, `parsed` rows fully right.

    .venv/bin/python bench/train_references.py            # refit, then print the held-out figures
    .venv/bin/python bench/train_references.py --report   # only print the figures of the committed model
    ... --gate        # first fit the whole-reference gate on a fold left out (bench/crf/gate.py)
    ... --untouched   # also read the untouched parts (bench/crf/SPLIT.md; read only at the start and the end)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pycrfsuite

HERE = Path(__file__).resolve().parent / "crf"
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
MODEL = ROOT / "pipeline" / "references" / "crf_model.crfsuite"

from anystyle_data import SHARED, is_held_out, is_untouched, load_sequences, raw_and_spans  # noqa: E402
from pipeline.references.crf_features import features, rule_hints, tokenize  # noqa: E402
from pipeline.references.crf_parse import hints_of  # noqa: E402
from pipeline.references.stage import parse_by_rules  # noqa: E402


def token_labels(raw: str, spans: list[tuple[int, int, str]]):
    tokens = tokenize(raw)
    labels = []
    for token in tokens:
        label = next((name for start, end, name in spans if start <= token.start < end), "other")
        labels.append(label)
    return tokens, labels


STYLED = 2500  # recombined records rendered in CSL styles (bench/crf/styled.py)
ANYSTYLE_WEIGHT = 2  # each AnyStyle training sequence counted twice: hand-labelled, the closest to real lists


def training_pairs(extra=(), leave_out=lambda index: False):
    from csl_rendered import csl_pairs
    from journal_words import build
    from styled import styled_pairs
    from synthetic import synthetic_pairs

    pairs = []
    train = [pieces for index, pieces in enumerate(load_sequences())
             if not is_held_out(index) and not is_untouched(index) and not leave_out(index)]
    build(train)  # the features' journal-word lexicon, from these training sequences only
    pairs.extend(synthetic_pairs(train))
    pairs.extend(csl_pairs(train))
    pairs.extend(styled_pairs(train, STYLED))
    for pieces in train * ANYSTYLE_WEIGHT:
        raw, spans = raw_and_spans(pieces)
        tokens, labels = token_labels(raw, spans)
        pairs.append((raw, tokens, labels))
    pairs.extend(extra)
    return pairs


def fit(pairs, out: Path, c1=0.05, c2=0.01, iterations=200):
    trainer = pycrfsuite.Trainer(verbose=False)
    for index, (raw, tokens, labels) in enumerate(pairs):
        # every third reference without the rules' hints, so that the labeller reads the text itself
        # and does not follow the rules wherever they go wrong
        hints = rule_hints(raw, hints_of(parse_by_rules(raw))) if index % 3 else []
        trainer.append(features(raw, tokens, hints), labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    started = time.time()
    trainer.train(str(out))
    print(f"fitted on {len(pairs)} references in {time.time() - started:.0f} s -> {out}")


def fit_gate(extra) -> None:
    """A model without the gate fold, its readings of that fold, and crf_parse.GATE written from them."""
    import tempfile

    from gate import choose, is_gate_fold, readings, write

    model = Path(tempfile.gettempdir()) / "reference_gate_fold.crfsuite"  # kept for error analysis
    fit(training_pairs(extra, leave_out=is_gate_fold), model)
    print("gate fold (AnyStyle index % 5 == 3, journal articles), the model fitted without it:")
    threshold = choose(readings(model))
    write(threshold, ROOT / "pipeline" / "references" / "crf_parse.py")
    print(f"GATE = {threshold:.3f} written to pipeline/references/crf_parse.py")


def main(argv: list[str]) -> None:
    from evaluate import report
    from project_data import training_pairs as project_pairs

    if not SHARED.is_file():
        sys.exit(f"{SHARED} is absent: the labeller is fitted on AnyStyle's labelled references")
    if "--gate" in argv:
        fit_gate(project_pairs())
    if "--report" not in argv:
        fit(training_pairs(project_pairs()), MODEL)
    report(verbose=0, read_untouched="--untouched" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
