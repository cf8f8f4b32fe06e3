"""The library entry `from pipeline import audit`: the samples in, the same records as a run out,
against the local Crossref stand-in, and no file written anywhere."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline import audit
from pipeline import run as runner
from pipeline.ingest.stage import ingest_path
from pipeline.models import Verdict
from pipeline.settings import Settings
from tests.conftest import ROOT
from tests.crossref_server import CrossrefStandIn

RAW = ROOT / "raw"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_audit_gives_the_records_a_run_gives_and_writes_nothing(tmp_path, monkeypatch):
    samples = sorted(RAW.glob("*.txt"))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    with CrossrefStandIn() as server:
        settings = Settings(crossref_url=server.url, cache_dir=tmp_path / "never", embeddings=False, jobs=1)
        result = audit(samples, settings)
        assert _tree(tmp_path) == {"cwd"}  # no tables, no work files, no cache
        ran = runner.run(replace(settings, raw_dir=RAW, out_dir=tmp_path / "out", cache_dir=tmp_path / "c"))
    assert [d.article for d in result.documents] == [p.stem for p in samples]
    assert list(result.claims) == [c for a in ran.articles for c in a.claims]
    assert list(result.references) == [r for a in ran.articles for r in a.references]
    assert len(result.checks) == len(result.references) == 20 and len(result.links) == len(result.claims)
    assert any(c.verdict != Verdict.UNCHECKED for c in result.checks)
    first = result.references[0]
    assert result.check_of(first).ref_id == first.ref_id


def test_audit_takes_text_and_documents_and_names_what_it_cannot_read(tmp_path):
    text = (RAW / "insulin-resistance-lifestyle.txt").read_text(encoding="utf-8")
    result = audit([("pasted", text), ingest_path(RAW / "exercise-metabolic-dysregulation.txt"),
                    tmp_path / "missing.txt", tmp_path / "notes.pdf"], check_crossref=False)
    assert [d.article for d in result.documents] == ["pasted", "exercise-metabolic-dysregulation"]
    assert result.checks == () and len(result.references) == 20
    assert set(result.failed) == {str(tmp_path / "missing.txt"), str(tmp_path / "notes.pdf")}
    assert "cannot be read" in result.failed[str(tmp_path / "missing.txt")]
    assert "unsupported file type" in result.failed[str(tmp_path / "notes.pdf")]
