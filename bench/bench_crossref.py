"""Crossref stage requests and time against the local stand-in server, cold and warm cache.

Checks the labelled references of tests/data/crossref/truth.jsonl and heldout.jsonl repeated across several
articles (as a site repeats its references), first with an empty SQLite cache, then again
with the cache filled, and prints HTTP requests per unique reference (bar: at most 1.2 cold,
zero warm) and seconds per run. Then the server down: 20 references with the API refusing
connections, real backoff, and the seconds until every one is `unchecked` (bar: 10 s; the test
suite asserts the mechanism, the circuit breaker, not the time).
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.crossref.cache import ResponseCache  # noqa: E402
from pipeline.crossref.stage import CrossrefClient, check_references, lookup_key  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.references.stage import parse_reference  # noqa: E402
from tests.crossref_server import CrossrefStandIn  # noqa: E402

TRUTH = ROOT / "tests" / "data" / "crossref" / "truth.jsonl"
HELDOUT = ROOT / "tests" / "data" / "crossref" / "heldout.jsonl"


def main(articles: int = 5) -> dict:
    entries = [json.loads(line) for path in (TRUTH, HELDOUT)
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = [parse_reference(e["raw"], ref_id=f"R{i + 1}") for i, e in enumerate(entries)]
    references = [replace(r, article=f"article-{a}") for a in range(articles) for r in base]
    unique = len({lookup_key(r) for r in base if r.title or r.doi})
    figures = {}
    with tempfile.TemporaryDirectory() as folder, CrossrefStandIn() as server:
        settings = Settings(crossref_url=server.url, cache_dir=Path(folder))
        for label in ("cold", "warm"):
            cache = ResponseCache(Path(folder) / "crossref.sqlite")
            before = server.request_count
            started = time.perf_counter()
            check_references(references, settings, cache=cache)
            seconds = time.perf_counter() - started
            requests = server.request_count - before
            cache.close()
            figures[label] = {"requests": requests, "seconds": seconds}
            print(f"crossref {label}: {len(references)} references ({unique} unique), {requests} HTTP requests "
                  f"= {requests / unique:.2f} per unique reference, {seconds:.2f} s")
    return figures


def server_down(count: int = 20) -> float:
    base = [parse_reference(json.loads(line)["raw"], ref_id=f"R{i + 1}")
            for i, line in enumerate(TRUTH.read_text(encoding="utf-8").splitlines()) if line.strip()]
    references = [r for r in base if r.title or r.doi][:count]
    server = CrossrefStandIn().start()
    url = server.url
    server.stop()  # connection refused from now on
    settings = Settings(crossref_url=url, request_timeout=2.0, max_retries=4)
    client = CrossrefClient(settings)  # real backoff, as a user gets it
    started = time.perf_counter()
    checks = check_references(references, settings, client=client)
    seconds = time.perf_counter() - started
    unchecked = sum(c.verdict.value == "unchecked" for c in checks)
    print(f"server down: {unchecked} references unchecked in {seconds:.1f} s (bar: 10 s); "
          f"{client.requests} connection attempts")
    return seconds


if __name__ == "__main__":
    main()
    server_down()
