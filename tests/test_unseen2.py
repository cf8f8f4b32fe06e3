"""A second round of articles the pipeline had never seen, measured against labels written
before it ran (tests/data/unseen2, committed in d122977 before any run).

Three text dumps in the samples' site format on new topics (iron and fatigue, salt and blood
pressure, vitamin B12) with APA, Vancouver and MLA lists, and two HTML pages of site templates
not used before (a WordPress-style blog with numeric markers; a hospital health library with
author-year markers). The labels give block kinds (text), kept and removed snippets (HTML),
tables, reference counts, each reference's fields, scraping holes and every marked sentence.

Measured once, BEFORE any fix (labels committed in d122977; pipeline of main at d122977):
  text dumps: block kinds 180/184, tables with the right columns 0/3, references found 28/29,
    captions removed 19/19, pull-quotes 9/9, holes 2/6, false damage flags 3;
  HTML pages: kept snippets 38/38, removed snippets 51/56 (49/56 with the right kind), tables 2/2,
    references 22/22 parsed, marked sentences resolved 22/23;
  reference fields (51 entries): first author 48, author count 48, et al. 49, year 50, title 50,
    container 47, volume 49, issue 50, pages 49, DOI 50, PMID 50, type 45.

AFTER general fixes (each commit names the shape it fixed; these articles are tuned on now, so the
numbers below are no longer a held-out measure): text dumps block kinds 184/184, tables 3/3, holes
6/6, false damage flags 1 ("herbs, citrus and spices can replace": the small model loses the
coordinated subject); HTML removed snippets 56/56 (55 with the labelled kind: the logo's alt text
in the page header is removed as header boilerplate, not as a caption), markers 23/23; reference
fields 51/51 on every field but the type guess, 47/51 (WHO and ODS pages and an IOM book read as
reports); once the type decided whether Crossref's silence counts (a web page is unchecked, not
not_found), an organisation's web page stays a web page unless its title or address says report or
guidance: type 50/51 (the IOM book is still read as a report).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from pipeline.claims.stage import extract_claims
from pipeline.ingest.stage import ingest_path
from pipeline.linking.stage import link_claims
from pipeline.models import BlockKind, LinkMethod, ParseStatus
from pipeline.references.stage import parse_references
from tests.test_unseen import add_counts, load_labels, show_counts
from tests.test_unseen import measure as measure_text_blocks

DATA = Path(__file__).resolve().parent / "data" / "unseen2"
TEXT = ["iron-deficiency-fatigue", "blood-pressure-salt", "vitamin-b12-nerve-health"]
HTML = ["caffeine-heart-rhythm", "hydration-kidney-stones"]
FIELDS = ("first_author_family", "author_count", "et_al", "year", "title_starts", "container", "volume", "issue",
          "pages", "doi", "pmid", "type")


def _labels(name):
    return load_labels(DATA, name)


def _fold(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).casefold()
    text = text.replace("∞", ":")
    return re.sub(r"[^\w]+", " ", "".join(c for c in text if not unicodedata.combining(c))).strip()


def reference_field_agreement(references, labels) -> dict[str, tuple[int, int]]:
    """Per field, how many entries agree with the labels (entries matched in order)."""
    want = labels["reference_fields"]
    got = {}
    for field in FIELDS:
        right = 0
        for ref, expected in zip(references, want):
            value = expected[field]
            if field == "first_author_family":
                ok = bool(ref.authors) and _fold(ref.authors[0].family) == _fold(value)
            elif field == "author_count":
                ok = len(ref.authors) == value
            elif field == "et_al":
                ok = ref.authors_truncated == value
            elif field == "year":
                ok = ref.year == value
            elif field == "title_starts":
                ok = _fold(ref.title).startswith(_fold(value))
            elif field == "type":
                ok = ref.type_guess.replace("_", "-") == value
            else:
                ok = _fold(getattr(ref, field)) == _fold(value)
            right += ok
        got[field] = (right, len(want))
    return got


@pytest.fixture(scope="module")
def runs():
    documents = {name: ingest_path(DATA / f"{name}.{'txt' if name in TEXT else 'html'}") for name in TEXT + HTML}
    claims = extract_claims(list(documents.values()))
    out = {}
    for name, doc in documents.items():
        mine = [c for c in claims if c.article == doc.article]
        references = parse_references(doc.blocks)
        links = link_claims(mine, references, (), doc.blocks, embedder=False).links
        out[name] = (doc, mine, references, links)
    return out


def measure_html(name, doc, claims, references, links, labels=None) -> dict:
    labels = labels or _labels(name)
    kept = " \n ".join(b.text for b in doc.blocks if b.kept and b.kind not in (BlockKind.REFERENCE,))
    removed_texts = {b.text: b.kind.value for b in doc.blocks if not b.kept}
    kept_right = sum(snippet in kept for snippet in labels["kept_text"])
    removed_right = sum(item["text"] not in kept for item in labels["removed_text"])
    kind_right = sum(any(item["text"] in text and kind == item["kind"] for text, kind in removed_texts.items())
                     for item in labels["removed_text"])
    tables_right = 0
    for table in labels["tables"]:
        rows = [b for b in doc.blocks if b.kind == BlockKind.TABLE_ROW]
        tables_right += (len(rows) == table["rows"] and all(list(b.headers) == table["columns"] for b in rows)
                         and [b.cells[0] for b in rows] == table["first_cells"])
    by_claim = {link.claim_id: link for link in links}
    number = {r.ref_id: i + 1 for i, r in enumerate(references)}
    markers_right, marker_misses = 0, []
    for marker in labels["markers"]:
        claim = next((c for c in claims if c.sentence.startswith(marker["sentence_starts"])), None)
        link = by_claim.get(claim.claim_id) if claim else None
        got = sorted(number[r] for r in link.linked_refs) if link and link.link_method == LinkMethod.MARKER else None
        ok = got == sorted(marker["refs"])
        markers_right += ok
        if not ok:
            marker_misses.append((marker["sentence_starts"], marker["refs"], got))
    return {
        "kept_text": (kept_right, len(labels["kept_text"])),
        "removed": (removed_right, len(labels["removed_text"])),
        "removed_with_right_kind": (kind_right, len(labels["removed_text"])),
        "tables": (tables_right, len(labels["tables"])),
        "references": (len(references), labels["references"]["count"]),
        "parsed": (sum(r.parse_status == ParseStatus.PARSED for r in references), labels["references"]["count"]),
        "markers": (markers_right, len(labels["markers"])),
        "misses": {
            "kept": [s for s in labels["kept_text"] if s not in kept],
            "removed": [(i["kind"], i["text"]) for i in labels["removed_text"] if i["text"] in kept],
            "kind": [(i["kind"], i["text"]) for i in labels["removed_text"]
                     if not any(i["text"] in t and k == i["kind"] for t, k in removed_texts.items())],
            "markers": marker_misses,
        },
    }


def measure_all(runs) -> tuple[dict, dict, dict]:
    text_totals, html_totals, field_totals = {}, {}, {}
    for name in TEXT:
        doc, claims, references, _ = runs[name]
        result = measure_text_blocks(name, doc, claims, references, _labels(name))
        print(show_counts(name, result))
        for line, want, got in result["disagreements"]:
            print(f"  line {line}: labelled {want}, got {got}")
        add_counts(text_totals, result)
    for name in HTML:
        result = measure_html(name, *runs[name])
        print(show_counts(name, result))
        for kind, misses in result["misses"].items():
            for miss in misses:
                print(f"  {kind}: {miss}")
        add_counts(html_totals, result)
    for name in TEXT + HTML:
        _, _, references, _ = runs[name]
        fields = reference_field_agreement(references, _labels(name))
        add_counts(field_totals, fields)
        wrong = [(i + 1, f, getattr(r, {"first_author_family": "authors", "author_count": "authors",
                                        "et_al": "authors_truncated", "title_starts": "title",
                                        "type": "type_guess"}.get(f, f)), e[f])
                 for f in FIELDS for i, (r, e) in enumerate(zip(references, _labels(name)["reference_fields"]))
                 if not reference_field_agreement([r], {"reference_fields": [e]})[f][0]]
        for entry in wrong:
            print(f"  {name} ref {entry[0]} {entry[1]}: got {str(entry[2])[:90]!r}, labelled {entry[3]!r}")
    return text_totals, html_totals, field_totals


def test_unseen2_against_labels_written_before_the_run(runs):
    text_totals, html_totals, field_totals = measure_all(runs)
    print("\ntext articles: " + ", ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, tuple) else f"{k} {v}"
                                         for k, v in text_totals.items()))
    print("html pages: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in html_totals.items()))
    print("reference fields: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in field_totals.items()))

    # what is reached after the fixes (tuned on now, see the docstring)
    for key in ("blocks", "tables", "references", "parsed", "authors_right", "captions_removed", "pull_quotes", "holes"):
        assert text_totals[key][0] == text_totals[key][1], (key, text_totals[key])
    assert text_totals["false_damage_flags"] <= 1
    for key in ("kept_text", "removed", "tables", "references", "parsed", "markers"):
        assert html_totals[key][0] == html_totals[key][1], (key, html_totals[key])
    assert html_totals["removed_with_right_kind"][0] >= html_totals["removed_with_right_kind"][1] - 1
    for field, (right, total) in field_totals.items():
        assert right >= (total - 1 if field == "type" else total), (field, right, total)
