"""Issue 17: flattened tables written apart from every set tuned on (tests/data/tables_heldout5, see
its README), measured once at the end of the issue-17 work, and the tuning sets' readings.

Tuning sets (1-4), main at 1d15b14 -> after the issue-17 rework: set 1 7 -> 9 of 14 tables (cells 142 ->
191 of 274), set 2 6 -> 9 of 12 (116 -> 163 of 205), set 3 5 -> 7 of 12 (121 -> 164 of 249), set 4
6 -> 13 of 14 (102 -> 181 of 201; its reading before it was tuned on is in test_tables_heldout4.py).
Held-out set 5, measured once (labels committed in 65b1449, rebuilder at e9093bb): 7 of 12 tables fully
right, column names 10 of 12, rows 34 of 44, cells 107 of 136 (main's rebuilder, 1d15b14: 4 of 12,
names 6 of 12, cells 61 of 136). Misses: a two-word first cell beside one-word ones split
("Obstructive | Sleep Apnoea", "Algal | Oil Varies", "Large | Glass of Wine"), "About | 20%" under
"Share From Food", and "Under 2 None" under "Daily Limit Advice" (a 2-column header).
The issue's bar (9 of 12) is NOT reached on this set.
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.test_tables_heldout import measure

DATA = Path(__file__).resolve().parent / "data"


def _set(name: str) -> list:
    return json.loads((DATA / name / "tables.json").read_text("utf-8"))


def test_fifth_held_out_tables_never_tuned_on():
    counts = measure(_set("tables_heldout5"))
    print(counts)
    assert counts["tables_right"] >= 7 and counts["cells_right"] >= 107  # the one reading, as a floor


def test_tuning_sets_reached():
    """The readings above, as floors (these sets are tuned on)."""
    for name, tables, cells in (("tables_heldout", 9, 191), ("tables_heldout2", 9, 163),
                                ("tables_heldout3", 7, 164), ("tables_heldout4", 13, 181)):
        counts = measure(_set(name))
        assert counts["tables_right"] >= tables and counts["cells_right"] >= cells, (name, counts)
