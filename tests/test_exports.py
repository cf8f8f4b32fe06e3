"""Exports for reference managers (pipeline/outputs/exports.py), parsed back by well-kept parsers.

The identified works of the Crossref labelled sets (checked against the local stand-in) are
written as references.bib, references.json and references.ris; each file is parsed back
(bibtexparser 2, the CSL-JSON schema with jsonschema, rispy) and every entry's fields must equal
the Crossref record's, each identified work present once, keys the same on a second run.
"""
from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from pipeline.crossref.stage import CrossrefClient, check_references
from pipeline.settings import Settings
from pipeline.outputs.exports import identified_works, keys_of, write_exports
from pipeline.references.stage import parse_reference
from tests.crossref_server import CrossrefStandIn

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def checks():
    references = []
    for name in ("truth.jsonl", "heldout.jsonl"):
        lines = (DATA / "crossref" / name).read_text(encoding="utf-8").splitlines()
        references += [parse_reference(json.loads(line)["raw"], article=name, ref_id=f"R{i + 1}")
                       for i, line in enumerate(lines) if line.strip()]
    with CrossrefStandIn() as server:
        settings = Settings(crossref_url=server.url, request_timeout=2.0, crossref_mailto="audit@example.org")
        return check_references(references, settings, client=CrossrefClient(settings, None, backoff_base=0.01))


@pytest.fixture(scope="module")
def exported(checks, tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    write_exports(out, checks)
    return out, {w.doi.casefold(): w for w in identified_works(checks)}


def test_each_identified_work_once(checks, exported):
    _, works = exported
    cited_dois = [c.work.doi.casefold() for c in checks if c.work is not None]
    assert len(works) == len(set(cited_dois)) >= 50 and len(cited_dois) > len(works)  # repeats folded


def _pages(work):
    return work.pages or work.article_number


def test_bibtex_parses_back_with_the_crossref_fields(exported):
    out, works = exported
    library = bibtexparser.parse_string((out / "references.bib").read_text(encoding="utf-8"),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks and len(library.entries) == len(works)
    for entry in library.entries:
        fields = {f.key: f.value for f in entry.fields}
        work = works[fields["doi"].casefold()]
        assert fields["title"] == work.title
        assert fields.get("year", "") == str(work.year or "")
        assert fields.get("volume", "") == work.volume and fields.get("number", "") == work.issue
        # LaTeX decoding reads the range dash "--" as an en dash
        assert fields.get("pages", "").replace("–", "-").replace("--", "-") == _pages(work)
        families = [name.split(",")[0].strip("{} ") for name in fields.get("author", "").split(" and ") if name]
        assert families == [a.family for a in work.authors]


def test_csl_json_is_valid_against_the_schema_with_the_crossref_fields(exported):
    out, works = exported
    items = json.loads((out / "references.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, json.loads((DATA / "exports" / "csl-data.json").read_text(encoding="utf-8")))
    assert len(items) == len(works) == len({i["id"] for i in items})
    for item in items:
        work = works[item["DOI"].casefold()]
        assert item.get("title") == work.title and item["issued"]["date-parts"][0][0] == work.year
        assert [a.get("family", a.get("literal")) for a in item.get("author", [])] == [a.family for a in work.authors]
        assert item.get("page", "") == _pages(work) and item.get("volume", "") == work.volume


def test_ris_parses_back_with_the_crossref_fields(exported):
    out, works = exported
    with open(out / "references.ris", encoding="utf-8") as handle:
        entries = rispy.load(handle)
    assert len(entries) == len(works)
    for entry in entries:
        work = works[entry["doi"].casefold()]
        assert entry["title"] == work.title and entry.get("year", "") == str(work.year or "")
        assert [a.split(",")[0] for a in entry.get("authors", [])] == [a.family for a in work.authors]
        pages = "-".join(p for p in (entry.get("start_page", ""), entry.get("end_page", "")) if p)
        assert pages == _pages(work) and entry.get("volume", "") == work.volume


def test_keys_are_stable_across_runs_and_orders(checks, exported, tmp_path):
    out, works = exported
    write_exports(tmp_path, list(reversed(checks)))
    for name in ("references.bib", "references.json", "references.ris"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes()
    keys = keys_of(list(works.values()))
    assert len(set(keys.values())) == len(keys)
    assert all(key.isascii() and " " not in key for key in keys.values())
