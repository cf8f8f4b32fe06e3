"""The command line: exit codes, usage errors, and one bad article never stopping the others."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

from bs4 import BeautifulSoup

from pipeline.cli import main
from tests.conftest import RAW, ROOT
from tests.crossref_server import CrossrefStandIn


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_run_over_the_samples_writes_every_table(tmp_path, caplog):
    caplog.set_level("INFO", logger="pipeline")
    out = tmp_path / "out"
    with CrossrefStandIn() as server:
        assert main(["run", "--raw", str(RAW), "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
                     "--jobs", "1"], environ={"CROSSREF_API_URL": server.url}) == 0
    references = _rows(out / "references.csv")
    assert len(references) == 20 and all(r["verdict"] for r in references)
    assert {r["verdict"] for r in references} >= {"verified", "mismatch", "not_found", "misattributed"}
    # linked_claims, style and corrected_citation came after the contract's columns, in that order
    assert list(references[0])[-3:] == ["linked_claims", "style", "corrected_citation"]
    assert all(r["linked_claims"].isdigit() for r in references)
    claims = _rows(out / "claims.csv")
    assert len(claims) == 177
    assert {r["link_method"] for r in claims if r["is_claim"] == "true"} <= {"inferred", "none"}
    assert {r["support"] for r in claims if r["is_claim"] == "true"} <= {"supported", "weak", "unsupported"}
    assert all(r["link_method"] == r["support"] == r["linked_refs"] == "" for r in claims if r["is_claim"] == "false")
    linked = [r for r in claims if r["linked_refs"]]
    assert linked and all(r["best_ref_verdict"] in {"verified", "mismatch", "misattributed", "not_found", "unchecked"}
                          for r in linked)
    assert sum(int(r["linked_claims"]) for r in references) == sum(len(r["linked_refs"].split(";")) for r in linked)
    unlinked = [r for r in references if r["linked_claims"] == "0"]
    assert all("no claim links to: " in caplog.text and r["ref_id"] in caplog.text for r in unlinked)
    rows = _rows(out / "blocks.csv")
    assert {r["article"] for r in rows} == {"insulin-resistance-lifestyle", "exercise-metabolic-dysregulation"}
    assert sum(r["kind"] == "reference" for r in rows) == 20
    removed = [r for r in rows if r["kept"] == "false"]
    assert removed and all(r["reason"] for r in removed)
    report = (out / "report.html").read_text(encoding="utf-8")
    reference_rows = BeautifulSoup(report, "html.parser").select("tr[id]")
    assert len(reference_rows) == 20 and all(row.find(class_="badge") for row in reference_rows)
    assert sum(int(n) for n in re.findall(r"Removed blocks \((\d+)\)", report)) == len(removed)


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


def test_every_bad_input_of_the_issue_is_named_and_the_rest_is_processed(tmp_path, capsys, caplog):
    """Empty, binary, non-UTF-8, 20 MB, no reference list, a page of scripts: one run."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(RAW / "exercise-metabolic-dysregulation.txt", raw / "good.txt")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "legacy.txt").write_bytes("Sleep Heading\n\nCaf\u00e9 owners in M\u00fcnchen sleep less than others.\n"
                                     .encode("cp1252"))
    (raw / "big.txt").write_bytes(b"Exercise improves insulin sensitivity in adults.\n\n" * 420_000)  # ~21 MB
    (raw / "noref.txt").write_text("Title Here\n\nSleep improves memory consolidation in adults.\n", encoding="utf-8")
    (raw / "scripts.html").write_text("<html><body>" + "<script>var x = 1;</script>" * 50 + "</body></html>",
                                      encoding="utf-8")
    out = tmp_path / "out"
    with caplog.at_level("WARNING"):
        code = main(["ingest", "--raw", str(raw), "--out", str(out)], environ={})
    assert code == 1  # some articles failed
    err = capsys.readouterr().err
    assert "FAILED empty.txt" in err and "FAILED binary.txt" in err
    assert "FAILED big.txt" in err and "MB" in err
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(w.startswith("legacy.txt: ") and "cp1252" in w for w in warnings), warnings
    assert any(w.startswith("noref.txt: ") and "no reference list" in w for w in warnings), warnings
    assert any(w.startswith("scripts.html: ") and "no article text was kept" in w for w in warnings), warnings
    articles = {r["article"] for r in _rows(out / "blocks.csv")}
    assert articles == {"good", "legacy", "noref", "scripts"}


def test_usage_errors_exit_2(tmp_path):
    assert main([], environ={}) == 2
    assert main(["run", "--bogus"], environ={}) == 2
    assert main(["run", "--raw", str(tmp_path / "missing")], environ={}) == 2


def test_help_on_every_subcommand():
    for args in (["--help"], ["run", "--help"], ["ingest", "--help"], ["claims", "--help"], ["references", "--help"],
                 ["crossref", "--help"], ["link", "--help"], ["audit", "--help"]):
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


def test_reviews_survive_a_rerun_and_orphans_are_kept(tmp_path, caplog):
    """Round trip: run, type reviews into claims.csv, change one article, run again."""
    caplog.set_level("INFO", logger="pipeline")
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, raw / path.name)
    out = tmp_path / "out"
    run = ["run", "--raw", str(raw), "--out", str(out), "--offline", "--cache-dir", str(tmp_path / "c"), "--jobs", "1"]
    assert main(run, environ={}) == 0
    rows = _rows(out / "claims.csv")
    kept = next(r for r in rows if r["sentence"].startswith("Exercise increases glucose uptake"))
    doomed = next(r for r in rows if r["sentence"].startswith("Chronic sleep deprivation disrupts"))
    other = next(r for r in rows if r["article"] == "exercise-metabolic-dysregulation" and r["is_claim"] == "true")
    typo = next(r for r in rows if r["article"] == "exercise-metabolic-dysregulation" and r is not other)
    kept.update(review_status="confirmed", reviewer_note="checked against Kelley 2000")
    doomed.update(review_status="needs_source", reviewer_note="=no citation given")
    other.update(review_status="Disputed", reviewer_note="überzogen, see Hou 2023")  # case is forgiven
    typo.update(review_status="maybe", reviewer_note="")
    with open(out / "claims.csv", "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    typo_row = rows.index(typo) + 2  # the spreadsheet's row number: the header is row 1
    article = raw / "insulin-resistance-lifestyle.txt"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Chronic sleep deprivation disrupts glucose metabolism", "Chronic sleep loss disrupts glucose metabolism"),
        encoding="utf-8")
    caplog.clear()
    assert main(run, environ={}) == 0
    assert "1 processed, 1 unchanged and reused" in caplog.text
    again = {r["claim_id"]: r for r in _rows(out / "claims.csv")}
    assert len(again) == len(rows)  # one sentence changed: one id gone, one new
    assert (again[kept["claim_id"]]["review_status"], again[kept["claim_id"]]["reviewer_note"]) == \
        ("confirmed", "checked against Kelley 2000")  # changed article, unchanged claim
    assert (again[other["claim_id"]]["review_status"], again[other["claim_id"]]["reviewer_note"]) == \
        ("disputed", "überzogen, see Hou 2023")  # unchanged (reused) article
    assert again[typo["claim_id"]]["review_status"] == "maybe"  # kept as typed ...
    assert f"claims.csv row {typo_row} (claim {typo['claim_id']}): invalid review_status 'maybe'" in caplog.text
    assert doomed["claim_id"] not in again
    orphans = _rows(out / "orphaned_reviews.csv")
    assert [(o["claim_id"], o["review_status"], o["reviewer_note"]) for o in orphans] == \
        [(doomed["claim_id"], "needs_source", "'=no citation given")]  # formula defused in the CSV
    assert "review(s) whose claim disappeared are kept in" in caplog.text
    report = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
    assert "1 review(s) whose claim disappeared are in orphaned_reviews.csv" in report.get_text()
    kept_row = next(tr for tr in report.find_all("tr") if tr.get_text().find(kept["claim_id"]) >= 0)
    assert kept_row.find(class_="review-confirmed").get_text() == "confirmed"
    assert "checked against Kelley 2000" in kept_row.get_text()  # the reviewer's work, visible in the report
    typo_row_html = next(tr for tr in report.find_all("tr") if tr.get_text().find(typo["claim_id"]) >= 0)
    assert typo_row_html.find(class_="review-invalid").get_text() == "maybe"
    assert main(run, environ={}) == 0  # a third run neither loses nor duplicates the orphan
    assert len(_rows(out / "orphaned_reviews.csv")) == 1
    assert _rows(out / "claims.csv") == list(again.values())


def test_a_claims_csv_the_run_cannot_read_stops_it_before_anything_is_overwritten(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "short.txt").write_text("Sleep\n\nSleep loss raises evening cortisol in adults.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims.csv").write_text("my own notes, no header\nC1: wrong\n", encoding="utf-8")
    (out / "blocks.csv").write_text("old", encoding="utf-8")
    assert main(["claims", "--raw", str(raw), "--out", str(out), "--jobs", "1"], environ={}) == 1
    assert "no claim_id column" in capsys.readouterr().err
    assert (out / "claims.csv").read_text(encoding="utf-8") == "my own notes, no header\nC1: wrong\n"
    assert (out / "blocks.csv").read_text(encoding="utf-8") == "old"


def test_touching_one_article_redoes_only_it_and_the_tables(tmp_path, caplog, monkeypatch):

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
    from pipeline.store import article_store

    monkeypatch.setattr(article_store, "pipeline_version", lambda: "another-version")
    caplog.clear()
    assert main(["ingest", "--raw", str(raw), "--out", str(out)], environ={}) == 0
    assert "2 processed, 0 unchanged and reused" in caplog.text


def test_unchanged_articles_keep_their_links_and_new_crossref_findings_relink(tmp_path, caplog):
    """Links are kept per article: a rerun links nothing again and writes the same tables; a
    damaged links file, other Crossref findings or another linking set-up link again."""
    caplog.set_level("INFO", logger="pipeline")
    out = tmp_path / "out"
    base = ["run", "--raw", str(RAW), "--out", str(out), "--cache-dir", str(tmp_path / "c"), "--jobs", "1"]
    assert main(base + ["--offline"], environ={}) == 0
    first = (out / "claims.csv").read_bytes()
    caplog.clear()
    assert main(base + ["--offline"], environ={}) == 0
    assert "linking: 0 article(s) linked, 2 unchanged and reused" in caplog.text
    assert (out / "claims.csv").read_bytes() == first
    (out / ".work" / "insulin-resistance-lifestyle" / "links.json").write_text("{not json", encoding="utf-8")
    caplog.clear()
    assert main(base + ["--offline"], environ={}) == 0
    assert "linking: 1 article(s) linked, 1 unchanged and reused" in caplog.text
    assert (out / "claims.csv").read_bytes() == first
    caplog.clear()
    with CrossrefStandIn() as server:  # verdicts change from unchecked: best_ref_verdict must follow
        assert main(base, environ={"CROSSREF_API_URL": server.url}) == 0
    assert "article(s) linked" not in caplog.text  # every article linked again
    verdicts = {r["best_ref_verdict"] for r in _rows(out / "claims.csv") if r["linked_refs"]}
    assert verdicts and "unchecked" not in verdicts
    caplog.clear()
    assert main(base + ["--offline", "--no-embeddings"], environ={}) == 0
    assert "article(s) linked" not in caplog.text  # another set-up: linked again


def test_the_stage_graph_is_the_one_list_of_stages():
    """Subcommands, the runner's plans and the Makefile's stage targets all come from pipeline.stages."""
    import re

    from pipeline import stages
    from pipeline.cli import build_parser, commands

    assert set(commands()) == {"run"} | {s.name for s in stages.STAGES if s.name != stages.FINAL}
    assert stages.plan(stages.FINAL) == tuple(s.name for s in stages.STAGES)
    assert stages.plan("crossref") == ("ingest", "references", "crossref")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = dict(re.findall(r"^([a-z-]+):.*## (.*)$", makefile, re.M))
    for stage in stages.STAGES:
        if stage.name != stages.FINAL:
            assert targets[stage.name] == f"Stage {stage.name}: {stages.command_help(stage)}"
            assert f"-m pipeline {stage.name} $(RUN_FLAGS)" in makefile
    help_text = build_parser().format_help()
    for name, (line, _) in commands().items():
        assert name in help_text


def test_settings_defaults_are_written_once_and_flags_win_over_the_environment():
    from pipeline.cli import build_parser, settings_from
    from pipeline.settings import Settings

    assert settings_from(build_parser().parse_args(["run"]), {}) == Settings()
    args = build_parser().parse_args(["run", "--jobs", "3", "--no-embeddings", "--max-file-mb", "2"])
    settings = settings_from(args, {"PIPELINE_DASK_SCHEDULER": "tcp://10.0.0.1:8786"})
    assert (settings.jobs, settings.embeddings, settings.max_file_bytes) == (3, False, 2 * 1024 * 1024)
    assert settings.scheduler == "tcp://10.0.0.1:8786"
    args = build_parser().parse_args(["run", "--scheduler", "tcp://127.0.0.1:1"])
    assert settings_from(args, {"PIPELINE_DASK_SCHEDULER": "tcp://10.0.0.1:8786"}).scheduler == "tcp://127.0.0.1:1"


def test_linking_notes_go_to_their_own_article_even_when_one_name_starts_another():
    from pipeline.store.link_store import _notes_of

    notes = ["good C0123456789ab: marker '[9]' names no listed reference",
             "good article ü C0123456789ac: marker '[7]' names no listed reference",
             "embedding model not installed: linking on lexical relevance only"]
    assert _notes_of(notes, "good", {"C0123456789ab"}) == notes[:1]
    assert _notes_of(notes, "good article ü", {"C0123456789ac"}) == notes[1:2]


def test_outputs_get_the_umask_mode_and_the_umask_is_never_changed(tmp_path):
    import os

    from pipeline.store.work_files import atomic_write_text

    old = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "x.csv", "a\n")
        assert os.umask(0o027) == 0o027  # nothing changed it
    finally:
        os.umask(old)
    assert (tmp_path / "x.csv").stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
