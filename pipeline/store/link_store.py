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

from pipeline.models import Check, Link
from pipeline.store.work_files import atomic_write_text, from_plain, to_plain

log = logging.getLogger("pipeline")

FILE_NAME = "links.json"


def _setup(settings) -> tuple[str, bool, bool]:
    """(requested configuration, embeddings wanted, model installed), without loading the model."""
    from pipeline.linking.embeddings import MODEL_PACKAGE
    from pipeline.linking.stage import requested_config

    config = requested_config(settings)
    wanted = config.mode != "lexical" and settings.extra.get("embeddings") is not False
    return repr(config), wanted, importlib.util.find_spec(MODEL_PACKAGE) is not None


def setup_fingerprint(settings) -> str:
    """What besides the records decides the links: the requested configuration, whether
    embeddings were switched off, and whether the optional model is installed at all."""
    config, _, installed = _setup(settings)
    return json.dumps([config, settings.extra.get("embeddings"), installed])


def article_key(pipeline_version: str, content_hash: str, checks: Sequence[Check], setup: str) -> str:
    digest = hashlib.sha256()
    for part in (pipeline_version, content_hash, setup):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for check in sorted(checks, key=lambda c: c.ref_id):
        digest.update(json.dumps(to_plain(check), sort_keys=True, ensure_ascii=False).encode("utf-8"))
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
        log.warning("%s: stored links unreadable (%s); linking again", folder.name, error)
        return None


def write_links(folder: Path, key: str, links: Sequence[Link], rankings: dict, notes: Sequence[str]) -> None:
    data = {"key": key, "links": [to_plain(link) for link in links],
            "rankings": {claim_id: [list(pair) for pair in pairs] for claim_id, pairs in rankings.items()},
            "notes": list(notes)}
    atomic_write_text(folder / FILE_NAME, json.dumps(data, ensure_ascii=False))


def setup_notes(settings) -> list[str]:
    """The note a linking run gives when the embedding model is wanted but not installed,
    for a rerun that linked nothing itself (checked without loading the model)."""
    from pipeline.linking.embeddings import embedder_status

    _, wanted, installed = _setup(settings)
    return [f"{embedder_status()}: linking on lexical relevance only"] if wanted and not installed else []
