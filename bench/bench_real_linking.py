"""Linking on real open-access articles (tests/data/real_articles): markers recorded as the truth,
then stripped, and the inferred links scored; plus the marker path with the markers kept.

Prints, for the tuning articles, the first untouched part and the fresh untouched set apart (the split is in that folder's README,
fixed before any tuning): top-1 / top-3 of the ranking over cited claims against a random
reference of the article, recall and precision of the links made, the share of claims citing
nothing that were linked to nothing, and an ablation (content alone; + order of first citation;
+ named authors; + each reference's best sentence (research articles); + the calibrated threshold; and paragraph neighbours' scores blended in, which
did not help on the tuning articles and are off by default). Lexical only (the default
install), Crossref off.

`--calibrate` fits the weights of pipeline.linking.calibration on the TUNING articles only and
picks the threshold there (printing what to put in calibration.WEIGHTS and CALIBRATED).
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.linking.calibration import FEATURES  # noqa: E402
from pipeline.linking.stage import CALIBRATED  # noqa: E402
from tests.data.real_articles.realset import FRESH, TUNE, UNTOUCHED, load, run, score_inferred, score_markers  # noqa: E402

PARTS = (("tune", TUNE), ("untouched", UNTOUCHED), ("fresh", FRESH))


def _line(label: str, part: str, s: dict) -> str:
    return (f"  {label:<22} {part:<9} {s['cited']:>3} cited  top-1 {s['top1']:.3f}  top-3 {s['top3']:.3f}  "
            f"(random {s['random_top1']:.3f} / {s['random_top3']:.3f})  links R {s['recall']:.3f} P {s['precision']:.3f}"
            f"  | uncited linked to nothing {s['uncited_unlinked']:.3f} of {s['uncited']}")


def ablation() -> None:
    articles = load(markers=False, names=TUNE + UNTOUCHED + FRESH)
    by_name = {a.name: a for a in articles}
    full = CALIBRATED["lexical"]
    ungated = replace(full, cites_threshold=0.0, claims_per_reference=1e9, claims_per_reference_popular=1e9)
    steps = [("content only", replace(ungated, order_weight=0.0, name_bonus=0.0, column_weight=0.0)),
             ("+ first-citation order", replace(ungated, name_bonus=0.0, column_weight=0.0)),
             ("+ named authors", replace(ungated, column_weight=0.0)),
             ("+ best sentence per ref", ungated),
             ("+ calibrated threshold", full),
             ("(+ neighbours 0.2: off)", replace(full, neighbour_weight=0.2))]
    print("real articles, markers stripped (lexical, Crossref off):")
    for label, config in steps:
        result = run(articles, settings=config)
        for part, names in PARTS:
            print(_line(label, part, score_inferred([by_name[n] for n in names], result)))
    cited_nonclaim = score_inferred(articles, run(articles, settings=full))["cited_nonclaim"]
    print(f"  cited sentences the claims stage did not score as claims (never linked): {cited_nonclaim}")


def markers() -> None:
    for part, names in PARTS:
        _markers_line(part, score_markers(load(markers=True, names=names)))


def _markers_line(part: str, s: dict) -> None:
    print(f"real articles ({part}), markers kept: numeric groups resolved exactly {s['numbered'][0]}/{s['numbered'][1]}; "
          f"author-year {s['author_year'][0]}/{s['author_year'][1]} ({s['listed'][0]}/{s['listed'][1]} where every "
          f"cited entry was listed); references named that no marker cites {s['extra_refs']}; claims rows starting "
          f"with punctuation {s['punctuation_rows']}")


def _fit(rows: list[tuple[dict, int]], l2: float = 1.0, steps: int = 50) -> dict[str, float]:
    """Logistic regression by Newton's method with an L2 penalty (bias unpenalised)."""
    import numpy as np

    x = np.array([[values[name] for name in FEATURES] for values, _ in rows])
    y = np.array([label for _, label in rows], dtype=float)
    w = np.zeros(len(FEATURES))
    penalty = np.full(len(FEATURES), l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        w -= np.linalg.solve(hessian, gradient)
    return {name: round(float(v), 2) for name, v in zip(FEATURES, w)}


def calibrate() -> None:
    """Fit the weights on the tuning articles' claims (cites anything: yes / no), then the
    threshold with the best balanced accuracy there."""
    from pipeline.linking.calibration import cites_probability

    articles = [a for a in load(markers=False) if a.name in TUNE]
    result = run(articles, settings=replace(CALIBRATED["lexical"], cites_threshold=0.0))
    rows = [(result.cites[c.claim_id][1], int(bool(a.truth.get(c.claim_id))))
            for a in articles for c in a.claims if c.claim_id in result.cites]
    weights = _fit(rows)
    print(f"WEIGHTS = {weights}")
    probabilities = [(cites_probability(values, weights), label) for values, label in rows]
    positives = sum(label for _, label in rows) or 1
    negatives = (len(rows) - positives) or 1
    best = max((sum(p >= t and l for p, l in probabilities) / positives
                + sum(p < t and not l for p, l in probabilities) / negatives, t)
               for t in (x / 100 for x in range(5, 95)))
    print(f"cites_threshold = {best[1]:.2f} (balanced accuracy {best[0] / 2:.3f} on the tuning claims)")
    print("claims_per_reference (research articles), with that threshold: balanced accuracy of 'links anything'")
    for per_reference in (0.75, 1.0, 1.25, 1.5, 2.0):
        config = replace(CALIBRATED["lexical"], cites_threshold=best[1], claims_per_reference=per_reference)
        s = score_inferred(articles, run(articles, settings=config))
        linked_cited = s["recall"] and _linked_share(articles, run(articles, settings=config))
        print(f"  {per_reference:<5} cited claims linked {linked_cited:.3f}  uncited linked to nothing "
              f"{s['uncited_unlinked']:.3f}  balanced {(linked_cited + s['uncited_unlinked']) / 2:.3f}")


def _linked_share(articles, result) -> float:
    links = {link.claim_id: link for link in result.links}
    cited = [c for a in articles for c in a.claims if c.is_claim and a.truth.get(c.claim_id)]
    return sum(bool(links[c.claim_id].linked_refs) for c in cited) / (len(cited) or 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="fit the calibration on the tuning articles")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return 0
    ablation()
    markers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
