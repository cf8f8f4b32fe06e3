"""Calibrated support for inferred links: how likely a claim rests on its best-ranked reference.

Consumes one ranked claim (its adjusted scores, best first, and the sentence-alone score), its
sentence and heading, and whether the article's order of first citation puts a reference's
first citation at this sentence; produces a probability in [0, 1] that the claim cites a listed
reference at all (`cites_probability`). In a research article (`research_article`) the linker
links only the claims most likely to cite, about `claims_per_reference` per listed reference,
and only at or above a threshold, both chosen on a tuning set, so claims resting on nothing are
named (support `unsupported`, no link); `support` grades the rest (`supported` / `weak`).

A logistic model over a few transparent features. Research articles cite in the introduction
and discussion and report their own work without citations ("we measured", "Figure 2", "p <
0.05"), so beside the content score the sentence's own wording counts. WEIGHTS were fitted by
`bench/bench_real_linking.py --calibrate` on the tuning articles of tests/data/real_articles
only (never on the untouched ones) and checked against the samples' labelled set.
"""
from __future__ import annotations

import math
import re

FEATURES = ("bias", "best", "margin", "own", "first_here", "named", "first_person", "own_results",
            "literature", "results_section", "intro_section")
FIRST_PERSON = re.compile(r"\b(we|our|us|ours|ourselves)\b", re.I)
# the article's own results: a figure or table it shows, a test statistic, a p value
OWN_RESULTS = re.compile(r"\b(fig(ure)?s?\.?\s*\d|tables?\s*\d|p\s*[<=>≤]\s*0?\.\d|[FtzrU]\s*[\[(=]|"
                         r"\d+(\.\d+)?\s*±|95%\s*CI|n\s*=\s*\d)", re.I)
# wording that points at other people's work
LITERATURE = re.compile(r"\b(previous(ly)?|reported|studies|study by|others|has been|have been|had been|"
                        r"known|described|shown|demonstrated|suggested|proposed|recent(ly)?|literature|"
                        r"et al|according to|review(ed)?|investigators|authors)\b", re.I)
RESULTS_HEADING = re.compile(r"\b(results?|methods?|materials|procedures?|statistical|analysis|abstract|"
                             r"summary|measurements?|design|participants|samples?)\b", re.I)
INTRO_HEADING = re.compile(r"\b(introduction|background|discussion|review|overview)\b", re.I)

# fitted on the tuning articles (bench/bench_real_linking.py --calibrate); see the module docstring
WEIGHTS = {"bias": -3.33, "best": 1.05, "margin": -0.45, "own": 1.58, "first_here": 0.76, "named": 1.47,
           "first_person": -0.6, "own_results": -0.33, "literature": 1.9, "results_section": -0.37,
           "intro_section": 0.5}


def features(scored: tuple, own_best: float, sentence: str, heading: str, first_here: bool,
             named: bool) -> dict[str, float]:
    """The model's inputs for one ranked claim (`scored`: (ref_id, score) best first)."""
    best = scored[0][1] if scored else 0.0
    second = scored[1][1] if len(scored) > 1 else 0.0
    return {"bias": 1.0, "best": best, "margin": best - second, "own": own_best,
            "first_here": float(first_here), "named": float(named),
            "first_person": float(bool(FIRST_PERSON.search(sentence))),
            "own_results": float(bool(OWN_RESULTS.search(sentence))),
            "literature": float(bool(LITERATURE.search(sentence))),
            "results_section": float(bool(RESULTS_HEADING.search(heading or ""))),
            "intro_section": float(bool(INTRO_HEADING.search(heading or "")))}


IMRAD = (re.compile(r"\b(introduction|background)\b", re.I), re.compile(r"\b(methods?|materials)\b", re.I),
         re.compile(r"\bresults?\b", re.I), re.compile(r"\b(discussion|conclusions?)\b", re.I))


def research_article(headings) -> bool:
    """Whether an article is laid out as a research report (at least three of Introduction /
    Methods / Results / Discussion among its headings). Such an article reports its own work in
    most sentences, so only a share of its claims cite anything; a popular article or a review
    rests nearly every claim on its few sources."""
    text = " ".join(set(headings))
    return sum(bool(pattern.search(text)) for pattern in IMRAD) >= 3


def cites_probability(values: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """Logistic model: the probability that the claim cites one of the article's references."""
    weights = WEIGHTS if weights is None else weights
    z = sum(weights.get(name, 0.0) * value for name, value in values.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def cutoffs(probabilities: list[float], allowed: int, threshold: float) -> list[float]:
    """Per claim (the probabilities of an article's claims), the probability it needs to link: the
    `allowed` likeliest claims (ties: the earlier first) need the threshold, or the last allowed
    one's probability when the cap binds; every other claim is out of reach (infinity)."""
    if allowed <= 0 or allowed >= len(probabilities):
        return [threshold] * len(probabilities)
    order = sorted(range(len(probabilities)), key=lambda index: (-probabilities[index], index))
    limits = [math.inf] * len(probabilities)
    for index in order[:allowed]:
        limits[index] = probabilities[order[allowed - 1]]
    return limits
