"""Crossref stage: references -> `Check`s.

`stage` holds the habanero client (rate limit, retries, breaker) and the stage entry; `works` turns REST API
JSON into `CrossrefWork` records; `matching` judges a citation against candidate works (pure, no I/O);
`cache` is the SQLite response cache.
"""
