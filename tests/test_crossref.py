"""The Crossref stage through habanero against the local stand-in server: verdicts on a
labelled set with hard decoys (confusion matrix printed), faults, the server down, the
cache (warm reruns, offline, corruption, two processes)."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from pipeline.cache import ResponseCache
from pipeline.crossref import CrossrefClient, check_references
from pipeline.models import Settings, Verdict
from pipeline.references import parse_reference
from tests.conftest import ROOT
from tests.crossref_server import CrossrefStandIn, Faults

TRUTH = Path(__file__).parent / "data" / "crossref" / "truth.jsonl"
VERDICTS = [v.value for v in Verdict]


@pytest.fixture(scope="module")
def truth():
    entries = [json.loads(line) for line in TRUTH.read_text(encoding="utf-8").splitlines() if line.strip()]
    references = [parse_reference(e["raw"], article="truth", ref_id=f"R{i + 1}") for i, e in enumerate(entries)]
    return entries, references


def _settings(url, tmp_path=None, **overrides):
    values = dict(crossref_url=url, request_timeout=2.0, max_retries=4, crossref_mailto="audit@example.org")
    if tmp_path is not None:
        values["cache_dir"] = tmp_path
    values.update(overrides)
    return Settings(**values)


def _client(settings, cache=None, **kwargs):
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("max_backoff", 0.2)
    return CrossrefClient(settings, cache, **kwargs)


def _run(references, faults=None, cache=None, **overrides):
    with CrossrefStandIn(faults=faults) as server:
        settings = _settings(server.url, **overrides)
        checks = check_references(references, settings, client=_client(settings, cache))
        return checks, server


def test_verdicts_on_the_labelled_set(truth):
    entries, references = truth
    checks, server = _run(references)
    assert len(checks) == len(references) and [c.ref_id for c in checks] == [r.ref_id for r in references]
    matrix = Counter((e["verdict"], c.verdict.value) for e, c in zip(entries, checks))
    print("\nconfusion matrix (rows: truth, columns: verdict)")
    print(" " * 14 + "".join(f"{v:>14}" for v in VERDICTS))
    for expected in VERDICTS:
        print(f"{expected:>14}" + "".join(f"{matrix[(expected, got)]:>14}" for got in VERDICTS))
    verified = [(e, c) for e, c in zip(entries, checks) if c.verdict == Verdict.VERIFIED]
    assert all(e["verdict"] == "verified" for e, _ in verified), "verified precision must be exactly 1.0"
    invented = [(e, c) for e, c in zip(entries, checks) if e["verdict"] == "not_found"]
    assert invented and all(c.verdict == Verdict.NOT_FOUND for _, c in invented)
    for entry, check in zip(entries, checks):
        assert check.verdict.value == entry["verdict"], (entry["case"], check.note)
        assert list(check.mismatched_fields) == entry["mismatched"], entry["case"]
        assert check.retracted == entry.get("retracted", False), entry["case"]
    assert set(e["verdict"] for e in entries) == set(VERDICTS)
    assert all("nearest candidate" in c.note or "no candidates" in c.note for _, c in invented)
    retracted = next(c for c in checks if c.retracted)
    assert retracted.update_notice == "retraction 10.1016/s0140-6736(10)60175-4"
    unique = len({r.doi or r.title for r in references if r.title or r.doi})
    print(f"requests: {server.request_count} for {unique} unique references")
    assert server.request_count <= 1.2 * unique
    assert all("mailto:audit@example.org" in agent for agent in server.user_agents)


def test_faults_change_no_verdict(truth):
    entries, references = truth
    clean, _ = _run(references)
    faulty, server = _run(references, Faults(every_429=3, every_503=5, retry_after=0.01))
    assert [c.verdict for c in faulty] == [c.verdict for c in clean]
    assert [c.mismatched_fields for c in faulty] == [c.mismatched_fields for c in clean]
    assert server.request_count > 60  # the faults really were answered and retried


def test_slow_and_malformed_answers_are_retried(truth):
    _, references = truth
    subset = references[:12]
    clean, _ = _run(subset)
    slow, _ = _run(subset, Faults(slow_every=4, slow_seconds=0.6, malformed_every=5), request_timeout=0.3)
    assert [c.verdict for c in slow] == [c.verdict for c in clean]


def test_server_down_fails_fast_with_every_reference_unchecked(truth):
    _, references = truth
    twenty = references[:20]
    server = CrossrefStandIn().start()
    url = server.url
    server.stop()  # connection refused from now on
    settings = _settings(url)
    started = time.monotonic()
    checks = check_references(twenty, settings, client=CrossrefClient(settings))  # real backoff
    elapsed = time.monotonic() - started
    assert len(checks) == 20 and all(c.verdict == Verdict.UNCHECKED for c in checks)
    assert all(c.note for c in checks)
    assert elapsed < 10, elapsed
    print(f"\nserver down: 20 references unchecked in {elapsed:.1f} s; note: {checks[0].note}")


def test_rate_limit_exhausted_is_unchecked_with_the_reason(truth):
    _, references = truth
    checks, _ = _run(references[:3], Faults(every_429=1, retry_after=0.01), max_retries=2)
    assert all(c.verdict == Verdict.UNCHECKED and "rate limit exhausted" in c.note for c in checks)


def test_cache_warm_rerun_and_offline(truth, tmp_path):
    _, references = truth
    cache = ResponseCache(tmp_path / "crossref.sqlite")
    cold, server = _run(references, cache=cache)
    cold_requests = server.request_count
    warm, server = _run(references, cache=cache)
    assert server.request_count == 0
    assert [c.verdict for c in warm] == [c.verdict for c in cold]
    offline, server = _run(references, cache=cache, offline=True)
    assert server.request_count == 0 and [c.verdict for c in offline] == [c.verdict for c in cold]
    empty = ResponseCache(tmp_path / "empty.sqlite")
    offline_empty, _ = _run(references[:2], cache=empty, offline=True)
    assert all(c.verdict == Verdict.UNCHECKED and "offline" in c.note for c in offline_empty)
    print(f"\ncache: cold {cold_requests} requests, warm 0")


def test_errors_are_never_cached(truth, tmp_path):
    _, references = truth
    cache = ResponseCache(tmp_path / "c.sqlite")
    failed, _ = _run(references[:2], Faults(every_503=1), cache=cache, max_retries=1)
    assert all(c.verdict == Verdict.UNCHECKED for c in failed)
    assert cache.connection.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 0
    later, _ = _run(references[:2], cache=cache)
    assert all(c.verdict != Verdict.UNCHECKED for c in later)


def test_references_repeated_across_articles_are_looked_up_once(truth):
    _, references = truth
    from dataclasses import replace

    repeated = [replace(r, article=f"article-{i}") for i in range(5) for r in references[:4]]
    checks, server = _run(repeated)
    assert server.request_count == 4 and len(checks) == 20


def test_corrupted_cache_is_moved_aside_and_rebuilt(tmp_path, caplog):
    path = tmp_path / "crossref.sqlite"
    cache = ResponseCache(path)
    cache.put("k", {"status": "ok"})
    cache.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00garbage" * 50)
    rebuilt = ResponseCache(path)
    assert rebuilt.get("k") is None
    rebuilt.put("k2", {"v": 1})
    assert rebuilt.get("k2") == {"v": 1}
    assert list(tmp_path.glob("crossref.sqlite.corrupt-*")), "the damaged file is kept aside"
    assert "moved aside" in caplog.text


def test_two_processes_share_the_cache(tmp_path):
    path = tmp_path / "shared.sqlite"
    script = ("import sys; from pathlib import Path; from pipeline.cache import ResponseCache\n"
              "c = ResponseCache(Path(sys.argv[1]))\n"
              "for i in range(300): c.put(f'{sys.argv[2]}-{i}', {'i': i})\n")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), name], cwd=ROOT) for name in ("a", "b")]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 600


def test_ttl_expires_entries(tmp_path):
    now = [1000.0]
    cache = ResponseCache(tmp_path / "t.sqlite", ttl_days=1, clock=lambda: now[0])
    cache.put("k", {"v": 1})
    assert cache.get("k") == {"v": 1}
    now[0] += 2 * 86400
    assert cache.get("k") is None


def test_rate_limiter_never_lets_more_than_the_limit_into_a_window():
    from pipeline.crossref import RateLimiter

    now = [0.0]
    limiter = RateLimiter(50, 1.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    limiter.acquire()  # the probe: alone until its answer is back
    limiter.release()
    limiter.update(3, 1.0)  # the answer's X-Rate-Limit headers
    sent = []
    for _ in range(7):
        limiter.acquire()
        sent.append(now[0])
        now[0] += 0.01  # the answer takes 10 ms
        limiter.release()
    # every request counts until one interval after its answer: no 4 within any second
    assert all(later - earlier >= 1.0 for earlier, later in zip(sent, sent[3:])), sent
    # the probe still counts in the first window; then a full window goes out at once
    assert sent[:4] == pytest.approx([0.0, 0.01, 1.0, 1.01])


def test_an_enforced_rate_limit_is_never_exceeded(truth):
    """10 requests a second enforced by the stand-in (429 beyond), announced in its headers."""
    _, references = truth
    checks, server = _run(references[:25], Faults(rate_limit_per_s=10))
    assert not any("429" in c.note or "rate limit" in c.note for c in checks)
    unique = len({c for c in server.paths})
    assert server.request_count == unique  # no request was refused and asked again
