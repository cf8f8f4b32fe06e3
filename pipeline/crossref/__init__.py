"""Crossref stage: references -> `Check`s.

`stage` holds the habanero client (retries, bounds) and the stage entry; `transport` is the HTTP transport
habanero uses (byte caps, a deadline per request); `pacing` the rate limiter, circuit breaker and time budget;
`schema` checks answers against the REST API's shapes; `works` turns REST API JSON into `CrossrefWork`
records; `matching` decides which candidate work is the cited one and the verdict, `validation` compares
every stated field with it, `titles` whether two titles agree and how their words differ (all pure, no
I/O); `cache` is the SQLite response cache.
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.crossref.cache import ResponseCache, open_cache
from pipeline.crossref.matching import judge
from pipeline.crossref.stage import CrossrefClient, check_references
from pipeline.crossref.titles import title_diff
from pipeline.crossref.prefetch import LookupPrefetch

__all__ = ["judge", "CrossrefClient", "ResponseCache", "check_references", "open_cache", "title_diff", "LookupPrefetch"]
