"""Crossref stage: references -> `Check`s, through habanero, politely and resiliently.

Consumes the parsed references of a run and the settings; produces one `Check` per
reference, in the same order, never fewer. Every request goes through habanero against
`settings.crossref_url`. A cited DOI is fetched from /works/{doi} and still compared with
the citation; without a DOI, or when the DOI's work is not the cited one, a
`query.bibliographic` search returns candidates for `matching.judge` to validate.

Politeness and resilience: the `mailto` of the polite pool; a rate limit that
follows the X-Rate-Limit-Limit / X-Rate-Limit-Interval headers (a sliding window, never a
burst over the limit); a bounded number of
requests in flight; retries with exponential backoff and jitter that honour Retry-After on
429 and 5xx; a circuit breaker that opens after a few consecutive transport failures so an
unreachable API fails the whole stage fast, every reference `unchecked` with the reason.
Identical lookups across the batch are made once; answers are kept in the SQLite cache
(cache.py), and `offline` answers from the cache alone.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import random
import re
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import habanero
import habanero.request as habanero_request
import habanero.request_class as habanero_request_class
import httpx2
from habanero import RequestError

from pipeline.crossref import matching
from pipeline.crossref.works import SELECT_FIELDS, work_from_item
from pipeline.models import Check, CrossrefWork, ParseStatus, Reference, Settings, Verdict
from pipeline.repair import collapse_space

log = logging.getLogger("pipeline")

SEARCH_ROWS = 5
SELECT_TAG = hashlib.sha1(",".join(SELECT_FIELDS).encode()).hexdigest()[:8]
RETRYABLE = {429, 500, 502, 503, 504}
DEFAULT_RATE = (50, 1.0)  # Crossref's public pool allows about 50 requests a second


class CrossrefUnavailable(Exception):
    """The lookup could not be made: network down, rate limit exhausted, circuit open, offline."""


class _ResponseRecorder:
    """Stands in for the httpx2 module inside habanero so the client can read response
    headers (rate limits, Retry-After) that habanero does not return, and so that every
    request goes through one shared, thread-safe `httpx2.Client` (habanero's `httpx2.get`
    builds a new client per request: a TLS context and a new connection each time, most of
    a request's cost). Every other attribute is httpx2's own."""

    def __init__(self, module):
        self._module = module
        self.local = threading.local()
        self._client = None
        self._lock = threading.Lock()

    def _shared_client(self):
        with self._lock:
            if self._client is None:
                self._client = self._module.Client()
            return self._client

    def get(self, url, *, params=None, headers=None, timeout=None):
        self.local.response = None
        response = self._shared_client().get(url, params=params, headers=headers, timeout=timeout)
        self.local.response = response
        return response

    def __getattr__(self, name):
        return getattr(self._module, name)


_recorder = _ResponseRecorder(httpx2)
habanero_request.httpx2 = _recorder        # DOI lookups
habanero_request_class.httpx2 = _recorder  # searches


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

    def acquire(self) -> None:
        while True:
            with self.lock:
                now = self.clock()
                while self.finished and now - self.finished[0] >= self.interval:
                    self.finished.popleft()
                if self.in_flight + len(self.finished) < self.limit and not (self.probing and self.in_flight):
                    self.in_flight += 1
                    return
                # wait for the oldest answer to leave the window, or poll for one in flight
                wait = self.interval - (now - self.finished[0]) if self.finished and not self.probing else 0.005
            self.sleep(max(0.001, min(wait, self.interval)))

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


def _parse_rate_headers(headers) -> tuple[int, float] | None:
    try:
        limit = int(headers.get("x-rate-limit-limit"))
        interval = float(re.sub(r"[^\d.]", "", headers.get("x-rate-limit-interval", "1s")) or 1)
        return limit, interval
    except (TypeError, ValueError):
        return None


def _retry_after(headers) -> float | None:
    try:
        return max(0.0, float(headers.get("retry-after")))
    except (TypeError, ValueError):
        return None


@dataclass
class Lookup:
    """What Crossref said about one unique reference."""

    doi_work: CrossrefWork | None = None
    doi_missing: bool = False
    candidates: tuple[CrossrefWork, ...] = ()
    error: str = ""


class CrossrefClient:
    def __init__(self, settings: Settings, cache=None, sleep: Callable[[float], None] = time.sleep,
                 backoff_base: float = 0.5, max_backoff: float = 30.0, breaker_threshold: int | None = None,
                 concurrency: int = 4):
        self.cr = habanero.Crossref(base_url=settings.crossref_url.rstrip("/"),
                                    mailto=settings.crossref_mailto or None, timeout=settings.request_timeout)
        self.cache, self.offline = cache, settings.offline
        self.max_retries = settings.max_retries
        self.sleep, self.backoff_base, self.max_backoff = sleep, backoff_base, max_backoff
        # consecutive failures with no success between them, across all threads: with several
        # requests in flight, a slow server times out a few in a row without being down
        self.breaker = CircuitBreaker(breaker_threshold or 3 * max(1, concurrency))
        self.limiter = RateLimiter(*DEFAULT_RATE, sleep=sleep)
        self.in_flight = threading.BoundedSemaphore(max(1, concurrency))
        self.concurrency = max(1, concurrency)
        self.requests = 0
        self.count_lock = threading.Lock()

    # -- one HTTP request, with retries --------------------------------------------------
    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        return min(self.max_backoff, self.backoff_base * 2 ** attempt) * (0.5 + random.random() / 2)

    @staticmethod
    @contextlib.contextmanager
    def _released(limiter: RateLimiter):
        try:
            yield
        finally:
            limiter.release()

    def _request(self, call: Callable[[], object], what: str):
        """One API call with retries. Transport failures get `max_retries` retries; answers that
        ask to come back later (429, 5xx) get three times as many, paced by Retry-After."""
        last, attempt, transport_failures, status_failures = "", 0, 0, 0
        while True:
            if self.breaker.open:
                raise CrossrefUnavailable(f"Crossref unreachable, stopped asking (circuit open after "
                                          f"{self.breaker.failures} failures: {self.breaker.last_error})")
            self.limiter.acquire()
            retry_after = None
            with self.in_flight, self._released(self.limiter):
                with self.count_lock:
                    self.requests += 1
                try:
                    result = call()
                except (httpx2.HTTPStatusError, RequestError, TypeError, KeyError) as error:
                    # TypeError/KeyError: habanero fails to read some error bodies; the status is what counts
                    response = getattr(error, "response", None) or getattr(_recorder.local, "response", None)
                    status = response.status_code if response is not None else getattr(error, "status_code", 0)
                    if status < 400:
                        status = 0  # not an HTTP error after all: a malformed answer
                    if status == 404:
                        self.breaker.success()
                        raise LookupError("not registered") from None
                    if status and status not in RETRYABLE:
                        raise CrossrefUnavailable(f"Crossref answered {status} to {what}") from None
                    retry_after = _retry_after(response.headers) if response is not None else None
                    last = f"HTTP {status}" if status else f"malformed answer ({type(error).__name__})"
                    if status >= 500 or not status:
                        self.breaker.failure(last)
                    status_failures += 1
                except (httpx2.TransportError, RuntimeError, ValueError) as error:
                    last = f"{type(error).__name__}: {error}"[:200]
                    self.breaker.failure(last)
                    transport_failures += 1
                else:
                    self.breaker.success()
                    response = getattr(_recorder.local, "response", None)
                    if response is not None and (rate := _parse_rate_headers(response.headers)):
                        self.limiter.update(*rate)
                    return result
            if transport_failures > self.max_retries or status_failures > 3 * self.max_retries:
                break
            if not self.breaker.open:
                self.sleep(self._backoff(attempt, retry_after))
            attempt += 1
        if last.startswith("HTTP 429"):
            raise CrossrefUnavailable(f"rate limit exhausted after {attempt + 1} attempts ({what})")
        raise CrossrefUnavailable(f"gave up after {attempt + 1} attempts: {last} ({what})")

    # -- cached lookups --------------------------------------------------------------------
    def _cached(self, key: str, fetch: Callable[[], dict]) -> dict:
        if self.cache is not None:
            stored = self.cache.get(key)
            if stored is not None:
                return stored
        if self.offline:
            raise CrossrefUnavailable("offline and not in the cache")
        value = fetch()
        if self.cache is not None:
            self.cache.put(key, value)
        return value

    def work(self, doi: str) -> dict | None:
        """The work item a DOI resolves to, or None when Crossref does not know the DOI."""
        def fetch():
            try:
                message = self._request(lambda: self.cr.works(ids=doi), f"/works/{doi}")
            except LookupError:
                return {"status": "not-registered"}
            return {"status": "ok", "item": message.get("message", {})}

        value = self._cached(f"work:{doi.casefold()}", fetch)
        return value.get("item") if value.get("status") == "ok" else None

    def search(self, query: str, rows: int = SEARCH_ROWS) -> list[dict]:
        def fetch():
            message = self._request(
                lambda: self.cr.works(query_bibliographic=query, limit=rows, select=list(SELECT_FIELDS)),
                "a bibliographic search")
            return {"status": "ok", "items": message.get("message", {}).get("items", [])}

        # the selected fields are part of the key: an answer cached before a field was added lacks it
        return self._cached(f"search:{rows}:{SELECT_TAG}:{query.casefold()}", fetch)["items"]


def bibliographic_query(reference: Reference) -> str:
    """The citation as one search string (parsed fields, so repeats of a reference share it)."""
    authors = " ".join(a.family for a in reference.authors[:3])
    parts = [authors, reference.title, reference.container, str(reference.year or ""), reference.volume,
             reference.pages]
    return collapse_space(" ".join(p for p in parts if p))


def lookup_key(reference: Reference) -> str:
    return f"doi:{reference.doi.casefold()}" if reference.doi else f"q:{bibliographic_query(reference).casefold()}"


def _lookup(client: CrossrefClient, reference: Reference) -> Lookup:
    result = Lookup()
    try:
        if reference.doi:
            item = client.work(reference.doi)
            if item is None:
                result.doi_missing = True
            else:
                result.doi_work = work_from_item(item)
                if matching.assess(reference, result.doi_work).same_work:
                    return result  # the DOI's work is the cited one: no search needed
        result.candidates = tuple(work_from_item(i) for i in client.search(bibliographic_query(reference)))
    except CrossrefUnavailable as error:
        result.error = str(error)
    return result


def _unchecked(reference: Reference, why: str) -> Check:
    return Check(article=reference.article, ref_id=reference.ref_id, verdict=Verdict.UNCHECKED, note=why)


def _cited(reference: Reference) -> Reference:
    """The citation without its place: a site repeats its references, and the verdict reads
    the parsed fields only, never where the entry stands."""
    return replace(reference, article="", ref_id="", source_line=0, raw="", number="")


def check_references(references: Sequence[Reference], settings: Settings, cache=None, progress=None,
                     client: CrossrefClient | None = None) -> list[Check]:
    """One Check per reference, same order; identical lookups are made once, and the same
    citation is judged once, in the lookup's thread while others wait for the rate limit."""
    client = client or CrossrefClient(settings, cache)
    checkable: dict[str, Reference] = {}
    for reference in references:
        if reference.parse_status == ParseStatus.FAILED or not (reference.title or reference.doi):
            continue
        checkable.setdefault(lookup_key(reference), reference)
    citations: dict[str, dict[Reference, Reference]] = {}  # key -> citation -> one reference citing it
    for reference in references:
        key = lookup_key(reference)
        if key in checkable:
            citations.setdefault(key, {}).setdefault(_cited(reference), reference)
    lookups: dict[str, Lookup] = {}
    verdicts: dict[tuple[str, Reference], Check] = {}

    def run(item):
        key, reference = item
        found = lookups[key] = _lookup(client, reference)
        if not found.error:
            for cited, example in citations[key].items():
                verdicts[(key, cited)] = matching.judge(example, found.candidates, found.doi_work,
                                                        found.doi_missing)
        if progress is not None:
            progress.advance()

    if progress is not None:
        progress.total = len(checkable)
        progress.enabled = progress.enabled and bool(checkable)
    with ThreadPoolExecutor(max_workers=client.concurrency) as pool:
        list(pool.map(run, checkable.items()))

    checks = []
    for reference in references:
        key = lookup_key(reference)
        if key not in checkable:
            why = reference.parse_note or "no title or DOI to look up"
            checks.append(_unchecked(reference, f"unparsable: {why}"))
        elif lookups[key].error:
            checks.append(_unchecked(reference, lookups[key].error))
        else:
            check = verdicts[(key, _cited(reference))]
            checks.append(replace(check, article=reference.article, ref_id=reference.ref_id))
    log.info("crossref: %d references, %d unique lookups, %d HTTP requests", len(references), len(checkable),
             client.requests)
    return checks
