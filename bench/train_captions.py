"""Train the caption model: logistic regression in numpy, written to pipeline/ingest/caption_weights.py.

Consumes the tuning data committed in tests/data: caption sets A-G, the two labelled
samples in raw/ line by line, hard-negatives.txt, sentence-case headings
(caption_tuning_headings.json) and the article prose of the claims sets; produces the
weights of two models and prints a leave-one-group-out estimate of precision and recall,
so that a change is judged on text it was not fitted to before the untuned set is seen:

- `parsed`: caption_features.FEATURES plus the mean of spaCy's contextual token vectors
  (doc.tensor), used when the caller has a parse;
- `text`: the features that need no parse, used when it has none.

Set H (caption_heldout_h.json) is the untuned set: this script never reads it. (G was the
untuned set of the first model, measured once, and is tuning data since.)

    .venv/bin/python bench/train_captions.py          # cross-validate, then write the weights
    .venv/bin/python bench/train_captions.py -v       # ... listing every held-out error
    .venv/bin/python bench/train_captions.py --check  # exit 1 when the committed weights are stale
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.ingest import caption_features as cf  # noqa: E402
from pipeline.ingest.captions import FIGURE_LABEL  # noqa: E402
from pipeline.nlp import load_nlp  # noqa: E402

DATA = ROOT / "tests" / "data"
WEIGHTS = ROOT / "pipeline" / "ingest" / "caption_weights.py"
SETS = {"A": "caption_heldout.json", "B": "caption_heldout_b.json", "C": "caption_heldout_c.json",
        "D": "caption_heldout_d.json", "E": "caption_heldout_e.json", "F": "caption_heldout_f.json",
        "G": "caption_heldout_g.json"}
SAMPLES = ("insulin-resistance-lifestyle", "exercise-metabolic-dysregulation")
CLAIMS_PROSE = ("untuned.jsonl", "heldout_b.jsonl", "damage_clean_tuning.jsonl")
# Strength of the L2 penalty on the feature weights and on the context-vector weights
# (the bias is not shrunk), chosen by the leave-one-group-out estimate.
L2 = 0.3
CONTEXT_L2 = 0.3
# The non-captions weigh twice the captions in the fit (each class in total): a body
# paragraph removed is worse than a caption kept, since its claims vanish from the audit.
NEGATIVE_WEIGHT = 2.0
THRESHOLD = 0.5


def _standalone_lines(path: Path) -> list[str]:
    """Lines with a blank line on both sides (headings and paragraphs).

    Lines of an unbulleted list ("Putting phones outside the bedroom at night") are left
    out: out of context they read like alt text, and the text reader keeps them as list
    items unless they talk about a picture outright, so they would only teach the model
    to miss short captions.
    """
    padded = [""] + path.read_text(encoding="utf-8").split("\n") + [""]
    return [padded[i].strip() for i in range(1, len(padded) - 1)
            if padded[i].strip() and not padded[i - 1].strip() and not padded[i + 1].strip()]


def _sample_lines(name: str) -> list[tuple[str, int]]:
    """(line, 1 if caption) for the sample's text lines, from its block-by-block labels.

    Glossary and boilerplate lines are left out: the text reader decides them before the
    caption detector sees them, and their many near-identical lines would swamp the negatives.
    """
    lines = (ROOT / "raw" / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    labels = json.loads((DATA / "ingest" / f"labels-{name}.json").read_text(encoding="utf-8"))["blocks"]
    kind_of = {line: kind for line, kind, _ in labels}
    out, kind = [], None
    for number, line in enumerate(lines, start=1):
        kind = kind_of.get(number, kind if line.strip() else None)
        text = line.strip().lstrip("•").strip()
        if text and kind not in ("glossary", "boilerplate") and len(text.split()) >= 2:
            out.append((text, int(kind == "caption")))
    return out


def tuning_groups() -> dict[str, list[tuple[str, int]]]:
    """The labelled tuning texts by group (a group is left out whole when cross-validating)."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for label, name in SETS.items():
        data = json.loads((DATA / "ingest" / name).read_text(encoding="utf-8"))
        groups[label] = [(c, 1) for c in data["captions"]] + [(b, 0) for b in data["bodies"]]
    for name in SAMPLES:
        groups[name] = _sample_lines(name)
    groups["hard-negatives"] = [(t, 0) for t in _standalone_lines(DATA / "ingest" / "hard-negatives.txt")]
    headings = json.loads((DATA / "ingest" / "caption_tuning_headings.json").read_text(encoding="utf-8"))
    groups["headings"] = [(h, 0) for h in headings["headings"]]
    prose = []
    for name in CLAIMS_PROSE:
        for line in (DATA / "claims" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                prose.append((json.loads(line)["sentence"], 0))
    groups["claims prose"] = prose
    return groups


def _toggled_period(text: str) -> str:
    """The same caption with its final period added or taken away: alt text is written both ways."""
    return text[:-1] if text.endswith(".") else text + "."


class Design:
    """Feature matrices per group for both models; captions also appear with the final period toggled."""

    def __init__(self, groups, nlp):
        self.groups = {}
        for label, items in groups.items():
            texts, ys, original = [], [], []
            for text, y in items:
                for variant in ([text, _toggled_period(text)] if y else [text]):
                    texts.append(variant)
                    ys.append(y)
                    original.append(variant == text)
            parsed_rows, text_rows = [], []
            for text, doc in zip(texts, nlp.pipe(texts)):
                parsed_rows.append(cf.vector(text, doc) + cf.context_vector(doc))
                text_rows.append(cf.vector(text))
            self.groups[label] = {"parsed": np.array(parsed_rows), "text": np.array(text_rows),
                                  "y": np.array(ys, dtype=float), "original": np.array(original), "texts": texts}

    def stack(self, model: str, leave_out: str | None = None):
        keys = [k for k in self.groups if k != leave_out]
        return (np.vstack([self.groups[k][model] for k in keys]), np.concatenate([self.groups[k]["y"] for k in keys]))


def fit(X: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method, the two classes weighted equally.

    Deterministic (no random start, no sampling), so the committed weights can be checked
    against a retrain.
    """
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    weight = np.where(y == 1, 1 / max(y.sum(), 1), NEGATIVE_WEIGHT / max((1 - y).sum(), 1)) * n / (1 + NEGATIVE_WEIGHT)
    shrink = np.concatenate([np.full(len(cf.FEATURES), l2), np.full(d - len(cf.FEATURES), CONTEXT_L2), [0.0]])
    w = np.zeros(d + 1)
    for _ in range(100):
        p = 1 / (1 + np.exp(-Xb @ w))
        gradient = Xb.T @ (weight * (p - y)) + shrink * w
        hessian = (Xb * (weight * p * (1 - p))[:, None]).T @ Xb + np.diag(shrink) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w[:-1], float(w[-1])


def cross_validate(design: Design, model: str, verbose: bool = False) -> dict[str, tuple[float, float, int, int, int]]:
    """Leave one group out: fit on the others, measure on it (original texts only)."""
    results = {}
    for held, g in design.groups.items():
        w, b = fit(*design.stack(model, leave_out=held), L2)
        p = 1 / (1 + np.exp(-(g[model] @ w + b)))
        # the detector calls a line with a figure label a caption whatever the model says
        labelled = np.array([bool(FIGURE_LABEL.search(t)) for t in g["texts"]])
        predicted, y, keep = (p >= THRESHOLD) | labelled, g["y"] == 1, g["original"]
        tp, fp = int((predicted & y & keep).sum()), int((predicted & ~y & keep).sum())
        positives = int((y & keep).sum())
        precision = tp / (tp + fp) if tp + fp else 1.0
        results[held] = (precision, tp / positives if positives else 1.0, tp, fp, positives)
        if verbose:
            for i in np.flatnonzero(keep & (predicted != y)):
                print(f"    {held}: {'missed caption' if y[i] else 'body removed'} ({p[i]:.2f}): {g['texts'][i][:100]}")
    return results


def _numbers(values) -> str:
    """The numbers eight to a line, indented to sit inside the weights module's list."""
    rows = [", ".join(f"{v:.4f}" for v in values[i:i + 8]) for i in range(0, len(values), 8)]
    return "\n" + "".join(f"            {row},\n" for row in rows) + "        "


def render(models: dict[str, tuple[np.ndarray, float]]) -> str:
    blocks = []
    for model, (w, b) in models.items():
        named = "\n".join(f"        {name!r}: {value:.4f}," for name, value in zip(cf.FEATURES, w))
        context = w[len(cf.FEATURES):]
        blocks.append(f'''    {model!r}: {{
        "bias": {b:.4f},
        "features": {{
{named.replace("        '", "            '")}
        }},
        "context": [{_numbers(context)}],
    }},''')
    body = "\n".join(blocks)
    return f'''"""Weights of the caption model: logistic regression over caption_features.FEATURES.

Generated by bench/train_captions.py from the tuning data in tests/data (caption sets A-G,
the labelled samples, hard-negatives.txt, caption_tuning_headings.json, the claims sets'
prose); do not edit by hand, retrain with `make captions-model`. Set H was never used to
fit or choose them. `parsed` adds weights for the mean contextual vector of the spaCy
model the project pins (en_core_web_sm 3.8.0, {len(models["parsed"][0]) - len(cf.FEATURES)} numbers);
`text` is for callers without a parse.
"""

THRESHOLD = {THRESHOLD}
L2 = {L2}
CONTEXT_L2 = {CONTEXT_L2}
MODELS = {{
{body}
}}
'''


def stale_weights(models: dict[str, tuple[np.ndarray, float]]) -> str:
    """What differs between a retrain and pipeline/ingest/caption_weights.py ("" when nothing does).

    Compared as numbers to the printed precision, so that another machine's last bit of
    floating point does not count as a difference.
    """
    from pipeline.ingest import caption_weights

    if caption_weights.THRESHOLD != THRESHOLD:
        return "threshold"
    for model, (w, b) in models.items():
        stored = caption_weights.MODELS.get(model)
        if stored is None or list(stored["features"]) != list(cf.FEATURES):
            return f"{model}: feature list"
        committed = np.array([stored["features"][n] for n in cf.FEATURES] + list(stored["context"]) + [stored["bias"]])
        fresh = np.append(w, b)
        if committed.shape != fresh.shape or np.abs(committed - fresh).max() > 2e-3:
            return f"{model}: weights"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare the committed weights with a retrain")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every held-out error")
    args = parser.parse_args()
    design = Design(tuning_groups(), load_nlp(disable=("ner", "lemmatizer")))
    models = {model: fit(*design.stack(model), L2) for model in ("parsed", "text")}
    text = render(models)
    if args.check:
        current = stale_weights(models)
        print("caption weights are stale, retrain (make captions-model): " + current if current
              else "caption weights are current")
        return 1 if current else 0
    for model in ("parsed", "text"):
        results = cross_validate(design, model, verbose=args.verbose)
        tp, fp, positives = (sum(r[i] for r in results.values()) for i in (2, 3, 4))
        print(f"{model} model, each group left out in turn: pooled precision {tp / (tp + fp):.3f}, "
              f"recall {tp / positives:.3f}, {fp} non-captions removed")
        for label, (precision, recall, tp, fp, positives) in results.items():
            if positives:
                print(f"  {label:34s} precision {precision:.2f} recall {recall:.2f} ({tp}/{positives} captions, "
                      f"{fp} non-captions removed)")
            else:  # a group of non-captions only: precision and recall mean nothing there
                print(f"  {label:34s} {fp} of {int(design.groups[label]['original'].sum())} non-captions removed")
    WEIGHTS.write_text(text, encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
