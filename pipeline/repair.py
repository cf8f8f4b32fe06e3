"""Text repairs of scraping artifacts that keep the original available.

Consumes one block's text; produces the repaired text. The " ∞ " artifact stands where the
page had a colon or a dash: a pair of them inside one sentence is a parenthetical
insertion (" — … — "), a single one is a label or title separator (": ").
"""
from __future__ import annotations

import re

ARTIFACT = "∞"
_ARTIFACT_RE = re.compile(r"\s*∞\s*")
_SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def repair_artifacts(text: str) -> str:
    """Replace each " ∞ " with ": " or " — " as the context fits."""
    if ARTIFACT not in text:
        return text
    out = []
    for sentence in _SENTENCE_RE.findall(text):
        if sentence.count(ARTIFACT) >= 2:
            out.append(_ARTIFACT_RE.sub(" — ", sentence))
        else:
            out.append(_ARTIFACT_RE.sub(": ", sentence))
    return "".join(out)


def collapse_space(text: str) -> str:
    """Runs of whitespace as one space, none at the ends. str.split() splits on exactly the
    characters re's \\s matches in a str (both ask Py_UNICODE_ISSPACE; checked over every code
    point), and does it in C without a pattern: the HTML ingest calls this 200 times a page."""
    return " ".join(text.split())
