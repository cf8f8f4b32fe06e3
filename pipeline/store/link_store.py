"""Per-article memory of the linking stage, so that a rerun does not link unchanged articles again.

Consumes an article's records (its content hash stands for its blocks, claims and references,
which the pipeline version derives from it), the Crossref checks of its references and the
linking set-up; produces a key, and reads or writes `<out>/.work/<article>/links.json`: the
article's links in claim order, their content rankings and the article's own notes.

Linking is per article (a claim ranks only its own article's references), so an article's
links change only when its key does: new input bytes, a new pipeline version, other Crossref
findings for its references (verdicts, abstracts and subjects feed the ranking and
`best_ref_verdict`), or another linking set-up (mode, embeddings on or off, installed or not).
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
from pathlib import Path
from typing import Sequence

from pipeline.messages import say
from pipeline.models import Check, Link
from pipeline.per_article import ArticleRecords
from pipeline.settings import Settings
from pipeline.store.work_files import atomic_write_text, from_plain, to_plain

log = logging.getLogger("pipeline")

FILE_NAME = "links.json"


def _setup(settings) -> tuple[str, bool, bool]:
    """(requested configuration, embeddings wanted, model installed), without loading the model."""
    from pipeline.linking import MODEL_PACKAGE
    from pipeline.linking import requested_config

    config = requested_config(settings)
    wanted = config.mode != "lexical" and settings.embeddings
    return repr(config), wanted, importlib.util.find_spec(MODEL_PACKAGE) is not None


def setup_fingerprint(settings) -> str:
    """What besides the records decides the links: the requested configuration, whether
    embeddings were switched off, and whether the optional model is installed at all."""
    config, _, installed = _setup(settings)
    return json.dumps([config, settings.embeddings, installed])


def article_key(pipeline_version: str, content_hash: str, checks: Sequence[Check], setup: str) -> str:
    digest = hashlib.sha256()
    for part in (pipeline_version, content_hash, setup):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for check in sorted(checks, key=lambda c: c.ref_id):
        # the record's own repr names every field's value (records are frozen dataclasses of plain
        # values), at a fraction of the cost of a JSON round trip over 200 articles' checks
        digest.update(repr(check).encode("utf-8"))
    return digest.hexdigest()


def read_links(folder: Path, key: str, claim_ids: Sequence[str]):
    """(links, rankings, notes) stored under `key` for exactly these claims, else None."""
    try:
        data = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        if data.get("key") != key:
            return None
        links = [from_plain(Link, item) for item in data["links"]]
        if [link.claim_id for link in links] != list(claim_ids):
            return None
        rankings = {claim_id: tuple((ref, score) for ref, score in pairs)
                    for claim_id, pairs in data["rankings"].items()}
        return links, rankings, list(data["notes"])
    except (KeyError, TypeError, ValueError) as error:
        log.warning("%s", say("stored_links_unreadable", article=folder.name, error=error))
        return None


def write_links(folder: Path, key: str, links: Sequence[Link], rankings: dict, notes: Sequence[str]) -> None:
    data = {"key": key, "links": [to_plain(link) for link in links],
            "rankings": {claim_id: [list(pair) for pair in pairs] for claim_id, pairs in rankings.items()},
            "notes": list(notes)}
    atomic_write_text(folder / FILE_NAME, json.dumps(data, ensure_ascii=False))


def setup_notes(settings) -> list[str]:
    """The note a linking run gives when the embedding model is wanted but not installed,
    for a rerun that linked nothing itself (checked without loading the model)."""
    from pipeline.linking import embedder_status

    _, wanted, installed = _setup(settings)
    return [say("lexical_only", why=embedder_status())] if wanted and not installed else []


def link_all(settings: Settings, result, checks=()):
    """The linking stage over every article of the run; logs its notes (once each), the
    claims per method and the listed references that no claim links to.

    An article whose records, Crossref findings and linking set-up are unchanged takes its
    links from its work folder (`read_links`); only the others are linked again."""
    from pipeline.linking import link_claims, result_of
    from pipeline.store.article_store import pipeline_version, work_dir

    checks_by_article: dict[str, list] = {}
    for check in checks:
        checks_by_article.setdefault(check.article, []).append(check)
    setup = setup_fingerprint(settings)
    stored: dict[str, tuple] = {}
    stale: list[tuple[ArticleRecords, str]] = []
    for records in result.articles:
        article = records.document.article
        key = article_key(pipeline_version(), records.document.content_hash, checks_by_article.get(article, []), setup)
        hit = read_links(work_dir(settings, article), key, [c.claim_id for c in records.claims])
        if hit is None:
            stale.append((records, key))
        else:
            stored[article] = hit
    fresh = link_claims([c for a, _ in stale for c in a.claims], [r for a, _ in stale for r in a.references],
                        [c for a, _ in stale for c in checks_by_article.get(a.document.article, [])],
                        [b for a, _ in stale for b in a.document.blocks], settings=settings)
    fresh_links = iter(fresh.links)
    owned: set[str] = set()  # the fresh notes that belong to one article
    for records, key in stale:
        article = records.document.article
        links = [next(fresh_links) for _ in records.claims]
        rankings = {c.claim_id: fresh.rankings[c.claim_id] for c in records.claims if c.claim_id in fresh.rankings}
        article_notes = _notes_of(fresh.notes, article, {c.claim_id for c in records.claims})
        owned.update(article_notes)
        write_links(work_dir(settings, article), key, links, rankings, article_notes)
        stored[article] = (links, rankings, article_notes)
    # the batch's own notes (the embedding model missing, --no-embeddings) are said on every run
    notes = [n for n in fresh.notes if n not in owned]
    if not stale:
        notes += setup_notes(settings)
    links, rankings, scored = [], {}, []
    for records in result.articles:
        article_links, article_rankings, article_notes = stored[records.document.article]
        links += article_links
        rankings.update(article_rankings)
        notes += article_notes
        scored += [c.is_claim for c in records.claims]
    linked = result_of(links, [r for a in result.articles for r in a.references], notes, scored, rankings)
    if stored and len(stale) < len(result.articles):
        log.info("linking: %d article(s) linked, %d unchanged and reused", len(stale), len(result.articles) - len(stale))
    _log_findings(linked)
    return linked


def _notes_of(notes, article: str, claim_ids: set[str]) -> list[str]:
    """The linking notes about one article: "<article> <claim id>: ...". The claim id must be
    one of the article's own, so an article named "good" never takes the notes of "good article"."""
    prefix = f"{article} "
    return [n for n in notes if n.startswith(prefix) and n[len(prefix):].split(":", 1)[0] in claim_ids]


def _log_findings(linked) -> None:
    """The linking notes (once each), the claims per method and the references no claim links to."""
    for note in linked.notes:
        log.info("linking: %s", note)
    methods = linked.claims_by_method()
    log.info("linking: %d claims: %d by marker, %d inferred, %d linked to no reference",
             sum(methods.values()), methods.get("marker", 0), methods.get("inferred", 0), methods.get("none", 0))
    by_article: dict[str, list[str]] = {}
    for article, ref_id in linked.unlinked_refs:
        by_article.setdefault(article, []).append(ref_id)
    for article, ref_ids in sorted(by_article.items()):
        log.info("linking: %s", say("references_unlinked", article=article, count=len(ref_ids), ref_ids=", ".join(ref_ids)))
