"""The identified works for reference managers: references.bib, references.json, references.ris.

Consumes the references of a run and their Crossref checks; produces three files in the output
folder holding every work a reference was identified with (`verified`, `mismatch`,
`misattributed`), one entry per unique DOI however many articles cite it, written from the
Crossref record (not from the citation, which may be wrong): BibTeX for LaTeX, BibDesk and
JabRef, CSL-JSON (the format of Zotero and of CSL processors), RIS for EndNote and Mendeley.

Each work's key (BibTeX key, CSL-JSON id, RIS ID) is built from its record alone: first
author's family name, year and first significant title word ("kahn2006mechanisms"); when two
works of a run would share one, each gets four hex digits of a hash of its DOI as well, so a
key never depends on the order of a run.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Sequence

from pipeline.models import Check, CrossrefWork
from pipeline.outputs.corrected import IDENTIFIED, csl_item
from pipeline.store import atomic_write_text

STOP_WORDS = {"a", "an", "the", "on", "of", "in", "and", "for", "to", "with", "from", "at", "by", "is", "are"}
BIBTEX_TYPES = {"article-journal": "article", "paper-conference": "inproceedings", "chapter": "incollection",
                "book": "book", "report": "techreport", "thesis": "phdthesis"}
RIS_TYPES = {"article-journal": "JOUR", "paper-conference": "CPAPER", "chapter": "CHAP", "book": "BOOK",
             "report": "RPRT", "thesis": "THES", "dataset": "DATA"}
BIBTEX_SPECIAL = re.compile(r"([&%$#_])")


def identified_works(checks: Sequence[Check]) -> list[CrossrefWork]:
    """The works the references were identified with, one per DOI (case-insensitive), first seen first."""
    works: dict[str, CrossrefWork] = {}
    for check in checks:
        if check.verdict in IDENTIFIED and check.work is not None and check.work.doi:
            works.setdefault(check.work.doi.casefold(), check.work)
    return list(works.values())


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in folded if not unicodedata.combining(c)).lower())


def base_key(work: CrossrefWork) -> str:
    family = _ascii_word(work.authors[0].family) if work.authors else "anon"
    words = [w for w in (_ascii_word(w) for w in work.title.split()) if w and w not in STOP_WORDS]
    return f"{family or 'anon'}{work.year or 'nd'}{words[0] if words else ''}"


def keys_of(works: Sequence[CrossrefWork]) -> dict[str, str]:
    """DOI (folded) -> key, unique within the run and built from each record alone."""
    bases = {w.doi.casefold(): base_key(w) for w in works}
    shared = {b for b in bases.values() if list(bases.values()).count(b) > 1}
    return {doi: base + ("-" + hashlib.sha1(doi.encode()).hexdigest()[:4] if base in shared else "")
            for doi, base in bases.items()}


def _bib_value(text: str) -> str:
    """A BibTeX field value: LaTeX's special characters escaped, braces balanced."""
    text = BIBTEX_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return text.replace("{", "(").replace("}", ")")


def bibtex_entry(work: CrossrefWork, key: str) -> str:
    item = csl_item(work, key)
    kind = BIBTEX_TYPES.get(item["type"], "misc")
    fields = [("author", " and ".join(f"{a.family}, {a.given or a.initials}" if (a.given or a.initials)
                                      else "{" + a.family + "}" for a in work.authors)),
              ("title", work.title), ("year", str(work.year or "")), ("volume", work.volume),
              ("number", work.issue), ("pages", (work.pages or work.article_number).replace("-", "--")),
              ("doi", work.doi), ("publisher", work.publisher if kind != "article" else "")]
    container = item.get("container-title", "")
    fields.insert(2, ({"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
                      .get(kind, "howpublished"), container))
    body = ",\n".join(f"  {name} = {{{_bib_value(value) if name != 'author' else value}}}"
                      for name, value in fields if value)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def ris_entry(work: CrossrefWork, key: str) -> str:
    item = csl_item(work, key)
    lines = [f"TY  - {RIS_TYPES.get(item['type'], 'GEN')}", f"ID  - {key}"]
    lines += [f"AU  - {a.family}, {a.given or a.initials}".rstrip(", ") for a in work.authors]
    lines.append(f"TI  - {work.title}")
    if item.get("container-title"):
        lines.append(f"{'JO' if item['type'] == 'article-journal' else 'T2'}  - {item['container-title']}")
    first, _, last = (work.pages or work.article_number).partition("-")
    for tag, value in (("PY", str(work.year or "")), ("VL", work.volume), ("IS", work.issue), ("SP", first),
                       ("EP", last), ("PB", work.publisher), ("DO", work.doi), ("UR", f"https://doi.org/{work.doi}")):
        if value:
            lines.append(f"{tag}  - {value}")
    lines.append("ER  - ")
    return "\n".join(" ".join(line.split("\n")) for line in lines) + "\n"


def write_exports(out: Path, checks: Sequence[Check]) -> list[Path]:
    """references.bib, references.json and references.ris for the run's identified works."""
    works = identified_works(checks)
    keys = keys_of(works)
    ordered = sorted(works, key=lambda w: keys[w.doi.casefold()])
    items = []
    for work in ordered:
        item = csl_item(work, keys[work.doi.casefold()])
        item["URL"] = f"https://doi.org/{work.doi}"
        items.append(item)
    paths = {name: out / f"references.{name}" for name in ("bib", "json", "ris")}
    atomic_write_text(paths["bib"], "\n".join(bibtex_entry(w, keys[w.doi.casefold()]) for w in ordered))
    atomic_write_text(paths["json"], json.dumps(items, ensure_ascii=False, indent=1) + "\n")
    atomic_write_text(paths["ris"], "\n".join(ris_entry(w, keys[w.doi.casefold()]) for w in ordered))
    return list(paths.values())
