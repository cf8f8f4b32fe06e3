"""One piece of the outputs' work in a second process, while this one does the rest.

Consumes a function and its arguments; produces a `result()` callable that gives what the
function returned (or raises what it raised). After the per-article work the cluster's
cores are idle and the outputs are written by one process: the corrected citations
(citeproc-py, 10-40 ms an entry) are made while the linking runs, and review.xlsx (openpyxl)
is made while the report is written, each in a forked copy of this process, so nothing has
to be imported or loaded again and the arguments are already in memory.

Where the platform cannot fork (Windows; macOS only spawns by default), or the second
process dies, the function runs here when its result is asked for: the same result, later.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable


def in_side_process(function: Callable, *args) -> Callable[[], Any]:
    """Start `function(*args)` in a forked process; call the returned function for its result."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: function(*args)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(function, *args)
    except (OSError, RuntimeError):  # no process to be had (limits): do it here, when asked
        return lambda: function(*args)

    def result():
        try:
            return future.result()
        except BrokenProcessPool:  # the second process died (killed, out of memory): do it here
            return function(*args)
        finally:
            pool.shutdown(wait=True)

    return result
