"""Runs the stages over every article of the raw folder and writes the outputs.

Consumes a `Settings`; produces a `RunResult` (records of every article, what failed and
why) and the files in the out folder. One bad article never stops the others: its error
is recorded with the file name and the run goes on; `failed` decides the exit code.

Incremental: each article's records are kept in `<out>/.work/<article>/` with a
`meta.json` naming the input's content hash and the pipeline version (a hash of the
pipeline's source). An article whose bytes and pipeline version are unchanged is read
back instead of processed again; `meta.json` is written last, so a run killed half-way
through an article redoes that article next time.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.ingest import stage as ingest

from pipeline.outputs import csv_tables as table
from pipeline.isolation import isolated, reraise_global, unexpected
from pipeline.models import Block, Claim, Document, Reference, Settings
from pipeline.progress import Progress
from pipeline.store.work_files import atomic_write_text, finish_interrupted_outputs, output_set, read_jsonl, write_jsonl

log = logging.getLogger("pipeline")

PACKAGE_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the pipeline's own source: any code change invalidates the work files."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class ArticleRecords:
    document: Document
    claims: list[Claim] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    reused: bool = False


@dataclass
class RunResult:
    articles: list[ArticleRecords] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file name -> what went wrong
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall-clock seconds in this run

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def documents(self) -> list[Document]:
        return [a.document for a in self.articles]

    @property
    def blocks(self) -> list[Block]:
        return [b for a in self.articles for b in a.document.blocks]


def work_dir(settings: Settings, article: str) -> Path:
    return settings.out_dir / ".work" / article


def _meta_path(settings: Settings, article: str) -> Path:
    return work_dir(settings, article) / "meta.json"


def _read_fresh(settings: Settings, article: str, content_hash: str, stages: tuple[str, ...]) -> ArticleRecords | None:
    """The stored records of an article when its input and the pipeline are unchanged."""
    try:
        meta = json.loads(_meta_path(settings, article).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("content_hash") != content_hash or meta.get("pipeline_version") != pipeline_version():
        return None
    if not set(stages) <= set(meta.get("stages", [])):
        return None
    folder = work_dir(settings, article)
    try:
        document = Document(**{k: v for k, v in meta["document"].items()},
                            blocks=tuple(read_jsonl(folder / "blocks.jsonl", Block)))
        claims = read_jsonl(folder / "claims.jsonl", Claim) if "claims" in stages else []
        references = read_jsonl(folder / "references.jsonl", Reference) if "references" in stages else []
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("%s: stored records unreadable (%s); processing again", article, error)
        return None
    return ArticleRecords(document, claims, references, reused=True)


def _store(settings: Settings, records: ArticleRecords, stages: tuple[str, ...]) -> None:
    folder = work_dir(settings, records.document.article)
    # meta.json vouches for the other files: remove it first, so that a run killed while
    # they are being replaced can never pair an old meta.json with new records
    _meta_path(settings, records.document.article).unlink(missing_ok=True)
    write_jsonl(folder / "blocks.jsonl", records.document.blocks)
    if "claims" in stages:
        write_jsonl(folder / "claims.jsonl", records.claims)
    if "references" in stages:
        write_jsonl(folder / "references.jsonl", records.references)
    doc = records.document
    meta = {
        "content_hash": doc.content_hash,
        "pipeline_version": pipeline_version(),
        "stages": list(stages),
        "document": {"article": doc.article, "path": doc.path, "source_format": doc.source_format,
                     "encoding": doc.encoding, "content_hash": doc.content_hash, "warnings": list(doc.warnings)},
    }
    atomic_write_text(_meta_path(settings, doc.article), json.dumps(meta, indent=1))


def process_articles(settings: Settings, stages: tuple[str, ...] = ("ingest",)) -> RunResult:
    """Ingest (and, when asked, claims and references) for every input, reusing fresh records."""
    result = RunResult()
    started = time.perf_counter()
    paths = ingest.discover_inputs(settings.raw_dir)
    progress = Progress("ingest", len(paths))
    seen: dict[str, str] = {}
    fresh: list[ArticleRecords] = []
    for path in paths:
        article = path.stem
        if article in seen:
            result.failed[path.name] = (f"{path}: another input ({seen[article]}) has the same name stem "
                                        f"'{article}'; rename one of them")
            log.error("%s", result.failed[path.name])
            progress.advance()
            continue
        seen[article] = path.name
        try:
            content_hash = ingest.file_fingerprint(path)
            stored = _read_fresh(settings, article, content_hash, stages)
            if stored is not None:
                result.articles.append(stored)
                progress.advance()
                continue
            document = ingest.ingest_path(path, max_bytes=settings.max_file_bytes, raw_dir=settings.raw_dir)
        except ingest.IngestError as error:
            result.failed[path.name] = str(error)
            log.error("%s", error)
            progress.advance()
            continue
        except Exception as error:  # a bug met on one odd input must not stop the others
            reraise_global(error)
            result.failed[path.name] = unexpected(path, "ingest", error)
            progress.advance()
            continue
        for warning in document.warnings:
            log.warning("%s: %s", path.name, warning)
        records = ArticleRecords(document)
        result.articles.append(records)
        fresh.append(records)
        progress.advance()

    result.seconds["ingest"] = time.perf_counter() - started
    if fresh and "claims" in stages:
        from pipeline.claims import stage as claims_stage

        started = time.perf_counter()
        blocks_to_parse = len(claims_stage.claim_blocks([r.document for r in fresh]))
        extracted = isolated(result, fresh, "claims", lambda docs: claims_stage.extract_claims(
            docs, threshold=settings.claim_threshold, n_process=settings.jobs,
            progress=Progress("claims", blocks_to_parse) if len(docs) == len(fresh) else None))
        by_article: dict[str, list[Claim]] = {}
        for claim in extracted:
            by_article.setdefault(claim.article, []).append(claim)
        for records in fresh:
            records.claims = by_article.get(records.document.article, [])
        result.seconds["claims"] = time.perf_counter() - started
    if fresh and "references" in stages:
        from pipeline.references import stage as references_stage

        started = time.perf_counter()
        parsed = isolated(result, fresh, "references", lambda docs: references_stage.parse_references(
            b for d in docs for b in d.blocks))
        for records in fresh:
            records.references = [r for r in parsed if r.article == records.document.article]
        result.seconds["references"] = time.perf_counter() - started
    started = time.perf_counter()
    for records in fresh:
        _store(settings, records, stages)
    result.seconds["store"] = time.perf_counter() - started
    log.info("%d article(s): %d processed, %d unchanged and reused, %d failed",
             len(result.articles) + len(result.failed), len(fresh), len(result.articles) - len(fresh),
             len(result.failed))
    return result


def write_blocks_table(settings: Settings, result: RunResult) -> Path:
    path = settings.out_dir / "blocks.csv"
    table.write_blocks(path, result.blocks)
    return path


# The stages each subcommand runs (cli.COMMANDS names one of these keys).
STAGE_PLAN = {
    "ingest": ("ingest",),
    "claims": ("ingest", "claims"),
    "references": ("ingest", "references"),
    "crossref": ("ingest", "references", "crossref"),
    "link": ("ingest", "claims", "references", "crossref", "link"),
    "all": ("ingest", "claims", "references", "crossref", "link", "report"),
}


def check_all(settings: Settings, references: list[Reference]):
    """Crossref checks for every reference of the batch (looked up once per unique reference)."""
    from pipeline.crossref import stage as crossref
    from pipeline.crossref.cache import open_cache

    cache = open_cache(settings.cache_dir / "crossref.sqlite", ttl_days=settings.cache_ttl_days)
    try:
        return crossref.check_references(references, settings, cache=cache,
                                         progress=Progress("crossref", len(references)))
    finally:
        if cache is not None:
            cache.close()


def link_all(settings: Settings, result: RunResult, checks=()):
    """The linking stage over every article of the run; logs its notes (once each), the
    claims per method and the listed references that no claim links to.

    An article whose records, Crossref findings and linking set-up are unchanged takes its
    links from its work folder (`link_cache`); only the others are linked again."""
    from pipeline.store import link_store as link_cache
    from pipeline.linking.stage import link_claims, result_of

    checks_by_article: dict[str, list] = {}
    for check in checks:
        checks_by_article.setdefault(check.article, []).append(check)
    setup = link_cache.setup_fingerprint(settings)
    stored: dict[str, tuple] = {}
    stale: list[tuple[ArticleRecords, str]] = []
    for records in result.articles:
        article = records.document.article
        key = link_cache.article_key(pipeline_version(), records.document.content_hash,
                                     checks_by_article.get(article, []), setup)
        hit = link_cache.read_links(work_dir(settings, article), key, [c.claim_id for c in records.claims])
        if hit is None:
            stale.append((records, key))
        else:
            stored[article] = hit
    fresh = link_claims([c for a, _ in stale for c in a.claims], [r for a, _ in stale for r in a.references],
                        [c for a, _ in stale for c in checks_by_article.get(a.document.article, [])],
                        [b for a, _ in stale for b in a.document.blocks], settings=settings)
    fresh_links = iter(fresh.links)
    article_notes = {a.document.article for a, _ in stale}
    for records, key in stale:
        article = records.document.article
        links = [next(fresh_links) for _ in records.claims]
        rankings = {c.claim_id: fresh.rankings[c.claim_id] for c in records.claims if c.claim_id in fresh.rankings}
        notes = [n for n in fresh.notes if n.startswith(f"{article} ")]
        link_cache.write_links(work_dir(settings, article), key, links, rankings, notes)
        stored[article] = (links, rankings, notes)
    # the batch's own notes (the embedding model missing, --no-embeddings) are said on every run
    notes = [n for n in fresh.notes if not any(n.startswith(f"{a} ") for a in article_notes)]
    if not stale:
        notes += link_cache.setup_notes(settings)
    links, rankings, scored = [], {}, []
    for records in result.articles:
        article_links, article_rankings, article_notes_ = stored[records.document.article]
        links += article_links
        rankings.update(article_rankings)
        notes += article_notes_
        scored += [c.is_claim for c in records.claims]
    linked = result_of(links, [r for a in result.articles for r in a.references], notes, scored, rankings)
    if stored and len(stale) < len(result.articles):
        log.info("linking: %d article(s) linked, %d unchanged and reused", len(stale), len(result.articles) - len(stale))
    for note in linked.notes:
        log.info("linking: %s", note)
    methods = linked.claims_by_method()
    log.info("linking: %d claims: %d by marker, %d inferred, %d linked to no reference",
             sum(methods.values()), methods.get("marker", 0), methods.get("inferred", 0), methods.get("none", 0))
    by_article: dict[str, list[str]] = {}
    for article, ref_id in linked.unlinked_refs:
        by_article.setdefault(article, []).append(ref_id)
    for article, ref_ids in sorted(by_article.items()):
        log.info("linking: %s: %d reference(s) no claim links to: %s", article, len(ref_ids), ", ".join(ref_ids))
    return linked


def write_outputs(settings: Settings, result: RunResult, stages: tuple[str, ...], checks=(), linked=None) -> list[Path]:
    """The tables (and the report) of everything the run produced; reviewer edits carried over."""
    from pipeline.outputs import reviews

    out = settings.out_dir
    # read before anything is written: an unreadable claims.csv stops the run with every old file in place
    old_reviews, problems = reviews.read_reviews(out / "claims.csv") if "claims" in stages else ([], [])
    old_orphans = reviews.read_orphans(out / "orphaned_reviews.csv") if "claims" in stages else []
    written = [write_blocks_table(settings, result)]
    review_cells, orphaned = {}, 0  # for the report: the reviews this run carried over
    claims = [c for a in result.articles for c in a.claims]
    references = [r for a in result.articles for r in a.references]
    links = linked.scored_links() if linked else {}  # non-claim rows keep blank linking cells
    link_counts = linked.ref_link_counts if linked else None
    checks_by = {(c.article, c.ref_id): c for c in checks}

    if "claims" in stages:
        carried = reviews.carry_over(old_reviews, {c.claim_id for c in claims}, old_orphans)
        for problem in problems:
            log.warning("review: %s", problem)
        rows = []
        for claim in sorted(claims, key=lambda c: c.article):  # stable: document order within an article
            row = table.claim_row(claim, links.get((claim.article, claim.claim_id)))
            review = carried.by_claim.get(claim.claim_id)
            if review is not None:
                row["review_status"], row["reviewer_note"] = review.review_status, review.reviewer_note
            rows.append(row)
        table.write_csv(out / "claims.csv", table.CLAIM_COLUMNS, rows)
        written.append(out / "claims.csv")
        orphan_path = out / "orphaned_reviews.csv"
        if carried.orphaned or orphan_path.exists():
            table.write_csv(orphan_path, reviews.ORPHAN_COLUMNS, reviews.orphan_rows(carried.orphaned))
            written.append(orphan_path)
        review_cells = {claim_id: (r.review_status, r.reviewer_note) for claim_id, r in carried.by_claim.items()
                        if r.review_status or r.reviewer_note}
        orphaned = len(carried.orphaned)
        if carried.orphaned:
            log.warning("%d review(s) whose claim disappeared are kept in %s", len(carried.orphaned), orphan_path)
    if "references" in stages:
        rows = [table.reference_row(r, checks_by.get((r.article, r.ref_id)),
                                    link_counts.get((r.article, r.ref_id), 0) if link_counts is not None else None)
                for r in sorted(references, key=lambda r: (r.article, int(r.ref_id[1:]) if r.ref_id[1:].isdigit() else 0))]
        table.write_csv(out / "references.csv", table.REFERENCE_COLUMNS, rows)
        written.append(out / "references.csv")
    if settings.extra.get("parquet"):
        written.extend(table.write_parquet(out, written))
    if "report" in stages:
        from pipeline.outputs import report

        written.append(report.write_report(out / "report.html", result.blocks, claims, references, checks,
                                           linked.links if linked else None, failed=result.failed,
                                           reviews=review_cells, orphaned=orphaned))
    return written


def run(settings: Settings, plan: str = "all") -> RunResult:
    """The stages of `plan` over settings.raw_dir into settings.out_dir, under the run lock."""
    from pipeline.store.run_lock import run_lock

    stages = STAGE_PLAN[plan]
    with run_lock(settings.out_dir, wait_seconds=settings.extra.get("wait_seconds", 0.0)):
        # under the lock no other run is writing: a killed run's output set is completed first,
        # then its other temporary files are leftovers
        if finish_interrupted_outputs(settings.out_dir):
            log.warning("completed the outputs of a run that was stopped while replacing them")
        for pattern in (".*.tmp", ".work/*/.*.tmp"):
            for stale in settings.out_dir.glob(pattern):
                stale.unlink(missing_ok=True)
        result = process_articles(settings, tuple(s for s in stages if s in ("ingest", "claims", "references")))
        checks = []
        if "crossref" in stages:
            started = time.perf_counter()
            checks = check_all(settings, [r for a in result.articles for r in a.references])
            result.seconds["crossref"] = time.perf_counter() - started
        linked = None
        if "link" in stages:
            started = time.perf_counter()
            linked = link_all(settings, result, checks)
            result.seconds["link"] = time.perf_counter() - started
        started = time.perf_counter()
        with output_set(settings.out_dir):  # the tables and the report replace the old ones as one set
            written = write_outputs(settings, result, stages, checks, linked)
        for path in written:
            log.info("wrote %s", path)
        result.seconds["tables"] = time.perf_counter() - started
    log.info("seconds per stage: %s", ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in result.seconds.items()))
    return result
