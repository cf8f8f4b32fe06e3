"""Crossref lookups started while the per-article work is still running.

Consumes the `Settings` and each article's references as the article finishes (`add`);
produces, for the stage proper (`check_references(..., prefetch=...)`), the `Lookup` of a
citation that was already looked up (`take`). The stage stays central: one client, so one
rate limit, one cache and one time budget for the whole run, and the batch's own
de-duplication and judging are unchanged. What changes is when the requests go out: the
rate limit's wait (a second for every 10 unique lookups) overlaps the parsing instead of
following it.

A lookup depends only on the citation's parsed fields (`stage._cited`), so a prefetched one
is exactly the lookup the stage would have made for that citation; the stage asks for the
citation that is first in input order, and looks up itself any it was not handed (the
first-finished article's citation of a DOI can differ from the first-listed one's), so the
checks are the same as without prefetching.
"""
from __future__ import annotations

import logging
import math
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Iterable

from pipeline.crossref.cache import open_cache
from pipeline.crossref.pacing import Budget
from pipeline.crossref.stage import CrossrefClient, Lookup, _bounded, _cited, _lookup, lookup_key
from pipeline.models import ParseStatus, Reference
from pipeline.settings import Settings

log = logging.getLogger("pipeline")


class LookupPrefetch:
    """The run's Crossref client and cache, and lookups begun as references arrive."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.cache = open_cache(settings.cache_dir / "crossref.sqlite", ttl_days=settings.cache_ttl_days)
        self.client = CrossrefClient(settings, self.cache)
        # the stage's time budget starts with the stage (`stage_started`): the per-article work,
        # however long, does not spend it
        self.client.budget = Budget(math.inf)
        self.pool = ThreadPoolExecutor(max_workers=self.client.concurrency, thread_name_prefix="crossref")
        self.keys: set[str] = set()
        self.futures: dict[Reference, Future] = {}

    def add(self, references: Iterable[Reference]) -> None:
        """Start the lookup of every citation whose lookup key has not been met yet."""
        for reference in references:
            bounded = _bounded(reference, self.settings.crossref_field_chars)
            if bounded.parse_status == ParseStatus.FAILED or not (bounded.title or bounded.doi):
                continue
            key = lookup_key(bounded)
            if key not in self.keys:
                self.keys.add(key)
                self.futures[_cited(bounded)] = self.pool.submit(self._lookup, bounded)

    def _lookup(self, reference: Reference) -> Lookup | None:
        try:
            return _lookup(self.client, reference)
        except Exception:  # the stage looks it up again and reports what goes wrong there
            log.debug("crossref prefetch of %s failed", reference.ref_id, exc_info=True)
            return None

    def stage_started(self) -> None:
        self.client.budget = Budget(self.settings.crossref_budget)

    def take(self, reference: Reference) -> Lookup | None:
        """The prefetched lookup of this (bounded) citation, waiting for it; None if never begun."""
        future = self.futures.get(_cited(reference))
        return future.result() if future is not None else None

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.cache is not None:
            self.cache.close()
