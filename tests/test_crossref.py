"""The Crossref stage through habanero against the local stand-in server: verdicts on a
labelled set with hard decoys (confusion matrix printed), faults, the server down, the
cache (warm reruns, offline, corruption, two processes)."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pipeline.crossref.cache import ResponseCache
from pipeline.crossref.stage import CrossrefClient, check_references
from pipeline.models import Verdict
from pipeline.settings import Settings
from pipeline.references.stage import parse_reference
from tests.conftest import ROOT
from tests.crossref_server import CrossrefStandIn, Faults

TRUTH = Path(__file__).parent / "data" / "crossref" / "truth.jsonl"
HELDOUT = Path(__file__).parent / "data" / "crossref" / "heldout.jsonl"
VERDICTS = [v.value for v in Verdict]


def _labelled(path: Path, article: str):
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    references = [parse_reference(e["raw"], article=article, ref_id=f"R{i + 1}") for i, e in enumerate(entries)]
    return entries, references


@pytest.fixture(scope="module")
def truth():
    return _labelled(TRUTH, "truth")


@pytest.fixture(scope="module")
def heldout():
    return _labelled(HELDOUT, "heldout")


def _print_confusion(title, entries, checks):
    matrix = Counter((e["verdict"], c.verdict.value) for e, c in zip(entries, checks))
    print(f"\n{title}: confusion matrix (rows: truth, columns: verdict)")
    print(" " * 14 + "".join(f"{v:>14}" for v in VERDICTS))
    for expected in VERDICTS:
        print(f"{expected:>14}" + "".join(f"{matrix[(expected, got)]:>14}" for got in VERDICTS))
    wrong = [(e, c) for e, c in zip(entries, checks)
             if c.verdict.value != e["verdict"] or list(c.mismatched_fields) != e["mismatched"]]
    for entry, check in wrong:
        print(f"  {entry['case']}: expected {entry['verdict']} {entry['mismatched']}, got {check.verdict.value} "
              f"{list(check.mismatched_fields)}; {check.note[:160]}")
    return matrix


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
    _print_confusion("tuned set", entries, checks)
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


# Held-out cases the reference parser (pipeline/references/stage.py, issue 4) does not yet parse into the
# fields the matcher needs; tests/test_matching.py judges each from a correct parse and gets it right.
PARSER_GAPS: dict[str, str] = {}  # all six gaps found by the held-out set are closed in the parser


def test_verdicts_on_the_heldout_set(heldout):
    """The held-out set (heldout.jsonl: 51 citations on physics, psychology, cardiology, oncology,
    ecology, economics, a book, a chapter and conference papers, in APA, MLA, Vancouver and Harvard),
    written and committed before the matcher was run on it, printed apart from the tuned set.

    Measured once before any change (rows truth, columns verdict):
    verified 16 verified + 7 mismatch; mismatch 12 (2 with wrong field lists); misattributed 5;
    not_found 8 + 1 mismatch ("Cancer statistics, 2017" taken for the 2020 report); unchecked 2.
    Verified precision 1.0 (16/16); 43/51 verdicts right, 41/51 with exact field lists; the bar
    (every invented reference not_found, field lists exact) not met.

    Then matching.py was fixed in general ways: titles stating different numbers are different
    works; family names agree folded or transliterated (Bjørnstad = Bjornstad = Bjoernstad); a book's
    publisher may stand for its container; proceedings names compare without "In", "Proceedings of
    the", year, ordinal and acronym; every container title of a record counts (LNCS series and volume).
    After (both sets re-run; the tuned set unchanged, every case right): verified 19 + 4 mismatch;
    mismatch 12 (2 with wrong field lists); misattributed 5; not_found 9; unchecked 2. Verified
    precision 1.0 (19/19), every invented reference not_found, 47/51 verdicts right, 45/51 exact.
    The remaining 6 misses were parser gaps (from a correct parse test_matching.py judges each
    right). After the reference parser was fixed for them (MLA "et al." and full given names,
    Vancouver particles, letter e-locators, APA "(Series, Vol. N, pp. X–Y)" chapter brackets),
    51/51 are exact and the bar is asserted for every case.
    """
    entries, references = heldout
    checks, _ = _run(references)
    assert len(checks) == len(references) and [c.ref_id for c in checks] == [r.ref_id for r in references]
    _print_confusion("held-out set", entries, checks)
    assert set(e["verdict"] for e in entries) == set(VERDICTS)
    verified = [(e, c) for e, c in zip(entries, checks) if c.verdict == Verdict.VERIFIED]
    assert verified and all(e["verdict"] == "verified" for e, _ in verified), "verified precision must be exactly 1.0"
    invented = [(e, c) for e, c in zip(entries, checks) if e["verdict"] == "not_found"]
    assert invented and all(c.verdict == Verdict.NOT_FOUND for _, c in invented)
    assert all("nearest candidate" in c.note or "no candidates" in c.note for _, c in invented)
    exact = 0
    for entry, check in zip(entries, checks):
        gap = next((why for case, why in PARSER_GAPS.items() if entry["case"].startswith(case)), None)
        right = check.verdict.value == entry["verdict"] and list(check.mismatched_fields) == entry["mismatched"]
        exact += right
        assert right or gap, (entry["case"], check.verdict.value, check.mismatched_fields, check.note)
        assert check.retracted == entry.get("retracted", False), entry["case"]
        if "update_notice" in entry:
            assert check.update_notice == entry["update_notice"], entry["case"]
    print(f"held-out: {exact}/{len(entries)} exact (verdict and mismatched fields); "
          f"{len(entries) - exact} held back by the parser: {sorted(PARSER_GAPS)}")
    assert exact == len(entries)


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


def test_server_down_fails_fast_with_every_reference_unchecked(truth, monkeypatch):
    """With the API unreachable the circuit breaker opens and the stage stops asking: the connection
    attempts are bounded by the breaker's threshold plus the requests already in flight, far below
    one attempt per retry per reference. (The wall-clock figure, bar 10 s for 20 references, is
    printed by bench/bench_crossref.py: tests assert mechanisms, not timings.)"""
    _, references = truth
    twenty = references[:20]
    server = CrossrefStandIn().start()
    url, port = server.url, server.server.server_address[1]
    server.stop()  # connection refused from now on
    attempts = []
    guarded_connect = socket.socket.connect

    def counting_connect(sock, address, *args, **kwargs):
        if isinstance(address, tuple) and address[1] == port:
            attempts.append(address)
        return guarded_connect(sock, address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    settings = _settings(url)
    client = CrossrefClient(settings)  # real backoff
    checks = check_references(twenty, settings, client=client)
    assert len(checks) == 20 and all(c.verdict == Verdict.UNCHECKED for c in checks)
    assert all("circuit open" in c.note or "gave up" in c.note for c in checks), {c.note for c in checks}
    assert client.breaker.open
    without_breaker = len(twenty) * (settings.max_retries + 1)
    assert 0 < len(attempts) == client.requests <= client.breaker.threshold + client.concurrency
    assert len(attempts) * 5 <= without_breaker
    print(f"\nserver down: {len(attempts)} connection attempts for 20 references (without the breaker "
          f"{without_breaker}); note: {checks[0].note}")


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
    script = ("import sys; from pathlib import Path; from pipeline.crossref.cache import ResponseCache\n"
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
    from pipeline.crossref.stage import RateLimiter

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
