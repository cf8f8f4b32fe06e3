"""A second run on the same output folder waits, then refuses with a clear message."""
import subprocess
import sys
import time

import pytest

from pipeline.store.run_lock import RunLocked, run_lock


def test_second_lock_refuses_while_first_holds(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from pipeline.store.run_lock import run_lock\n"
        f"with run_lock(Path({str(tmp_path)!r})):\n    print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(RunLocked, match="in use by another run"):
            with run_lock(tmp_path, wait_seconds=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    # the kernel drops the lock of a killed process: no stale lock
    with run_lock(tmp_path, wait_seconds=2):
        pass
