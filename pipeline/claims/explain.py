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
def _gloss(label: str, whole: bool = False) -> str:
    """spaCy's gloss of a tag or label: the part before the comma ("verb"), or `whole`
    ("verb, past tense") where the detail is the point."""
    import spacy

    gloss = (spacy.explain(label) or label).replace(" (English)", "").lower()
    return gloss if whole else gloss.split(",")[0]


def _a(phrase: str) -> str:
    return ("an " if phrase[:1] in "aeiou" else "a ") + phrase


def _word(word: str) -> str:
    return SPECIAL_WORDS.get(word, "'I'" if word == "i" else f"'{word}'")


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
        return SPECIAL_WORDS.get(value) or f"the word {_word(value)}"
    if family == "b":
        first, _, second = value.partition(" ")
        if first == "<s>":
            return f"opens with {_word(second)}"
        if second == "</s>":
            return f"ends with {_word(first)}"
        if first in SPECIAL_WORDS or second in SPECIAL_WORDS:
            return f"{_word(first)} then {_word(second)}"
        return f"the words '{first} {second}'"
    if family == "t":
        return _gloss(value, whole=True)
    if family == "tt":
        first, _, second = value.partition(" ")
        return f"{_gloss(first)} then {_gloss(second)}"
    if family == "d":
        return _a(_gloss(value))
    if family == "s":
        if value.islower():
            return f"'{'I' if value == 'i' else value}' as the subject"
        return f"{_a(_gloss(value))} as the subject"
    if family == "r":
        return f"main word {_word(value)}"
    if family == "rt":
        return f"main word: {_gloss(value, whole=True)}"
    if family == "m":
        return f"the modal '{value}'"
    if family == "c":
        return CUE_WORDS.get(value, value.replace("_", " "))
    if family == "len":
        return f"length {value} words"
    return value  # n: and q: features are written in words already
