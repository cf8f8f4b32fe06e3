"""What a run overlaps or leaves out, with real parts: Crossref lookups begun while articles
are parsed give the same checks as the stage alone (the local Crossref stand-in); a rerun over
unchanged inputs leaves the output set as it is, and a reviewer's edit has it written again."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from pipeline import run as runner
from pipeline.crossref import LookupPrefetch, check_references
from pipeline.settings import Settings
from tests.crossref_server import CrossrefStandIn
from tests.test_crossref import TRUTH, _labelled

ROOT = Path(__file__).resolve().parents[1]


def test_prefetched_lookups_give_the_checks_of_the_stage_alone(tmp_path):
    _, references = _labelled(TRUTH, "truth")
    with CrossrefStandIn() as server:
        settings = Settings(crossref_url=server.url, cache_dir=tmp_path / "alone", request_timeout=2.0)
        alone = check_references(references, settings)
        settings = Settings(crossref_url=server.url, cache_dir=tmp_path / "early", request_timeout=2.0)
        prefetch = LookupPrefetch(settings)
        try:
            # the articles finish in another order than they are listed: the last half first
            half = len(references) // 2
            prefetch.add(references[half:])
            prefetch.add(references[:half])
            prefetch.stage_started()
            early = check_references(references, settings, cache=prefetch.cache, client=prefetch.client,
                                     prefetch=prefetch)
        finally:
            prefetch.close()
    assert early == alone


def _output_set(out: Path) -> dict:
    """The outputs (the dot files are the run's own records, its lock among them): when and what written."""
    return {path.name: (path.stat().st_mtime_ns, path.read_bytes()) for path in out.iterdir()
            if path.is_file() and not path.name.startswith(".")}


def test_an_unchanged_rerun_leaves_the_outputs_and_an_edit_has_them_written(tmp_path, caplog):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in sorted((ROOT / "raw").glob("*.txt")):
        shutil.copy(path, raw / path.name)
    out = tmp_path / "out"
    settings = Settings(raw_dir=raw, out_dir=out, offline=True, cache_dir=tmp_path / "cache", embeddings=False, jobs=1)
    assert runner.run(settings).ok
    first = _output_set(out)
    caplog.set_level("INFO", logger="pipeline")
    assert runner.run(settings).ok
    assert "unchanged" in caplog.text and "wrote" not in caplog.text
    assert _output_set(out) == first

    claims = out / "claims.csv"  # a reviewer notes a claim, as a spreadsheet saves it
    with claims.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    rows[0]["reviewer_note"] = "checked by hand"
    with claims.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    caplog.clear()
    assert runner.run(settings).ok
    assert "wrote" in caplog.text
    assert "checked by hand" in (out / "claims.csv").read_text(encoding="utf-8")
