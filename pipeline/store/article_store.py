"""Per-article work files: `<out>/.work/<article>/` holds an article's records, so an unchanged
article is read back instead of processed again.

`meta.json` names the input's content hash, the pipeline version (a hash of every module of
the package) and the stages stored; it is removed before the records are replaced and written
last, so a run killed half-way through an article redoes that article next time.
"""
from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path

from pipeline.messages import say
from pipeline.models import Block, Claim, Document, Reference
from pipeline.per_article import ArticleRecords
from pipeline.settings import Settings
from pipeline.store.work_files import atomic_write_text, read_jsonl, write_jsonl

log = logging.getLogger("pipeline")

PACKAGE_DIR = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A hash of the pipeline's own source and fitted weights (*.json beside the modules): any
    code or weights change invalidates the work files."""
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE_DIR.rglob("*.py"), *PACKAGE_DIR.rglob("*.json")]):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def work_dir(settings: Settings, article: str) -> Path:
    return settings.out_dir / ".work" / article


def meta_path(settings: Settings, article: str) -> Path:
    return work_dir(settings, article) / "meta.json"


def read_fresh(settings: Settings, article: str, content_hash: str, stages: tuple[str, ...]) -> ArticleRecords | None:
    """The stored records of an article when its input and the pipeline are unchanged."""
    try:
        meta = json.loads(meta_path(settings, article).read_text(encoding="utf-8"))
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
        log.warning("%s", say("stored_records_unreadable", article=article, error=error))
        return None
    return ArticleRecords(document, claims, references)


def store_records(settings: Settings, records: ArticleRecords, stages: tuple[str, ...]) -> None:
    folder = work_dir(settings, records.document.article)
    # meta.json vouches for the other files: remove it first, so that a run killed while
    # they are being replaced can never pair an old meta.json with new records
    meta_path(settings, records.document.article).unlink(missing_ok=True)
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
    atomic_write_text(meta_path(settings, doc.article), json.dumps(meta, indent=1))
