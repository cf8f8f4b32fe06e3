"""Article-body extraction benchmark: the pipeline's kept HTML text against trafilatura, one run.

Consumes ../shared/benchmarks/article-extraction (gzip pages + ground-truth.json, the public
scrapinghub/article-extraction-benchmark); produces, for the tuning part, the untouched part and
all pages: mean and micro (pooled) bag-of-tokens F1, empty outputs, seconds per page for each
tool and the ratio ours / trafilatura. Scoring as that set's README gives it: lowercase, strip
punctuation, split on whitespace, per-page precision/recall/F1 of token bags.

The split is fixed and was written down before any tuning (bench/RESULTS.md): a page whose id
(a sha256 hex string) starts with 0-4 is in the UNTOUCHED part, 5-f in the TUNING part.

"Ours" is the kept text of the HTML ingest, timed as the pipeline runs it (ingest_html, with the
caption detector's parser), over the blocks a reader of the article sees: kept body, list items,
table rows (their original cells), headings and closing prose. Set BENCH_EXTRACT_PART=tuning to read
only the tuning part (while tuning), BENCH_EXTRACT_LIMIT=n for the first n pages of each part.
The pages are measured BENCH_EXTRACT_REPEATS times (default 3; the machine is shared): each page's
seconds are its median over the repeats, and the ratio of each repeat is printed with their median.

A second pass weighs the designs side by side, trafilatura again as their time base: "ours:region"
walks trafilatura's region without the body filter; "ours:own" never asks trafilatura (the
pipeline's own <main>/<article> choice, containers weighed by text and link density).
BENCH_EXTRACT_DESIGNS=0 leaves it out.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the checkout of main sits beside ../shared, a worktree one level deeper; BENCH_EXTRACT_SET overrides both
SET = next((p for p in (Path(os.environ.get("BENCH_EXTRACT_SET", "/nonexistent")),
                        ROOT.parent / "shared" / "benchmarks" / "article-extraction",
                        ROOT.parent.parent / "shared" / "benchmarks" / "article-extraction") if p.is_dir()),
           ROOT.parent / "shared" / "benchmarks" / "article-extraction")
UNTOUCHED_FIRST = "01234"  # fixed before tuning: ids starting with these hex digits are never tuned on
TOKEN = re.compile(r"[^\w\s]+")


def tokens(text: str) -> Counter:
    return Counter(TOKEN.sub(" ", text.lower()).split())


def score(predicted: str, truth: str) -> tuple[float, int, int, int]:
    """(F1, overlap, predicted count, truth count) of two token bags."""
    p, t = tokens(predicted), tokens(truth)
    overlap = sum((p & t).values())
    n_p, n_t = sum(p.values()), sum(t.values())
    if not overlap:
        return 0.0, 0, n_p, n_t
    precision, recall = overlap / n_p, overlap / n_t
    return 2 * precision * recall / (precision + recall), overlap, n_p, n_t


def load_pages() -> list[tuple[str, str, str]]:
    """(id, decoded html, article body) of every page, sorted by id."""
    from pipeline.ingest.decoding import decode

    truth = json.loads((SET / "ground-truth.json").read_text())
    pages = []
    for page_id in sorted(truth):
        data = gzip.decompress((SET / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append((page_id, decode(data)[0], truth[page_id]["articleBody"]))
    return pages


def ours_extractor():
    from pipeline.ingest.stage import ingest_html
    from pipeline.models import BlockKind

    reader_kinds = {BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.HEADING, BlockKind.SECTION,
                    BlockKind.CLOSING}

    def extract(html: str, page_id: str) -> str:
        document = ingest_html(html, page_id)
        return "\n".join(b.original_text for b in document.blocks if b.kept and b.kind in reader_kinds)
    return extract


def design_extractor(design: str):
    """The HTML ingest in one of its designs (html_page.DESIGNS), as build_document runs it."""
    from pipeline.ingest.html_page import ingest_html_blocks
    from pipeline.ingest.stage import _caption_parser
    from pipeline.models import BlockKind

    reader_kinds = {BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.HEADING, BlockKind.SECTION,
                    BlockKind.CLOSING}
    parse = _caption_parser()

    def extract(html: str, page_id: str) -> str:
        blocks, _ = ingest_html_blocks(html, page_id, parse=parse, design=design)
        return "\n".join(b.original_text for b in blocks if b.kept and b.kind in reader_kinds)
    return extract


def trafilatura_extractor():
    import trafilatura

    return lambda html, page_id: trafilatura.extract(html) or ""


def measure(pages, tools: dict) -> dict:
    """Per tool: list of (page id, F1, overlap, n_pred, n_truth, seconds); the tools run page by page,
    taking turns going first, so that machine load and warm caches fall on both alike."""
    rows = {name: [] for name in tools}
    order = list(tools.items())
    for i, (page_id, html, truth) in enumerate(pages):
        # the tools take turns going first: trafilatura keeps caches of text it has seen (lru_cache),
        # and the tool that runs second on a page would find them warm
        for name, extract in (order if i % 2 == 0 else order[::-1]):
            started = time.perf_counter()
            text = extract(html, page_id)
            seconds = time.perf_counter() - started
            rows[name].append((page_id, *score(text, truth), seconds))
    return rows


def median_rows(runs: list[dict]) -> dict:
    """One run's rows with each page's seconds the median over the repeated runs (F1 is the same in each)."""
    return {name: [(*row[:5], statistics.median(run[name][i][5] for run in runs))
                   for i, row in enumerate(runs[0][name])] for name in runs[0]}


def summary(rows: list) -> dict:
    n = len(rows)
    overlap, n_pred, n_truth = (sum(r[i] for r in rows) for i in (2, 3, 4))
    micro_p, micro_r = overlap / max(n_pred, 1), overlap / max(n_truth, 1)
    return {"pages": n, "mean_f1": sum(r[1] for r in rows) / max(n, 1),
            "micro_f1": 2 * micro_p * micro_r / max(micro_p + micro_r, 1e-9),
            "empty": sum(1 for r in rows if r[3] == 0), "s_per_page": sum(r[5] for r in rows) / max(n, 1)}


def report(rows: dict, baseline: str = "trafilatura") -> str:
    lines = []
    parts = {"untouched (ids 0-4...)": lambda i: i[0] in UNTOUCHED_FIRST,
             "tuning (ids 5-f...)": lambda i: i[0] not in UNTOUCHED_FIRST, "all": lambda i: True}
    for part, belongs in parts.items():
        if not any(belongs(r[0]) for r in rows[baseline]):
            continue
        base = summary([r for r in rows[baseline] if belongs(r[0])])
        lines.append(f"{part}: {base['pages']} pages")
        for name, tool_rows in rows.items():
            s = summary([r for r in tool_rows if belongs(r[0])])
            lines.append(f"  {name:<12} mean F1 {s['mean_f1']:.3f}  micro F1 {s['micro_f1']:.3f}  empty {s['empty']:>2}  "
                         f"{s['s_per_page'] * 1000:6.1f} ms/page  ratio {s['s_per_page'] / base['s_per_page']:.2f}")
    return "\n".join(lines)


def worst(rows: list, n: int = 10) -> str:
    return "\n".join(f"  {r[0][:12]} F1 {r[1]:.3f} pred {r[3]} truth {r[4]}" for r in sorted(rows, key=lambda r: r[1])[:n])


def main() -> None:
    if not SET.is_dir():
        print(f"article extraction bench skipped: {SET} is absent")
        return
    pages = load_pages()
    part = os.environ.get("BENCH_EXTRACT_PART", "all")  # "tuning" while tuning: the untouched part stays unread
    if part == "tuning":
        pages = [p for p in pages if p[0][0] not in UNTOUCHED_FIRST]
    limit = int(os.environ.get("BENCH_EXTRACT_LIMIT", "0"))
    if limit:
        pages = [p for p in pages if p[0][0] in UNTOUCHED_FIRST][:limit] + \
                [p for p in pages if p[0][0] not in UNTOUCHED_FIRST][:limit]
    tools = {"ours": ours_extractor(), "trafilatura": trafilatura_extractor()}
    from pipeline.nlp import load_nlp

    load_nlp(disable=("ner",))  # the caption parser's model loads on its first parse: a one-time cost, not a page's
    for extract in tools.values():  # load the rest outside the timing
        extract(pages[0][1], "warm-up")
    repeats = max(1, int(os.environ.get("BENCH_EXTRACT_REPEATS", "3")))
    runs = [measure(pages, tools) for _ in range(repeats)]
    rows = median_rows(runs)
    print(report(rows))
    if repeats > 1:
        ratios = [summary(run["ours"])["s_per_page"] / summary(run["trafilatura"])["s_per_page"] for run in runs]
        print(f"seconds per page, all pages, ours / trafilatura in each of {repeats} repeats: "
              + ", ".join(f"{r:.2f}" for r in ratios) + f"; median {statistics.median(ratios):.2f}"
              + " (the ms/page above: each page's median over the repeats)")
    if os.environ.get("BENCH_EXTRACT_DESIGNS", "1") != "0":
        # the designs weighed, side by side in a second pass with trafilatura again as the time base (in
        # the first pass they would share its garbage collections and caches with "ours")
        designs = {"ours:region": design_extractor("region"), "ours:own": design_extractor("own"),
                   "trafilatura": tools["trafilatura"]}
        print("designs weighed (second pass):")
        print(report(measure(pages, designs)))
    if os.environ.get("BENCH_EXTRACT_WORST"):
        print("worst pages, ours (tuning part only):")
        print(worst([r for r in rows["ours"] if r[0][0] not in UNTOUCHED_FIRST]))


if __name__ == "__main__":
    main()
