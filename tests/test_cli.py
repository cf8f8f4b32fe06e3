"""The command line: exit codes, usage errors, and one bad article never stopping the others."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys

from pipeline.cli import main
from tests.conftest import RAW, ROOT
from tests.crossref_server import CrossrefStandIn


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_run_over_the_samples_writes_every_table(tmp_path):
    out = tmp_path / "out"
    with CrossrefStandIn() as server:
        assert main(["run", "--raw", str(RAW), "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
                     "--jobs", "1"], environ={"CROSSREF_API_URL": server.url}) == 0
    references = _rows(out / "references.csv")
    assert len(references) == 20 and all(r["verdict"] for r in references)
    assert {r["verdict"] for r in references} >= {"verified", "mismatch", "not_found", "misattributed"}
    assert len(_rows(out / "claims.csv")) == 177
    rows = _rows(out / "blocks.csv")
    assert {r["article"] for r in rows} == {"insulin-resistance-lifestyle", "exercise-metabolic-dysregulation"}
    assert sum(r["kind"] == "reference" for r in rows) == 20
    removed = [r for r in rows if r["kept"] == "false"]
    assert removed and all(r["reason"] for r in removed)


def test_bad_articles_fail_alone_and_set_exit_code_1(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "insulin-resistance-lifestyle.txt", raw / "good article ü.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    (raw / "notes.md").write_text("ignored: not an article type")
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret Heading\n\nSomething outside the input folder.\n")
    (raw / "link.txt").symlink_to(outside)
    out = tmp_path / "out"
    assert main(["run", "--raw", str(raw), "--out", str(out), "--offline", "--cache-dir", str(tmp_path / "c"),
                 "--jobs", "1"], environ={}) == 1
    err = capsys.readouterr().err
    assert "FAILED empty.txt" in err and "empty" in err
    assert "FAILED binary.html" in err and "binary" in err
    assert "FAILED link.txt" in err and "outside the input folder" in err
    rows = _rows(out / "blocks.csv")
    assert {r["article"] for r in rows} == {"good article ü"}


def test_usage_errors_exit_2(tmp_path):
    assert main([], environ={}) == 2
    assert main(["run", "--bogus"], environ={}) == 2
    assert main(["run", "--raw", str(tmp_path / "missing")], environ={}) == 2


def test_help_on_every_subcommand():
    for args in (["--help"], ["run", "--help"], ["ingest", "--help"], ["claims", "--help"], ["references", "--help"],
                 ["crossref", "--help"]):
        completed = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True,
                                   text=True, timeout=60)
        assert completed.returncode == 0 and "usage:" in completed.stdout


def test_second_run_reuses_unchanged_articles(tmp_path, caplog):
    caplog.set_level("INFO", logger="pipeline")
    out = tmp_path / "out"
    assert main(["ingest", "--raw", str(RAW), "--out", str(out)], environ={}) == 0
    first = (out / "blocks.csv").read_bytes()
    caplog.clear()
    assert main(["ingest", "--raw", str(RAW), "--out", str(out)], environ={}) == 0
    assert "0 processed, 2 unchanged and reused" in caplog.text
    assert (out / "blocks.csv").read_bytes() == first


def test_environment_and_flags_build_the_settings():
    from pipeline.cli import build_parser, settings_from

    args = build_parser().parse_args(["run", "--crossref-url", "http://127.0.0.1:9/"])
    settings = settings_from(args, {"CROSSREF_API_URL": "http://env/", "CROSSREF_MAILTO": "me@example.org",
                                    "PIPELINE_CACHE_DIR": "/tmp/c"})
    assert settings.crossref_url == "http://127.0.0.1:9/"  # flag wins over environment
    assert settings.crossref_mailto == "me@example.org" and str(settings.cache_dir) == "/tmp/c"
    args = build_parser().parse_args(["run"])
    assert settings_from(args, {}).crossref_url == "https://api.crossref.org"


def test_reviews_survive_a_rerun_and_orphans_are_kept(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, raw / path.name)
    out = tmp_path / "out"
    assert main(["claims", "--raw", str(raw), "--out", str(out), "--jobs", "1"], environ={}) == 0
    rows = _rows(out / "claims.csv")
    kept = next(r for r in rows if r["sentence"].startswith("Exercise increases glucose uptake"))
    doomed = next(r for r in rows if r["sentence"].startswith("Chronic sleep deprivation disrupts"))
    for row in rows:
        if row is kept:
            row["review_status"], row["reviewer_note"] = "confirmed", "checked against Kelley 2000"
        if row is doomed:
            row["review_status"], row["reviewer_note"] = "needs_source", "=no citation given"
    with open(out / "claims.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    article = raw / "insulin-resistance-lifestyle.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Chronic sleep deprivation disrupts glucose metabolism", "Chronic sleep loss disrupts glucose metabolism"),
        encoding="utf-8")
    assert main(["claims", "--raw", str(raw), "--out", str(out), "--jobs", "1"], environ={}) == 0
    again = {r["claim_id"]: r for r in _rows(out / "claims.csv")}
    assert again[kept["claim_id"]]["review_status"] == "confirmed"
    assert again[kept["claim_id"]]["reviewer_note"] == "checked against Kelley 2000"
    assert doomed["claim_id"] not in again
    orphans = _rows(out / "orphaned_reviews.csv")
    assert [(o["claim_id"], o["review_status"], o["reviewer_note"]) for o in orphans] == \
        [(doomed["claim_id"], "needs_source", "'=no citation given")]  # formula defused in the CSV


def test_touching_one_article_redoes_only_it_and_the_tables(tmp_path, caplog, monkeypatch):
    from pipeline import runner

    caplog.set_level("INFO", logger="pipeline")
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, raw / path.name)
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["run", "--raw", str(raw), "--out", str(out), "--offline", "--cache-dir", str(cache), "--jobs", "1"]
    assert main(args, environ={}) == 0
    work = out / ".work"
    untouched = {p: p.stat().st_mtime_ns for p in (work / "exercise-metabolic-dysregulation").iterdir()}
    claims_before = _rows(out / "claims.csv")

    article = raw / "insulin-resistance-lifestyle.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nWalking after meals lowers blood glucose.\n",
                       encoding="utf-8")
    caplog.clear()
    assert main(args, environ={}) == 0
    assert "1 processed, 1 unchanged and reused" in caplog.text
    assert {p: p.stat().st_mtime_ns for p in (work / "exercise-metabolic-dysregulation").iterdir()} == untouched
    claims_after = _rows(out / "claims.csv")
    assert any(r["sentence"] == "Walking after meals lowers blood glucose." for r in claims_after)
    assert [r for r in claims_after if r["article"] == "exercise-metabolic-dysregulation"] == \
        [r for r in claims_before if r["article"] == "exercise-metabolic-dysregulation"]

    # a new pipeline version (any code change) redoes every article
    monkeypatch.setattr(runner, "pipeline_version", lambda: "another-version")
    caplog.clear()
    assert main(["ingest", "--raw", str(raw), "--out", str(out)], environ={}) == 0
    assert "2 processed, 0 unchanged and reused" in caplog.text
