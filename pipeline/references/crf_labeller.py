"""The learned reference labeller: a reference string -> labelled tokens -> field values, with confidence.

Consumes one reference's text (identifiers already found by the rules) and the fitted CRF model
(crf_model.crfsuite beside this module); produces the text of each field (authors, date, title,
journal or container, volume, issue, pages, publisher ...) and, per field, the labeller's confidence:
the lowest marginal probability of that label over the field's tokens.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from pipeline.references.crf_features import features, tokenize

MODEL = Path(__file__).with_name("crf_model.crfsuite")
QUOTES = "\"'“”‘’«»„‚`´"


@dataclass
class Labelled:
    """One reference labelled: each field's text (first run of its label) and confidence."""

    text: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    # the probability of the whole labelling (every token's label at once): the reference's confidence
    probability: float = 1.0


@lru_cache(maxsize=2)
def _tagger(path: str) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def model_available(path: Path = MODEL) -> bool:
    return path.is_file()


def label(text: str, hints: list[tuple[int, int, str]] = (), path: Path = MODEL) -> Labelled:
    """Tag every token and gather each label's first run (authors, title, journal ...) as a field;
    `hints` are the rule parser's field spans (crf_features.rule_hints)."""
    tokens = tokenize(text)
    result = Labelled()
    if not tokens:
        return result
    tagger = _tagger(str(path))
    result.labels = tagger.tag(features(text, tokens, hints))
    result.probability = tagger.probability(result.labels)
    _names_not_dates(tokens, result.labels)
    runs: dict[str, tuple[int, int]] = {}
    i = 0
    while i < len(tokens):
        j = i
        while j + 1 < len(tokens) and result.labels[j + 1] == result.labels[i]:
            j += 1
        name = result.labels[i]
        if name not in runs:
            runs[name] = (i, j)
            result.text[name] = text[tokens[i].start: tokens[j].end]
            result.confidence[name] = min(tagger.marginal(name, k) for k in range(i, j + 1))
        i = j + 1
    return result


def _names_not_dates(tokens, labels: list[str]) -> None:
    """A given name that is also a month ("van der Berg, Jan, and ...", "May") tagged as a date right after
    the authors: a date run with no digit (nor "n.d.", "in press") there is the authors' (changed in place)."""
    i = 0
    while i < len(labels):
        j = i
        while j + 1 < len(labels) and labels[j + 1] == labels[i]:
            j += 1
        words = " ".join(t.text for t in tokens[i:j + 1]).lower()
        if labels[i] == "date" and i and labels[i - 1] == "author" and not re.search(r"\d|\bn\s*\.?\s*d\b|press", words):
            labels[i:j + 1] = ["author"] * (j + 1 - i)
        i = j + 1


QUOTE_PAIRS = {"“": "”", '"': '"', "‘": "’", "«": "»", "``": "''", "„": "“", "'": "'"}


def clean_title(text: str) -> str:
    """The title without the quotes around it and its closing punctuation; quotes inside it stay
    ("Comment on “Estimating ...”")."""
    text = text.strip().rstrip(".,;:").strip()
    opening = next((q for q in QUOTE_PAIRS if text.startswith(q)), None)
    if opening:
        text = text[len(opening):].strip()
        closing = QUOTE_PAIRS[opening]
        inner = text.rstrip(".,;: ")
        if inner.endswith(closing) and inner.count(closing) > inner.count(opening) - (opening == closing):
            text = inner[: -len(closing)]
    elif text and text[-1] in QUOTES and text.count(text[-1]) % 2 == 1 and text[-1] not in "’'":
        text = text[:-1]  # a closing quote whose opening one the labeller left out
    return text.strip().rstrip(".,;:").strip()


def clean_container(text: str) -> str:
    text = re.sub(r"^(?:in|dans|en)\s*:?\s+", "", text.strip(), flags=re.I)
    return clean_title(text)


def volume_issue(volume: str, issue: str) -> tuple[str, str]:
    """"Vol. 9," -> ("9", ""); "7(3)," -> ("7", "3"); "vol. 521, no. 7553" -> ("521", "7553"); "no. 2" -> "2"."""
    match = re.search(r"([A-Za-z]?\d+[A-Za-z]?(?:[-/–]\d+)?)\s*(?:\(([^)]+)\))?", volume)
    vol, inner = (match.group(1), match.group(2) or "") if match else (volume.strip(" .,;:()"), "")
    if not inner and (number := re.search(r"\b(?:nos?|nr|issue|n°)\.?\s*(\w+(?:[-–]\w+)?)", volume, re.I)):
        inner = number.group(1)
    issue = (issue or inner).strip().lstrip("(")
    if ")" in issue:  # "1):5–" (a labelled issue running into the pages): the issue ends at its bracket
        issue = issue[: issue.index(")")]
    issue = re.sub(r"^\(?\s*(?:nos?\.?|nr\.?|issue|heft|n°|num\.?)\s*", "", issue.strip(), flags=re.I)
    return vol, issue.strip(" .,;:()")


def pages_text(pages: str) -> str:
    # "pp. 12-30", "S. 10", "Article 4521"; the "S" of "S10-S16" is part of the page
    pages = re.sub(r"^\(?\s*(?:pp?|pages?|s|art(?:icle)?(?:\s+no)?|e-?locator)(?:\.\s*|\s+|:\s*)", "", pages.strip(),
                   flags=re.I)
    match = re.search(r"[A-Za-z]{0,4}\d+[A-Z]?(?:\s*[\-–—‐−]+\s*[A-Za-z]{0,4}\d+[A-Z]?)?", pages)
    return match.group(0) if match else ""
