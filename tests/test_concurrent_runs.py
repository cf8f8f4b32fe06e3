"""Two runs at once: on the same output folder the second refuses with a clear message
(exit 2) or, with --wait, waits and then runs; runs on other output folders share the
response cache at the same time, and the cache stays whole."""
from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import RAW, ROOT
from tests.crossref_server import CrossrefStandIn, Faults

pytestmark = pytest.mark.slow


def _start(out: Path, cache: Path, url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROSSREF_", "PIPELINE_"))}
    env["PYTHONPATH"] = str(ROOT)
    log = open(f"{out}.stderr", "w+")  # a file, not a pipe: nobody reads while the run goes on
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "crossref", "--raw", str(RAW), "--out", str(out),
                             "--cache-dir", str(cache), "--crossref-url", url],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log = log  # Popen keeps no handle on a file it was given
    return process


def _stderr(process: subprocess.Popen) -> str:
    process.log.seek(0)
    return process.log.read()[-2000:]


def _holds_lock(out: Path, process: subprocess.Popen) -> bool:
    try:
        return (out / ".lock").read_text() == f"pid {process.pid}"
    except OSError:
        return False


def _references(out: Path) -> list[dict]:
    with open(out / "references.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_second_run_refuses_or_waits_and_the_shared_cache_stays_whole(tmp_path, capsys):
    out, beside, cache = tmp_path / "out", tmp_path / "beside", tmp_path / "cache"
    # slow answers keep the first run busy long after it took the lock
    with CrossrefStandIn(faults=Faults(slow_every=1, slow_seconds=0.1)) as server:
        first = _start(out, cache, server.url)
        other = _start(beside, cache, server.url)  # another output folder, the same cache, at the same time
        deadline = time.monotonic() + 300
        while not _holds_lock(out, first):
            assert first.poll() is None and time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.01)

        args = ["crossref", "--raw", str(RAW), "--out", str(out), "--cache-dir", str(cache)]
        environ = {"CROSSREF_API_URL": server.url}
        assert main(args, environ=environ) == 2
        err = capsys.readouterr().err
        assert f"error: {out} is in use by another run (pid {first.pid})" in err and "--wait" in err

        assert main([*args, "--wait", "600"], environ=environ) == 0  # waits for the first, then runs
        assert first.wait(timeout=600) == 0, _stderr(first)
        assert other.wait(timeout=600) == 0, _stderr(other)
        first.log.close()
        other.log.close()

    assert _references(out) == _references(beside) and len(_references(out)) == 20
    connection = sqlite3.connect(cache / "crossref.sqlite")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM responses").fetchone()[0] > 0
    finally:
        connection.close()
