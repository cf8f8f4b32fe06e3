"""One typed settings object for a run, and the one place it is built.

`Settings` holds every knob a run has, each default written once, here. `from_sources`
builds it as defaults <- environment <- flags; only the command line calls it, so stage
code never reads environment variables or global state: it is handed a `Settings`.

Environment variables (a contract, see README): `CROSSREF_API_URL`, `CROSSREF_MAILTO`,
`PIPELINE_CACHE_DIR`, `PIPELINE_DASK_SCHEDULER`.
"""
from __future__ import annotations

import os
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # the linking stage imports Settings, so only the type checker reads this
    from pipeline.linking.stage import LinkingConfig

# environment variable -> the Settings field it sets (flags still win over it)
ENVIRONMENT = {
    "CROSSREF_API_URL": "crossref_url",
    "CROSSREF_MAILTO": "crossref_mailto",
    "PIPELINE_CACHE_DIR": "cache_dir",
    "PIPELINE_DASK_SCHEDULER": "scheduler",
}


def _cores() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """Everything a run needs; frozen, so no stage can change what the others see."""

    raw_dir: Path = Path("raw")
    out_dir: Path = Path("output")
    crossref_url: str = "https://api.crossref.org"
    crossref_mailto: str = ""
    cache_dir: Path = Path(".cache")
    offline: bool = False                         # answer Crossref lookups from the cache alone
    claim_threshold: float | None = None          # claim score from which a sentence is a claim (None: the model's)
    jobs: int = field(default_factory=_cores)     # worker processes for the per-article work
    scheduler: str = ""                           # address of an existing Dask scheduler; "" = a local cluster
    min_tasks_per_worker: int = 4                 # fewer articles per local worker run in this process instead
    request_timeout: float = 10.0                 # seconds per Crossref request
    max_retries: int = 4                          # Crossref retries on 429 / 5xx / network errors
    cache_ttl_days: float = 30.0                  # how long a cached Crossref answer stays fresh
    max_file_bytes: int = 16 * 1024 * 1024        # largest input file accepted
    # What one Crossref answer, and the whole Crossref stage, may cost: a hostile or broken server
    # ends in `unchecked` references, never in a hang or the out-of-memory killer.
    crossref_max_bytes: int = 8 * 1024 * 1024           # one answer as sent (compressed), streamed
    crossref_max_decoded_bytes: int = 16 * 1024 * 1024  # one answer unpacked (a gzip bomb stops here)
    crossref_search_rows: int = 5                 # candidates asked per search; more sent are dropped
    crossref_field_chars: int = 300               # text kept and compared per field (title, container, ...)
    request_deadline: float = 15.0                # seconds for one Crossref request, connect to last byte
    retry_after_cap: float = 60.0                 # a longer Retry-After gives the lookup up instead of waiting
    crossref_min_rate: float = 1.0                # rate-limit headers slow requests to this many a second, no less
    crossref_budget: float = 900.0                # seconds for the whole Crossref stage; lookups left are unchecked
    wait_seconds: float = 0.0                     # wait this long for another run's lock (0: refuse at once)
    embeddings: bool = True                       # use the optional embedding model for linking when installed
    parquet: bool = False                         # also write .parquet twins of the tables
    linking: "LinkingConfig | None" = field(default=None, compare=False)  # None: the calibrated configuration


def default_of(name: str) -> Any:
    """The default of one field (for help texts), read from the dataclass, not repeated."""
    item = Settings.__dataclass_fields__[name]
    return item.default_factory() if item.default is MISSING else item.default


def _coerce(name: str, value: Any) -> Any:
    """A flag's or variable's value as the field's type (paths are paths)."""
    if name in ("raw_dir", "out_dir", "cache_dir") and not isinstance(value, Path):
        return Path(value)
    return value


def from_sources(flags: Mapping[str, Any], environ: Mapping[str, str]) -> Settings:
    """defaults <- environment <- flags. `flags` maps field names to values; None means "not given"."""
    known = {item.name for item in fields(Settings)}
    values: dict[str, Any] = {}
    for variable, name in ENVIRONMENT.items():
        if environ.get(variable):
            values[name] = _coerce(name, environ[variable])
    for name, value in flags.items():
        if name in known and value is not None:
            values[name] = _coerce(name, value)
    return Settings(**values)
