"""review.xlsx (pipeline/outputs/workbook.py) and reviews read back from it (review_sources.py).

The workbook is checked as a spreadsheet program would open it (openpyxl): frozen header,
filters, widths, colours, the review_status drop-down, no formula anywhere. Reviews typed into
it (saved by openpyxl, as a spreadsheet program saves a workbook) survive a rerun of the whole
pipeline; a value outside the drop-down is flagged; a conflict between claims.csv and the
workbook is reported, never resolved silently.
"""
from __future__ import annotations

import csv
import os
import time

from openpyxl import load_workbook

from pipeline.cli import main
from pipeline.outputs.csv_tables import CLAIM_COLUMNS, REFERENCE_COLUMNS, write_csv
from pipeline.outputs.review_sources import file_digest, read_all_reviews, record_written
from pipeline.outputs.workbook import write_workbook
from tests.conftest import RAW
from tests.crossref_server import CrossrefStandIn

CLAIMS = [
    {"article": "a", "claim_id": "C1", "sentence": "=HYPERLINK(\"http://x\")", "support": "unsupported",
     "best_ref_verdict": "not_found", "review_status": "confirmed", "reviewer_note": "@SUM(1)"},
    {"article": "a", "claim_id": "C2", "sentence": "Plain " * 40, "support": "supported", "review_status": ""},
    {"article": "a", "claim_id": "C3", "sentence": "+1+2", "claim_score": "-0.5"},
]
REFERENCES = [{"article": "a", "ref_id": "R1", "raw": "-2+3 cmd|' /C calc'!A0", "verdict": "mismatch"},
              {"article": "a", "ref_id": "R2", "raw": "Kahn (2006).", "verdict": "verified"}]


def _book(tmp_path):
    path = tmp_path / "review.xlsx"
    write_workbook(path, CLAIM_COLUMNS, CLAIMS, REFERENCE_COLUMNS, REFERENCES)
    return path


def test_sheets_headers_filters_widths_colours_and_drop_down(tmp_path):
    book = load_workbook(_book(tmp_path))
    claims, references = book["Claims"], book["References"]
    assert [c.value for c in claims[1]] == list(CLAIM_COLUMNS)
    assert [c.value for c in references[1]] == list(REFERENCE_COLUMNS)
    for sheet in (claims, references):
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    sentence = claims.column_dimensions["F"]
    assert sentence.width == 70 and claims["F3"].alignment.wrap_text
    assert claims.column_dimensions["B"].width == 10  # 'claim_id' + 2
    support = claims.cell(row=2, column=CLAIM_COLUMNS.index("support") + 1)
    assert support.fill.start_color.rgb.endswith("C62828")
    verdict = references.cell(row=2, column=REFERENCE_COLUMNS.index("verdict") + 1)
    assert verdict.fill.start_color.rgb.endswith("B45309")
    (validation,) = claims.data_validations.dataValidation
    status_column = "ABCDEFGHIJKLMNOPQ"[CLAIM_COLUMNS.index("review_status")]
    assert validation.type == "list" and validation.formula1 == '"confirmed,disputed,needs_source"'
    assert str(validation.sqref) == f"{status_column}2:{status_column}4" and validation.showErrorMessage


def test_no_cell_starts_a_live_formula(tmp_path):
    book = load_workbook(_book(tmp_path))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    assert not any(str(c.value).startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    assert not any(str(c.value).startswith("-") and c.value != "-0.5" for c in cells)
    assert load_workbook(tmp_path / "review.xlsx")["Claims"]["F2"].value == "'=HYPERLINK(\"http://x\")"


def _type_review(path, claim_id, status, note=""):
    """A reviewer types a status into review.xlsx and saves it (openpyxl, as a spreadsheet program would)."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("claim_id")].value == claim_id:
            row[header.index("review_status")].value = status
            row[header.index("reviewer_note")].value = note
    book.save(path)


def _later(path):
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def test_workbook_reviews_merge_with_claims_csv_and_conflicts_are_reported(tmp_path):
    write_csv(tmp_path / "claims.csv", CLAIM_COLUMNS, CLAIMS)
    _book(tmp_path)
    record_written(tmp_path, {"C1": ("confirmed", "@SUM(1)")}, "", file_digest(tmp_path / "review.xlsx"))
    reviews, problems = read_all_reviews(tmp_path)
    assert [(r.claim_id, r.review_status, r.reviewer_note) for r in reviews] == [("C1", "confirmed", "@SUM(1)")]
    assert problems == []
    _type_review(tmp_path / "review.xlsx", "C2", "Disputed", "wrong number")  # only the workbook edited
    _type_review(tmp_path / "review.xlsx", "C3", "maybe")                      # outside the drop-down
    reviews, problems = read_all_reviews(tmp_path)
    by = {r.claim_id: (r.review_status, r.reviewer_note) for r in reviews}
    assert by == {"C1": ("confirmed", "@SUM(1)"), "C2": ("disputed", "wrong number"), "C3": ("maybe", "")}
    assert len(problems) == 1 and "review.xlsx Claims row 4 (claim C3): invalid review_status 'maybe'" in problems[0]
    rows = [dict(r, review_status="needs_source") if r["claim_id"] == "C1" else r for r in CLAIMS]
    write_csv(tmp_path / "claims.csv", CLAIM_COLUMNS, rows)  # C1 edited in the CSV ...
    _type_review(tmp_path / "review.xlsx", "C1", "disputed", "@SUM(1)")  # ... and otherwise in the workbook
    _later(tmp_path / "review.xlsx")
    reviews, problems = read_all_reviews(tmp_path)
    assert {r.claim_id: r.review_status for r in reviews}["C1"] == "disputed"  # the workbook was saved last
    conflict = [p for p in problems if "conflict" in p]
    assert len(conflict) == 1 and "'needs_source'" in conflict[0] and "'disputed'" in conflict[0]


def _run(out, cache, server):
    return main(["run", "--raw", str(RAW), "--out", str(out), "--cache-dir", str(cache), "--jobs", "1"],
                environ={"CROSSREF_API_URL": server.url})


def _claims(out):
    with open(out / "claims.csv", encoding="utf-8-sig", newline="") as handle:
        return {r["claim_id"]: r for r in csv.DictReader(handle)}


def test_a_review_typed_into_the_workbook_survives_a_rerun(tmp_path, caplog):
    out = tmp_path / "out"
    with CrossrefStandIn() as server:
        assert _run(out, tmp_path / "cache", server) == 0
        first = list(_claims(out))
        _type_review(out / "review.xlsx", first[3], "Needs source", "which trial?")
        _type_review(out / "review.xlsx", first[5], "perhaps")
        assert _run(out, tmp_path / "cache", server) == 0
    claims = _claims(out)
    assert (claims[first[3]]["review_status"], claims[first[3]]["reviewer_note"]) == ("needs_source", "which trial?")
    assert claims[first[5]]["review_status"] == "perhaps"
    assert "invalid review_status 'perhaps'" in caplog.text
    sheet = load_workbook(out / "review.xlsx")["Claims"]
    header = [c.value for c in sheet[1]]
    kept = {row[1].value: row[header.index("review_status")].value for row in sheet.iter_rows(min_row=2)}
    assert kept[first[3]] == "needs_source" and kept[first[5]] == "perhaps"
    saved = (out / "review.xlsx").read_bytes()
    with CrossrefStandIn() as server:  # nothing changed: the workbook is left as it is, reviews and all
        assert _run(out, tmp_path / "cache", server) == 0
    assert (out / "review.xlsx").read_bytes() == saved
    assert _claims(out)[first[3]]["review_status"] == "needs_source"
    references = load_workbook(out / "review.xlsx")["References"]
    assert references.max_row == 21 and [c.value for c in references[1]][-2:] == ["style", "corrected_citation"]


def test_a_row_deleted_from_the_workbook_or_a_renamed_sheet_loses_no_review(tmp_path):
    write_csv(tmp_path / "claims.csv", CLAIM_COLUMNS, CLAIMS)
    _book(tmp_path)
    record_written(tmp_path, {"C1": ("confirmed", "@SUM(1)")}, "", file_digest(tmp_path / "review.xlsx"))
    book = load_workbook(tmp_path / "review.xlsx")
    book["Claims"].delete_rows(2)  # C1's row
    book["Claims"].title = "Mine"
    book.save(tmp_path / "review.xlsx")
    _type_review(tmp_path / "review.xlsx", "C2", "confirmed")
    reviews, problems = read_all_reviews(tmp_path)
    assert {r.claim_id: r.review_status for r in reviews} == {"C1": "confirmed", "C2": "confirmed"}
    assert problems == []


def test_a_claim_on_two_rows_of_an_edited_workbook_loses_neither_review(tmp_path):
    from pipeline.outputs.reviews import carry_over

    write_csv(tmp_path / "claims.csv", CLAIM_COLUMNS, CLAIMS)
    _book(tmp_path)
    record_written(tmp_path, {"C1": ("confirmed", "@SUM(1)")}, "", file_digest(tmp_path / "review.xlsx"))
    book = load_workbook(tmp_path / "review.xlsx")
    sheet = book.worksheets[0]
    sheet.append([c.value for c in sheet[2]])  # C1's row copied below the others ...
    sheet.cell(row=sheet.max_row, column=CLAIM_COLUMNS.index("review_status") + 1).value = "disputed"
    book.save(tmp_path / "review.xlsx")
    reviews, _ = read_all_reviews(tmp_path)
    carried = carry_over(reviews, {"C1", "C2", "C3"})
    assert carried.by_claim["C1"].review_status == "confirmed"
    assert [(r.claim_id, r.review_status) for r in carried.orphaned] == [("C1", "disputed")]  # ... kept, not lost
