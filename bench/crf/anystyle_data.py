"""AnyStyle's labelled references (anystyle-core.xml) -> (raw text, per-token labels) and gold fields.

Consumes the XML of ../shared/benchmarks/reference-parsing (one <sequence> per reference, each piece
tagged with its field, pieces joined by single spaces); produces training pairs for the CRF and the
gold values of the fields the journal-article bar is measured on.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout (or beside the folder of worktrees)
SHARED = next((up / "shared" / "benchmarks" / "reference-parsing" / "anystyle-core.xml" for up in ROOT.parents[:2]
               if (up / "shared" / "benchmarks").is_dir()), ROOT.parent / "shared" / "benchmarks" / "reference-parsing"
              / "anystyle-core.xml")
# AnyStyle's tags -> the labeller's labels (rare tags folded into "other")
LABELS = {"author": "author", "editor": "editor", "translator": "editor", "director": "editor", "producer": "editor",
          "date": "date", "title": "title", "journal": "journal", "container-title": "container",
          "collection-title": "container", "volume": "volume", "issue": "issue", "pages": "pages",
          "publisher": "publisher", "location": "location", "note": "note", "genre": "note", "medium": "note",
          "edition": "edition", "url": "url", "doi": "doi", "isbn": "other", "source": "other",
          "citation-number": "number"}


def load_sequences(path: Path = SHARED) -> list[list[tuple[str, str]]]:
    """Every <sequence> as [(label, text), ...] in order."""
    root = ET.parse(path).getroot()
    out = []
    for sequence in root.iter("sequence"):
        pieces = [(LABELS.get(child.tag, "other"), " ".join((child.text or "").split())) for child in sequence]
        out.append([(label, text) for label, text in pieces if text])
    return out


def raw_and_spans(pieces: list[tuple[str, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """The raw string (pieces joined by spaces) and each piece's character span and label."""
    raw, spans = "", []
    for label, text in pieces:
        if raw:
            raw += " "
        spans.append((len(raw), len(raw) + len(text), label))
        raw += text
    return raw, spans


def is_held_out(index: int) -> bool:
    """The fixed split (bench/crf/SPLIT.md): every fifth sequence, counting from 0, index % 5 == 4."""
    return index % 5 == 4


def is_untouched(index: int) -> bool:
    """The untouched part of the second round (bench/crf/SPLIT.md): index % 10 == 1, never trained or tuned on."""
    return index % 10 == 1


INITIAL = re.compile(r"(?:[A-Z][a-z]?\.?-?){1,3}\.?:?")


def _first_family(author: str) -> str:
    """The first author's family name in AnyStyle's author text, whatever the name order."""
    text = re.sub(r"^\W+|\s*\((?:eds?|hrsg)\.?\)", "", author, flags=re.I).strip()
    first = re.split(r",|;|\s&\s|\sand\s|\set\sal", text, maxsplit=1)[0].strip(" .:")
    words = first.split()
    if not words:
        return ""
    if len(words) > 1 and re.fullmatch(r"(?:[A-Z]\.-?)+|[A-Z]", words[0]):  # "P. Arbeláez", "W.-P. de Roever", "H Johansson"
        rest = [w for w in words[1:] if not re.fullmatch(r"(?:[A-Z]\.-?)+", w)]
        return " ".join(rest)
    if len(words) > 1 and words[0].isupper() and not words[1].isupper():
        return words[0]  # "RAMADIER Thierry"
    cut = next((i for i, w in enumerate(words[1:], 1) if re.fullmatch(r"[A-Z]{1,3}(?:-[A-Z])?\.?|(?:[A-Z]\.-?)+", w)), None)
    if cut:
        return " ".join(words[:cut])  # "Pérez-Higueras JJ", "Heidegger M.", "Goss DL. Moore JH."
    after = text[len(first):].lstrip(" .")
    if len(words) == 1 or re.match(r",\s*(?:[A-Z]\.?\s?-?)+(?:[,;&]|\s|$)", after):
        return first  # "Romero, C.", "van der Straten, O."
    return words[-1]  # "Alexander Vrchoticky"


def gold_fields(pieces: list[tuple[str, str]]) -> dict:
    """The gold first author, year, title, journal, volume, issue and first page of one sequence."""
    first = {}
    for label, text in pieces:
        first.setdefault(label, text)
    volume = first.get("volume", "")
    vol = re.search(r"(?:vol\.?|volume|bd\.?)?\s*([A-Za-z]?\d+[A-Za-z]?)", volume, re.I)
    issue = first.get("issue", "")
    if not issue and (inner := re.search(r"\(([^)]+)\)", volume)):
        issue = inner.group(1)
    if not issue and (inner := re.search(r"\b(?:no|nr|issue|n°)\.?\s*(\w+)", volume, re.I)):
        issue = inner.group(1)
    pages = re.search(r"([A-Za-z]*\d+)", re.sub(r"^(?:pp?|pages|s)\.?\s*", "", first.get("pages", ""), flags=re.I))
    year = re.search(r"(?:1[5-9]|20)\d\d", first.get("date", ""))
    return {"first_author": _first_family(first.get("author", "")), "year": year.group(0) if year else "",
            "title": first.get("title", ""), "journal": first.get("journal", ""),
            "volume": vol.group(1) if vol else "", "issue": re.sub(r"^(?:no\.?|nr\.?|issue)\s*", "", issue, flags=re.I),
            "first_page": pages.group(1) if pages else ""}
