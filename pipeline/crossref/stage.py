"""Crossref stage: references -> `Check`s, through habanero, politely, resiliently and within bounds.

Consumes the parsed references of a run and the settings; produces one `Check` per
reference, in the same order, never fewer, and never raises for what a server sends. Every
request goes through habanero against `settings.crossref_url`. A cited DOI is fetched from
/works/{doi} and still compared with the citation; without a DOI, or when the DOI's work is
not the cited one, a `query.bibliographic` search (again by the title alone when it followed
another paper's locator) returns candidates for `matching.judge`.

Politeness and resilience: the `mailto` of the polite pool; a rate limit that follows the
X-Rate-Limit headers down to a floor (pacing.py); a bounded number of requests in flight;
retries with exponential backoff and jitter that honour a Retry-After up to a cap (a longer
one gives up at once); a circuit breaker that opens after a few consecutive transport
failures, every reference `unchecked` with the reason; a time budget for the whole stage.
Bounds: every answer is streamed and stopped at the byte caps, within a deadline per
request (transport.py), and checked against the API's shapes (schema.py) before use: an
answer that does not fit is that reference's `unchecked` with the reason, and is not cached.
Identical lookups across the batch are made once; answers are kept in the SQLite cache
(cache.py), `offline` answers from the cache alone, and a cached answer that no longer fits
the schema is dropped and fetched again.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import httpx2

from pipeline.messages import say
from pipeline.crossref import matching, schema
from pipeline.crossref.pacing import Budget, BudgetSpent, CircuitBreaker, RateLimiter, rate_from_headers, retry_after
from pipeline.crossref.transport import AnswerRefused, BoundedTransport, Bounds, route_habanero
from pipeline.crossref.works import SELECT_FIELDS, work_from_item
from pipeline.models import Check, CrossrefWork, ParseStatus, Reference, Verdict
from pipeline.references import normalise_doi
from pipeline.settings import Settings
from pipeline.repair import collapse_space

log = logging.getLogger("pipeline")

SELECT_TAG = hashlib.sha1(",".join(SELECT_FIELDS).encode()).hexdigest()[:8]
RETRYABLE = {429, 500, 502, 503, 504}
DEFAULT_RATE = (50, 1.0)  # Crossref's public pool allows about 50 requests a second


class CrossrefUnavailable(Exception):
    """The lookup could not be made: network down, rate limit exhausted, circuit open, offline,
    an answer refused (over a cap, not the API's shape), the stage's time budget spent."""


def _request_error() -> type:
    """habanero's own request error (imported when a request is made, not when the stage is)."""
    from habanero import RequestError

    return RequestError


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
        self._cr = None  # habanero's client, made on the first request (a warm run asks the cache alone)
        self.transport = BoundedTransport(Bounds(settings.crossref_max_bytes, settings.crossref_max_decoded_bytes,
                                                 settings.request_deadline))
        self.settings = settings
        self.cache, self.offline = cache, settings.offline
        self.max_retries = settings.max_retries
        self.sleep, self.backoff_base, self.max_backoff = sleep, backoff_base, max_backoff
        # consecutive failures with no success between them, across all threads: with several
        # requests in flight, a slow server times out a few in a row without being down
        self.breaker = CircuitBreaker(breaker_threshold or 3 * max(1, concurrency))
        self.limiter = RateLimiter(*DEFAULT_RATE, sleep=sleep)
        self.budget = Budget(settings.crossref_budget)
        self.in_flight = threading.BoundedSemaphore(max(1, concurrency))
        self.concurrency = max(1, concurrency)
        self.requests = 0
        self.count_lock = threading.Lock()

    @property
    def cr(self):
        """habanero's Crossref client, made (and routed through this client's transport) on first use."""
        if self._cr is None:
            import habanero

            self._cr = habanero.Crossref(base_url=self.settings.crossref_url.rstrip("/"),
                                         mailto=self.settings.crossref_mailto or None,
                                         timeout=self.settings.request_timeout)
            # habanero takes no transport: its requests are routed to this client's while it makes them
            route_habanero()
        return self._cr

    # -- one HTTP request, with retries --------------------------------------------------
    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            wait = min(retry_after, self.max_backoff)
        else:
            wait = min(self.max_backoff, self.backoff_base * 2 ** attempt) * (0.5 + random.random() / 2)
        return max(0.0, min(wait, self.budget.left()))

    @staticmethod
    @contextlib.contextmanager
    def _released(limiter: RateLimiter):
        try:
            yield
        finally:
            limiter.release()

    def _status_failure(self, error: Exception, what: str) -> tuple[str, float | None]:
        """An HTTP error answer: raises for the final ones, else (what went wrong, Retry-After)."""
        response = getattr(error, "response", None) or self.transport.last_response
        status = response.status_code if response is not None else getattr(error, "status_code", 0)
        if status < 400 and not isinstance(error, (httpx2.HTTPStatusError, _request_error())):
            # habanero could not read a 2xx answer (it reads message.total-results, next-cursor):
            # the same answer would come back, so it is not asked for again
            raise CrossrefUnavailable(say("answer_unreadable", error=f"{type(error).__name__}: {str(error)[:80]}",
                                          what=what)) from None
        if status < 400:
            status = 0  # not an HTTP error after all: a malformed answer
        if status == 404:
            self.breaker.success()
            raise LookupError("not registered") from None
        if status and status not in RETRYABLE:
            raise CrossrefUnavailable(say("answered_status", status=status, what=what)) from None
        wait = retry_after(response.headers) if response is not None else None
        if wait is not None and wait > self.settings.retry_after_cap:
            # the server asks every client to stay away longer than this run will wait
            reason = say("retry_after_cap", status=status, wait=wait, cap=self.settings.retry_after_cap)
            self.breaker.trip(reason)
            raise CrossrefUnavailable(reason) from None
        last = f"HTTP {status}" if status else f"malformed answer ({type(error).__name__})"
        if status >= 500 or not status:
            self.breaker.failure(last)
        return last, wait

    def _request(self, call: Callable[[], object], what: str):
        """One API call with retries. Transport failures get `max_retries` retries; answers that
        ask to come back later (429, 5xx) get three times as many, paced by Retry-After."""
        last, attempt, transport_failures, status_failures = "", 0, 0, 0
        while True:
            if self.breaker.open:
                raise CrossrefUnavailable(say("circuit_open", failures=self.breaker.failures,
                                              error=self.breaker.last_error))
            try:
                self.limiter.acquire(self.budget)
            except BudgetSpent as error:
                raise CrossrefUnavailable(str(error)) from None
            wait = None
            with self.in_flight, self._released(self.limiter), self.transport.active():
                with self.count_lock:
                    self.requests += 1
                try:
                    result = call()
                except AnswerRefused as error:
                    raise CrossrefUnavailable(say("answer_refused", error=error, what=what)) from None
                except (httpx2.HTTPStatusError, _request_error(), TypeError, KeyError, AttributeError, IndexError) as error:
                    # TypeError/KeyError: habanero fails to read some error bodies; the status is what counts
                    last, wait = self._status_failure(error, what)
                    status_failures += 1
                except (httpx2.TransportError, RuntimeError, ValueError) as error:
                    last = f"{type(error).__name__}: {error}"[:200]
                    self.breaker.failure(last)
                    transport_failures += 1
                else:
                    self.breaker.success()
                    response = self.transport.last_response
                    if response is not None and (rate := rate_from_headers(response.headers,
                                                                            self.settings.crossref_min_rate)):
                        self.limiter.update(*rate)
                    return result
            if transport_failures > self.max_retries or status_failures > 3 * self.max_retries:
                break
            if not self.breaker.open:
                self.sleep(self._backoff(attempt, wait))
            attempt += 1
        if last.startswith("HTTP 429"):
            raise CrossrefUnavailable(say("rate_limit_exhausted", attempts=attempt + 1, what=what))
        raise CrossrefUnavailable(say("gave_up", attempts=attempt + 1, error=last, what=what))

    # -- cached lookups --------------------------------------------------------------------
    def _cached(self, key: str, fetch: Callable[[], dict], reread: Callable[[dict], object]):
        """`reread` of the cached value of `key`, or of a fresh one from `fetch`.

        `fetch` returns the answer's readable part in the API's shape or raises MalformedAnswer,
        which makes the lookup unchecked, with nothing cached. A cached value that `reread`
        refuses (damaged, or kept by another version) is dropped and fetched again."""
        if self.cache is not None:
            stored = self.cache.get(key)
            if stored is not None:
                try:
                    return reread(stored)
                except (schema.MalformedAnswer, TypeError, KeyError, AttributeError) as error:
                    log.warning("%s", say("cache_answer_dropped", error=f"{type(error).__name__}: {str(error)[:200]}"))
                    self.cache.delete(key)
        if self.offline:
            raise CrossrefUnavailable(say("offline_not_cached"))
        try:
            value = fetch()
        except schema.MalformedAnswer as error:
            raise CrossrefUnavailable(say("answer_unfit", error=error)) from None
        if self.cache is not None:
            self.cache.put(key, value)
        return reread(value)

    def work(self, doi: str) -> dict | None:
        """The work item a DOI resolves to, or None when Crossref does not know the DOI."""
        chars = self.settings.crossref_field_chars

        def fetch():
            try:
                answer = self._request(lambda: self.cr.works(ids=doi), f"/works/{doi}")
            except LookupError:
                return {"status": "not-registered"}
            return {"status": "ok", "item": schema.work_message(answer, chars)}

        def reread(value):
            if value.get("status") == "not-registered":
                return None
            return schema.work_item(value["item"], chars)

        return self._cached(f"work:{doi.casefold()}", fetch, reread)

    def search(self, query: str, rows: int | None = None) -> list[dict]:
        """At most `rows` candidate items (the settings' search rows by default)."""
        rows, chars = rows or self.settings.crossref_search_rows, self.settings.crossref_field_chars

        def fetch():
            answer = self._request(
                lambda: self.cr.works(query_bibliographic=query, limit=rows, select=list(SELECT_FIELDS)),
                "a bibliographic search")
            return {"status": "ok", "items": schema.work_list(answer, rows, chars)}

        def reread(value):
            return schema.work_list({"message-type": "work-list", "message": value}, rows, chars)

        # the selected fields are part of the key: an answer cached before a field was added lacks it
        return self._cached(f"search:{rows}:{SELECT_TAG}:{query.casefold()}", fetch, reread)


def bibliographic_query(reference: Reference) -> str:
    """The citation as one search string (parsed fields, so repeats of a reference share it)."""
    authors = " ".join(a.family for a in reference.authors[:3])
    parts = [authors, reference.title, reference.container, str(reference.year or ""), reference.volume,
             reference.pages]
    return collapse_space(" ".join(p for p in parts if p))


def lookup_key(reference: Reference) -> str:
    return f"doi:{reference.doi.casefold()}" if reference.doi else f"q:{bibliographic_query(reference).casefold()}"


def _pulled_away(reference: Reference, candidates: Sequence[CrossrefWork]) -> bool:
    """Ask again by the title alone? When no candidate carries a 4+ word title but one has the cited volume and
    pages: the search followed the locator, and ranked out the work with that title, if any (a wrong-paper mix)."""
    if len(matching.fold(reference.title).split()) < matching.MIN_MISATTRIBUTION_WORDS:
        return False
    assessments = [matching.assess(reference, work) for work in candidates]
    if any(a.identified_by in ("doi", "title") or a.misattributed for a in assessments):
        return False
    return any(sum(c.agrees for c in a.comparisons if c.field in ("volume", "pages")) == 2 for a in assessments)


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
        if _pulled_away(reference, result.candidates):
            found = {w.doi.casefold() for w in result.candidates}
            result.candidates += tuple(w for i in client.search(reference.title)
                                       if (w := work_from_item(i)).doi.casefold() not in found)
    except CrossrefUnavailable as error:
        result.error = str(error)
    return result


def _unchecked(reference: Reference, why: str) -> Check:
    return Check(article=reference.article, ref_id=reference.ref_id, verdict=Verdict.UNCHECKED, note=why)


def _bounded(reference: Reference, chars: int) -> Reference:
    """The citation as it is looked up and compared: its DOI in one form (doi:, resolver URLs,
    percent-encoding and zero-width characters taken out), its text fields cut to `chars`, so
    that no comparison runs over a 100 KB title."""
    return replace(reference, doi=normalise_doi(reference.doi), title=reference.title[:chars],
                   container=reference.container[:chars])


def _cited(reference: Reference) -> Reference:
    """The citation without its place: a site repeats its references, and the verdict reads
    the parsed fields only, never where the entry stands."""
    return replace(reference, article="", ref_id="", source_line=0, raw="", number="")


def check_references(references: Sequence[Reference], settings: Settings, cache=None, progress=None,
                     client: CrossrefClient | None = None, prefetch=None) -> list[Check]:
    """One Check per reference, same order; identical lookups are made once, and the same
    citation is judged once, in the lookup's thread while others wait for the rate limit.
    `prefetch` (pipeline.crossref.prefetch) hands over lookups begun during the per-article work."""
    client = client or CrossrefClient(settings, cache)
    references = [_bounded(r, settings.crossref_field_chars) for r in references]
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
        try:
            found = lookups[key] = (prefetch and prefetch.take(reference)) or _lookup(client, reference)
            if not found.error:
                for cited, example in citations[key].items():
                    verdicts[(key, cited)] = matching.judge(example, found.candidates, found.doi_work,
                                                            found.doi_missing)
        except Exception as error:  # a bug met on one answer must not lose the other lookups
            note = say("crossref_unexpected", error=f"{type(error).__name__}: {str(error)[:200]}")
            log.error("crossref: %s: %s", reference.ref_id, note, exc_info=log.isEnabledFor(logging.DEBUG))
            lookups[key] = Lookup(error=note)
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
            checks.append(_unchecked(reference, say("unparsable", why=why)))
        elif lookups[key].error:
            checks.append(_unchecked(reference, lookups[key].error))
        else:
            check = verdicts[(key, _cited(reference))]
            checks.append(replace(check, article=reference.article, ref_id=reference.ref_id))
    log.info("crossref: %d references, %d unique lookups, %d HTTP requests", len(references), len(checkable),
             client.requests)
    return checks
