"""Odd inputs that are allowed must cost little and lose nothing: the command line's usage errors,
stray NUL bytes, DOIs in odd forms, a page on one line, huge cells, duplicate and re-saved reviews,
and the Crossref stage failing as a whole."""
from __future__ import annotations

import csv
import shutil

import pytest

from pipeline.cli import main
from pipeline.ingest.long_lines import LONG_LINE_CHARS, paragraphs_of
from pipeline.ingest.text_dump import split_units
from pipeline.outputs.csv_tables import CLAIM_COLUMNS, write_csv
from pipeline.outputs.report import doi_link
from pipeline.outputs.reviews import carry_over, read_reviews
from pipeline.references.fields import find_doi, normalise_doi
from tests.conftest import RAW
from tests.hostile_crossref import HostileCrossref

ARTICLE = RAW / "insulin-resistance-lifestyle.txt"
BODY = ("Regular exercise improves insulin sensitivity in adults with type 2 diabetes, and the effect "
        "lasts for several days after a single session of moderate activity. ")


def _rows(path):
    csv.field_size_limit(2**31 - 1)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder


@pytest.mark.parametrize("out", ["raw", "raw/out", "."])
def test_an_out_folder_equal_to_inside_or_containing_raw_is_refused(out, raw, capsys):
    target = raw.parent / out
    assert main(["ingest", "--raw", str(raw), "--out", str(target)], environ={}) == 2
    assert "apart from the input" in capsys.readouterr().err
    assert not (raw / "blocks.csv").exists() and not (raw / "out").exists()


@pytest.mark.parametrize("flags, environ", [
    (["--max-file-mb", "nan"], {}), (["--max-file-mb", "inf"], {}), (["--max-file-mb", "0"], {}),
    (["--wait", "inf"], {}), (["--crossref-budget", "nan"], {}),
    (["--crossref-url", "http://[::1"], {}), ([], {"CROSSREF_API_URL": "http://[fe80::1"}),
    ([], {"CROSSREF_API_URL": "ftp://example.org"}), (["--crossref-url", "not a url"], {}),
])
def test_invalid_numbers_and_urls_are_usage_errors(flags, environ, raw, tmp_path, capsys):
    assert main(["run", "--raw", str(raw), "--out", str(tmp_path / "out"), *flags], environ=environ) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_few_nul_bytes_are_dropped_with_a_warning_not_the_article(raw, tmp_path, caplog):
    data = ARTICLE.read_bytes()
    (raw / ARTICLE.name).write_bytes(data[:500] + b"\x00" + data[500:900] + b"\x00" + data[900:])
    assert main(["references", "--raw", str(raw), "--out", str(tmp_path / "out"), "--jobs", "1"], environ={}) == 0
    assert "2 NUL byte(s) dropped" in caplog.text
    assert len(_rows(tmp_path / "out" / "references.csv")) == 10


@pytest.mark.parametrize("written", [
    "https://doi.org/10.1038/nature05482", "doi:10.1038/nature05482", "DOI: 10.1038/nature05482.",
    "https://doi.org/10.1038%2Fnature05482", "https://dx.doi.org/10.1038%252Fnature05482",
    "10.1038/\u200bnature05482", "10.1038/nature\u200d05482\ufeff",
])
def test_dois_are_normalised_before_lookup_and_in_links(written):
    assert find_doi(f"Kahn SE. Nature. 2006. {written}") == "10.1038/nature05482"
    assert normalise_doi(written) == "10.1038/nature05482"
    assert 'href="https://doi.org/10.1038/nature05482"' in doi_link(normalise_doi(written))


def test_a_page_on_one_line_is_cut_into_paragraphs_before_parsing():
    line = BODY * 400  # about 65,000 characters on one line
    pieces = paragraphs_of(line)
    assert len(pieces) > 10 and all(len(p) <= LONG_LINE_CHARS for p in pieces)
    assert all(p.endswith(".") for p in pieces[:-1])  # cut after sentence ends
    assert " ".join(pieces) == line.strip()
    units = split_units(f"Title\n{line}\n")
    assert [u.line for u in units] == [1] + [2] * len(pieces)
    no_space = "x" * (3 * LONG_LINE_CHARS)
    assert "".join(paragraphs_of(no_space)) == no_space


def test_a_one_line_article_gives_its_claims(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "one-line.txt").write_text(" ".join([BODY * 60] * 3), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["claims", "--raw", str(raw), "--out", str(out), "--jobs", "1"], environ={}) == 0
    kinds = {row["kind"] for row in _rows(out / "blocks.csv")}
    assert "body" in kinds and len(_rows(out / "claims.csv")) >= 100


def test_duplicate_claim_rows_keep_every_review(tmp_path):
    path = tmp_path / "claims.csv"
    write_csv(path, CLAIM_COLUMNS, [
        {"article": "a", "claim_id": "C1", "sentence": "s", "review_status": "confirmed", "reviewer_note": "first"},
        {"article": "a", "claim_id": "C1", "sentence": "s", "review_status": "disputed", "reviewer_note": "second"},
        {"article": "a", "claim_id": "C1", "sentence": "s", "review_status": "confirmed", "reviewer_note": "first"},
    ])
    reviews, _ = read_reviews(path)
    carried = carry_over(reviews, {"C1"})
    assert carried.by_claim["C1"].reviewer_note == "first"
    assert [(r.reviewer_note, "another review" in r.problem) for r in carried.orphaned] == [("second", True)]
    assert carried.problems and "more than one review" in carried.problems[0]
    # the next run: the orphan stays an orphan, the carried review stays carried
    again = carry_over(reviews[:1], {"C1"}, carried.orphaned)
    assert again.by_claim["C1"].reviewer_note == "first" and [r.reviewer_note for r in again.orphaned] == ["second"]


def test_a_claims_csv_with_control_characters_saved_without_its_bom_is_read_again(tmp_path):
    path = tmp_path / "claims.csv"
    write_csv(path, CLAIM_COLUMNS, [{"article": "a", "claim_id": f"C{i}", "heading": "Head\x1b[31m\x07\x08\x0b",
                                     "sentence": "s", "review_status": "confirmed" if i == 0 else ""}
                                    for i in range(3)])
    assert "\x1b" not in path.read_text(encoding="utf-8-sig")  # written as visible pictures
    # a reviewer's tool saves it again without the BOM, with raw control characters in it
    text = path.read_text(encoding="utf-8-sig").replace("\u241b", "\x1b").replace("\u2407", "\x07")
    path.write_bytes(text.encode("utf-8") + b"a,C9,,,,\x01\x02\x03\x04\x05\x06\x0e\x0f\x10,,,,,,,,,,needs_source,\r\n")
    reviews, _ = read_reviews(path)
    assert [(r.claim_id, r.review_status) for r in reviews] == [("C0", "confirmed"), ("C9", "needs_source")]


def test_audit_reads_cells_of_any_size_the_pipeline_writes(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    from pipeline.outputs.csv_tables import REFERENCE_COLUMNS

    write_csv(out / "references.csv", REFERENCE_COLUMNS, [{"article": "a", "ref_id": "R1", "raw": "x" * 200_000,
                                                           "crossref_title": "t" * 1_100_000, "verdict": "unchecked"}])
    write_csv(out / "claims.csv", CLAIM_COLUMNS, [{"article": "a", "claim_id": "C1", "sentence": "s" * 300_000}])
    assert main(["audit", "--out", str(out)], environ={}) == 0
    assert "references unchecked" in capsys.readouterr().out


def test_a_malformed_crossref_leaves_every_reference_unchecked_and_the_run_exits_0(raw, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with HostileCrossref("malformed") as server:
        assert main(["run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache), "--jobs", "1",
                     "--crossref-url", server.url], environ={}) == 0
    references = _rows(out / "references.csv")
    assert len(references) == 10 and all(r["verdict"] == "unchecked" and r["note"] for r in references)
    assert (out / "report.html").exists() and (out / "claims.csv").exists()
    assert main(["run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(cache), "--jobs", "1",
                 "--offline"], environ={}) == 0


def test_a_crossref_stage_that_raises_leaves_the_references_unchecked(raw, tmp_path, monkeypatch):
    from pipeline.crossref import stage

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the Crossref stage")

    monkeypatch.setattr(stage, "check_references", broken)
    out = tmp_path / "out"
    assert main(["run", "--raw", str(raw), "--out", str(out), "--cache-dir", str(tmp_path / "c"), "--jobs", "1",
                 "--offline"], environ={}) == 0
    references = _rows(out / "references.csv")
    assert len(references) == 10 and all("the Crossref stage failed" in r["note"] for r in references)
