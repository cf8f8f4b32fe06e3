"""Crossref stage: references -> `Check`s.

`stage` holds the habanero client (rate limit, retries, breaker) and the stage entry; `works` turns REST API
JSON into `CrossrefWork` records; `matching` judges a citation against candidate works (pure, no I/O);
`cache` is the SQLite response cache.
"""

# the stage's public API: other folders import these names from the package, never its modules
from pipeline.crossref.cache import ResponseCache, open_cache
from pipeline.crossref.matching import judge
from pipeline.crossref.stage import CrossrefClient, check_references

__all__ = ["judge", "CrossrefClient", "ResponseCache", "check_references", "open_cache"]
