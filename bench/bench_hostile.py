"""Reliability bench: `python -m pipeline run` against a hostile Crossref, and a 5 MB one-line article.

For each case of tests/hostile_crossref.py at the sizes of the adversarial round (malformed shapes, a
50 MB answer, a gzip bomb of 200 MB, 200,000 items, 1 byte a second, rate limit 0, Retry-After 100000),
runs the pipeline over one sample article (raw/insulin-resistance-lifestyle.txt) with a fresh cache,
then again `--offline` on the same cache; then the 5 MB one-line article (and the same text as the
one paragraph of an HTML page), offline. Prints per run the
exit code, wall seconds, peak RSS (the run's VmHWM, sampled) and whether references.csv holds
every reference. Bars: exit 0 within 120 s, peak under 1.5 GB, every reference listed, offline rerun
exit 0; the one-line article under 2 GB.

A watchdog kills a run past `--kill-seconds` (default 150) or `--kill-gb` of RSS (default 4), so that
an unfixed pipeline cannot take the shared machine down; such a run is reported as killed.

    python bench/bench_hostile.py [--only CASE ...] [--kill-seconds S] [--kill-gb G]
"""
from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from html import escape as html_escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_crossref import HostileCrossref  # noqa: E402

ARTICLE = ROOT / "raw" / "insulin-resistance-lifestyle.txt"
MB = 1 << 20
SIZES = {"malformed": 0, "huge": 50 * MB, "bomb": 200 * MB, "items": 200_000, "drip": 0, "ratelimit0": 0,
         "retry-after": 100_000}


def _memory(pid: int, field: str = "VmRSS") -> int:
    """A /proc/<pid>/status figure in bytes (VmRSS now, VmHWM the peak so far), 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(args: list[str], env: dict, kill_seconds: float, kill_bytes: int) -> dict:
    """Run the pipeline; its exit code, seconds, peak RSS, and why it was killed (if it was)."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed, peak = [], [0]

    def watch():
        while process.poll() is None:
            peak[0] = max(peak[0], _memory(process.pid, "VmHWM"))
            if time.perf_counter() - started > kill_seconds:
                killed.append(f"killed after {kill_seconds:.0f} s")
            elif _memory(process.pid) > kill_bytes:
                killed.append(f"killed at {kill_bytes / 2**30:.1f} GB RSS")
            if killed:
                process.send_signal(signal.SIGKILL)
                return
            time.sleep(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    watcher.join()
    return {"exit": process.returncode, "seconds": time.perf_counter() - started,
            # VmHWM of the run itself (sampled every 0.1 s): wait4's ru_maxrss would also count this
            # process's own size, which a child inherits at fork; it stands in only when no sample was taken
            "peak_mb": (peak[0] / 2**20) or usage.ru_maxrss / 1024, "killed": killed[0] if killed else "",
            "tail": stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if stderr else []}


def references_listed(out: Path) -> int:
    return rows(out / "references.csv")


def rows(path: Path) -> int:
    """The data rows of a CSV table, -1 when it was not written."""
    if not path.exists():
        return -1
    csv.field_size_limit(2**31 - 1)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


DOI_ENTRIES = (
    "  • Kahn, S. E. Hull, R. L. & Utzschneider, K. M. (2006). Mechanisms linking obesity to insulin resistance "
    "and type 2 diabetes. Nature, 444(7121), 840-846. https://doi.org/10.1038/nature05482",
    "  • Shulman, G. I. (2000). Cellular mechanisms of insulin resistance. Journal of Clinical Investigation, "
    "106(2), 171-176. doi:10.1172/JCI10583",
)


def article_with_dois() -> str:
    """The sample article with two cited DOIs added to its reference list (so /works/{doi} is asked too)."""
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    at = lines.index("References") + 2
    return "\n".join(lines[:at] + list(DOI_ENTRIES) + lines[at:]) + "\n"


def one_line_article(folder: Path, size: int = 5 * MB, html: bool = False) -> Path:
    """The sample article's prose, every line joined into one, repeated to `size` bytes: a .txt
    line, or (html) the one <p> of a page."""
    prose = " ".join(line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip())
    text = ((prose + " ") * (size // len(prose.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")
    path = folder / ("one-paragraph.html" if html else "one-line.txt")
    path.write_text(f"<html><body><h1>One paragraph</h1><p>{html_escape(text)}</p></body></html>" if html else text,
                    encoding="utf-8")
    return path


def one_line_run(folder: Path, html: bool, env: dict, kill: tuple[float, int]) -> bool:
    """The 5 MB article on one line (or in one HTML paragraph), offline; True when under the bar."""
    (folder / "raw").mkdir(parents=True)
    one_line_article(folder / "raw", html=html)
    # spaCy parses the whole 5 MB here (minutes on a busy machine): only memory has a bar
    figures = measure(["run", "--raw", str(folder / "raw"), "--out", str(folder / "out"), "--jobs", "1", "--offline",
                       "--cache-dir", str(folder / "cache")], env, max(kill[0], 900.0), kill[1])
    ok = figures["exit"] == 0 and figures["peak_mb"] < 2048
    label = "5 MB one-paragraph HTML" if html else "5 MB one-line article"
    print(_line(label, figures, f"claims.csv rows {rows(folder / 'out' / 'claims.csv')}  bar 2048 MB  "
                                f"{'PASS' if ok else 'FAIL'}"), flush=True)
    return ok


def _line(label: str, figures: dict, extra: str = "") -> str:
    state = figures["killed"] or f"exit {figures['exit']}"
    return f"{label:<28} {state:<22} {figures['seconds']:7.1f} s  peak {figures['peak_mb']:7.0f} MB  {extra}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=[*SIZES, "one-line", "one-paragraph-html"])
    parser.add_argument("--kill-seconds", type=float, default=150.0)
    parser.add_argument("--kill-gb", type=float, default=4.0)
    options = parser.parse_args()
    kill = (options.kill_seconds, int(options.kill_gb * 2**30))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CROSSREF_MAILTO": "bench@example.org"}
    failures = 0
    with tempfile.TemporaryDirectory() as base_name:
        base = Path(base_name)
        raw = base / "raw"
        raw.mkdir()
        (raw / ARTICLE.name).write_text(article_with_dois(), encoding="utf-8")
        expected = None
        for case in [c for c in options.only if c in SIZES]:
            out, cache = base / f"out-{case}", base / f"cache-{case}"
            with HostileCrossref(case, size=SIZES[case]) as server:
                first = measure(["run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache),
                                 "--jobs", "1", "--crossref-url", server.url], env, *kill)
            listed = references_listed(out)
            offline = measure(["run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache),
                               "--jobs", "1", "--offline"], env, *kill)
            if expected is None:
                expected = references_listed(out)
            ok = (first["exit"] == 0 and first["seconds"] < 120 and first["peak_mb"] < 1536
                  and listed == expected and offline["exit"] == 0)
            failures += not ok
            print(_line(f"hostile {case}", first, f"references {listed}/{expected}  {'PASS' if ok else 'FAIL'}"),
                  flush=True)
            print(_line("  offline rerun", offline, " ".join(offline["tail"])[:90]), flush=True)
        for case, html in (("one-line", False), ("one-paragraph-html", True)):
            if case in options.only:
                failures += not one_line_run(base / case, html, env, kill)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
