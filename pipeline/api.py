"""The library entry: `from pipeline import audit`. Articles in, records out, no file written.

    from pipeline import audit
    result = audit(["raw/insulin-resistance-lifestyle.txt"])
    for reference in result.references:
        print(reference.ref_id, result.check_of(reference).verdict.value)

Consumes articles as paths (.txt, .html, .htm), as (name, text) pairs (HTML when the text
starts with "<"), or as ingested `Document`s, and a `Settings` (default: the defaults, the
public Crossref API). Runs the same stage functions as `python -m pipeline run` (ingest,
claims, references, the Crossref check, linking) and returns their records. Nothing is
written: no tables, no work files, no response cache (pass `cache=` an open
`crossref.cache.ResponseCache` to keep answers). An article that cannot be read is named
in `failed` and the others go on; `check_crossref=False` leaves every reference unchecked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Union

from pipeline.models import Check, Claim, Document, Link, Reference
from pipeline.per_article import ArticleTask, process_article
from pipeline.settings import Settings

Article = Union[str, Path, tuple[str, str], Document]
PER_ARTICLE = ("ingest", "claims", "references")


@dataclass(frozen=True)
class AuditResult:
    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    references: tuple[Reference, ...]
    checks: tuple[Check, ...]                 # one per reference, same order (none when not asked)
    links: tuple[Link, ...]                   # one per claim, same order
    failed: dict[str, str] = field(default_factory=dict)  # input -> why it could not be read

    def check_of(self, reference: Reference) -> Check | None:
        return next((c for c in self.checks if (c.article, c.ref_id) == (reference.article, reference.ref_id)), None)


def audit(articles: Iterable[Article], settings: Settings | None = None, check_crossref: bool = True,
          cache=None) -> AuditResult:
    """Every stage over `articles`, in this process; see the module docstring."""
    from pipeline.ingest.stage import IngestError, read_input

    settings = settings or Settings()
    documents, claims, references, failed = [], [], [], {}
    for article in articles:
        if isinstance(article, Document):
            task_records = _records_of_document(article, settings)
        else:
            try:
                task = _task_of(article, read_input)
            except IngestError as error:
                failed[str(article)] = str(error)
                continue
            outcome = process_article(task, settings)
            if outcome.failure:
                failed[task.path] = outcome.failure
                continue
            task_records = outcome.records
        documents.append(task_records.document)
        claims += task_records.claims
        references += task_records.references
    checks = _checks(references, settings, cache) if check_crossref else []
    from pipeline.linking.stage import link_claims

    linked = link_claims(claims, references, checks, [b for d in documents for b in d.blocks], settings=settings)
    return AuditResult(tuple(documents), tuple(claims), tuple(references), tuple(checks), linked.links, failed)


def _task_of(article, read_input) -> ArticleTask:
    if isinstance(article, tuple):
        name, text = article
        suffix = ".html" if text.lstrip().startswith("<") else ".txt"
        return ArticleTask(name, f"{name}{suffix}", text.encode("utf-8"), PER_ARTICLE)
    path = Path(article)
    return ArticleTask(path.stem, str(path), read_input(path), PER_ARTICLE)


def _records_of_document(document: Document, settings: Settings):
    from pipeline.claims.stage import extract_claims
    from pipeline.per_article import ArticleRecords
    from pipeline.references.stage import parse_references

    return ArticleRecords(document, extract_claims([document], threshold=settings.claim_threshold),
                          parse_references(document.blocks))


def _checks(references: list[Reference], settings: Settings, cache) -> list[Check]:
    from pipeline.crossref.stage import check_references

    return check_references(references, settings, cache=cache)
