"""A run killed with SIGKILL at any point leaves every output whole, old or new.

A first run writes the "old" outputs; then an article is edited and another added, and
copies of the old output folder are given to runs that are killed: after fixed,
seeded-random delays, and at two points found by watching the folder (no hook in the
pipeline): when the edited article's records are stored, and the moment the first table
has been replaced while the others are being written. Every table (and report.html) left
behind must be byte for byte the old file or the new one; the tables parse as CSV with
the contract's header.
A run started afterwards completes, reuses the per-article records stored before the
kill, and writes the same new outputs. The shared response cache stays intact.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.table import BLOCK_COLUMNS, CLAIM_COLUMNS, REFERENCE_COLUMNS
from tests.conftest import RAW, ROOT
from tests.crossref_server import CrossrefStandIn

TABLES = {"blocks.csv": BLOCK_COLUMNS, "claims.csv": CLAIM_COLUMNS, "references.csv": REFERENCE_COLUMNS}
OUTPUTS = (*TABLES, "report.html")
EDITED = "insulin-resistance-lifestyle"
RANDOM_KILLS = 2


def _start(raw: Path, out: Path, cache: Path, url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROSSREF_", "PIPELINE_"))}
    env["PYTHONPATH"] = str(ROOT)
    log = open(f"{out}.stderr", "w+")  # a file, not a pipe: nobody reads while the run goes on
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache),
         "--crossref-url", url, "--jobs", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, text=True)
    process.log = log  # Popen keeps no handle on a file it was given
    return process


def _stderr(process: subprocess.Popen) -> str:
    process.log.seek(0)
    text = process.log.read()
    process.log.close()
    return text


def _finish(process: subprocess.Popen) -> str:
    process.wait(timeout=600)
    err = _stderr(process)
    assert process.returncode == 0, err[-3000:]
    return err


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    _stderr(process)


def _tables(out: Path) -> dict[str, bytes | None]:
    return {name: (out / name).read_bytes() if (out / name).exists() else None for name in OUTPUTS}


def _wait_for(process: subprocess.Popen, ready, timeout: float = 600) -> bool:
    """Poll the folder until `ready()`. When the run ends first (a starved poller on a busy
    machine), the point was still passed if `ready()` holds: the kill then finds the run
    finished, which the assertions accept, as the outputs are then all new."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return True
        if process.poll() is not None:
            return ready()
        time.sleep(0.002)
    return False


def _stored_hash(out: Path) -> str | None:
    try:
        return json.loads((out / ".work" / EDITED / "meta.json").read_text(encoding="utf-8"))["content_hash"]
    except (OSError, ValueError, KeyError):
        return None


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def killed_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("killed")
    raw, old_out, cache = base / "raw", base / "old", base / "cache"
    raw.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, raw / path.name)
    with CrossrefStandIn() as server:
        started = time.monotonic()
        _finish(_start(raw, old_out, cache, server.url))
        duration = time.monotonic() - started  # only to spread the kills over a run's length
        old = _tables(old_out)

        edited = raw / f"{EDITED}.txt"
        edited.write_text(edited.read_text(encoding="utf-8").replace(
            "Chronic sleep deprivation disrupts", "Chronic sleep loss disrupts"), encoding="utf-8")
        shutil.copy(ROOT / "tests" / "data" / "ingest" / "built-page.html", raw / "sleep-and-heart.html")
        new_hash = hashlib.sha256(edited.read_bytes()).hexdigest()

        states: dict[str, dict[str, bytes | None]] = {}
        folders: dict[str, Path] = {}

        def trial(name: str) -> tuple[Path, subprocess.Popen]:
            out = base / name
            shutil.copytree(old_out, out)
            folders[name] = out
            return out, _start(raw, out, cache, server.url)

        rng = random.Random(20261125)
        for k in range(RANDOM_KILLS):
            out, process = trial(f"random-{k}")
            time.sleep(rng.uniform(0.2, 1.0) * duration)
            _kill(process)
            states[out.name] = _tables(out)

        out, process = trial("records-stored")
        assert _wait_for(process, lambda: _stored_hash(out) == new_hash), "the run ended before storing"
        _kill(process)
        states[out.name] = _tables(out)

        out, process = trial("tables-being-replaced")
        first = _inode(out / "blocks.csv")
        assert _wait_for(process, lambda: _inode(out / "blocks.csv") not in (first, None)), "no table replaced"
        _kill(process)
        states[out.name] = _tables(out)

        resumed = {}
        for name in ("records-stored", "tables-being-replaced"):
            resumed[name] = (_finish(_start(raw, folders[name], cache, server.url)), _tables(folders[name]))
    return {"old": old, "states": states, "resumed": resumed, "folders": folders, "cache": cache}


def test_every_table_left_by_a_kill_is_the_old_or_the_new_one_whole(killed_runs):
    old = killed_runs["old"]
    new = killed_runs["resumed"]["records-stored"][1]
    assert all(new[name] != old[name] for name in OUTPUTS), "the edit must change every output"
    for trial, tables in killed_runs["states"].items():
        for name, data in tables.items():
            assert data in (old[name], new[name]), f"{trial}: {name} is neither the old nor the new file"
            if name not in TABLES:
                continue
            text = data.decode("utf-8-sig")
            rows = list(csv.reader(text.splitlines()))
            assert tuple(rows[0]) == TABLES[name] and all(len(r) == len(TABLES[name]) for r in rows[1:]), trial
    assert any(tables["blocks.csv"] == new["blocks.csv"] for tables in killed_runs["states"].values())


def test_the_next_run_completes_reuses_stored_records_and_writes_the_new_outputs(killed_runs):
    resumed = killed_runs["resumed"]
    new = resumed["records-stored"][1]
    for name, (err, tables) in resumed.items():
        assert tables == new, f"resumed after {name}: outputs differ"
        assert not list(killed_runs["folders"][name].rglob("*.tmp")), "a killed run's temporary files are cleaned"
    # the edited article was stored before the kill: it is read back, not processed again
    assert "1 processed, 2 unchanged and reused" in resumed["records-stored"][0] or \
        "0 processed, 3 unchanged and reused" in resumed["records-stored"][0], resumed["records-stored"][0]


def test_the_shared_cache_survives_the_kills(killed_runs):
    connection = sqlite3.connect(killed_runs["cache"] / "crossref.sqlite")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT COUNT(*) FROM responses").fetchone()[0] > 0
    finally:
        connection.close()
