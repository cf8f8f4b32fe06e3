"""Issue 17: a fourth set of flattened tables (tests/data/tables_heldout4), written before the
rebuilder's code was read and before it ran on them; never tuned on (see its README).

Measured once, BEFORE any change (labels committed in 7ed32bf, rebuilder of main at 1d15b14):
  6 of 14 tables fully right, column names 8 of 14, rows 32 of 63, cells 102 of 201. Failures:
  "% of Max HR" and "Test Test Type" (headers repeating a word), two-word first cells beside one-word
  ones ("Brewed Coffee", "Total Cholesterol", "Recreationally Active"), "25(OH)D nmol/L".
After the whole-table rework tuned on sets 1-3 (8eb281a), measured once: 6 of 14 right (w02 and
w03 now right; w12 and w14, cell per line, now wrong), column names 6 of 14, rows 27 of 63, cells
85 of 201: the rework did not generalise to this set. From then on this set is TUNED ON (the
untouched set is tests/data/tables_heldout5, test_tables_heldout5.py).
"""
from __future__ import annotations

import json
from pathlib import Path

from tests.test_tables_heldout import measure

TABLES4 = json.loads((Path(__file__).resolve().parent / "data" / "tables_heldout4" / "tables.json")
                     .read_text("utf-8"))


def test_fourth_held_out_tables_never_tuned_on():
    counts = measure(TABLES4)
    print(counts)
