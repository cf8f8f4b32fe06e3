"""Linking ablation on the gold set in tests/data/linking: lexical alone, embeddings alone
(when the optional model is installed), and both combined, in one run.

For each mode and each part of the gold set (tune: the two samples and the microbiome
article; heldout: the sleep and training articles, never tuned on) it prints top-1 / top-3
of the content ranking, top-1 / top-3 of the references actually linked (after the
threshold), and precision / recall of `support == unsupported` on the claims labelled as
resting on none of the listed references; then explicit-marker resolution and the time
each mode took (the embedding model's load time separately).

`--calibrate` searches the thresholds and the lexical weight on the TUNE part only and
prints the best setting per mode (what `pipeline.linking.stage.CALIBRATED` holds).
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.linking.stage import CALIBRATED, link_claims  # noqa: E402
from tests.data.linking.gold import load_gold, marker_accuracy, score, unlinked_score  # noqa: E402


def _embedder():
    from pipeline.linking.embeddings import embedder_status, load_embedder

    started = time.perf_counter()
    embedder = load_embedder()
    return embedder, embedder_status(), time.perf_counter() - started


def _row(mode: str, part: str, s: dict, seconds: float) -> str:
    return (f"  {mode:<9} {part:<8} {s['claims']:>3} claims  rank top-1 {s['rank_top1']:.2f}  "
            f"top-3 {s['rank_top3']:.2f}  | linked top-1 {s['linked_top1']:.2f}  top-3 {s['linked_top3']:.2f}  "
            f"| unsupported P {s['unsupported_precision']:.2f} R {s['unsupported_recall']:.2f} "
            f"(n={s['unsupported_labelled']})  {seconds:.2f}s")


def ablation(embedder) -> None:
    gold = load_gold(markers=False)
    modes = ["lexical"] + (["embedding", "combined"] if embedder is not None else [])
    print("linking ablation (inferred links: markers stripped from every sentence)")
    for mode in modes:
        started = time.perf_counter()
        result = link_claims(gold.claims, gold.references, (), gold.blocks,
                             embedder=embedder if mode != "lexical" else False, settings=CALIBRATED[mode])
        seconds = time.perf_counter() - started
        for part in ("tune", "heldout"):
            print(_row(mode, part, score(result, gold, gold.select(part)), seconds))
            u = unlinked_score(result, gold, part)
            print(f"  {'':<9} {part:<8} references no claim links to: {u['reported']} reported, {u['padding']} "
                  f"uncited in the gold set; precision {u['precision']:.2f} recall {u['recall']:.2f}")
    if embedder is None:
        print("  embedding and combined modes skipped: the embedding model is not installed")


def markers() -> None:
    gold = load_gold(markers=True)
    result = link_claims(gold.claims, gold.references, (), gold.blocks, embedder=False)
    exact, total = marker_accuracy(result, gold)
    print(f"explicit markers: {exact}/{total} marked claims resolved exactly to their gold references")


def _run(gold, embedder, mode, config):
    return link_claims(gold.claims, gold.references, (), gold.blocks,
                       embedder=embedder if mode != "lexical" else False, settings=config)


def _f1(s: dict) -> float:
    p, r = s["unsupported_precision"], s["unsupported_recall"]
    return 0.0 if p != p or r != r or p + r == 0 else 2 * p * r / (p + r)


def calibrate(embedder) -> None:
    """Search on the TUNE part only, in three steps per mode:
    1. the lexical weight (combined only): best ranking top-1 + top-3;
    2. link threshold, relative cut and the sentence-alone floor for `unsupported`: best
       linked top-1 + linked top-3 + F1 of `unsupported` on the labelled claims;
    3. `supported_at`: the lowest cut at which the best reference of the claims above it is
       the right one for at least 80% of them (so `supported` means "the first link is
       probably right", `weak` "probably about it")."""
    gold = load_gold(markers=False)
    tune = gold.select("tune")
    modes = ["lexical"] + (["embedding", "combined"] if embedder is not None else [])
    for mode in modes:
        config = CALIBRATED[mode]
        if mode == "combined":
            weights = {}
            for weight in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
                s = score(_run(gold, embedder, mode, replace(config, lexical_weight=weight)), gold, tune)
                weights[weight] = s["rank_top1"] + s["rank_top3"]
            config = replace(config, lexical_weight=max(weights, key=weights.get))
        best = None
        for threshold, relative, floor in itertools.product(
                (0.15, 0.2, 0.25, 0.3, 0.35, 0.4), (0.6, 0.7, 0.8, 0.9),
                (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)):
            candidate = replace(config, link_threshold=threshold, relative_cut=relative, unsupported_below=floor,
                                supported_at=max(config.supported_at, threshold))
            s = score(_run(gold, embedder, mode, candidate), gold, tune)
            objective = s["linked_top1"] + s["linked_top3"] + _f1(s)
            if best is None or objective > best[0] + 1e-9:
                best = (objective, candidate)
        config = best[1]
        result = _run(gold, embedder, mode, config)
        tops = [(result.rankings[g.claim.claim_id][0][1], result.rankings[g.claim.claim_id][0][0] in g.gold)
                for g in tune if g.gold and g.claim.claim_id in result.rankings]
        supported_at = next((cut for cut in (x / 100 for x in range(int(config.link_threshold * 100), 100))
                             if [ok for top, ok in tops if top >= cut]
                             and sum(ok for top, ok in tops if top >= cut) / len([1 for top, _ in tops if top >= cut])
                             >= 0.8), 1.0)
        config = replace(config, supported_at=max(supported_at, config.link_threshold))
        print(f"calibrated {mode}: {config}")
        print(_row(mode, "tune", score(_run(gold, embedder, mode, config), gold, tune), 0.0))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="grid-search thresholds on the tune part")
    parser.add_argument("--lexical-only", action="store_true", help="do not load the embedding model")
    args = parser.parse_args()
    embedder, status, load_seconds = (None, "not loaded (--lexical-only)", 0.0) if args.lexical_only else _embedder()
    print(f"embedding model: {status} ({load_seconds:.1f}s to load)")
    if args.calibrate:
        calibrate(embedder)
        return 0
    ablation(embedder)
    markers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
