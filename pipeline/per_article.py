"""One article's own work: its bytes and the settings in, its records (or why it failed) out.

`process_article` is a plain function of an `ArticleTask` (the article's name, path and
bytes, and the per-article stages asked for) and the `Settings`: it reads no file and
writes none, so it runs the same in this process, in a local Dask worker or on a worker on
another machine (pipeline.executor). The spaCy model loads once per process; the article
is parsed once: the caption detector's parses (ingest) are kept in a `ParseMemo` that the
claims stage reads before parsing anything again.

One article's failure stays that article's: an `IngestError` or any unexpected error in one
of its stages becomes the outcome's `failure` (naming the file and the stage), except the
errors that are not about one article (the spaCy model missing), which stop the run.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from pipeline.isolation import reraise_global, unexpected
from pipeline.models import Claim, Document, Reference
from pipeline.settings import Settings


@dataclass(frozen=True)
class ArticleTask:
    article: str                 # the input's name stem
    path: str                    # the input's path, for messages and the Document
    data: bytes                  # the input's bytes, read and checked by the caller
    stages: tuple[str, ...]      # the per-article stages asked for (ingest, claims, references)


@dataclass
class ArticleRecords:
    document: Document
    claims: list[Claim] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)


@dataclass
class ArticleOutcome:
    task_article: str
    path: str
    records: ArticleRecords | None = None
    failure: str = ""                                        # why the article failed ("" when it did not)
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> seconds spent on this article


def process_article(task: ArticleTask, settings: Settings) -> ArticleOutcome:
    """Ingest, then (when asked) claims and references, for one article."""
    from pipeline.ingest import stage as ingest
    from pipeline.nlp import ParseMemo

    outcome = ArticleOutcome(task.article, task.path)
    # the claims stage reads the parses; ingest alone parses only the few paragraphs the caption
    # detector asks about, with nothing to keep them for
    memo = ParseMemo() if "claims" in task.stages else None
    stage = "ingest"
    try:
        started = time.perf_counter()
        document = ingest.ingest_bytes(task.data, task.path, memo=memo)
        outcome.seconds["ingest"] = time.perf_counter() - started
        records = ArticleRecords(document)
        if "claims" in task.stages:
            stage, started = "claims", time.perf_counter()
            from pipeline.claims.stage import extract_claims

            records.claims = extract_claims([document], threshold=settings.claim_threshold, memo=memo)
            outcome.seconds["claims"] = time.perf_counter() - started
        if "references" in task.stages:
            stage, started = "references", time.perf_counter()
            from pipeline.references.stage import parse_references

            records.references = parse_references(document.blocks)
            outcome.seconds["references"] = time.perf_counter() - started
    except ingest.IngestError as error:
        outcome.failure = str(error)
        return outcome
    except Exception as error:  # a bug met on one odd input must not stop the others
        reraise_global(error)
        outcome.failure = unexpected(task.path, stage, error)
        return outcome
    outcome.records = records
    return outcome
