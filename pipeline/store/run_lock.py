"""One run at a time per output folder.

A second run on the same output folder waits for the first (up to `wait_seconds`) and
then refuses with a clear message, so two runs never interleave their writes. The lock is
an advisory `flock` on `<out>/.lock`: the kernel releases it when a run dies, even by
SIGKILL, so a killed run never leaves a stale lock behind.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from pipeline.messages import say


class RunLocked(RuntimeError):
    """Another run holds the output folder."""


@contextmanager
def run_lock(out_dir: Path, wait_seconds: float = 0.0, poll: float = 0.2) -> Iterator[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / ".lock"
    handle = open(path, "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise RunLocked(say("run_locked", out=out_dir, holder=holder, waited=wait_seconds)) from None
                time.sleep(poll)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield path
    finally:
        handle.close()
