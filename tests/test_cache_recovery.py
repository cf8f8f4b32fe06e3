"""The response cache survives damage: a truncated, overwritten or garbled SQLite file is
detected when opened, moved aside with a warning and rebuilt; two runs that find the
same damaged file rebuild it once; a cache that cannot be opened at all is skipped."""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.crossref.cache import ResponseCache, open_cache
from pipeline.cli import main
from tests.conftest import RAW, ROOT
from tests.crossref_server import CrossrefStandIn


def _filled(path: Path, entries: int = 500) -> bytes:
    cache = ResponseCache(path)
    for i in range(entries):
        cache.put(f"key-{i}", {"value": "x" * 200, "i": i})
    cache.close()
    return path.read_bytes()


def _garbled_page(data: bytes) -> bytes:
    noise = random.Random(7).randbytes(4096)
    return data[:8192] + noise + data[12288:]


DAMAGE = {
    "truncated to half": lambda data: data[:len(data) // 2],
    "only the header left": lambda data: data[:100],
    "random bytes": lambda data: random.Random(3).randbytes(len(data)),
    "a garbled page inside": _garbled_page,
    "garbage at the end": lambda data: data[:-4096] + b"\x00garbage" * 512,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_cache_is_moved_aside_with_a_warning_and_rebuilt(tmp_path, caplog, damage):
    path = tmp_path / "crossref.sqlite"
    data = _filled(path)
    path.write_bytes(DAMAGE[damage](data))
    cache = ResponseCache(path)
    try:
        assert "moved aside" in caplog.text and str(path) in caplog.text
        cache.put("fresh", {"ok": True})
        assert cache.get("fresh") == {"ok": True} and cache.get("key-1") is None
    finally:
        cache.close()
    aside = [p for p in tmp_path.glob("crossref.sqlite.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == DAMAGE[damage](data)  # kept as it was, for a look
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_empty_file_is_an_empty_cache_not_damage(tmp_path, caplog):
    path = tmp_path / "crossref.sqlite"
    path.write_bytes(b"")
    cache = ResponseCache(path)
    cache.put("k", {"v": 1})
    assert cache.get("k") == {"v": 1} and "moved aside" not in caplog.text
    cache.close()


def test_two_processes_finding_the_same_damage_rebuild_it_once(tmp_path):
    path = tmp_path / "crossref.sqlite"
    path.write_bytes(DAMAGE["truncated to half"](_filled(path)))
    script = ("import sys; from pathlib import Path; from pipeline.crossref.cache import ResponseCache\n"
              "c = ResponseCache(Path(sys.argv[1]))\n"
              "for i in range(200): c.put(f'{sys.argv[2]}-{i}', {'i': i})\n"
              "c.close()\n")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(path), name], cwd=ROOT) for name in "ab"]
    assert all(p.wait(timeout=120) == 0 for p in processes)
    aside = [p for p in tmp_path.glob("crossref.sqlite.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1, aside
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 400  # neither lost its answers


def test_a_cache_that_cannot_be_opened_is_skipped_with_a_warning(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    assert open_cache(blocker / "crossref.sqlite") is None
    assert "cannot be used" in caplog.text and "running without a cache" in caplog.text


def test_a_run_with_a_damaged_cache_warns_rebuilds_and_checks_every_reference(tmp_path, caplog):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / "crossref.sqlite").write_bytes(b"SQLite format 3\x00" + os.urandom(20000))
    with CrossrefStandIn() as server:
        code = main(["crossref", "--raw", str(RAW), "--out", str(tmp_path / "out"), "--cache-dir", str(cache_dir)],
                     environ={"CROSSREF_API_URL": server.url})
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert code == 0 and any(w.startswith("response cache") and "moved aside" in w for w in warnings)
    rows = sqlite3.connect(cache_dir / "crossref.sqlite").execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    assert rows > 0  # rebuilt and filled by this run
