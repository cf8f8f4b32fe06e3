"""Flattened tables written apart from the rebuilder (tests/data/tables_heldout, by a helper session
that never read the code), measured to see whether the table fixes generalise.

Measured once, on the rebuilder as it stood after the second unseen round's fixes:
  2 of 14 tables fully right, column names right in 3 of 14, rows 17 of 76, cells 53 of 274
  (labels committed in the same commit as this reading; rebuilder of main at c62e4b1).
  The failures: multi-word column names split in the wrong places ("Stage Share of the Night |
  What | Happens"), a unit or a value glued to its neighbour ("Below 7 %"), and columns of
  short labels after a value ("0 to 2 Low Green") merged.
After reworking the row-per-line rebuilder (each row keeps its best splits; rows settle on splits
whose columns hold cells of one shape and length) and header cues (question words open a name,
openers and pronouns cannot end one, a head noun ends one), tuned on this set now: 7 of 14
tables right, column names 8 of 14, rows 42 of 76, cells 142 of 274. A fresh set measured once
is in tests/data/tables_heldout2 (test_tables_heldout2 below).
"""
from __future__ import annotations

import json
from pathlib import Path

from pipeline.ingest.flattened_tables import rebuild_cell_per_line, rebuild_row_per_line

DATA = Path(__file__).resolve().parent / "data"
TABLES = json.loads((DATA / "tables_heldout" / "tables.json").read_text("utf-8"))


def rebuild(item):
    if item["layout"] == "row_per_line":
        return rebuild_row_per_line(item["header"], item["lines"])
    fitted = rebuild_cell_per_line(item["header"], item["lines"])
    return fitted[0] if fitted else None


def measure(tables=TABLES) -> dict:
    counts = {"tables": 0, "headers_right": 0, "tables_right": 0, "rows": 0, "rows_right": 0, "cells": 0,
              "cells_right": 0}
    for item in tables:
        table = rebuild(item)
        want_rows = [tuple(r) for r in item["rows"]]
        got_rows = list(table.rows) if table else []
        headers_right = table is not None and list(table.headers) == item["columns"]
        rows_right = sum(g == w for g, w in zip(got_rows, want_rows))
        cells_right = sum(g == w for gr, wr in zip(got_rows, want_rows) for g, w in zip(gr, wr)) if headers_right else 0
        counts["tables"] += 1
        counts["headers_right"] += headers_right
        counts["tables_right"] += headers_right and got_rows == want_rows
        counts["rows"] += len(want_rows)
        counts["rows_right"] += rows_right if headers_right else 0
        counts["cells"] += sum(len(r) for r in want_rows)
        counts["cells_right"] += cells_right
        status = "ok" if headers_right and got_rows == want_rows else "WRONG"
        print(f"{item['id']} {item['layout']:13} {status}: headers {table.headers if table else None}")
        if status == "WRONG" and table:
            for got, want in zip(got_rows, want_rows):
                if got != want:
                    print(f"      got  {got}\n      want {want}")
    return counts


def test_held_out_tables():
    counts = measure()
    print(counts)
    assert counts["tables_right"] >= 7 and counts["cells_right"] >= 142  # reached after tuning on this set


TABLES2 = json.loads((DATA / "tables_heldout2" / "tables.json").read_text("utf-8"))


def test_second_held_out_tables_never_tuned_on():
    """tests/data/tables_heldout2, written by a helper that read neither the code nor the first
    set, measured once after the rework above (labels committed before it ran): 3 of 12 tables fully
    right, column names 5 of 12, rows 21 of 62, cells 57 of 205. The rebuilder before the rework
    (c62e4b1) reaches 2 of 12 tables and 24 of 205 cells on the same set: the rework generalises,
    but flattened tables stay the weakest part of cleaning (long multi-word headers, units inside
    names such as "Caffeine (mg)", single-letter cells). Then tuned on (general cues: a Unit column,
    amounts such as "8 oz", letter-labelled rows, Yes/No cells, mixed-case names such as "eGFR",
    adjectives opening names): 6 of 12 tables, 116 of 205 cells; set 1 unchanged (7/14, 142/274).
    A third set, measured once after this, is tests/data/tables_heldout3."""
    counts = measure(TABLES2)
    print(counts)
    assert counts["tables_right"] >= 6 and counts["cells_right"] >= 116


TABLES3 = json.loads((DATA / "tables_heldout3" / "tables.json").read_text("utf-8"))


def test_third_held_out_tables_never_tuned_on():
    """tests/data/tables_heldout3, by a helper that read neither the code nor the other sets,
    measured once after the tuning on sets 1 and 2 (labels committed before it ran): 5 of 12 tables
    fully right, column names 6 of 12, rows 33 of 69, cells 121 of 249. The rebuilder before this
    session's rework (c62e4b1) reaches 4 of 12 tables and 73 of 249 cells on the same set. Misses:
    headers whose names repeat a word ("Drug Drug Class"), "% of Max HR", a two-word first name
    ("Gout Trigger"), one-word names beside a two-word one ("How Common"). Not tuned on: a floor."""
    counts = measure(TABLES3)
    print(counts)
    assert counts["tables_right"] >= 5 and counts["cells_right"] >= 121
