"""Scale benchmark: `python -m pipeline run` over a recombined corpus of N articles, cold and
warm, against the local Crossref stand-in with its rate limit enforced (10 requests a second,
announced in X-Rate-Limit headers, 429 beyond), every figure beside a baseline measured in
the same run.

Each measured pipeline run is a subprocess of a small measuring process (this file with
`--measure`), which reports the run's wall time, its peak RSS (getrusage RUSAGE_CHILDREN:
the largest single process, the NLP workers included) and the peak summed RSS of its whole
process tree (sampled from /proc every 50 ms). The bare spaCy baseline runs in its own
subprocess (`--nlp`) over exactly the texts the claims stage parses.

Runs: cold with --jobs J (a local Dask cluster of J workers), warm, one article touched, cold
with --jobs 1 (one process), cold on a local cluster of one worker (`--jobs 1 --scheduler local`:
the same executor as the J-worker run, the baseline of the scaling bar), cold with an external
scheduler (`dask scheduler` and `dask worker --nworkers J` started by this script on this
machine, as README says), and cold at 2N. Every measured process has one BLAS/OpenMP thread.

Bars (PASS/FAIL): the cold run at most 1.5x its floor, at N and at 2N, where the floor is one
bare `nlp.pipe` of the texts the claims stage parses with the same worker count (n_process=J)
plus the unique Crossref lookups / the rate limit; warm rerun of N unchanged articles under 5%
of the cold run; touching one article redoes only it; J workers at least 1.7x the articles per
second of one worker (J=2); the tables and report of the one-process run, the local cluster and the
external scheduler byte-identical; peak memory at 2N within 15% of N (process tree and
largest process: memory per worker flat in N); cold-run HTTP requests within 20% of the
unique lookups, and the Crossref stage no slower than requests / 10 per second + 20%.

    BENCH_N=200 BENCH_JOBS=2 python bench/bench_scale.py     (N also as the first argument)

BENCH_REPEAT=R (default 1) repeats the cold runs at N with J workers and with one worker, in
turn, and the bare nlp.pipe timings, keeping the fastest of each: on a shared machine the load
drifts during a bench, and one reading of each can compare a busy minute with a quiet one.

Figures are appended with the machine description to bench/RESULTS.md.
"""
from __future__ import annotations

import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
RATE_PER_S = 10


# -- the measuring process ---------------------------------------------------------------
def _tree_rss_kb(root: int) -> int:
    """Summed VmRSS of `root` and its descendants."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/status") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
        except (OSError, StopIteration, ValueError):
            pass
    return total


def measure(command: list[str]) -> None:
    """Run `command`, print {seconds, returncode, maxrss_kb, tree_peak_kb, stderr} as JSON."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = process.stderr.read()
    process.wait()
    seconds = time.perf_counter() - started
    sampler.join()
    print(json.dumps({"seconds": seconds, "returncode": process.returncode, "tree_peak_kb": peak[0],
                      "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "stderr": stderr}))


# every measured process (the pipeline's, its workers', the bare spaCy baseline's) uses one BLAS/OpenMP
# thread, as a Dask worker does: the one-process and one-worker runs are not given more cores than a worker
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def measured_run(raw: Path, out: Path, cache: Path, url: str, jobs: int, scheduler: str = "") -> dict:
    command = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--cache-dir",
               str(cache), "--crossref-url", url, "--jobs", str(jobs)] + (["--scheduler", scheduler] if scheduler else [])
    completed = subprocess.run([sys.executable, __file__, "--measure", "--", *command], cwd=ROOT,
                               capture_output=True, text=True, check=True, env={**os.environ, **ONE_THREAD})
    figures = json.loads(completed.stdout)
    if figures["returncode"] != 0:
        sys.exit(f"pipeline run failed ({figures['returncode']}):\n{figures['stderr'][-3000:]}")
    err = figures["stderr"]
    stages = re.search(r"seconds per stage: (.*)", err)
    figures["stages"] = {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)", stages.group(1))} if stages else {}
    counts = re.search(r"(\d+) processed, (\d+) unchanged and reused", err)
    figures["processed"], figures["reused"] = (int(counts.group(1)), int(counts.group(2))) if counts else (0, 0)
    lookups = re.search(r"crossref: (\d+) references, (\d+) unique lookups, (\d+) HTTP requests", err)
    figures["references"], figures["unique_lookups"], figures["client_requests"] = \
        tuple(int(g) for g in lookups.groups()) if lookups else (0, 0, 0)
    return figures


# -- the bare spaCy baseline ---------------------------------------------------------------
def nlp_baseline(out: Path, jobs: int, repeats: int = 1) -> None:
    """A bare nlp.pipe over exactly the texts the claims stage parses, with 1 and with `jobs`
    processes (the model loaded before timing); prints the seconds and counts as JSON."""
    sys.path.insert(0, str(ROOT))
    from pipeline.claims import stage as claims
    from pipeline.models import Block, Document
    from pipeline.nlp import load_nlp
    from pipeline.store.work_files import read_jsonl

    documents = [Document(article=folder.name, path="", source_format="txt", encoding="utf-8", content_hash="",
                          blocks=tuple(read_jsonl(folder / "blocks.jsonl", Block)))
                 for folder in sorted((out / ".work").iterdir()) if (folder / "blocks.jsonl").exists()]
    nlp = load_nlp(disable=("ner",))  # the stage's own pipeline
    texts = [piece for block in claims.claim_blocks(documents) for piece in claims._slices(block.text)]
    list(nlp.pipe(texts[:50]))  # warm-up
    figures = {"texts": len(texts), "words": sum(len(t.split()) for t in texts)}
    for _ in range(repeats):  # the fastest of the repeats, as for the runs
        for n_process in sorted({1, jobs}):
            started = time.perf_counter()
            figures["spacy_sentences"] = sum(len(list(doc.sents))
                                             for doc in nlp.pipe(texts, batch_size=64, n_process=n_process))
            seconds = time.perf_counter() - started
            figures[f"bare_{n_process}"] = min(seconds, figures.get(f"bare_{n_process}", seconds))
    print(json.dumps(figures))


class ExternalCluster:
    """`dask scheduler` and `dask worker --nworkers J` on this machine, as a user starts them."""

    def __init__(self, folder: Path, workers: int):
        self.file = folder / "scheduler.json"
        # as README's "Running on a cluster" starts them: Dask's statistical profiler off
        env = {**os.environ, **ONE_THREAD, "PYTHONPATH": str(ROOT), "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False"}
        quiet = dict(cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--scheduler-file",
                                            str(self.file), "--host", "127.0.0.1", "--port", "0", "--no-dashboard"],
                                           **quiet)]
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.address = json.loads(self.file.read_text())["address"]
        self.processes.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", self.address,
                                                "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard",
                                                "--host", "127.0.0.1"], **quiet))
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)

    def close(self) -> None:
        import signal

        for process in reversed(self.processes):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def same_outputs(*folders: Path) -> bool:
    names = ("blocks.csv", "claims.csv", "references.csv", "report.html", "review.xlsx")
    first = [(folders[0] / name).read_bytes() for name in names]
    return all([(folder / name).read_bytes() for name in names] == first for folder in folders[1:])


# -- the benchmark ---------------------------------------------------------------------------
def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    import spacy

    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({model}), "
            f"{int(memory) // 1024} MB RAM, Python {platform.python_version()}, spaCy {spacy.__version__}, "
            f"load average at start {os.getloadavg()[0]:.1f}")


def bar(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(n: int, jobs: int, repeats: int = 1) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from make_corpus import build_corpus
    from tests.crossref_server import CrossrefStandIn, Faults

    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    description = machine()
    say(f"machine: {description}")
    say(f"corpus: N={n} recombined articles (and 2N={2 * n} for memory), --jobs {jobs}, "
        f"Crossref stand-in enforcing {RATE_PER_S} requests/s"
        + (f"; cold N runs (J workers, 1 worker) and bare nlp.pipe: the fastest of {repeats} interleaved repeats"
           if repeats > 1 else ""))
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as folder, \
            CrossrefStandIn(faults=Faults(rate_limit_per_s=RATE_PER_S)) as server:
        tmp = Path(folder)
        build_corpus(tmp / "raw", n)
        build_corpus(tmp / "raw2", 2 * n)

        def run(label: str, raw: str, out: str, cache: str, jobs: int = jobs, scheduler: str = "") -> dict:
            before, refused_before = server.request_count, server.refused
            figures = measured_run(tmp / raw, tmp / out, tmp / cache, server.url, jobs, scheduler)
            figures["requests"] = server.request_count - before
            figures["refused"] = server.refused - refused_before
            stages = ", ".join(f"{k} {v:.1f}" for k, v in figures["stages"].items())
            say(f"{label:<14} {figures['seconds']:7.1f} s  processed {figures['processed']}, reused "
                f"{figures['reused']}; HTTP requests {figures['requests']} ({figures['refused']} refused 429); "
                f"peak RSS {figures['maxrss_kb'] / 1024:.0f} MB (largest process), "
                f"{figures['tree_peak_kb'] / 1024:.0f} MB (process tree); seconds per stage: {stages}")
            return figures

        cold = run(f"cold N={n}", "raw", "out", "cache")
        cold_sentences = sum(1 for path in (tmp / "out" / ".work").glob("*/claims.jsonl")
                             for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        warm = run(f"warm N={n}", "raw", "out", "cache")
        single = run(f"cold N={n} 1 job", "raw", "out1", "cache1", jobs=1)
        worker = run(f"cold N={n} 1 wkr", "raw", "outw", "cachew", jobs=1, scheduler="local")
        external = ExternalCluster(tmp, jobs)
        try:
            remote = run(f"cold N={n} ext.", "raw", "outx", "cachex", scheduler=external.address)
        finally:
            external.close()
        for again in range(1, repeats):  # a shared machine's load drifts: the faster of interleaved repeats
            cold = min(cold, run(f"cold N={n} #{again + 1}", "raw", f"out{again}r", f"cache{again}r"),
                       key=lambda figures: figures["seconds"])
            worker = min(worker, run(f"cold N={n} 1 wkr #{again + 1}", "raw", f"outw{again}r", f"cachew{again}r",
                                     jobs=1, scheduler="local"), key=lambda figures: figures["seconds"])
        identical = same_outputs(tmp / "out", tmp / "out1", tmp / "outw", tmp / "outx")
        touched = sorted((tmp / "raw").glob("*.txt"))[n // 2]
        touched.write_text(touched.read_text(encoding="utf-8") + "\nOne more sentence was added today.\n",
                           encoding="utf-8")
        one = run("one touched", "raw", "out", "cache")
        big = run(f"cold 2N={2 * n}", "raw2", "out2", "cache2")

        baselines = {}
        for label, out in (("N", "out"), ("2N", "out2")):
            completed = subprocess.run([sys.executable, __file__, "--nlp", str(tmp / out), str(jobs), str(repeats)],
                                       cwd=ROOT,
                                       capture_output=True, text=True, check=True, env={**os.environ, **ONE_THREAD})
            baselines[label] = json.loads(completed.stdout)

    nlp = baselines["N"]
    say()
    say(f"cold run: {n / cold['seconds']:.2f} articles/s with {jobs} workers, {n / worker['seconds']:.2f} with 1 worker "
        f"({worker['seconds'] / cold['seconds']:.2f}x), {n / single['seconds']:.2f} in one process "
        f"({single['seconds'] / cold['seconds']:.2f}x), {n / remote['seconds']:.2f} on the external scheduler; "
        f"{cold_sentences / cold['seconds']:.0f} sentences/s end to end; {cold['references']} references, "
        f"{cold['unique_lookups']} unique lookups")
    say(f"bare nlp.pipe of the claims stage's texts ({nlp['texts']} blocks, {nlp['words']} words): "
        f"1 process {nlp['bare_1']:.1f} s, {jobs} processes {nlp[f'bare_{jobs}']:.1f} s")
    say(f"one touched article: {one['seconds']:.1f} s = {one['seconds'] / cold['seconds']:.1%} of the cold run, "
        f"{one['processed']} processed, {one['reused']} reused")
    say()
    results = []

    def check(name: str, value: str, ok: bool) -> None:
        results.append(ok)
        say(f"{bar(ok)}  {name}: {value}")

    for label, figures, count in (("N", cold, n), ("2N", big, 2 * n)):
        floor = baselines[label][f"bare_{jobs}"] + figures["unique_lookups"] / RATE_PER_S
        ratio = figures["seconds"] / floor
        check(f"cold run at {label}={count} <= 1.5x its floor (bare nlp.pipe, {jobs} processes, + lookups / rate)",
              f"{figures['seconds']:.1f} s / ({baselines[label][f'bare_{jobs}']:.1f} + "
              f"{figures['unique_lookups'] / RATE_PER_S:.1f}) s = {ratio:.2f}", ratio <= 1.5)
    ratio = warm["seconds"] / cold["seconds"]
    check("warm rerun < 5% of the cold run", f"{warm['seconds']:.1f} s / {cold['seconds']:.1f} s = {ratio:.1%} "
          f"({warm['reused']} of {n} reused, {warm['requests']} HTTP requests)",
          ratio < 0.05 and warm["reused"] == n and warm["requests"] == 0)
    check("touching one article redoes only it",
          f"{one['processed']} processed, {one['reused']} reused, {one['requests']} HTTP requests",
          one["processed"] == 1 and one["reused"] == n - 1)
    if jobs > 1:
        ratio = worker["seconds"] / cold["seconds"]
        check(f"{jobs} workers >= 1.7x the articles per second of 1 (local cluster of 1 worker)",
              f"{worker['seconds']:.1f} s / {cold['seconds']:.1f} s = {ratio:.2f}x (one process, no cluster: "
              f"{single['seconds'] / cold['seconds']:.2f}x)", ratio >= 1.7)
    check("outputs byte-identical: one process, local cluster of 1 and of J workers, external scheduler",
          f"{'identical' if identical else 'DIFFERENT'} (external run {remote['seconds']:.1f} s vs local "
          f"{cold['seconds']:.1f} s)", identical)
    for label, key in (("process tree", "tree_peak_kb"), ("largest process", "maxrss_kb")):
        ratio = big[key] / cold[key]
        check(f"peak memory 2N within 15% of N ({label})",
              f"{big[key] / 1024:.0f} MB / {cold[key] / 1024:.0f} MB = {ratio:.2f}", ratio <= 1.15)
    ratio = cold["requests"] / max(1, cold["unique_lookups"])
    check("cold requests within 20% of unique lookups",
          f"{cold['requests']} / {cold['unique_lookups']} = {ratio:.2f}", abs(ratio - 1) <= 0.2)
    floor = cold["requests"] / RATE_PER_S
    crossref_seconds = cold["stages"].get("crossref", float("nan"))
    ratio = crossref_seconds / floor
    check(f"Crossref stage <= requests/{RATE_PER_S} per s + 20%",
          f"{crossref_seconds:.1f} s / {floor:.1f} s = {ratio:.2f}", ratio <= 1.2)

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    new = not RESULTS.exists()
    with RESULTS.open("a", encoding="utf-8") as handle:
        if new:
            handle.write("# Benchmark results\n\nAppended by `make bench` (bench/bench_scale.py).\n")
        handle.write(f"\n## {stamp}: scale, N={n}, --jobs {jobs}\n\n```\n" + "\n".join(lines) + "\n```\n")
    print(f"\nappended to {RESULTS.relative_to(ROOT)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[3:] if sys.argv[2:3] == ["--"] else sys.argv[2:])
    elif sys.argv[1:2] == ["--nlp"]:
        nlp_baseline(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        count = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_N", "200"))
        workers = int(os.environ.get("BENCH_JOBS") or os.cpu_count() or 1)
        sys.exit(main(count, workers, max(1, int(os.environ.get("BENCH_REPEAT", "1")))))
