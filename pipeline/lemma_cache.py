"""The spaCy rule lemmatizer with every answer kept: the same lemmas, each worked out once.

Consumes the `lemmatizer` component of a loaded English pipeline; `speed_up` wraps its
`lemmatize` (the function its `__call__` asks for each token's lemmas) in `KeptLemmas`, which
keeps the answer for each (word, part of speech, morphology). The rule lemmatizer's answer is
a function of exactly these three (its `rule_lemmatize` keys its own cache on them), but spaCy
keeps only the answers that went through the rules: a base form ("study" as a singular noun,
"is" as a verb) and every other early answer is worked out again on every token, through
`is_base_form`'s morphology dict. Only the rule mode is wrapped; the pipeline still pickles.
"""
from __future__ import annotations

MAX_KEYS = 200_000  # answers kept; the cache starts again past this (memory stays flat)


class KeptLemmas:
    """`rule_lemmatize` with its answers kept by (orth, pos, morphology key)."""

    def __init__(self, lemmatize):
        self.lemmatize = lemmatize
        self.kept: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        lemmas = self.kept.get(key)
        if lemmas is None:
            if len(self.kept) >= MAX_KEYS:
                self.kept.clear()
            lemmas = self.kept[key] = self.lemmatize(token)
        return lemmas


def speed_up(lemmatizer) -> None:
    """Keep a rule-mode `lemmatizer`'s answers (same lemmas); other modes are left alone."""
    if getattr(lemmatizer, "mode", None) == "rule" and not isinstance(lemmatizer.lemmatize, KeptLemmas):
        lemmatizer.lemmatize = KeptLemmas(lemmatizer.lemmatize)
