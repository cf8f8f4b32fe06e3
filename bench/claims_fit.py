"""The design matrix and the fit of the check-worthiness model (used by bench/train_claims.py).

Consumes labelled texts by part ({"TRAIN": [(text, 0/1), ...], ...}); parses them once with the
claims stage's spaCy pipeline (cached under .cache/claims-model, keyed by the texts and the
model), turns each into the features of pipeline/claims/features.py, and fits an L2-penalised
logistic regression by full-batch Adam over a sparse matrix held as index arrays (numpy only).
Produces the weights as a plain dict for the JSON file the claims stage reads.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.claims.cues import sentence_cues  # noqa: E402
from pipeline.claims.features import context_vector, sparse_features  # noqa: E402
from pipeline.nlp import load_nlp  # noqa: E402

CACHE = ROOT / ".cache" / "claims-model"


def parse(texts: list[str]) -> list:
    """spaCy Docs of `texts` (tensor included), from the cache when the same texts were parsed before."""
    from spacy.tokens import DocBin

    nlp = load_nlp(disable=("ner",))
    key = hashlib.sha1(("\n".join(texts) + nlp.meta["name"] + nlp.meta["version"]).encode("utf-8")).hexdigest()[:16]
    bin_path, tensor_path = CACHE / f"{key}.spacy", CACHE / f"{key}.npy"
    if bin_path.exists() and tensor_path.exists():
        docs = list(DocBin().from_disk(bin_path).get_docs(nlp.vocab))
        tensors = np.load(tensor_path)
        offset = 0
        for doc in docs:
            doc.tensor = tensors[offset:offset + len(doc)]
            offset += len(doc)
        return docs
    docs = list(nlp.pipe(texts, batch_size=256))
    CACHE.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(bin_path)
    np.save(tensor_path, np.vstack([d.tensor for d in docs]).astype(np.float32))
    return docs


class Design:
    """Sparse features (a vocabulary from the fitting parts) and context vectors for every part."""

    def __init__(self, parts: dict[str, list[tuple[str, int]]], min_count: int, fit_parts, weights=None,
                 nb_scale: bool = False):
        names = list(parts)
        texts = [t for n in names for t, _ in parts[n]]
        docs = parse(texts)
        rows, offset = {}, 0
        for n in names:
            rows[n] = docs[offset:offset + len(parts[n])]
            offset += len(parts[n])
        self.sets = {n: [sparse_features(d[:], sentence_cues(d[:])) for d in rows[n]] for n in names}
        self.dense = {n: np.array([context_vector(d[:]) for d in rows[n]], dtype=float) for n in names}
        self.labels = {n: np.array([y for _, y in parts[n]], dtype=float) for n in names}
        self.sample_weight = {n: (weights or {}).get(n, 1.0) for n in names}
        counts: dict[str, int] = {}
        for n in fit_parts:
            for features in self.sets[n]:
                for f in features:
                    counts[f] = counts.get(f, 0) + 1
        self.vocab = sorted(f for f, c in counts.items() if c >= min_count)
        self.index = {f: i for i, f in enumerate(self.vocab)}
        self.scale = self._nb_ratios(fit_parts) if nb_scale else np.ones(len(self.vocab))
        fitted = np.vstack([self.dense[n] for n in fit_parts])
        self.mean, self.std = fitted.mean(axis=0), fitted.std(axis=0) + 1e-6

    def _nb_ratios(self, fit_parts, alpha: float = 1.0) -> np.ndarray:
        """Each feature's log-count ratio between the classes (the NB-SVM scaling of Wang and Manning,
        2012), |r| kept, so that a feature's penalty follows how much it tells the classes apart."""
        counts = np.full((2, len(self.vocab)), alpha)
        for n in fit_parts:
            for features, y in zip(self.sets[n], self.labels[n]):
                for f in features:
                    if f in self.index:
                        counts[int(y), self.index[f]] += self.sample_weight[n]
        ratio = np.log(counts[1] / counts[1].sum()) - np.log(counts[0] / counts[0].sum())
        return np.abs(ratio) + 0.1

    def y(self, part: str) -> np.ndarray:
        return self.labels[part]

    def matrix(self, part_names):
        """(row indices, column indices, standardised dense block, labels, sample weights) of the parts."""
        rows, cols, dense, ys, sw, start = [], [], [], [], [], 0
        for n in part_names:
            for i, features in enumerate(self.sets[n]):
                hit = [self.index[f] for f in features if f in self.index]
                rows.extend([start + i] * len(hit))
                cols.extend(hit)
            start += len(self.sets[n])
            dense.append((self.dense[n] - self.mean) / self.std)
            ys.append(self.labels[n])
            sw.append(np.full(len(self.labels[n]), self.sample_weight[n]))
        cols = np.array(cols, dtype=int)
        return np.array(rows, dtype=int), cols, np.vstack(dense), np.concatenate(ys), np.concatenate(sw)

    def predict_logit(self, model, part: str) -> np.ndarray:
        rows, cols, dense, _, _ = self.matrix([part])
        w, v, b = model
        return np.bincount(rows, weights=(w * self.scale)[cols], minlength=len(dense)) + dense @ v + b

    def predict(self, model, part: str) -> np.ndarray:
        return 1 / (1 + np.exp(-self.predict_logit(model, part)))

    def export(self, model, **settings) -> dict:
        """The weights as the stage reads them: the context weights rescaled to raw tensor means."""
        w, v, b = model
        raw_v = v / self.std
        bias = b - float(raw_v @ self.mean)
        sparse = {f: round(float(x), 4) for f, x in zip(self.vocab, w * self.scale) if abs(x) >= 5e-4}
        return {"bias": round(bias, 4), "sparse": sparse, "context": [round(float(x), 5) for x in raw_v],
                "context_mean": [round(float(x), 5) for x in self.mean],
                **{k: (round(v_, 6) if isinstance(v_, float) else v_) for k, v_ in settings.items()}}


def fit(design: Design, parts, l2: float, steps: int = 600, rate: float = 0.05):
    """L2-penalised logistic regression (bias not shrunk) by full-batch Adam; deterministic."""
    rows, cols, dense, y, sw = design.matrix(parts)
    n, d = len(y), len(design.vocab)
    sw = sw / sw.sum()
    params = [np.zeros(d), np.zeros(dense.shape[1]), np.zeros(1)]
    moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    scale = design.scale[cols]
    for step in range(1, steps + 1):
        w, v, b = params
        z = np.bincount(rows, weights=w[cols] * scale, minlength=n) + dense @ v + b[0]
        g = sw * (1 / (1 + np.exp(-z)) - y)
        grads = [np.bincount(cols, weights=g[rows] * scale, minlength=d) + l2 * w, dense.T @ g + l2 * v,
                 np.array([g.sum()])]
        for p, (m, s), grad in zip(params, moments, grads):
            m *= 0.9
            m += 0.1 * grad
            s *= 0.999
            s += 0.001 * grad * grad
            p -= rate * (m / (1 - 0.9 ** step)) / (np.sqrt(s / (1 - 0.999 ** step)) + 1e-8)
    return params[0], params[1], float(params[2][0])


def platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """a, b with sigmoid(a * logit + b) calibrated on (logits, y), by Newton's method."""
    a, b = 1.0, 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(a * logits + b)))
        r = p - y
        grad = np.array([(r * logits).sum(), r.sum()])
        h = p * (1 - p)
        hess = np.array([[(h * logits * logits).sum(), (h * logits).sum()], [(h * logits).sum(), h.sum()]]) + 1e-9
        step = np.linalg.solve(hess, grad)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


def fold(model, a: float, b: float):
    """The model whose logit is a * logit + b (Platt scaling folded into the weights)."""
    w, v, bias = model
    return a * w, a * v, a * bias + b
