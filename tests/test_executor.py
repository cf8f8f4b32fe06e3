"""The per-article work on Dask: a local cluster, an external scheduler with workers started by
the `dask` command line, and a worker killed mid-run. Each run writes the same bytes as a plain
run in one process (real processes, real sockets on 127.0.0.1, the samples as input)."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import run as runner
from pipeline.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
OUTPUTS = ("blocks.csv", "claims.csv", "references.csv", "report.html", "review.xlsx")

pytestmark = pytest.mark.slow


def _settings(raw: Path, out: Path, **changes) -> Settings:
    return Settings(raw_dir=raw, out_dir=out, offline=True, cache_dir=out.parent / f"{out.name}-cache",
                    embeddings=False, **changes)


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """Six articles: the two samples and copies under other names (enough tasks for two workers)."""
    raw = tmp_path_factory.mktemp("raw")
    for path in sorted(RAW.glob("*.txt")):
        for copy in range(3):
            shutil.copy(path, raw / f"{path.stem}-{copy}{path.suffix}")
    return raw


@pytest.fixture(scope="module")
def plain(articles, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("plain") / "out"
    assert runner.run(_settings(articles, out, jobs=1)).ok
    return _outputs(out)


def test_a_local_cluster_of_two_workers_writes_what_one_process_writes(articles, plain, tmp_path, caplog):
    caplog.set_level("INFO", logger="pipeline")
    out = tmp_path / "out"
    result = runner.run(_settings(articles, out, jobs=2, min_tasks_per_worker=1))
    assert result.ok and len(result.articles) == 6
    assert "per-article work: local cluster of 2 workers" in caplog.text
    assert _outputs(out) == plain


def test_a_local_cluster_of_one_worker_writes_what_one_process_writes(articles, plain, tmp_path, caplog):
    """`--scheduler local`: the bench's one-worker baseline is the same executor as its two workers."""
    caplog.set_level("INFO", logger="pipeline")
    out = tmp_path / "out"
    assert runner.run(_settings(articles, out, jobs=1, scheduler="local")).ok
    assert "per-article work: local cluster of 1 worker)" in caplog.text
    assert _outputs(out) == plain


class DaskCluster:
    """`dask scheduler` and `dask worker` processes, as a user starts them on their machines."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        self.scheduler = self._start("scheduler", "--scheduler-file", str(self.file), "--host", "127.0.0.1",
                                     "--port", "0", "--no-dashboard")
        self.workers: list[subprocess.Popen] = []
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, *args: str) -> subprocess.Popen:
        log = open(self.folder / f"{args[0]}-{time.monotonic_ns()}.log", "w")
        return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]],
                                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def add_worker(self) -> subprocess.Popen:
        worker = self._start("worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                             "--host", "127.0.0.1")
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(count, timeout=60)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def cluster(tmp_path):
    started = DaskCluster(tmp_path)
    try:
        yield started
    finally:
        started.close()


def test_an_external_scheduler_and_two_workers_write_what_one_process_writes(articles, plain, cluster, tmp_path,
                                                                                caplog):
    caplog.set_level("INFO", logger="pipeline")
    cluster.add_worker()
    cluster.add_worker()
    cluster.wait_for_workers(2)
    out = tmp_path / "out"
    result = runner.run(_settings(articles, out, scheduler=cluster.address))
    assert result.ok and len(result.articles) == 6
    assert f"per-article work: {cluster.address}" in caplog.text
    assert _outputs(out) == plain


def test_a_worker_killed_mid_run_loses_no_article(articles, plain, cluster, tmp_path):
    """One worker is killed (SIGKILL) while it holds an article; the scheduler gives the article
    to the other worker, and the outputs are whole and the same as a plain run's."""
    from distributed import Client

    victim = cluster.add_worker()
    cluster.add_worker()
    cluster.wait_for_workers(2)
    killed = threading.Event()

    def kill_when_busy() -> None:
        with Client(cluster.address, timeout=30) as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed.is_set():
                busy = [address for address, keys in client.processing().items() if keys]
                pids = client.run(os.getpid, workers=busy) if busy else {}
                # the victim's worker process is a child of the `dask worker` command (its nanny)
                for address, pid in pids.items():
                    if _parent_of(pid) == victim.pid:
                        os.kill(pid, signal.SIGKILL)
                        killed.set()
                        return
                time.sleep(0.05)

    watcher = threading.Thread(target=kill_when_busy)
    watcher.start()
    out = tmp_path / "out"
    result = runner.run(_settings(articles, out, scheduler=cluster.address))
    watcher.join()
    assert killed.is_set(), "the worker was never seen holding an article"
    assert result.ok and len(result.articles) == 6
    assert _outputs(out) == plain


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])
