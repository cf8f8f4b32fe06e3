"""A feature of the check-worthiness model said in words, for a claim's `cues`.

Consumes a feature name of claims/features.py ("w:percent", "s:i", "c:causal_verb", "ctx");
produces a short phrase a reviewer reads ("the word 'percent'", "'I' as the subject",
"a causal verb", "its wording as a whole"). Tags and dependency labels are explained by
spaCy's own glossary.
"""
from __future__ import annotations

import functools

CUE_WORDS = {
    "causal_verb": "a causal verb", "biomedical_entity": "a biomedical term",
    "many_biomedical_entities": "several biomedical terms", "number": "a number",
    "study_reference": "a study or finding", "citation": "a citation", "comparison": "a comparison",
    "mechanism": "a mechanism", "table_row": "a table row", "hedge": "a hedge", "second_person": "addresses 'you'",
    "first_person_plural": "'we' or 'our'", "question": "a question", "metaphor": "a metaphor",
    "rhetorical": "rhetorical wording", "imperative": "an instruction", "transition": "a transition", "short": "short",
}
SPECIAL_WORDS = {"<num>": "a number", "<year>": "a year", "<s>": "(start)", "</s>": "(end)"}


@functools.lru_cache(maxsize=4096)
def _gloss(label: str) -> str:
    import spacy

    return (spacy.explain(label) or label).split(",")[0].lower()


def _a(phrase: str) -> str:
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def _word(word: str) -> str:
    return SPECIAL_WORDS.get(word, f"'{word}'")


PUNCTUATION_TAGS = frozenset({".", ",", ":", "``", "''", "-LRB-", "-RRB-", "HYPH", "NFP"})


def in_words(feature: str) -> str | None:
    """The phrase for one feature name; None for punctuation, which says nothing to a reviewer."""
    if feature == "ctx":
        return "its wording as a whole"
    family, _, value = feature.partition(":")
    if family in ("w", "b") and not any(ch.isalnum() or ch in "<>" for ch in value.replace(" ", "")) \
            or family == "d" and value == "punct" or family == "t" and value in PUNCTUATION_TAGS \
            or family == "tt" and any(part in PUNCTUATION_TAGS for part in value.split(" ")):
        return None
    if family == "w":
        return SPECIAL_WORDS.get(value) or f"the word '{value}'"
    if family == "b":
        first, _, second = value.partition(" ")
        return f"the words {_word(first)} {_word(second)}".replace("' '", " ")
    if family == "t":
        return _gloss(value)
    if family == "tt":
        first, _, second = value.partition(" ")
        return f"{_gloss(first)} then {_gloss(second)}"
    if family == "d":
        return _a(_gloss(value))
    if family == "s":
        return f"'{value}' as the subject" if value.islower() else f"{_a(_gloss(value))} as the subject"
    if family == "r":
        return f"main verb '{value}'"
    if family == "rt":
        return f"main verb in {_gloss(value)}"
    if family == "m":
        return f"the modal '{value}'"
    if family == "c":
        return CUE_WORDS.get(value, value.replace("_", " "))
    if family == "len":
        return f"length {value} words"
    return value  # n: and q: features are written in words already
