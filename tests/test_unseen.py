"""Three articles the pipeline had never seen, checked against labels written before it ran.

tests/data/unseen/ holds three raw-like articles on other topics (thyroid and sleep, gut
microbiome and mood, menopause, bone and muscle), in the two sample formats: reading-level
sections, captions (often two in a row), pull-quotes, " ∞ ", flattened tables (a 2-column and
a 4-column one row per line, a 3-column one cell per line), APA-like and MLA-like references,
a glossary, a Reflection and scraping holes. Their labels (labels-<name>.json: block kinds,
tables, reference count, pull-quotes, holes) were written and committed before the pipeline
was run on them.

Measured once, BEFORE any fix (labels committed in 96590fc; pipeline of main at 30e9390):
  block kinds per block: 144 of 144 agree (thyroid 56/56, gut 49/49, menopause 39/39);
  tables: 2 of 3 rebuilt with the right columns: the 4-column row-per-line table (gut) got the
    header split "Dietary Pattern Main Microbial Change Key Metabolite Reported Mood | Effect",
    so its 4 rows named no column right;
  references: 24 of 24 found and `parsed`, but 1 of 24 with its authors wrong (a capitalised
    particle surname, "Van Cauter, E.", left four APA authors as one author);
  captions: 17 of 17 removed; pull-quotes: 5 of 5 found;
  holes: 2 of 5 found (missed "increases ,", "in ," and "and are"); false damage flags: 0.

AFTER the fixes (tables.py: words that open a column name, a prose word before two capitalised
words starts a cell; reference_fields.py: capitalised particles; scrape_damage.py: a coordinated
preposition with no object, a subject's dangling "and"): tables 3/3, authors 24/24, holes 4/5
("Sustained stress increases , allowing" is still missed: "increase" also stands without an
object, and a rule for it flagged clean sentences such as "Blood glucose increases, prompting
..."), false damage flags 0, everything else unchanged. These articles are tuned on now
(their failures were read while fixing), so these numbers are no longer a held-out measure.
Later (second unseen round): a word followed by a space and a lone comma is taken as a hole, which
finds "increases ,": holes 5/5, false flags still 0.
"""
from __future__ import annotations

import re

import json
from pathlib import Path

import pytest

from pipeline.claims.stage import extract_claims
from pipeline.ingest.stage import ingest_path
from pipeline.models import BlockKind, ParseStatus
from pipeline.references.stage import parse_references

DATA = Path(__file__).resolve().parent / "data" / "unseen"
NAMES = ["thyroid-and-sleep", "gut-microbiome-mood", "menopause-bone-muscle"]


def load_labels(folder: Path, name: str) -> dict:
    """labels-<name>.json of an unseen round's folder (shared by test_unseen2 and test_unseen3)."""
    return json.loads((folder / f"labels-{name}.json").read_text(encoding="utf-8"))


def _labels(name):
    return load_labels(DATA, name)


def add_counts(totals: dict, result: dict) -> None:
    """Sum one article's (right, of) pairs and plain counts into `totals`."""
    for key, value in result.items():
        if isinstance(value, tuple):
            a, b = totals.get(key, (0, 0))
            totals[key] = (a + value[0], b + value[1])
        elif isinstance(value, int):
            totals[key] = totals.get(key, 0) + value


def show_counts(name: str, result: dict) -> str:
    return f"{name}: " + ", ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, tuple) else f"{k} {v}"
                                   for k, v in result.items() if isinstance(v, (tuple, int)))


@pytest.fixture(scope="module")
def runs():
    documents = {name: ingest_path(DATA / f"{name}.txt") for name in NAMES}
    claims = extract_claims(list(documents.values()))
    out = {}
    for name, doc in documents.items():
        out[name] = (doc, [c for c in claims if c.article == name], parse_references(doc.blocks))
    return out


def measure(name, doc, claims, references, labels=None):
    """Every count the labels allow, for one article (`labels` default: this set's file for `name`)."""
    labels = labels or _labels(name)
    got = {b.source_line: (b.kind.value, b.kept) for b in doc.blocks}
    want = {line: (kind, kept) for line, kind, kept in labels["blocks"]}
    agree = sum(got.get(line) == value for line, value in want.items())
    extra = sorted(set(got) - set(want))
    blocks = doc.blocks
    tables_right = 0
    for table in labels["tables"]:
        rows = [b for b in blocks if b.kind == BlockKind.TABLE_ROW
                and table["title_line"] < b.source_line and b.heading
                and b.source_line < table["title_line"] + 10 * (table["rows"] + 2)]
        ok = len(rows) == table["rows"] and all(
            list(b.headers) == table["columns"] and b.cells and b.cells[0] == first
            and len(b.cells) == len(table["columns"])
            for b, first in zip(rows, table["first_cells"]))
        tables_right += ok
    ref_blocks = [b for b in blocks if b.kind == BlockKind.REFERENCE]
    parsed = [r for r in references if r.parse_status == ParseStatus.PARSED]
    # authors right: no family name carries a comma or an initial, and the first author's family
    # is the entry's first name (a check computed from the entry, not from a label)
    authors_ok = sum(
        bool(r.authors) and all("," not in a.family and not any(part.endswith(".") for part in a.family.split())
                                for a in r.authors)
        and re.sub(r"^\s*(?:\[\d+\]|\d+[.)])\s+", "", r.raw).startswith(r.authors[0].family)  # past a list number
        for r in references)
    captions = [line for line, kind, _ in labels["blocks"] if kind == "caption"]
    pull_quotes = labels["pull_quotes"]
    flagged = [(c.source_line, d) for c in claims for d in c.scrape_damage]
    holes_found = sum(any(l == line and f"'{words}" in d for l, d in flagged) for line, words in labels["holes"])
    hole_lines = {line for line, _ in labels["holes"]}
    false_flags = sum(1 for c in claims if c.scrape_damage and c.source_line not in hole_lines)
    return {
        "blocks": (agree, len(want)), "extra_blocks": extra,
        "tables": (tables_right, len(labels["tables"])),
        "references": (len(ref_blocks), labels["references"]["count"]),
        "parsed": (len(parsed), labels["references"]["count"]),
        "authors_right": (authors_ok, labels["references"]["count"]),
        "captions_removed": (sum(got.get(line) == ("caption", False) for line in captions), len(captions)),
        "pull_quotes": (sum(got.get(line) == ("pull_quote", False) for line in pull_quotes), len(pull_quotes)),
        "holes": (holes_found, len(labels["holes"])),
        "false_damage_flags": false_flags,
        "disagreements": [(line, want[line], got.get(line)) for line in want if got.get(line) != want[line]],
    }


def test_unseen_articles_against_their_labels(runs):
    totals = {}
    for name in NAMES:
        result = measure(name, *runs[name])
        print("\n" + show_counts(name, result))
        for line, want, got in result["disagreements"]:
            print(f"  line {line}: labelled {want}, got {got}")
        add_counts(totals, result)
        assert not result["extra_blocks"], result["extra_blocks"]
    print("\nall three: " + ", ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, tuple) else f"{k} {v}"
                                      for k, v in totals.items()))
    # what is honestly reached after the fixes (tuned on now, see the docstring)
    for key in ("blocks", "tables", "references", "parsed", "authors_right", "captions_removed", "pull_quotes"):
        assert totals[key][0] == totals[key][1], (key, totals[key])
    assert totals["holes"][0] == totals["holes"][1], totals["holes"]
    assert totals["false_damage_flags"] == 0


def test_other_table_shapes_written_while_fixing():
    """Two more row-per-line tables, written while fixing the splitter (so tuned on, not held out):
    short label cells that end without punctuation, a name with a lone letter ("Vitamin D"), a
    range with its unit. "Omega-3 | Fatty Acids | Salmon, ... 250 to 500 mg" was wrong until the
    row-per-line rebuilder chose splits by column consistency (second unseen round's work)."""
    from pipeline.ingest.flattened_tables import rebuild_row_per_line

    table = rebuild_row_per_line("Hormone Primary Source Effect on Sleep", [
        "Melatonin Pineal gland Promotes sleep onset in darkness.",
        "Cortisol Adrenal cortex Rises before waking and promotes alertness.",
        "Growth Hormone Anterior pituitary Peaks during slow-wave sleep."])
    assert table.headers == ("Hormone", "Primary Source", "Effect on Sleep")
    assert [row[:2] for row in table.rows] == [("Melatonin", "Pineal gland"), ("Cortisol", "Adrenal cortex"),
                                               ("Growth Hormone", "Anterior pituitary")]
    table = rebuild_row_per_line("Nutrient Main Food Sources Daily Target", [
        "Vitamin D Fatty fish, egg yolks and fortified milk 600 to 800 IU",
        "Magnesium Leafy greens, nuts and seeds 310 to 420 mg",
        "Omega-3 Fatty Acids Salmon, sardines and walnuts 250 to 500 mg"])
    assert table.headers == ("Nutrient", "Main Food Sources", "Daily Target")
    assert table.rows == (("Vitamin D", "Fatty fish, egg yolks and fortified milk", "600 to 800 IU"),
                          ("Magnesium", "Leafy greens, nuts and seeds", "310 to 420 mg"),
                          ("Omega-3 Fatty Acids", "Salmon, sardines and walnuts", "250 to 500 mg"))


def test_a_cell_per_line_table_stops_at_the_next_section_and_the_next_table():
    """Written while fixing (tuned on): a one-cell-per-line table that ends a reading level ran
    over "Intermediate", the paragraph under it and the next table's title; and a table whose
    cells are all one word ("High", "Low") under one-word names was read as 2 columns, not 4."""
    from pipeline.ingest.stage import ingest_text

    text = ("Fundamentals\n\nCortisol follows a daily rhythm, rising after waking and falling through the day.\n\n"
            "Common Adaptogens and Their Reported Actions\nAdaptogen Reported Action\nAshwagandha\n\n"
            "May lower perceived stress and morning cortisol.\n\nRhodiola\n\n"
            "May reduce mental fatigue during demanding periods.\n\nIntermediate\n\n"
            "Chronic stress flattens the daily cortisol curve, a pattern linked to poor sleep and low energy.\n\n"
            "Stress Markers Across the Day\nTime Cortisol DHEA Melatonin\nMorning\n\nHigh\n\nModerate\n\nLow\n\n"
            "References\n\n  • Lee, K. (2015). Adaptogens ∞ a review. Phytomedicine, 22(5), 1-9.\n")
    blocks = ingest_text(text, "t").blocks
    rows = [b for b in blocks if b.kind == BlockKind.TABLE_ROW]
    assert [b.cells[0] for b in rows[:2]] == ["Ashwagandha", "Rhodiola"]
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["Intermediate"] == BlockKind.SECTION
    assert kinds["Stress Markers Across the Day"] == BlockKind.HEADING
    assert any(b.kind == BlockKind.BODY and b.text.startswith("Chronic stress") for b in blocks)
    assert kinds["References"] == BlockKind.SECTION
    assert rows[2].headers == ("Time", "Cortisol", "DHEA", "Melatonin")
    assert rows[2].cells == ("Morning", "High", "Moderate", "Low")
