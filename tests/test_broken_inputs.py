"""Broken and hostile inputs, end to end through `python -m pipeline run --offline`.

One raw folder holds a good article beside every kind of broken input; a single run
must end each of them in output rows or in an error line that names the file, go on for
the others, and exit 1 because some failed. The large inputs (50 MB, 1 MB lines, 10,000
levels of nesting, 2,000 references) are generated in tmp_path at test time.
The Crossref stage runs offline, so the run asks no server anything.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.outputs.reviews import allow_long_cells
from tests.conftest import RAW, ROOT

GOOD = "insulin-resistance-lifestyle.txt"
CITATION = "Kahn SE, Hull RL, Utzschneider KM. Mechanisms linking obesity to insulin resistance and type 2 " \
           "diabetes. Nature. 2006;444(7121):840-846. doi:10.1038/nature05482"
BODY = "Regular exercise improves insulin sensitivity in adults, and the effect lasts for two days."

# name -> what stderr must say about it (the runner prints "FAILED <name>: <path>: <problem>")
FAILING = {
    "empty.txt": "the file is empty",
    "blank.txt": "holds only whitespace",
    "binary.txt": "binary content",
    "huge.txt": "larger than the 16 MB limit",
    "link out.txt": "outside the input folder",
    "loop.txt": "cannot be followed",
    "dangling.txt": "cannot be read",
    "folder.txt": "not a regular file",
    "twin.txt": "same name stem",  # twin.html sorts first and is read
}


def _references(count: int, start: int = 0) -> str:
    return "\n".join(f"- Author{i}, A. B., & Other, C. ({1990 + i % 30}). Study {i} of sleep and glucose in "
                     f"adults. Journal of Sleep Things, {i % 50 + 1}({i % 12 + 1}), {i}-{i + 9}."
                     for i in range(start, start + count))


def _write_corpus(raw: Path, outside: Path) -> None:
    shutil.copy(RAW / GOOD, raw / "good article ü é.txt")  # spaces and non-ASCII in the name
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_bytes(b" \n\t\r\n  \n")
    (raw / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with open(raw / "huge.txt", "wb") as handle:  # 50 MB, written in pieces
        chunk = (BODY + "\n\n").encode() * 10_000
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    (outside / "private.txt").write_text("Private Notes\n\nNothing to see outside the raw folder.\n")
    (raw / "link out.txt").symlink_to(outside / "private.txt")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "folder.txt").mkdir()
    (raw / "twin.txt").write_text(f"Twin Article\n\n{BODY}\n", encoding="utf-8")
    (raw / "twin.html").write_text(f"<p>{BODY}</p>", encoding="utf-8")

    good = f"Café Study Notes\n\n{BODY} Naïve subjects slept less in Zürich.\n\nReferences\n\n- {CITATION}\n"
    (raw / "truncated-utf8.txt").write_bytes(good.encode("utf-8") + "€".encode("utf-8")[:2])
    (raw / "truncated-utf16.txt").write_bytes(good.encode("utf-16")[:-1])
    (raw / "mixed-encodings.txt").write_bytes(
        "Café Study Notes\n\n".encode("utf-8") + f"{BODY} Naïve subjects.\n\n".encode("cp1252")
        + "Zürich adults slept less than 6 hours.\n".encode("utf-8"))
    (raw / "legacy-cp1252.txt").write_bytes(good.encode("cp1252"))
    # a 1 MB line: a minified page, its scripts and styles on the same line as its text
    script = "<script>var data = '" + "x" * 500_000 + "';</script><style>" + "p{color:red}" * 40_000 + "</style>"
    (raw / "minified.html").write_text(f"<html><head>{script}</head><body><h1>Sleep Page</h1><p>{BODY}</p>"
                                       f"<h2>References</h2><ol><li>{CITATION}</li></ol></body></html>",
                                       encoding="utf-8")
    (raw / "deep.html").write_text("<html><body>" + "<div>" * 10_000 + f"<p>{BODY}</p>" + "</div>" * 10_000
                                   + "<ul><li>item " * 2_000 + "</li></ul>" * 2_000 + "</body></html>",
                                   encoding="utf-8")
    (raw / "scripts-only.html").write_text("<html><body>" + "<script>var x = 1;</script>" * 200 + "</body></html>")
    (raw / "no-body.html").write_text("<html><head><title>Only a title</title></head></html>")
    (raw / "comment-only.html").write_text("<!-- nothing here -->")
    (raw / "references-only.txt").write_text(f"References\n\n- {CITATION}\n- {CITATION.replace('2006', '2007')}\n")
    (raw / "many-references.txt").write_text(f"Many Sources\n\n{BODY}\n\nReferences\n\n{_references(2000)}\n")
    (raw / "duplicated-references.txt").write_text(f"Twice Cited\n\n{BODY}\n\nReferences\n\n- {CITATION}\n"
                                                   f"- {CITATION}\n- {CITATION}\n")


def _rows(path: Path) -> list[dict]:
    allow_long_cells()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CROSSREF_", "PIPELINE_"))}
    env["CROSSREF_API_URL"] = "http://127.0.0.1:9"  # never used offline; and never a real host
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("broken")
    raw, outside = base / "raw", base / "outside"
    raw.mkdir()
    outside.mkdir()
    _write_corpus(raw, outside)
    completed = _run(["run", "--raw", "raw", "--out", "out", "--cache-dir", "cache", "--offline", "--jobs", "1"],
                     cwd=base)
    return completed, base / "out"


@pytest.mark.slow
def test_every_broken_input_fails_alone_with_its_name_and_the_exit_code_tells(broken_run):
    completed, out = broken_run
    err = completed.stderr
    assert completed.returncode == 1, err[-3000:]
    assert "Traceback" not in err
    for name, problem in FAILING.items():
        line = next((l for l in err.splitlines() if l.strip().startswith(f"FAILED {name}:")), None)
        assert line is not None and problem in line, (name, err[-3000:])
    failed = [l for l in err.splitlines() if l.strip().startswith("FAILED ")]
    assert len(failed) == len(FAILING), failed


@pytest.mark.slow
def test_the_others_end_in_output(broken_run):
    completed, out = broken_run
    blocks = _rows(out / "blocks.csv")
    articles = {r["article"] for r in blocks}
    # comment-only.html has one row only: the one saying why it kept no text (issue 16), beside its warnings
    assert articles == {"good article ü é", "twin", "truncated-utf8", "truncated-utf16", "mixed-encodings",
                        "legacy-cp1252", "minified", "deep", "scripts-only", "no-body", "comment-only",
                        "references-only", "many-references", "duplicated-references"}
    assert [r["reason"] for r in blocks if r["article"] == "comment-only"] == [
        "no article text kept: the page has no visible text"]
    text = {a: " ".join(r["text"] for r in blocks if r["article"] == a) for a in articles}
    # decoded right: no mojibake in either half of the mixed file, the truncated files keep their text
    assert "Café" in text["mixed-encodings"] and "Naïve" in text["mixed-encodings"] \
        and "Zürich" in text["mixed-encodings"]
    for name in ("truncated-utf8", "truncated-utf16", "legacy-cp1252"):
        assert "Café" in text[name] and "Zürich" in text[name], name
    assert "Regular exercise" in text["deep"] and "item" in text["deep"]
    assert "Regular exercise" in text["minified"]
    claims = _rows(out / "claims.csv")
    assert {c["article"] for c in claims} >= {"good article ü é", "deep", "minified", "many-references"}


@pytest.mark.slow
def test_warnings_name_the_file_and_what_was_done(broken_run):
    err = broken_run[0].stderr
    expected = {
        "truncated-utf8.txt": "ends inside a UTF-8 character",
        "truncated-utf16.txt": "not valid UTF-16",
        "mixed-encodings.txt": "mixed encodings",
        "legacy-cp1252.txt": "decoded as cp1252",
        "deep.html": "nested too deeply",
        "scripts-only.html": "no article text was kept: ",  # and why (issue 16)
        "no-body.html": "no article text was kept",
        "comment-only.html": "no reference list found",
    }
    for name, warning in expected.items():
        assert any(l.startswith(f"WARNING {name}:") and warning in l for l in err.splitlines()), (name, warning)


@pytest.mark.slow
def test_reference_lists_long_duplicated_and_alone(broken_run):
    references = _rows(broken_run[1] / "references.csv")
    by_article: dict[str, list[dict]] = {}
    for row in references:
        by_article.setdefault(row["article"], []).append(row)
    many = by_article["many-references"]
    assert [r["ref_id"] for r in many] == [f"R{i}" for i in range(1, 2001)]
    assert sum(r["parse_status"] == "parsed" for r in many) >= 1990
    assert all(r["verdict"] == "unchecked" and "offline" in r["note"] for r in many)
    twice = by_article["duplicated-references"]
    assert len(twice) == 3 and len({r["raw"] for r in twice}) == 1  # every listed entry keeps its row
    assert len(by_article["references-only"]) == 2
    assert [r["ref_id"] for r in by_article["minified"]] == ["R1"]


@pytest.mark.slow
def test_a_one_megabyte_line_of_text(tmp_path):
    """A dump whose newlines were lost: one 1 MB line of prose, through ingest and references
    (the claims stage would only parse it with spaCy for minutes; its slicing is tested below)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    line = (BODY + " ") * (1_000_000 // (len(BODY) + 1))
    (raw / "one-line.txt").write_text(f"One Long Line\nDuration Effect Notes\n{line}\n{line[:5000]}\n")
    completed = _run(["references", "--raw", "raw", "--out", "out"], cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    blocks = _rows(tmp_path / "out" / "blocks.csv")
    assert sum(len(r["text"]) for r in blocks) >= len(line)


def test_claims_slice_a_huge_block_without_losing_text():
    from pipeline.claims.stage import SLICE_CHARS, _slices

    text = (BODY + " ") * 30_000 + "x" * (3 * SLICE_CHARS)  # prose, then a run with no space at all
    pieces = list(_slices(text))
    assert "".join(pieces) == text and all(len(p) <= SLICE_CHARS for p in pieces)


def test_an_output_folder_that_cannot_be_written_is_a_clear_error(tmp_path, capsys):
    from pipeline.cli import main

    (tmp_path / "out").write_text("a file where the output folder should be")
    assert main(["ingest", "--raw", str(RAW), "--out", str(tmp_path / "out")], environ={}) == 1
    err = capsys.readouterr().err
    assert "error: cannot write the outputs:" in err and "Traceback" not in err


def test_an_edited_claims_table_that_cannot_be_read_is_left_alone(tmp_path, capsys):
    from pipeline.cli import main

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    out.mkdir()
    (raw / "short.txt").write_text(f"Short Note\n\n{BODY}\n", encoding="utf-8")
    damaged = b"PK\x03\x04" + bytes(2000)  # a workbook saved over claims.csv
    (out / "claims.csv").write_bytes(damaged)
    assert main(["claims", "--raw", str(raw), "--out", str(out), "--jobs", "1"], environ={}) == 1
    err = capsys.readouterr().err
    assert "error: " in err and "claims.csv" in err and "left in place and not overwritten" in err
    assert (out / "claims.csv").read_bytes() == damaged  # the reviewer's file is not overwritten


def test_a_claims_table_with_a_cell_over_128_kib_is_read_back(tmp_path):
    """A sentence from a page that lost its punctuation can exceed the csv module's default
    cell limit; the next run must still read the reviews beside it."""
    from pipeline.outputs.reviews import read_reviews
    from pipeline.outputs.csv_tables import CLAIM_COLUMNS, write_csv

    path = tmp_path / "claims.csv"
    write_csv(path, CLAIM_COLUMNS, [{"article": "a", "claim_id": "C1", "sentence": "word " * 60_000,
                                     "review_status": "confirmed", "reviewer_note": "long but fine"}])
    reviews, problems = read_reviews(path)
    assert [(r.claim_id, r.review_status, r.reviewer_note) for r in reviews] == [("C1", "confirmed", "long but fine")]
