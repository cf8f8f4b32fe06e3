"""Runs the built stages over every article of the raw folder and writes the tables.

Consumes a `Settings`; produces a `RunResult` (what was processed, what failed and why)
and the files in the out folder. One bad article never stops the others: its error is
recorded with the file name and the run goes on; `failed` decides the exit code.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import ingest, table
from pipeline.models import Block, Document, Settings
from pipeline.records import write_jsonl

log = logging.getLogger("pipeline")


@dataclass
class RunResult:
    documents: list[Document] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> what went wrong

    @property
    def ok(self) -> bool:
        return not self.failed


def work_dir(settings: Settings, article: str) -> Path:
    return settings.out_dir / ".work" / article


def ingest_all(settings: Settings) -> RunResult:
    """Ingest every input file; errors are collected per file, never raised."""
    result = RunResult()
    for path in ingest.discover_inputs(settings.raw_dir):
        try:
            document = ingest.ingest_path(path, max_bytes=settings.max_file_bytes)
        except ingest.IngestError as error:
            log.error("%s", error)
            result.failed[path.name] = str(error)
            continue
        for warning in document.warnings:
            log.warning("%s: %s", path.name, warning)
        write_jsonl(work_dir(settings, document.article) / "blocks.jsonl", document.blocks)
        result.documents.append(document)
    return result


def write_tables(settings: Settings, result: RunResult) -> list[Path]:
    blocks: list[Block] = [b for d in result.documents for b in d.blocks]
    path = settings.out_dir / "blocks.csv"
    table.write_blocks(path, blocks)
    return [path]


def run(settings: Settings) -> RunResult:
    """The whole pipeline over settings.raw_dir into settings.out_dir."""
    result = ingest_all(settings)
    for path in write_tables(settings, result):
        log.info("wrote %s", path)
    return result
