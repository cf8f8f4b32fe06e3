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
The issue's bar (9 of 12) is NOT reached on this set. Set 5 was then tuned on (12 of 12 after a9aa2f7).
Held-out set 6 (tests/data/tables_heldout6, written before that tuning), measured once at a9aa2f7:
7 of 12 right, names 8 of 12, rows 31 of 46, cells 106 of 150 (main's rebuilder: 5 of 12, 92 of 150).
Misses: one-word names under a six-word header of two-word names ("Limiting Amino Acid Good Partner"
read as six names), "Half-Life Why" as one name, "Body | Water Lost", "Best For Avoid | If".
Held-out set 7 (tests/data/tables_heldout7, written before any tuning on set 6), measured once with the
same rebuilder: 5 of 12 right, names 6 of 12, rows 23 of 47, cells 74 of 145 (main: 4 of 12, 66 of 145).
Misses: column names run together ("Found In Typical Reaction", "Who How Often", "Month Daylight Hours").
Sets 6 and 7 were then tuned on (8 of 12 each). Held-out set 8 (tests/data/tables_heldout8, written before
that tuning), measured once: 7 of 12 right, names 7 of 12, rows 25 of 44, cells 75 of 132 (main: 5 of
12, 51 of 132). Misses: two one-word names read as one ("Remedy Evidence", "BMI Category", "Sleep Aid
Type"), "Drug | Class Example", "Back to Desk | Work". Set 8 was then tuned on (9 of 12).
Held-out set 9 (tests/data/tables_heldout9, written before that tuning), measured once: 5 of 12 right,
names 5 of 12, rows 17 of 41, cells 51 of 123 (main: 3 of 12, 30 of 123). Misses: headers of two-word
names side by side run together ("Usual Antibiotic Course Length", "Well Controlled Poorly Controlled").
Set 9 was then tuned on (7 of 12). Held-out set 10 (tests/data/tables_heldout10, written before that
tuning), measured once: 7 of 12 right, names 8 of 12, rows 28 of 41, cells 88 of 126 (main: 3 of 12,
52 of 126). Misses: "Blood | Type Can Give To ...", "Setting Melatonin", "Method Eating Window",
"Sounds | Like", and "Work | Rest | Rounds" rows.
Held-out readings in all, each set measured once before it was tuned on: sets 5-10 38 of 72 tables
(main's rebuilder 24 of 72); the issue's bar (9 of 12 on one set) is not reached on any of them.
Second issue-17 session, tuning on sets 1-10 (general cues: a word standing twice in a header opens or
ends parallel names, a name never holds the same word twice, row labels of one cell per line run alike
in length, "like"/"by" are particles and "before"/"after"/"during"... prepositions that never end a name,
"Minimum"/"Maximum" open one, a cell holding an amount and a led-in second amount is two cells, a value
led in by a preposition or "About" is one): sets 1-10 92 -> 100 of 124 tables, 1335 -> 1410 cells
(set 7 9 -> 10, set 9 7 -> 11, set 10 7 -> 10; no set lower). A fresh held-out set: test_tables_heldout11.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_tables_heldout import measure

DATA = Path(__file__).resolve().parent / "data"


def _set(name: str) -> list:
    return json.loads((DATA / name / "tables.json").read_text("utf-8"))


# each set was held out until its one reading (tables right, cells right), then tuned on: the floors now
@pytest.mark.parametrize("name, tables, cells", [
    ("tables_heldout5", 12, 136),   # one reading: 7, 107
    ("tables_heldout6", 9, 127),    # one reading: 7, 106
    ("tables_heldout7", 10, 121),   # one reading: 5, 74
    ("tables_heldout8", 9, 99),     # one reading: 7, 75
    ("tables_heldout9", 11, 111),   # one reading: 5, 51
    ("tables_heldout10", 10, 115),  # one reading: 7, 88
])
def test_held_out_tables_after_their_reading(name, tables, cells):
    counts = measure(_set(name))
    print(counts)
    assert counts["tables_right"] >= tables and counts["cells_right"] >= cells


def test_tuning_sets_reached():
    """The readings above, as floors (these sets are tuned on)."""
    for name, tables, cells in (("tables_heldout", 9, 191), ("tables_heldout2", 10, 165),
                                ("tables_heldout3", 7, 164), ("tables_heldout4", 13, 181)):
        counts = measure(_set(name))
        assert counts["tables_right"] >= tables and counts["cells_right"] >= cells, (name, counts)
