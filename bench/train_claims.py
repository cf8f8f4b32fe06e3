"""Train the check-worthiness model: sparse logistic regression in numpy, written to
pipeline/claims/check_worthiness.json.

Each sparse feature is scaled by its log-count ratio between the classes in TRAIN (NB-SVM,
Wang and Manning 2012: +0.02 average precision on DEV), folded into the committed weights.

Consumes ClaimBuster's crowdsourced debate sentences (../shared/benchmarks/check-worthiness,
Verdict 1 = check-worthy, 0 and -1 = not) and the project's labelled health sentences
(tests/data/claims samples.jsonl and untuned.jsonl, weighted up so health prose stays the home
ground). The parts are fixed in bench/claims_heldout.md, decided before any fit: debates split
whole by a hash of File_id into TRAIN (fit), DEV (choose L2, calibrate, choose the threshold)
and TEST (read to print the held-out figures); with --hold-out-fresh, FRESH (five more whole
debates, named in the second round before its first fit) leaves TRAIN and is printed as held out,
the reading of that round; heldout_b.jsonl is printed as
the untouched health set; heldout_c.jsonl is never read here (tests/test_claims.py measures it).

The fitted logit is calibrated by Platt scaling on DEV (the two numbers are folded into the
weights), so a score of 0.7 means about 70% of such debate sentences were check-worthy.

    .venv/bin/python bench/train_claims.py          # fit, print DEV and TEST figures, write the weights
    .venv/bin/python bench/train_claims.py --check  # exit 1 when the committed weights are stale
    .venv/bin/python bench/train_claims.py --hold-out-fresh  # fit without FRESH, print it; writes nothing
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.claims_fit import Design, fit, fold, platt  # noqa: E402
from bench.claims_metrics import average_precision, best_threshold, calibration_table, prf  # noqa: E402

DATA = ROOT / "tests" / "data" / "claims"
CROWD = ROOT.parent / "shared" / "benchmarks" / "check-worthiness" / "claimbuster-crowdsourced.csv"
if not CROWD.exists():
    CROWD = Path("/work/shared/benchmarks/check-worthiness/claimbuster-crowdsourced.csv")
WEIGHTS = ROOT / "pipeline" / "claims" / "check_worthiness.json"
HEALTH_TRAIN = ("samples.jsonl", "untuned.jsonl")
HEALTH_UNTOUCHED = "heldout_b.jsonl"
L2_GRID = (3e-4, 1e-3, 3e-3)
# the health sentences together weigh this share of the debate sentences in the fit (each about
# 15 debate sentences; chosen on DEV among 0.15, 0.35 and 0.6, the health sets at F1 >= 0.96 in each)
HEALTH_SHARE = 0.15
MIN_COUNT = 3  # a feature seen in fewer TRAIN sentences is left out
# the threshold: the highest whose DEV F1 is within this of the best (the curve is flat there, and
# the higher one keeps rhetoric of health prose out; the samples' marginal sentences sit at 0.25-0.3)
THRESHOLD_TOLERANCE = 0.01


# the second round's untouched part (bench/claims_heldout.md): among the TRAIN debates, the five
# first by sha1("fresh:" + File_id), named before that round's first fit
FRESH = frozenset({"1960-10-13.txt", "1976-10-06.txt", "1980-10-28.txt", "2000-10-03.txt", "2000-10-11.txt"})


def part_of(file_id: str, hold_out_fresh: bool = False) -> str:
    """TRAIN, DEV or TEST for a whole debate (bench/claims_heldout.md); FRESH when held out."""
    if hold_out_fresh and file_id in FRESH:
        return "FRESH"
    part = int(hashlib.sha1(file_id.encode("utf-8")).hexdigest(), 16) % 6
    return "TEST" if part == 0 else "DEV" if part == 1 else "TRAIN"


def debate_parts(hold_out_fresh: bool = False) -> dict[str, list[tuple[str, int]]]:
    parts: dict[str, list[tuple[str, int]]] = {"TRAIN": [], "DEV": [], "TEST": []}
    if hold_out_fresh:
        parts["FRESH"] = []
    with open(CROWD, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Verdict"].strip() and row["Text"].strip():
                label = int(int(float(row["Verdict"])) == 1)
                parts[part_of(row["File_id"], hold_out_fresh)].append((row["Text"].strip(), label))
    return parts


def health(name: str) -> list[tuple[str, int]]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["sentence"], int(r["claim"])) for r in rows]


def report(label: str, y: np.ndarray, p: np.ndarray, threshold: float) -> str:
    precision, recall, f1 = prf(y, p >= threshold)
    return (f"{label:38s} n={len(y):5d} positives {int(y.sum()):5d}  precision {precision:.3f} recall {recall:.3f} "
            f"F1 {f1:.3f}  AP {average_precision(y, p):.3f}")


def choose(design: Design):
    """Fit on TRAIN for each L2, keep the one with the best DEV average precision."""
    best = None
    for l2 in L2_GRID:
        model = fit(design, ("TRAIN", "HEALTH"), l2)
        dev = design.predict_logit(model, "DEV")
        ap = average_precision(design.y("DEV"), dev)
        print(f"  L2 {l2:g}: DEV average precision {ap:.3f}")
        if best is None or ap > best[0]:
            best = (ap, l2, model)
    return best[1], best[2]


def _differs(committed: dict, fresh: dict) -> bool:
    """True when a retrain differs from the committed weights beyond the last printed digits (another
    machine's floating point) or in its features or settings."""
    if set(committed) != set(fresh) or set(committed["sparse"]) != set(fresh["sparse"]):
        return True
    numbers = [(committed["sparse"][f], fresh["sparse"][f]) for f in fresh["sparse"]]
    numbers += list(zip(committed["context"], fresh["context"])) + [(committed["bias"], fresh["bias"])]
    settings = [k for k in fresh if k not in ("sparse", "context", "context_mean", "bias")]
    return any(abs(a - b) > 2e-3 for a, b in numbers) or any(committed[k] != fresh[k] for k in settings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare the committed weights with a retrain")
    parser.add_argument("--hold-out-fresh", action="store_true",
                        help="fit without the FRESH debates and print their figures; the weights are not written")
    args = parser.parse_args()
    parts = debate_parts(args.hold_out_fresh)
    parts["HEALTH"] = [item for name in HEALTH_TRAIN for item in health(name)]
    parts["HEALTH_UNTOUCHED"] = health(HEALTH_UNTOUCHED)
    design = Design(parts, min_count=MIN_COUNT, fit_parts=("TRAIN", "HEALTH"), nb_scale=True,
                    weights={"HEALTH": HEALTH_SHARE * len(parts["TRAIN"]) / len(parts["HEALTH"])})
    l2, model = choose(design)
    a, b = platt(design.predict_logit(model, "DEV"), design.y("DEV"))
    calibrated = fold(model, a, b)
    threshold = best_threshold(design.y("DEV"), design.predict(calibrated, "DEV"), tolerance=THRESHOLD_TOLERANCE)
    weights = design.export(calibrated, threshold=threshold, l2=l2, health_share=HEALTH_SHARE)
    text = json.dumps(weights, indent=0, sort_keys=True, ensure_ascii=False)
    if args.check:
        stale = not WEIGHTS.exists() or _differs(json.loads(WEIGHTS.read_text(encoding="utf-8")), weights)
        print("check-worthiness weights are stale, retrain (make claims-model)" if stale else "weights are current")
        return int(stale)
    print(f"chosen: L2 {l2:g}, Platt a={a:.3f} b={b:.3f}, threshold {threshold:.2f} (the highest within "
          f"{THRESHOLD_TOLERANCE} of the best F1 on DEV)")
    held_out = ("TEST", "FRESH") if args.hold_out_fresh else ("TEST",)
    for part in ("TRAIN", "DEV") + held_out + ("HEALTH", "HEALTH_UNTOUCHED"):
        print(report(part + (" (untouched)" if part in ("TEST", "FRESH", "HEALTH_UNTOUCHED") else ""),
                     design.y(part), design.predict(calibrated, part), threshold))
    print("calibration on TEST (score band: sentences, share check-worthy):")
    for line in calibration_table(design.y("TEST"), design.predict(calibrated, "TEST")):
        print("  " + line)
    if args.hold_out_fresh:
        return 0
    WEIGHTS.parent.mkdir(parents=True, exist_ok=True)
    WEIGHTS.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)} ({len(weights['sparse'])} sparse features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
