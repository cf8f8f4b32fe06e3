"""Whether the output set of the last run is still the one this run would write.

Consumes the run's settings, records (their articles and content hashes), failures, stages
and Crossref checks, and the output folder; produces a digest of everything the tables and
the report are made from (`inputs_digest`), and reads or writes `<out>/.outputs.json`: that
digest with the size and SHA-256 of every file of the folder (its top level, dot files
aside). A rerun whose digest matches and whose folder still holds exactly those files as they
were (no reviewer edit in claims.csv or review.xlsx, nothing removed or added) leaves the set alone: rewriting it would write the same bytes, and a large
report or workbook takes seconds.

The records are a function of the input bytes and the pipeline version (the work files'
own contract, pipeline.store.article_store), and the links of the records, the checks and
the linking set-up (pipeline.store.link_store); so those, with the settings that shape the
outputs, stand for the whole set.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from pipeline.settings import Settings
from pipeline.store.work_files import atomic_write_text

FILE_NAME = ".outputs.json"


def inputs_digest(settings: Settings, result, stages: Sequence[str], checks: Sequence) -> str:
    """A digest of what the output set is made from (where the work ran is not part of it)."""
    from pipeline.store.article_store import pipeline_version
    from pipeline.store.link_store import setup_fingerprint

    placed = replace(settings, jobs=0, scheduler="", min_tasks_per_worker=0, wait_seconds=0.0)
    digest = hashlib.sha256()
    for part in (pipeline_version(), repr(placed), repr(tuple(stages)), setup_fingerprint(settings),
                 repr(sorted(result.failed.items()))):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for records in result.articles:
        digest.update(f"{records.document.article}\0{records.document.content_hash}\0".encode("utf-8"))
    for check in checks:  # frozen dataclasses of plain values: the repr names every field's value
        digest.update(repr(check).encode("utf-8"))
    return digest.hexdigest()


def _folder(out: Path) -> dict[str, list]:
    """Every file at the folder's top level but the dot files (the run's own records): size, SHA-256."""
    files = {}
    for path in sorted(out.iterdir()):
        if not path.name.startswith(".") and path.is_file():
            data = path.read_bytes()
            files[path.name] = [len(data), hashlib.sha256(data).hexdigest()]
    return files


def is_current(out: Path, digest: str) -> bool:
    """Whether the last output set was made from `digest` and every file of it is untouched."""
    try:
        stamp = json.loads((out / FILE_NAME).read_text(encoding="utf-8"))
        if stamp.get("inputs") != digest or not stamp.get("files"):
            return False
        return _folder(out) == stamp["files"]
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def forget(out: Path) -> None:
    """Before an output set is replaced: a run killed half-way must not find an old stamp."""
    (out / FILE_NAME).unlink(missing_ok=True)


def record(out: Path, digest: str) -> None:
    """After the set is in place: its digest and the folder's files."""
    atomic_write_text(out / FILE_NAME, json.dumps({"inputs": digest, "files": _folder(out)}, sort_keys=True))
