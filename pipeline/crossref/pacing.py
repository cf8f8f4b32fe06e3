"""How fast and how long the Crossref stage may ask: the rate limiter, the circuit breaker, the budget.

Consumes the answers' headers (X-Rate-Limit-Limit / X-Rate-Limit-Interval, Retry-After) and the
bounds of the settings; produces waits. A server's headers may slow the client down, but never below
`min_rate` requests a second (`X-Rate-Limit-Limit: 0` or an interval of a day would stop the run);
a Retry-After is read as seconds and the client decides what to do with one over its cap. The
`Budget` is the stage's whole time: once spent, every lookup not yet made is given up.
"""
from __future__ import annotations

import math
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from pipeline.messages import say


class RateLimiter:
    """At most `limit` requests in any `interval` seconds, shared by all threads.

    A sliding window over the requests themselves, the way a server counts them: a request
    holds its place from the moment it is sent until `interval` after its answer came back
    (the server saw it no later than that), so network jitter can never push a burst over
    the limit, and a full window's worth goes out at once instead of trickling. Until the
    first answer (with its X-Rate-Limit headers) is back, one request at a time.
    """

    def __init__(self, limit: int, interval: float, clock=time.monotonic, sleep=time.sleep):
        self.limit, self.interval = max(1, limit), max(0.001, interval)
        self.clock, self.sleep = clock, sleep
        self.in_flight = 0
        self.finished: deque[float] = deque()  # answer times still inside the window
        self.probing = True
        self.lock = threading.Lock()

    def update(self, limit: int, interval: float) -> None:
        with self.lock:
            self.limit, self.interval = max(1, limit), max(0.001, interval)

    def acquire(self, budget: "Budget | None" = None) -> None:
        while True:
            if budget is not None:
                budget.check()
            with self.lock:
                now = self.clock()
                while self.finished and now - self.finished[0] >= self.interval:
                    self.finished.popleft()
                if self.in_flight + len(self.finished) < self.limit and not (self.probing and self.in_flight):
                    self.in_flight += 1
                    return
                # wait for the oldest answer to leave the window, or poll for one in flight
                wait = self.interval - (now - self.finished[0]) if self.finished and not self.probing else 0.005
            self.sleep(max(0.001, min(wait, self.interval, 1.0)))

    def release(self) -> None:
        """The request's answer (or failure) is back."""
        with self.lock:
            self.in_flight = max(0, self.in_flight - 1)
            self.finished.append(self.clock())
            self.probing = False


@dataclass
class CircuitBreaker:
    """Opens after `threshold` consecutive transport failures; then every call fails fast."""

    threshold: int = 3
    failures: int = 0
    last_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def open(self) -> bool:
        return self.failures >= self.threshold

    def success(self) -> None:
        with self.lock:
            self.failures = 0

    def failure(self, error: str) -> None:
        with self.lock:
            self.failures += 1
            self.last_error = error

    def trip(self, error: str) -> None:
        """Open now: the server said to stay away for longer than the run will wait."""
        with self.lock:
            self.failures = max(self.failures, self.threshold)
            self.last_error = error


class BudgetSpent(Exception):
    """The Crossref stage's time budget is spent."""


class Budget:
    """The stage's whole time, from its start; `check` raises BudgetSpent once it is gone."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds, self.clock = seconds, clock
        self.ends = clock() + seconds

    def left(self) -> float:
        return self.ends - self.clock()

    def check(self) -> None:
        if self.left() <= 0:
            raise BudgetSpent(say("budget_spent", seconds=self.seconds))


def rate_from_headers(headers, min_rate: float) -> tuple[int, float] | None:
    """(limit, interval) of the X-Rate-Limit headers, held to at least `min_rate` requests a second."""
    try:
        limit = max(1, int(headers.get("x-rate-limit-limit")))
        interval = float(re.sub(r"[^\d.]", "", headers.get("x-rate-limit-interval", "1s")) or 1)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(interval) or interval <= 0:
        return None
    return limit, (min(interval, limit / min_rate) if min_rate > 0 else interval)


def retry_after(headers) -> float | None:
    """The Retry-After header in seconds (a date or nonsense: None)."""
    try:
        seconds = float(headers.get("retry-after"))
    except (TypeError, ValueError):
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None
