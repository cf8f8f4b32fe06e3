"""The CSV writer: column order, encoding and formula neutralisation."""
import csv

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.models import Block, BlockKind
from pipeline.outputs.csv_tables import BLOCK_COLUMNS, CSV_ENCODING, FORMULA_TRIGGERS, neutralise, unneutralise, write_blocks


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("+1-2", "'+1-2"),
    ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
    ("\tTAB", "'\tTAB"),
    ("\rCR", "'\rCR"),
    ("-0.5", "-0.5"),
    ("+1.5e3", "+1.5e3"),
    ("-nan", "'-nan"),      # float() accepts these, a spreadsheet would evaluate them as names
    ("-inf", "'-inf"),
    ("-1_000", "'-1_000"),
    ("plain text = fine", "plain text = fine"),
    ("", ""),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def _block(i, text, kept=True):
    return Block(article="a", block_id=f"B{i + 1:04d}", index=i, source_line=i + 1, kind=BlockKind.BODY,
                 kept=kept, reason="" if kept else "test", section="S", heading="H", text=text,
                 original_text=text)


def test_blocks_csv_header_order_bom_and_injection(tmp_path):
    path = tmp_path / "blocks.csv"
    write_blocks(path, [_block(1, "=HYPERLINK(\"x\")"), _block(0, "Lindström ∞ café")])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM so spreadsheets detect the encoding"
    with open(path, encoding=CSV_ENCODING, newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == BLOCK_COLUMNS
    assert rows[1][BLOCK_COLUMNS.index("text")] == "Lindström ∞ café"  # document order, text intact
    assert rows[2][BLOCK_COLUMNS.index("text")] == "'=HYPERLINK(\"x\")"
    frame = pd.read_csv(path, encoding=CSV_ENCODING)
    assert list(frame.columns) == list(BLOCK_COLUMNS)


def test_parquet_twins_hold_the_same_cells_without_the_spreadsheet_apostrophe(tmp_path):
    pytest.importorskip("pyarrow", reason="Parquet output needs the optional pyarrow (pip install pyarrow)")
    from pipeline.outputs.csv_tables import write_parquet

    path = tmp_path / "blocks.csv"
    write_blocks(path, [_block(0, "Lindström ∞ café"), _block(1, "=HYPERLINK(\"x\")"), _block(2, "-0.5")])
    (tmp_path / "report.html").write_text("<p>not a table</p>")
    assert write_parquet(tmp_path, [path, tmp_path / "report.html"]) == [tmp_path / "blocks.parquet"]
    frame = pd.read_parquet(tmp_path / "blocks.parquet")
    assert list(frame.columns) == list(BLOCK_COLUMNS) and len(frame) == 3
    assert list(frame["text"]) == ["Lindström ∞ café", "=HYPERLINK(\"x\")", "-0.5"]
    assert list(frame["source_line"]) == ["1", "2", "3"]  # strings, as in the CSV


def test_parquet_without_pyarrow_warns_and_keeps_the_csvs(tmp_path, monkeypatch, caplog):
    import sys

    from pipeline.outputs.csv_tables import write_parquet

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    path = tmp_path / "blocks.csv"
    write_blocks(path, [_block(0, "text")])
    assert write_parquet(tmp_path, [path]) == []
    assert "needs pyarrow" in caplog.text and path.exists() and not (tmp_path / "blocks.parquet").exists()


@settings(max_examples=300, deadline=None)
@given(cell=st.text(max_size=20))
def test_no_cell_can_start_a_formula_and_the_text_comes_back(cell):
    out = neutralise(cell)
    assert not out.startswith(FORMULA_TRIGGERS) or (out == cell and float(out) == float(cell))
    if not (cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS)):
        assert unneutralise(out) == cell  # what a spreadsheet (or the reviews reader) shows is the text
