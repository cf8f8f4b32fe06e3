"""Progress of a stage over many items: counts, rate and ETA.

On a terminal it redraws one line with a bar; elsewhere (CI, a log file) it writes a plain
log line at most every 10% of the work and once a second, and at the end, so logs stay short.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO


BAR_WIDTH = 24


class Progress:
    def __init__(self, stage: str, total: int, stream: TextIO | None = None, enabled: bool = True,
                 clock=time.monotonic):
        self.stage = stage
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.total > 0
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock = clock
        self.started = clock()
        self._next_log = 0.1
        self._drawn = self.started  # the last line written (a stage done within a second writes one)

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        remaining = (self.total - self.done) / rate if rate > 0 else 0.0
        return (f"{self.stage}: {self.done}/{self.total} ({100 * self.done / self.total:.0f}%) "
                f"{rate:.1f}/s, ETA {remaining:.0f}s")

    def bar(self) -> str:
        filled = int(BAR_WIDTH * self.done / self.total) if self.total else 0
        return "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "] "

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        if not self.enabled:
            return
        if self.tty:
            now = self.clock()
            if self.done == self.total or now - self._drawn >= 0.1:  # redraw at most 10 times a second
                self._drawn = now
                self.stream.write("\r" + self.bar() + self.line() + "\033[K" + ("\n" if self.done == self.total else ""))
                self.stream.flush()
        elif self.done == self.total or (self.done / self.total >= self._next_log
                                         and self.clock() - self._drawn >= 1.0):
            self._drawn = self.clock()
            self.stream.write(self.line() + "\n")
            self._next_log = (int(self.done / self.total * 10) + 1) / 10
