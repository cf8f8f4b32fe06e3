"""Field accuracy of the reference parser on a labelled corpus (shared by the test and the benchmark)."""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path

from pipeline.references.stage import parse_reference

DATA = Path(__file__).parent / "data" / "references"
FIELDS = ("authors", "et_al", "year", "title", "container", "volume", "issue", "pages", "doi", "type")


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _norm(value) -> str:
    text = unicodedata.normalize("NFC", str(value)).casefold()
    return " ".join(text.replace("’", "'").split()).strip(" .")


def got_fields(reference) -> dict:
    return {
        "authors": [f"{a.family} {a.initials}".strip() for a in reference.authors],
        "et_al": reference.authors_truncated,
        "year": reference.year,
        "title": reference.title,
        "container": reference.container,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "doi": reference.doi,
        "type": reference.type_guess,
        "pmid": reference.pmid,
        "pmcid": reference.pmcid,
        "url": reference.url,
        "number": reference.number,
    }


def compare(entry: dict, parse=parse_reference) -> dict[str, bool]:
    expect = dict(entry["expect"])
    expect.setdefault("et_al", False)
    got = got_fields(parse(entry["raw"]))
    result = {}
    for name, value in expect.items():
        if name == "authors":
            result[name] = [_norm(a) for a in got[name]] == [_norm(a) for a in value]
        elif name == "et_al":
            result[name] = bool(got[name]) == bool(value)
        else:
            result[name] = _norm(got.get(name) if got.get(name) is not None else "") == _norm(value if value is not None else "")
    return result


def accuracy(entries: list[dict], parse=parse_reference) -> tuple[dict[str, float], float, list[tuple[str, str]]]:
    per_field: dict[str, list[bool]] = defaultdict(list)
    wrong: list[tuple[str, str]] = []
    for entry in entries:
        for name, ok in compare(entry, parse).items():
            per_field[name].append(ok)
            if not ok:
                wrong.append((name, entry["raw"][:70]))
    rates = {name: sum(v) / len(v) for name, v in per_field.items()}
    total = [ok for v in per_field.values() for ok in v]
    return rates, sum(total) / len(total), wrong
