"""The stage sequence of a run: the stages of the plan over the raw folder, into the out folder.

Consumes a `Settings` and the target stage (pipeline.stages); produces a `RunResult`
(records of every article, what failed and why) and the files in the out folder, under the
run lock. The per-article stages run on the executor (pipeline.executor, pipeline.per_article),
skipping articles whose stored records are fresh (pipeline.store.article_store); then the
Crossref stage over the whole batch, the linking (pipeline.store.link_store.link_all) and the
outputs as one set (pipeline.outputs.writer). One bad article never stops the others: its
error is recorded with the file name and the run goes on; `failed` decides the exit code.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.messages import say
from pipeline.ingest import stage as ingest
from pipeline.executor import run_tasks
from pipeline.isolation import checked_or_unchecked
from pipeline.per_article import ArticleOutcome, ArticleRecords, ArticleTask, process_article
from pipeline.models import Block, Reference
from pipeline.settings import Settings
from pipeline.progress import Progress
from pipeline.stages import FINAL, per_article, plan
from pipeline.outputs.writer import start_corrections, write_outputs
from pipeline.store.article_store import read_fresh, store_records
from pipeline.store import output_stamp
from pipeline.store.link_store import link_all
from pipeline.store.work_files import finish_interrupted_outputs, output_set

log = logging.getLogger("pipeline")


@dataclass
class RunResult:
    articles: list[ArticleRecords] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> what went wrong
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall-clock seconds in this run

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def blocks(self) -> list[Block]:
        return [b for a in self.articles for b in a.document.blocks]


def process_articles(settings: Settings, stages: tuple[str, ...] = ("ingest",), on_records=None) -> RunResult:
    """The per-article stages for every input, reusing fresh records; the rest run on the
    executor (this process, a local Dask cluster or an existing one), stored as they finish.
    `on_records(records)` is called with each article's records as they are known (the
    Crossref lookups start there while the other articles are still being parsed)."""
    result = RunResult()
    started = time.perf_counter()
    paths = ingest.discover_inputs(settings.raw_dir)
    progress = Progress("articles", len(paths))
    tasks, order = _tasks_to_run(settings, paths, stages, result, progress)
    for records in result.articles if on_records else ():
        on_records(records)
    done: dict[str, ArticleRecords] = {}

    def finished(outcome: ArticleOutcome) -> None:
        if outcome.failure:
            result.failed[Path(outcome.path).name] = outcome.failure
            log.error("%s", outcome.failure)
        else:
            for warning in outcome.records.document.warnings:
                log.warning("%s: %s", Path(outcome.path).name, warning)
            if on_records:
                on_records(outcome.records)
            store_records(settings, outcome.records, stages)
            done[outcome.task_article] = outcome.records
        for stage, seconds in outcome.seconds.items():
            result.seconds[stage] = result.seconds.get(stage, 0.0) + seconds
        progress.advance()

    where = run_tasks(process_article, tasks, settings, finished)
    reused = {records.document.article: records for records in result.articles}
    result.articles = [reused.get(article) or done[article] for article in order
                       if article in reused or article in done]
    result.seconds["articles"] = time.perf_counter() - started
    log.info("%d article(s): %d processed, %d unchanged and reused, %d failed (per-article work: %s)",
             len(result.articles) + len(result.failed), len(done), len(reused), len(result.failed), where)
    return result


def _tasks_to_run(settings: Settings, paths: list[Path], stages: tuple[str, ...], result: RunResult,
                  progress: Progress) -> tuple[list[ArticleTask], list[str]]:
    """The articles to process (their bytes read and checked here), in input order; fresh
    stored records go straight to `result.articles`, unreadable inputs to `result.failed`."""
    tasks: list[ArticleTask] = []
    order: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        article = path.stem
        if article in seen:
            result.failed[path.name] = say("same_stem", path=path, other=seen[article], article=article)
            log.error("%s", result.failed[path.name])
            progress.advance()
            continue
        seen[article] = path.name
        order.append(article)
        try:
            stored = read_fresh(settings, article, ingest.file_fingerprint(path), stages)
            if stored is None:
                tasks.append(ArticleTask(article, str(path), ingest.read_input(
                    path, max_bytes=settings.max_file_bytes, raw_dir=settings.raw_dir), stages))
                continue
            result.articles.append(stored)
        except ingest.IngestError as error:
            result.failed[path.name] = str(error)
            log.error("%s", error)
        progress.advance()
    return tasks, order


def start_lookups(settings: Settings):
    """The run's Crossref client with its lookups begun as articles finish (None when it cannot
    be set up: the stage then meets, and reports, the same problem itself)."""
    from pipeline.crossref import LookupPrefetch

    try:
        return LookupPrefetch(settings)
    except Exception as error:
        log.debug("crossref lookups not begun early: %s", error)
        return None


def check_all(settings: Settings, references: list[Reference], prefetch=None):
    """Crossref checks for every reference of the batch (looked up once per unique reference),
    through `prefetch`'s client and cache when given (its lookups reused), closed here."""
    from pipeline.crossref import stage as crossref
    from pipeline.crossref.cache import open_cache

    def checks():
        if prefetch:
            prefetch.stage_started()
        cache = prefetch.cache if prefetch else open_cache(settings.cache_dir / "crossref.sqlite",
                                                           ttl_days=settings.cache_ttl_days)
        try:
            return crossref.check_references(references, settings, cache=cache,
                                             progress=Progress("crossref", len(references)),
                                             client=prefetch.client if prefetch else None, prefetch=prefetch)
        finally:
            if prefetch:
                prefetch.close()
            elif cache is not None:
                cache.close()

    return checked_or_unchecked(references, checks)


def run(settings: Settings, target: str = FINAL) -> RunResult:
    """`target` and the stages it needs (the stage graph, pipeline.stages) over
    settings.raw_dir into settings.out_dir, under the run lock."""
    from pipeline.store.run_lock import run_lock

    stages = plan(target)
    with run_lock(settings.out_dir, wait_seconds=settings.wait_seconds):
        # under the lock no other run is writing: a killed run's output set is completed first,
        # then its other temporary files are leftovers
        if finish_interrupted_outputs(settings.out_dir):
            log.warning("%s", say("completed_interrupted"))
        for pattern in (".*.tmp", ".work/*/.*.tmp"):
            for stale in settings.out_dir.glob(pattern):
                stale.unlink(missing_ok=True)
        prefetch = start_lookups(settings) if "crossref" in stages else None
        try:
            result = process_articles(settings, per_article(stages),
                                      on_records=(lambda records: prefetch.add(records.references)) if prefetch else None)
        except BaseException:
            if prefetch:
                prefetch.close()
            raise
        checks = []
        if "crossref" in stages:
            started = time.perf_counter()
            checks = check_all(settings, [r for a in result.articles for r in a.references], prefetch)
            result.seconds["crossref"] = time.perf_counter() - started
        digest = output_stamp.inputs_digest(settings, result, stages, checks)
        current = output_stamp.is_current(settings.out_dir, digest)
        # the corrected citations need the checks, not the links: made in a side process meanwhile
        corrections = (start_corrections(settings, [r for a in result.articles for r in a.references], checks)
                       if "references" in stages and not current else None)
        linked = None
        if "link" in stages:
            started = time.perf_counter()
            linked = link_all(settings, result, checks)
            result.seconds["link"] = time.perf_counter() - started
        started = time.perf_counter()
        if current:
            log.info("%s", say("outputs_unchanged", out=settings.out_dir))
        else:
            _write_output_set(settings, result, stages, (checks, linked, corrections), digest)
        result.seconds["tables"] = time.perf_counter() - started
    log.info("seconds per stage: %s", ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in result.seconds.items()))
    return result


def _write_output_set(settings: Settings, result: RunResult, stages: tuple[str, ...], made: tuple, digest: str) -> None:
    """The tables and the report from the run's records and `made` (the checks, the links and the
    corrected citations begun), replacing the old ones as one set, stamped with the inputs' `digest`
    (pipeline.store.output_stamp: an unchanged rerun leaves the set alone)."""
    checks, linked, corrections = made
    output_stamp.forget(settings.out_dir)
    with output_set(settings.out_dir):
        written = write_outputs(settings, result, stages, checks, linked, corrections)
    for path in written:
        log.info("wrote %s", path)
    output_stamp.record(settings.out_dir, digest)
