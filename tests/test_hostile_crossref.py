"""The Crossref stage against a hostile server (a real HTTP server on 127.0.0.1, tests/hostile_crossref.py):
malformed shapes, oversized answers, a gzip bomb, too many items, a drip, rate limit 0, a huge
Retry-After, a spent budget, bad cache rows. Every case ends with every reference `unchecked` and a
reason (or checked, once the cause is gone), never an exception; bounds are small here so the tests
stay quick (the sizes of the adversarial round are measured by bench/bench_hostile.py)."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from pipeline.crossref.cache import ResponseCache
from pipeline.crossref.stage import CrossrefClient, check_references, lookup_key
from pipeline.models import Verdict
from pipeline.settings import Settings
from pipeline.references.stage import parse_reference
from tests.crossref_server import CrossrefStandIn
from tests.hostile_crossref import MALFORMED, HostileCrossref

KB = 1024
CITED = [
    "Kahn, S. E., Hull, R. L., & Utzschneider, K. M. (2006). Mechanisms linking obesity to insulin resistance and "
    "type 2 diabetes. Nature, 444(7121), 840-846. https://doi.org/10.1038/nature05482",
    "Shulman, G. I. (2000). Cellular mechanisms of insulin resistance. Journal of Clinical Investigation, 106(2), "
    "171-176.",
]


@pytest.fixture(scope="module")
def references():
    return [parse_reference(raw, article="a", ref_id=f"R{i + 1}") for i, raw in enumerate(CITED)]


def _settings(url, **overrides) -> Settings:
    values = dict(crossref_url=url, request_timeout=2.0, max_retries=1, crossref_mailto="audit@example.org",
                  crossref_max_bytes=256 * KB, crossref_max_decoded_bytes=256 * KB, request_deadline=2.0,
                  retry_after_cap=1.0, crossref_budget=60.0)
    values.update(overrides)
    return Settings(**values)


def _check(url, references, cache=None, **overrides):
    settings = _settings(url, **overrides)
    client = CrossrefClient(settings, cache, backoff_base=0.01, max_backoff=0.05, concurrency=2)
    return check_references(references, settings, client=client), client


def _all_unchecked(checks, *words):
    assert checks and all(c.verdict == Verdict.UNCHECKED for c in checks), [c.verdict for c in checks]
    for check in checks:
        assert any(w in check.note for w in words), check.note


@pytest.mark.parametrize("shape", sorted(MALFORMED))
def test_a_malformed_answer_is_one_unchecked_reference_and_is_not_cached(shape, references, tmp_path):
    cache = ResponseCache(tmp_path / "crossref.sqlite")
    with HostileCrossref(f"malformed:{shape}") as server:
        checks, _ = _check(server.url, references, cache)
    _all_unchecked(checks, "does not fit the Crossref API")
    assert cache.connection.execute("SELECT count(*) FROM responses").fetchone()[0] == 0
    # offline on the same cache: still no crash, the references stay unchecked
    checks, _ = _check("http://127.0.0.1:9", references, cache, offline=True)
    _all_unchecked(checks, "offline")


def test_a_cache_row_that_no_longer_parses_is_dropped_and_fetched_again(references, tmp_path):
    cache = ResponseCache(tmp_path / "crossref.sqlite")
    kahn = references[0]
    cache.put(f"work:{kahn.doi.casefold()}", {"status": "ok", "item": {"DOI": kahn.doi, "subject": 7}})
    cache.connection.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?)",
                             (f"search:x:{lookup_key(references[1])}", "{not json", 1e12))
    checks, _ = _check("http://127.0.0.1:9", references[:1], cache, offline=True)
    _all_unchecked(checks, "offline")  # the bad row was dropped, and offline there is nothing else
    with CrossrefStandIn() as server:
        checks, _ = _check(server.url, references[:1], cache)
    assert checks[0].verdict == Verdict.VERIFIED
    stored = json.loads(cache.connection.execute("SELECT body FROM responses WHERE key = ?",
                                                 (f"work:{kahn.doi.casefold()}",)).fetchone()[0])
    assert stored["item"]["title"]


@pytest.mark.parametrize("case, size, words", [
    ("huge", 2048 * KB, "cap"),            # a title of 2 MB, the cap is 256 KB
    ("bomb", 16 * 1024 * KB, "cap"),       # 16 MB unpacked from about 16 KB on the wire
])
def test_an_answer_over_the_byte_caps_stops_at_the_cap(case, size, words, references):
    with HostileCrossref(case, size=size) as server:
        checks, _ = _check(server.url, references)
        asked = server.requests
    _all_unchecked(checks, words)
    assert asked <= 3  # refused answers are not asked for again


def test_a_search_keeps_at_most_the_rows_asked_and_cuts_long_fields(references):
    with HostileCrossref("items", size=3000) as server:
        settings = _settings(server.url, crossref_search_rows=3)
        client = CrossrefClient(settings)
        items = client.search("insulin resistance")
    assert len(items) == 3
    with HostileCrossref("huge", size=100 * KB) as server:
        client = CrossrefClient(_settings(server.url, crossref_field_chars=50))
        items = client.search("insulin resistance")
    assert len(items) == 1 and len(items[0]["title"][0]) == 50


def test_a_server_dripping_bytes_meets_the_request_deadline(references):
    with HostileCrossref("drip", drip_seconds=0.2) as server:
        checks, client = _check(server.url, references, request_deadline=0.5, max_retries=0)
    _all_unchecked(checks, "deadline", "circuit")
    assert not any("unexpected" in c.note for c in checks)


def test_rate_limit_headers_cannot_slow_the_client_below_the_floor(references):
    with HostileCrossref("ratelimit0") as server:
        checks, client = _check(server.url, references, crossref_min_rate=20.0)
    assert all(c.verdict != Verdict.UNCHECKED or "does not fit" not in c.note for c in checks)
    assert client.limiter.limit == 1 and client.limiter.interval <= 1 / 20.0


def test_a_retry_after_over_the_cap_gives_up_at_once(references):
    with HostileCrossref("retry-after", size=100_000) as server:
        checks, _ = _check(server.url, references)
        asked = server.requests
    _all_unchecked(checks, "Retry-After", "circuit")
    assert asked <= 2


def test_a_spent_budget_leaves_the_rest_unchecked_with_the_reason(references):
    with CrossrefStandIn() as server:
        checks, _ = _check(server.url, references, crossref_budget=0.0)
    _all_unchecked(checks, "time budget")


def test_one_lookup_that_raises_leaves_only_its_reference_unchecked(references, monkeypatch):
    from pipeline.crossref import stage

    real = stage.matching.judge

    def judge(reference, *args, **kwargs):
        if reference.doi:
            raise OverflowError("a bug met on one answer")
        return real(reference, *args, **kwargs)

    monkeypatch.setattr(stage.matching, "judge", judge)
    with CrossrefStandIn() as server:
        checks, _ = _check(server.url, references)
    assert checks[0].verdict == Verdict.UNCHECKED and "OverflowError" in checks[0].note
    assert checks[1].verdict != Verdict.UNCHECKED


def test_a_cited_doi_in_odd_forms_is_looked_up_as_the_doi(references):
    kahn = references[0]
    odd = [replace(kahn, ref_id=f"R{i}", doi=doi) for i, doi in enumerate(
        ("doi:10.1038/nature05482", "https://doi.org/10.1038%2Fnature05482", "10.1038/\u200bnature05482"))]
    with CrossrefStandIn() as server:
        checks, _ = _check(server.url, odd)
        paths = server.paths
    assert [c.verdict for c in checks] == [Verdict.VERIFIED] * 3
    assert all("%E2%80%8B" not in p and "%25" not in p for p in paths)
