"""The style detector (pipeline/outputs/citation_style.py) on labelled reference lists.

tests/data/styles/lists.jsonl: 83 lists in 6 styles, written before the detector ran, split
into a tuning part (40 lists) and an untouched part (43 lists, measured once). Also the two
samples and the real pages of ../shared/corpus, labelled by reading their lists before the
detector ran on them (the Wikipedia page uses its own citation template, none of the six).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.outputs.citation_style import detect_style, numbering_of
from tests.conftest import RAW, ROOT, SHARED_CORPUS

LISTS = Path(__file__).parent / "data" / "styles" / "lists.jsonl"
PAGE_STYLES = {
    "exercise-metabolic-dysregulation.txt": "mla",
    "insulin-resistance-lifestyle.txt": "apa",
    "12_nccih-meditation-mindfulness.html": "vancouver",
    "13_harvard-healthy-eating-plate.html": "vancouver",
    "14_oma-weight-loss-medications.html": "vancouver",
    "15_apa-psychiatry-scientific-trends.html": "vancouver",
    "16_wikipedia-mozilla.html": "unknown",
}


def _lists(part: str) -> list[dict]:
    return [d for d in map(json.loads, LISTS.read_text(encoding="utf-8").splitlines()) if d["part"] == part]


@pytest.mark.parametrize("part", ["tuning", "untouched"])
def test_style_of_the_labelled_lists(part):
    lists = _lists(part)
    wrong = [(d["id"], d["style"], detect_style(d["entries"]).name) for d in lists
             if detect_style(d["entries"]).name != d["style"]]
    print(f"\n{part}: {len(lists) - len(wrong)}/{len(lists)} lists right; wrong: {wrong}")
    assert len({d["style"] for d in lists}) >= 6 or part == "tuning"
    assert not wrong


def _page_lists():
    from pipeline.ingest.stage import ingest_path
    from pipeline.references.stage import parse_references

    paths = [RAW / name for name in PAGE_STYLES if (RAW / name).exists()]
    # ../shared beside the checkout, or beside the folder of worktrees
    corpus = next((c for c in (SHARED_CORPUS, ROOT.parent.parent / "shared" / "corpus") if c.is_dir()), None)
    if corpus is not None:
        paths += [corpus / name for name in PAGE_STYLES if (corpus / name).exists()]
    return {p.name: [r.raw for r in parse_references(ingest_path(p).blocks)] for p in paths}


def test_style_of_the_samples_and_the_real_pages():
    lists = _page_lists()
    assert {"exercise-metabolic-dysregulation.txt", "insulin-resistance-lifestyle.txt"} <= set(lists)
    found = {name: detect_style(raws).name for name, raws in lists.items()}
    print(f"\npages: {found}")
    assert found == {name: PAGE_STYLES[name] for name in lists}


def test_numbering_forms():
    assert numbering_of("[12] A. B. Smith, “T,” J., 2001.") == ("12", "[{n}]")
    assert numbering_of("3. Cohen S. Stress. JAMA. 2007;298:1685.") == ("3", "{n}.")
    assert numbering_of("Kahn, S. E. (2006). Title.") == ("", "")
    assert detect_style(["[1] S. Kahn, “A,” Nature, vol. 1, pp. 1–2, 2006.",
                         "[2] R. Hull and K. Li, “B,” Cell, vol. 2, no. 3, pp. 4–9, 2001."]).numbering == "[{n}]"
