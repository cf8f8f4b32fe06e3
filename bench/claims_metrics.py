"""Figures for a scored, labelled set: precision/recall/F1, average precision, the F1-best
threshold and a calibration table. Consumes numpy arrays of labels (0/1) and scores."""
from __future__ import annotations

import numpy as np


def prf(y, predicted) -> tuple[float, float, float]:
    y, predicted = np.asarray(y, bool), np.asarray(predicted, bool)
    tp = int((y & predicted).sum())
    precision = tp / max(int(predicted.sum()), 1)
    recall = tp / max(int(y.sum()), 1)
    return precision, recall, (2 * precision * recall / (precision + recall) if tp else 0.0)


def average_precision(y, scores) -> float:
    """Mean of the precision at each positive's rank (ties broken against the positives)."""
    y, scores = np.asarray(y, float), np.asarray(scores, float)
    order = np.lexsort((y, -scores))  # highest score first; within a tie, negatives first
    hits = y[order]
    precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision_at * hits).sum() / max(hits.sum(), 1))


def best_threshold(y, scores, grid=np.arange(0.05, 0.95, 0.01), tolerance: float = 0.0) -> float:
    """The highest threshold on the grid whose F1 is within `tolerance` of the best (two decimals):
    where the F1 curve is flat, the higher threshold spares a reviewer the marginal sentences."""
    f1s = np.array([prf(y, scores >= t)[2] for t in grid])
    return round(float(grid[np.flatnonzero(f1s >= f1s.max() - tolerance)[-1]]), 2)


def calibration_table(y, scores, edges=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)) -> list[str]:
    y, scores = np.asarray(y, float), np.asarray(scores, float)
    lines = []
    for low, high in zip(edges, edges[1:]):
        inside = (scores >= low) & (scores < high)
        if inside.any():
            lines.append(f"{low:.1f}-{min(high, 1.0):.1f}: {int(inside.sum()):5d} sentences, "
                         f"{y[inside].mean():.2f} check-worthy (mean score {scores[inside].mean():.2f})")
    return lines
