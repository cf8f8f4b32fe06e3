"""The project's labelled references (tests/data/references/*.jsonl) -> token labels for the CRF.

Consumes entries whose expected fields are values, not spans; produces (text, tokens, labels) by
finding each expected value in the text (title, container, authors, year, volume, issue, pages) and
giving the punctuation between fields to the field before it, as AnyStyle's labels do.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from pipeline.references.crf_features import tokenize
from pipeline.references.crf_parse import clean_text

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "references"
TRAIN_PARTS = ("samples.jsonl", "tuned.jsonl")
CONTAINER_LABEL = {"journal-article": "journal", "book": "publisher", "report": "publisher", "thesis": "publisher"}


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _find(text: str, value: str, after: int = 0) -> tuple[int, int] | None:
    if not value:
        return None
    pattern = r"[\s\-–—]*".join(re.escape(part) for part in re.split(r"[\s\-–—]+", value.strip()) if part)
    pattern = pattern.replace(r"\'", "['’]")
    match = re.compile(rf"(?<!\w){pattern}(?!\w)", re.I).search(text, after)
    return (match.start(), match.end()) if match else None


def _spans(text: str, expect: dict) -> list[tuple[int, int, str]]:
    spans = []
    title = _find(text, expect.get("title", ""))
    if title:
        spans.append((*title, "title"))
    cursor = title[1] if title else 0
    container = _find(text, expect.get("container", ""), cursor)
    if container:
        spans.append((*container, CONTAINER_LABEL.get(expect.get("type", ""), "container")))
        cursor = container[1]
    for name in ("volume", "issue"):
        if (found := _find(text, str(expect.get(name) or ""), cursor)) is not None:
            spans.append((*found, name))
            cursor = found[1]
    pages = str(expect.get("pages") or "")
    if pages and (found := re.compile(re.escape(pages.split("-")[0]) + r"[\w\-–—]*").search(text, cursor)):
        spans.append((found.start(), found.end(), "pages"))
    authors = expect.get("authors") or []
    if authors:
        first = _find(text, authors[0].split(" ")[0] if not len(authors) == 1 else authors[0].rsplit(" ", 1)[0])
        last = _find(text, authors[-1].split(" ")[0] if len(authors) > 1 else authors[-1].rsplit(" ", 1)[0])
        end = title[0] if title else len(text)
        if first and first[0] < end:
            stop = max(first[1], last[1] if last and last[1] <= end else first[1])
            initials = re.match(r"(?:,?\s*(?:[A-Z]\.\s?-?|[A-Z]{1,4}\b)+|,?\s*(?:et al\.?))*", text[stop:end])
            before = re.search(r"(?:[A-Z]\.\s?-?\s?)+$", text[: first[0]])
            spans.append((before.start() if before else first[0], stop + (initials.end() if initials else 0), "author"))
    year = str(expect.get("year") or "")
    if year:
        taken = [(s, e) for s, e, _ in spans]
        for match in re.finditer(re.escape(year), text):
            if not any(s <= match.start() < e for s, e in taken):
                spans.append((match.start(), match.end(), "date"))
                break
    return spans


def labelled(entry: dict) -> tuple[str, list, list[str]]:
    text = clean_text(entry["raw"])
    spans = _spans(text, entry["expect"])
    if number := re.match(r"\[\d+\]|\(\d+\)|\d{1,3}\.?(?=\s)", text):
        spans.append((0, number.end(), "number"))
    authors = next((span for span in spans if span[2] == "author"), None)
    after = min((start for start, _, name in spans if authors and start >= authors[1]), default=None)
    if authors and after is not None and not re.search(r"\d", text[authors[1]:after]) and after - authors[1] < 200:
        # names the expected list does not hold ("et al.", a run the search missed) up to the next field
        gap = text[authors[1]:after].rstrip(" ([“\"'")
        spans[spans.index(authors)] = (authors[0], authors[1] + len(gap), "author")
    tokens = tokenize(text)
    labels = []
    for i, token in enumerate(tokens):
        label = next((name for start, end, name in spans if start <= token.start < end), None)
        if label is None:
            if token.text.lower().startswith(("http", "www.")):
                label = "url"
            elif re.match(r"(?:doi:\s*)?10\.\d", token.text, re.I):
                label = "doi"
            elif i == 0 and token.text.isdigit() or i <= 1 and token.text in "[" and len(tokens) > 2:
                label = "number"
        labels.append(label)
    # punctuation and "et al." go with the field before them; an opening bracket or quote with the next
    for i in range(len(labels) - 2, -1, -1):
        if labels[i] is None and tokens[i].text.lower() in ("vol", "no", "pp", "p", "issue", "nr", "art", "article"):
            labels[i] = labels[i + 1] if labels[i + 1] in ("volume", "issue", "pages") else \
                labels[i + 2] if labels[i + 1] is None and i + 2 < len(labels) else None
    for i, label in enumerate(labels):
        if label is None and tokens[i].text in "\"'" and i and tokens[i].start == tokens[i - 1].end:
            labels[i] = labels[i - 1]  # a closing straight quote
        elif label is None and not tokens[i].text.isalnum() and tokens[i].text in "([“‘«\"'" and i + 1 < len(labels) \
                and labels[i + 1]:
            labels[i] = labels[i + 1]
    for i, label in enumerate(labels):
        if label is None:
            previous = labels[i - 1] if i else "other"
            glued = not tokens[i].text.isalnum() or tokens[i].text.lower() in ("et", "al", "jan", "feb", "mar", "apr",
                                                                              "may", "jun", "jul", "aug", "sep", "oct",
                                                                              "nov", "dec")
            labels[i] = previous if glued and previous not in ("url", "doi") else "note"
    return text, tokens, labels


def training_pairs() -> list[tuple[str, list, list[str]]]:
    return [labelled(entry) for part in TRAIN_PARTS for entry in load(part)]
