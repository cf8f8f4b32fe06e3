"""A run killed with SIGKILL at any point leaves every output whole, old or new.

A first run writes the "old" outputs; then an article is edited and another added, and
copies of the old output folder are given to runs that are killed: after fixed,
seeded-random delays, and at two points found by watching the folder (no hook in the
pipeline): when the edited article's records are stored, and the moment the first table
has been replaced while the others are being written. Every table (and report.html) left
behind must be byte for byte the old file or the new one; the tables parse as CSV with
the contract's header; and the set is never a mix: without the output-set journal every
file is old or every file is new, and with it, completing the journal gives every new file.
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

from pipeline.store.work_files import JOURNAL, atomic_write_text, finish_interrupted_outputs, output_set
from pipeline.outputs.csv_tables import BLOCK_COLUMNS, CLAIM_COLUMNS, REFERENCE_COLUMNS
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


def _state(out: Path, copies: dict[str, Path], name: str) -> dict[str, bytes | None]:
    """The outputs a kill left (and the output-set journal, if any), with a copy of the folder."""
    copies[name] = out.parent / f"{name}-as-killed"
    shutil.copytree(out, copies[name])
    state = _tables(out)
    state[JOURNAL] = (out / JOURNAL).read_bytes() if (out / JOURNAL).exists() else None
    return state


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
        copies: dict[str, Path] = {}

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
            states[out.name] = _state(out, copies, out.name)

        out, process = trial("records-stored")
        assert _wait_for(process, lambda: _stored_hash(out) == new_hash), "the run ended before storing"
        _kill(process)
        states[out.name] = _state(out, copies, out.name)

        out, process = trial("tables-being-replaced")
        first = _inode(out / "blocks.csv")
        assert _wait_for(process, lambda: _inode(out / "blocks.csv") not in (first, None)), "no table replaced"
        _kill(process)
        states[out.name] = _state(out, copies, out.name)

        resumed = {}
        for name in ("records-stored", "tables-being-replaced"):
            resumed[name] = (_finish(_start(raw, folders[name], cache, server.url)), _tables(folders[name]))
    return {"old": old, "states": states, "resumed": resumed, "folders": folders, "cache": cache, "copies": copies}


def test_every_table_left_by_a_kill_is_the_old_or_the_new_one_whole(killed_runs):
    old = killed_runs["old"]
    new = killed_runs["resumed"]["records-stored"][1]
    assert all(new[name] != old[name] for name in OUTPUTS), "the edit must change every output"
    for trial, tables in killed_runs["states"].items():
        for name, data in tables.items():
            if name == JOURNAL:
                continue
            assert data in (old[name], new[name]), f"{trial}: {name} is neither the old nor the new file"
            if name not in TABLES:
                continue
            text = data.decode("utf-8-sig")
            rows = list(csv.reader(text.splitlines()))
            assert tuple(rows[0]) == TABLES[name] and all(len(r) == len(TABLES[name]) for r in rows[1:]), trial
    assert any(tables["blocks.csv"] == new["blocks.csv"] for tables in killed_runs["states"].values())


def test_a_kill_never_leaves_a_mix_of_two_runs(killed_runs, tmp_path):
    """The outputs replace each other as one set: a kill before the set's journal is written
    leaves every old file, one during the renames leaves the journal, and completing it
    (what the next run does first, under its lock) gives every new file."""
    old = killed_runs["old"]
    new = killed_runs["resumed"]["records-stored"][1]
    journals = 0
    for trial, tables in killed_runs["states"].items():
        if tables.get(JOURNAL) is None:
            whole = {name: tables[name] for name in OUTPUTS}
            assert whole in ({n: old[n] for n in OUTPUTS}, {n: new[n] for n in OUTPUTS}), \
                f"{trial}: a mix of the old and the new outputs with no journal to complete it"
            continue
        journals += 1
        folder = tmp_path / trial
        shutil.copytree(killed_runs["copies"][trial], folder)
        finish_interrupted_outputs(folder)  # some or all of the renames may already be made
        assert _tables(folder) == new, f"{trial}: completing the journal did not give the new outputs"
        assert not (folder / JOURNAL).exists()
    print(f"\n{len(killed_runs['states'])} kills, {journals} during the renames (completed from the journal)")
    assert killed_runs["states"]["tables-being-replaced"].get(JOURNAL) is not None or \
        killed_runs["states"]["tables-being-replaced"]["blocks.csv"] == new["blocks.csv"]


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


def test_output_set_commits_whole_or_completes_from_its_journal(tmp_path, monkeypatch):
    """The mechanism without a subprocess: a commit stopped after its first rename leaves a
    journal that completes the set; an error inside the block keeps every old file."""
    names = ("blocks.csv", "claims.csv", "references.csv")
    for name in names:
        (tmp_path / name).write_text("old", encoding="utf-8")
    real_replace, calls = os.replace, []

    def stopped_after_first_rename(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # 1: the journal, 2: the first table, 3: stop here (as SIGKILL would)
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", stopped_after_first_rename)
    with pytest.raises(KeyboardInterrupt):
        with output_set(tmp_path):
            for name in names:
                atomic_write_text(tmp_path / name, "new")
    monkeypatch.setattr(os, "replace", real_replace)
    assert sorted((tmp_path / n).read_text(encoding="utf-8") for n in names) == ["new", "old", "old"]
    assert (tmp_path / JOURNAL).exists()
    assert finish_interrupted_outputs(tmp_path) == 2
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in names] == ["new"] * 3
    assert not (tmp_path / JOURNAL).exists() and not list(tmp_path.glob(".*.tmp"))

    with pytest.raises(RuntimeError):
        with output_set(tmp_path):
            atomic_write_text(tmp_path / "claims.csv", "newer")
            raise RuntimeError("a stage failed while the outputs were being written")
    assert (tmp_path / "claims.csv").read_text(encoding="utf-8") == "new" and not list(tmp_path.glob(".*.tmp"))
