"""Rebuild tables that scraping flattened into lines of text.

Consumes the lines after a table's title: either one row per line (header line, then
rows whose cells are separated only by spaces) or one cell per line (header line, then
cells separated by blank lines). Produces the column names and the rows' cells.

Cells start only at words that can open one (a capitalised word outside parentheses, a
number, a unit). Each boundary is scored by how cells end and begin: a cell ending in a
period or a closing parenthesis, a title-case label followed by prose or a value, a value
followed by a capitalised word, a unit standing alone; a comma never ends a cell. Column
names are split by cues of English noun phrases: question words and articles open a name,
openers ("Main", "Typical"), adjectives, pronouns and modals cannot end one, a head noun
("Effect", "Source") ends one. For one row per line, each row keeps its best splits and the
rows settle on those whose columns hold cells of one shape (label, value, unit, prose) and
similar length; for one cell per line, the column count is the period with which row labels
recur and columns stay alike. The column count is the one that explains header and rows best.
The table is settled as a whole (issue 17): a split that leaves a cell holding two (a label
run into a value, cell_shapes.py) costs, a column's repeated values ("Oral", "Heme") pull rows
to split alike, and the header's split is the one among its best whose names announce what the
body's columns hold ("% of Max HR" over values, table_headers.py), naming no column twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb

from pipeline.ingest.cell_shapes import FUNCTION_WORDS, MEASURE_WORDS, MIXED_CELL, NUMBER, TIME_WORDS, UNIT
from pipeline.ingest.cell_shapes import mixed as _mixed
from pipeline.ingest.cell_shapes import shape as _shape
from pipeline.ingest.table_headers import long_names, name_fit
from pipeline.ingest.boundary_cues import (ADJECTIVE_ENDINGS, HEAD_NOUNS, UNIT_COLUMN, VERB_PARTICLES, header_cues,
                                           row_cues)

SPLIT_PENALTY = 0.3         # per cell boundary in a row
HEADER_SPLIT_PENALTY = 1.0  # per column name: a header is split only where a name clearly ends
MAX_COLUMNS = 6
TOP_SPLITS = 12            # splits of each row kept for the column-consistency pass
REPEATED_NAME = 4.0        # per column name that repeats another
HEADER_SPLITS = 8          # splits of the header weighed against what the body's columns hold
MAX_ENUMERATED = 5000      # above this many candidate splits a row takes the programme's single best
AGREEMENT_WEIGHT = 1.0     # per cell whose shape matches its column's (choosing among a row's splits)
REPEATED_CELL = 0.5        # per cell whose exact text stands in the same column of another row
LENGTH_WEIGHT = 0.15       # per word a cell differs from its column's median length
MAKE_WEIGHT = 8.0          # times the mean share of cells made like their column's (one cell per line)
LABEL_SPREAD = 0.5         # per word a row label differs from the labels' median length (one cell per line)
PURITY_WEIGHT = 2.0        # per row, times the share of cells that fit their column (choosing the count)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]




def _can_start_cell(tokens: tuple[str, ...], k: int) -> bool:
    depth = sum(t.count("(") - t.count(")") for t in tokens[:k])
    first = tokens[k][:1]
    mixed_case = bool(re.match(r"^[a-z]+[A-Z]", tokens[k]))  # "eGFR", "mRNA"
    return depth <= 0 and (first.isupper() or first.isdigit() or bool(NUMBER.match(tokens[k]))
                           or bool(UNIT.match(tokens[k])) or mixed_case)


def _boundary_score(tokens: tuple[str, ...], k: int, row: bool, unit_column: bool = False) -> float:
    """How likely a new cell starts at token k. `unit_column`: the header names a Unit column,
    so a unit after a number is a cell of its own ("7.2 | mmol/L"), not the number's unit."""
    prev, nxt = tokens[k - 1], tokens[k]
    following = tokens[k + 1] if k + 1 < len(tokens) else ""
    after = following.lower()
    score = -SPLIT_PENALTY if row else -HEADER_SPLIT_PENALTY
    # a number followed by a measure is an amount ("8 oz", "1/2 cup"), not part of a name ("Type 2")
    amount = after in MEASURE_WORDS or after in TIME_WORDS or bool(UNIT.match(following))  # "8 oz", "10 days"
    if row and UNIT.match(nxt) and NUMBER.match(prev):
        return score + (1.5 if unit_column else -2.0)  # "600 to 800 IU" keeps its unit
    if prev.endswith(","):
        return -5.0
    # a verb's particle may end a name ("Found In | Typical Reaction", "Best For | Avoid If")
    particle = not row and prev[:1].isupper() and prev.lower() in VERB_PARTICLES and k >= 2 \
        and tokens[k - 2][:1].isupper() and tokens[k - 2].lower() not in FUNCTION_WORDS and nxt[:1].isupper()
    letter = prev == "A" and k >= 2 and tokens[k - 2][:1].isupper() and not nxt[:1].isalpha()  # "Vitamin A | %"
    if prev.lower() in FUNCTION_WORDS and not particle and not letter:
        score -= 3.0
    if nxt.startswith("("):
        score -= 2.0
    if prev.endswith(")"):
        score += 2.0 if not row else 1.5
    if prev.endswith("."):
        score += 3.0
    if not row and re.sub(r"\W", "", prev.split("/")[-1]).lower() in HEAD_NOUNS:
        score += 1.5
    if not row and prev.lower().endswith(ADJECTIVE_ENDINGS) and nxt.lower() in HEAD_NOUNS:
        score -= 1.5  # "Systolic | Change": an adjective and its noun are one name
    if not row:
        return score + header_cues(tokens, k)
    return score + row_cues(tokens, k, unit_column, amount)




@lru_cache(maxsize=4096)
def _segment(tokens: tuple[str, ...], n: int, row: bool, first_len: int = 0) -> tuple[float, tuple[int, ...]]:
    """The best split of `tokens` into `n` cells: (score, boundary indexes)."""
    if n == 1:
        return 0.0, ()
    candidates = [k for k in range(1, len(tokens)) if _can_start_cell(tokens, k)]
    if len(candidates) < n - 1:
        return float("-inf"), ()
    # best[m][k]: best score with m boundaries chosen, the last at candidate k
    best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
    for k in candidates:
        bias = -0.1 * abs(k - first_len) if first_len else 0.0
        best[(1, k)] = (_boundary_score(tokens, k, row) + bias, (k,))
    for m in range(2, n):
        for k in candidates:
            options = [(best[(m - 1, j)][0] + _boundary_score(tokens, k, row), best[(m - 1, j)][1] + (k,))
                       for j in candidates if j < k and (m - 1, j) in best]
            if options:
                best[(m, k)] = max(options)
    finals = [v for (m, _), v in best.items() if m == n - 1]
    return max(finals) if finals else (float("-inf"), ())


def _cells(tokens: tuple[str, ...], cuts: tuple[int, ...]) -> tuple[str, ...]:
    edges = (0, *cuts, len(tokens))
    return tuple(" ".join(tokens[a:b]) for a, b in zip(edges, edges[1:]))


def split_header(header: str, n: int) -> tuple[float, tuple[str, ...]]:
    tokens = tuple(header.split())
    if len(tokens) < n:
        return float("-inf"), ()
    score, cuts = _segment(tokens, n, False)
    return score, _cells(tokens, cuts)


def _top_segmentations(tokens: tuple[str, ...], n: int, unit_column: bool = False,
                       limit: int = TOP_SPLITS, row: bool = True) -> list[tuple[float, tuple[int, ...]]]:
    """The `limit` best splits of a row into `n` cells by their boundaries alone, best first.

    Every choice of n - 1 cell starts is scored when there are few (a table row has a dozen
    or two words); a long row falls back to the single best split of the programme above."""
    candidates = [k for k in range(1, len(tokens)) if _can_start_cell(tokens, k)]
    if len(candidates) < n - 1:
        return []
    if comb(len(candidates), n - 1) > MAX_ENUMERATED:
        return [_segment(tokens, n, row)]
    scored = [(sum(_boundary_score(tokens, k, row, unit_column) for k in cuts), cuts)
              for cuts in combinations(candidates, n - 1)]
    scored.sort(key=lambda item: -item[0])
    return scored[:limit]


def _agreement(cells: tuple[str, ...], others: list[tuple[str, ...]]) -> float:
    """How many of a row's cells have the shape most cells of their column have in the other rows."""
    if not others:
        return 0.0
    total = 0.0
    for j, cell in enumerate(cells):
        shapes = [_shape(row[j]) for row in others]
        total += shapes.count(_shape(cell)) / len(shapes)
        if any(row[j] == cell for row in others):
            total += REPEATED_CELL  # a column of categories repeats its values ("Oral", "Bisphosphonate")
        lengths = sorted(len(row[j].split()) for row in others)
        total -= LENGTH_WEIGHT * abs(len(cell.split()) - lengths[len(lengths) // 2])  # a column's cells run alike
    return total


def rebuild_row_per_line(header: str, rows: list[str]) -> Table | None:
    """A table whose rows stood one per line; None when no column count fits.

    For each column count, every row keeps its few best splits by their boundaries; the rows
    then settle on the splits whose columns hold cells of one shape (a column of labels, of
    values, of units, of prose), since a table's column holds one kind of thing. The count
    whose header and rows score best wins."""
    best: tuple[float, Table] | None = None
    token_rows = [tuple(row.split()) for row in rows]
    for n in range(2, MAX_COLUMNS + 1):
        h_score, headers = split_header(header, n)
        if not headers:
            continue
        unit_column = any(UNIT_COLUMN.match(h) for h in header.split())
        options = [_top_segmentations(tokens, n, unit_column) for tokens in token_rows]
        if any(not o or o[0][0] == float("-inf") for o in options):
            continue
        cells = [[_cells(tokens, cuts) for _, cuts in row_options] for tokens, row_options in zip(token_rows, options)]
        chosen = [0] * len(rows)
        for _ in range(3):  # a few rounds of each row taking the split that agrees best with the others
            for r in range(len(rows)):
                others = [cells[o][chosen[o]] for o in range(len(rows)) if o != r]
                chosen[r] = max(range(len(options[r])),
                                key=lambda j: options[r][j][0] + AGREEMENT_WEIGHT * _agreement(cells[r][j], others))
        picked = [cells[r][chosen[r]] for r in range(len(rows))]
        h_score, headers = header_for_body(header, n, picked)
        total = h_score + sum(options[r][chosen[r]][0] for r in range(len(rows)))
        total -= MIXED_CELL * sum(_mixed(cell) for row in picked for cell in row)
        # the share of cells that fit their column, so that more columns earn no more by themselves
        total += PURITY_WEIGHT * len(rows) * _column_consistency(picked, n) / (len(rows) * n)
        if len(header.split()) == n and not _repeats(headers) and all(len(c.split()) <= 4 for row in picked for c in row):
            total += 1.5 * n  # short cells under one-word names ("Test Unit Deficient Borderline")
        if best is None or total > best[0]:
            best = (total, Table(headers, tuple(picked)))
    return best[1] if best else None


def _column_consistency(rows: list[tuple[str, ...]], n: int) -> int:
    """How many cells share their column's most common shape: columns of a real table hold
    one kind of thing, while a wrong column count mixes row labels with values and prose."""
    total = 0
    for j in range(n):
        shapes = [_shape(row[j]) for row in rows]
        total += max(shapes.count(s) for s in set(shapes))
    return total


def header_for_body(header: str, n: int, rows: list[tuple[str, ...]]) -> tuple[float, tuple[str, ...]]:
    """The header's split into `n` names that its own cues and the body's columns bear out best:
    among the header's best splits, the one whose names announce the shapes the columns hold
    ("% of Max HR" over values, "Unit" over units), see table_headers.py."""
    tokens = tuple(header.split())
    shapes = []
    for j in range(n):
        column = [_shape(row[j]) for row in rows if j < len(row)]
        shapes.append(max(set(column), key=column.count) if column else "")
    options = _top_segmentations(tokens, n, limit=HEADER_SPLITS, row=False)
    scored = []
    for score, cuts in options:
        if score != float("-inf"):
            names = _cells(tokens, cuts)
            scored.append((score + name_fit(names, shapes) - REPEATED_NAME * _repeats(names) - long_names(names), names))
    return max(scored, key=lambda item: item[0]) if scored else split_header(header, n)


def _repeats(names: tuple[str, ...]) -> int:
    """Names that stand twice in one header ("Drug | Drug | Class"): a real header names each column once."""
    return len(names) - len({name.lower() for name in names})


def _make(cell: str) -> tuple:
    """What a cell is made of, finer than its shape: digits, a range dash, its length in words, a capital."""
    return (bool(re.search(r"\d", cell)), bool(re.search(r"\w[–-]\w", cell)), min(len(cell.split()), 3),
            cell[:1].isupper())


def _alike(rows: list[tuple[str, ...]], n: int) -> float:
    """The mean share of a column's cells that are made like most of that column's cells: a period
    that finds the real columns puts "March–May", "May–July" under one name, "Tree", "Grass" under another."""
    if not rows:
        return 0.0
    shares = []  # one row is alike with itself: every count of columns earns the same
    for j in range(n):
        makes = [_make(row[j]) for row in rows]
        shares.append(max(makes.count(m) for m in set(makes)) / len(makes))
    return sum(shares) / n


def _spread(rows: list[tuple[str, ...]]) -> int:
    """How many words the row labels (first cells) differ from their median length in all: a
    period that finds the real labels finds names of one make ("O negative", "A positive")."""
    lengths = sorted(len(row[0].split()) for row in rows)
    return sum(abs(n - lengths[len(lengths) // 2]) for n in lengths)


def _label_like(text: str) -> bool:
    return len(text.split()) <= 8 and not text.rstrip().endswith(".")


def rebuild_cell_per_line(header: str, cells: list[str]) -> tuple[Table, int] | None:
    """A table whose cells stood one per line: (table, cells used) or None.

    The column count is the period with which row labels (short, no final period) recur,
    checked against how well the header splits into that many names.
    """
    best: tuple[float, Table, int] | None = None
    for n in range(2, MAX_COLUMNS + 1):
        h_score, headers = split_header(header, n)
        if not headers:
            continue
        rows = []
        for start in range(0, len(cells) - n + 1, n):
            row = cells[start:start + n]
            if not _label_like(row[0]):  # each row opens with its label
                break
            rows.append(tuple(row))
        if not rows:
            continue
        used = len(rows) * n
        h_score, headers = header_for_body(header, n, rows)
        # among column counts that use the same cells, the smallest period explains them best,
        # unless a larger one gives every column cells of one shape
        score = 2.0 * used + h_score - 1.0 * n + 1.5 * _column_consistency(rows, n) - LABEL_SPREAD * _spread(rows)
        score += MAKE_WEIGHT * _alike(rows, n)
        if len(header.split()) == n and all(len(c.split()) <= 3 for row in rows for c in row):
            score += 1.5 * n  # cells of a word or two under one-word names ("Time Cortisol DHEA Melatonin")
        if best is None or score > best[0]:
            best = (score, Table(headers, tuple(rows)), used)
    return (best[1], best[2]) if best else None
