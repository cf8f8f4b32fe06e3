"""A third round of pages the pipeline had never seen: three HTML pages of site templates not
used before (a news magazine with superscript link markers and an AMA list, a government fact
sheet with bracketed markers and mixed sources, a university blog with author-year citations
and an APA list), labelled by a helper that never saw the pipeline's output and committed
before any run (tests/data/unseen3).

Measured once, BEFORE any fix (labels committed in 814b348, pipeline of main at 814b348):
  kept snippets 57/57; removed snippets 89/97 (85 with the labelled kind: teaser headlines of
  'More in Health', a program line, 'Download this fact sheet (PDF, ...)', 'Print this page'
  were kept); tables 2/2; references found 27/33 (the fact sheet's Sources: 5 of 11); marked
  sentences resolved 22/40 (the fact sheet's bracketed markers 2/13, the news page's
  superscript ranges, the blog's '(WHO, 2021)'); reference fields 22-27 of 33.
AFTER general fixes (each commit names the shape; tuned on now): kept 57/57, removed 96/97 (92 with
the labelled kind: logos and a headshot in a header or bio box are removed as boilerplate, not as
captions; a 'Fact sheet · Program' label line is kept), tables 2/2, references 33/33, markers
40/40, reference fields 33/33 on every field but one container (32/33).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims.stage import extract_claims
from pipeline.ingest.stage import ingest_path
from pipeline.linking.stage import link_claims
from pipeline.references.stage import parse_references
from tests.test_unseen import add_counts, load_labels, show_counts
from tests.test_unseen2 import measure_html, reference_field_agreement

DATA = Path(__file__).resolve().parent / "data" / "unseen3"
PAGES = ["wildfire-smoke-heart", "lead-exposure-children", "noise-hearing-loss"]


def _labels(name):
    return load_labels(DATA, name)


@pytest.fixture(scope="module")
def runs():
    documents = {name: ingest_path(DATA / f"{name}.html") for name in PAGES}
    claims = extract_claims(list(documents.values()))
    out = {}
    for name, doc in documents.items():
        mine = [c for c in claims if c.article == doc.article]
        references = parse_references(doc.blocks)
        out[name] = (doc, mine, references, link_claims(mine, references, (), doc.blocks, embedder=False).links)
    return out


def test_unseen3_against_labels_written_before_the_run(runs):
    html_totals, field_totals = {}, {}
    for name in PAGES:
        result = measure_html(name, *runs[name], labels=_labels(name))
        print(show_counts(name, result))
        for kind, misses in result["misses"].items():
            for miss in misses:
                print(f"  {kind}: {miss}")
        add_counts(html_totals, result)
        references = runs[name][2]
        add_counts(field_totals, reference_field_agreement(references, _labels(name)))
        for i, (ref, expected) in enumerate(zip(references, _labels(name)["reference_fields"])):
            for field, (right, _) in reference_field_agreement([ref], {"reference_fields": [expected]}).items():
                if not right:
                    print(f"  {name} ref {i + 1} {field}: got {ref.raw[:70]!r} ..., labelled {expected[field]!r}")
    print("html pages: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in html_totals.items()))
    print("reference fields: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in field_totals.items()))

    # what is reached after the fixes (tuned on now, see the docstring)
    for key in ("kept_text", "tables", "references", "parsed", "markers"):
        assert html_totals[key][0] == html_totals[key][1], (key, html_totals[key])
    assert html_totals["removed"][0] >= html_totals["removed"][1] - 1
    for field, (right, total) in field_totals.items():
        assert right >= total - 1, (field, right, total)
