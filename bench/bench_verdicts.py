"""Verdicts on generated flawed citations (issue 12): confusion matrices of the tuning and untouched parts.

Builds citations with one known flaw each from the real Crossref records the stand-in serves
(tests/flawed_citations.py: nine classes, APA, Vancouver and MLA; the split into a tuning and an
untouched part is fixed by DOI hash), runs them through ingest, the reference parser and the
Crossref stage against the local stand-in (tests/crossref_server.py), and prints for each part the
confusion matrix (rows expected, columns given, `lost` for entries that never became references),
the share of verdicts right with the flawed fields named (bar 0.97), `verified` precision (bar 1.00),
references lost (bar 0) and HTTP requests per citation, for three draws of flaws from the same records
(the third in each style's other common shape).
Then the misses, one line each. Then the same on the unseen set: citations built from real Crossref
records this project had never seen (tests/data/crossref_unseen), the untouched part as read once
(draws 0 and 2 together), its draw 1, and the tuning part (draws 0-2).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.crossref_server import CrossrefStandIn  # noqa: E402
from tests.flawed_citations import UNSEEN, cases  # noqa: E402
from tests.verdict_scoring import checks_for, describe, score, world  # noqa: E402


def measure(title: str, generated: list, items: list[dict] | None = None) -> dict:
    """One set of generated citations through the real path against a fresh stand-in: prints the
    confusion matrix, the figures and the misses; returns the figures."""
    with CrossrefStandIn(items=items) as server:
        started = time.perf_counter()
        result = score(checks_for(generated, server.url))
        seconds = time.perf_counter() - started
        requests = server.request_count
    print(result.table(title))
    print(f"{requests} HTTP requests = {requests / len(generated):.2f} per citation, {seconds:.1f} s")
    for case, check in result.wrong:
        print(describe(case, check))
    print()
    return {"named": result.named / result.total, "exact": result.exact / result.total,
            "precision": result.precision, "lost": result.lost, "requests": requests}


def main() -> dict:
    figures = {}
    for which, draw in ((part, draw) for draw in (0, 1, 2) for part in ("tuning", "untouched")):
        figures[(which, draw)] = measure(f"generated flawed citations, {which} part, draw {draw}",
                                         cases(which, draw=draw))
    # the unseen records: the untouched part as read once (draws 0 and 2 together), its draw 1, the tuning part
    for which, draws in (("untouched", (0, 2)), ("untouched", (1,)), ("tuning", (0, 1, 2))):
        generated = [c for d in draws for c in cases(which, path=UNSEEN, draw=d)]
        figures[("unseen", which, draws)] = measure(f"unseen records, {which} part, draws {draws}", generated,
                                                    world(UNSEEN))
    return figures


if __name__ == "__main__":
    main()
