"""The learned check-worthiness model: one parsed sentence -> calibrated score and its reasons.

Consumes a spaCy Span (tagger, parser, lemmatizer) and reads the weights fitted by
bench/train_claims.py (check_worthiness.json beside this module: logistic regression over
claims/features.py, trained on ClaimBuster's crowdsourced debate sentences and the project's
labelled health sentences, Platt-calibrated on held-out debates). Produces the score in 0..1
(0.7 means about 70% of such held-out sentences were check-worthy), the model's threshold,
and `cues`: the sentence kind first (claims/kinds.py), then the features that moved the
score most, in words ("+ a number", "- 'I' as the subject"), then the hedge flag.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np

from pipeline.claims.cues import sentence_cues
from pipeline.claims.explain import in_words
from pipeline.claims.features import context_vector, sparse_features
from pipeline.claims.kinds import sentence_kind

WEIGHTS = Path(__file__).with_name("check_worthiness.json")
TOP_REASONS = 4  # features named in `cues`, strongest first
MIN_REASON = 0.15  # a feature that moved the logit less than this is not named


@functools.lru_cache(maxsize=None)
def weights() -> dict:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    data["context"] = np.array(data["context"], dtype=np.float32)
    data["context_mean"] = np.array(data["context_mean"], dtype=np.float32)
    return data


def threshold() -> float:
    """The score from which a sentence is called a claim (the F1-best one on held-out debates)."""
    return float(weights()["threshold"])


def _logit(sentence, cues) -> tuple[float, list[tuple[float, str]]]:
    model = weights()
    sparse = model["sparse"]
    contributions = [(sparse[f], f) for f in sparse_features(sentence, cues) if f in sparse]
    # fsum is exact, so the score is the same whatever order the set of features comes in
    logit = model["bias"] + math.fsum(value for value, _ in contributions)
    context = context_vector(sentence)
    if len(context) == len(model["context"]):  # another spaCy model than the fitted one: no vectors
        vector = np.asarray(context, dtype=np.float32)
        logit += float(vector @ model["context"])
        # said relative to an average sentence, so that only an unusual wording is named
        contributions.append((float((vector - model["context_mean"]) @ model["context"]), "ctx"))
    return logit, contributions


def _reasons(contributions: list[tuple[float, str]]) -> list[str]:
    """The strongest contributions in words; punctuation is never named (it says nothing to a
    reviewer), and the overall wording only when fewer than two features stood out."""
    named: list[str] = []
    overall = None
    # ties broken by name: the features come as a set, whose order changes between processes
    for value, feature in sorted(contributions, key=lambda c: (-abs(c[0]), c[1])):
        if abs(value) < MIN_REASON or len(named) >= TOP_REASONS:
            break
        if feature == "ctx":
            overall = value
            continue
        words = in_words(feature)
        if words is None:
            continue
        words = ("+ " if value > 0 else "- ") + words
        if words not in named:
            named.append(words)
    if overall is not None and len(named) < 2:
        named.append(("+ " if overall > 0 else "- ") + in_words("ctx"))
    return named


def score_claim(sentence, from_table: bool = False) -> tuple[float, tuple[str, ...]]:
    """(calibrated score in 0..1, cues) for one parsed sentence.

    A table row is a claim by construction (its cells state what the table reports); the model
    never saw one, so a row scores with the threshold as its floor."""
    cues = sentence_cues(sentence, from_table)
    logit, contributions = _logit(sentence, cues)
    score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    kind = "table row" if from_table else sentence_kind(sentence, cues)
    if from_table:
        score = max(score, threshold())
    reasons = [kind] + _reasons(contributions)
    if "hedge" in cues:
        reasons.append("hedge")
    return round(score, 4), tuple(reasons)
