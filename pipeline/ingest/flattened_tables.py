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
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb

FUNCTION_WORDS = frozenset("of and or the for in on to with by vs a an at from as per".split())
HEAD_NOUNS = frozenset("""factor factors outcome outcomes effect effects action actions mechanism mechanisms efficacy
target targets intervention interventions improvement improvements organ organs myokines training type types name
names dose doses result results value values level levels category categories source sources role roles function
functions benefit benefits risk risks description example examples group groups duration frequency evidence study
studies population condition conditions symptom symptoms treatment treatments feature features marker markers pathway
pathways nutrient nutrients food foods protocol protocols exercise measure measures impact notes note comparison
recommendation recommendations amount intake timing method methods goal goals pattern patterns change changes
participants subjects trial trials test tests unit units range ranges finding findings limitation limitations sample
samples size onset recovery cause causes use uses sign signs category categories code index""".split())
# words after which a column name cannot end: question words, pronouns, auxiliaries
WH_WORDS = frozenset("what where when why how which who".split())
PHRASE_OPENERS = WH_WORDS | frozenset("it is are was may can does do its their".split())
# endings of adjectives, which open a column name rather than end one ("Systolic Change", "Clinical Use")
ADJECTIVE_ENDINGS = ("ic", "al", "ive", "ous", "ary", "ible", "able")
# words that open a column name ("Primary Mechanism", "Key Metabolite", "Reported Effect")
NAME_OPENERS = frozenset("""primary main key major minor reported typical common overall average mean total expected
recommended suggested potential proposed long-term short-term daily clinical relative estimated observed
principal secondary usual normal""".split())
SPLIT_PENALTY = 0.3         # per cell boundary in a row
HEADER_SPLIT_PENALTY = 1.0  # per column name: a header is split only where a name clearly ends
MAX_COLUMNS = 6
TOP_SPLITS = 12            # splits of each row kept for the column-consistency pass
MAX_ENUMERATED = 5000      # above this many candidate splits a row takes the programme's single best
AGREEMENT_WEIGHT = 1.0     # per cell whose shape matches its column's (choosing among a row's splits)
LENGTH_WEIGHT = 0.15       # per word a cell differs from its column's median length
PURITY_WEIGHT = 2.0        # per row, times the share of cells that fit their column (choosing the count)


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


# a unit of measure opens a cell of its own in lab tables ("Serum B12 | pmol/L | Below 148")
UNIT = re.compile(r"^(?:[µμa-zA-Z]{1,4}/[a-zA-Z]{1,3}|mg|g|kg|mcg|µg|μg|ng|pg|IU|mmHg|mm\s?Hg|%|bpm|kcal|dB)$")
# words that follow a number in a serving or amount ("8 oz", "1/2 cup", "2 slices")
MEASURE_WORDS = frozenset("oz ml ml. cup cups tbsp tsp serving servings slice slices can cans glass glasses piece pieces "
                          "portion portions litre litres liter liters g mg kg lb lbs".split())
YES_NO = frozenset("yes no".split())
AUX_WORDS = frozenset("may can might could should is are was were will does do".split())
NUMBER = re.compile(r"^[-−–]?\d[\d.,]*%?$")
UNIT_COLUMN = re.compile(r"^units?$", re.I)


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
    amount = after in MEASURE_WORDS or bool(UNIT.match(following))
    if row and UNIT.match(nxt) and NUMBER.match(prev):
        return score + (1.5 if unit_column else -2.0)  # "600 to 800 IU" keeps its unit
    if prev.endswith(","):
        return -5.0
    if prev.lower() in FUNCTION_WORDS:
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
        if prev.lower() in NAME_OPENERS or prev.lower() in PHRASE_OPENERS:
            score -= 2.5  # "Main | Sources", "What | Happens", "Where It | Hurts": the name goes on
        if nxt.lower() in HEAD_NOUNS and re.sub(r"\W", "", prev).lower() not in HEAD_NOUNS:
            score -= 1.0  # "Common Side | Effects": a head noun ends the name it is in
        if nxt.lower() in WH_WORDS:
            score += 1.5  # "Share of the Night | What Happens": a question opens a column name
        if UNIT_COLUMN.match(nxt) or UNIT_COLUMN.match(prev):
            score += 1.5  # "Typical Range | Unit | A High Result": a unit column stands alone
        if nxt.lower() in ("a", "an", "the"):
            score += 1.0  # an article opens a name
        if nxt.lower() in AUX_WORDS:
            score -= 2.5  # "A High Result | May Suggest": a verb goes on with its subject
        if prev.lower().endswith(ADJECTIVE_ENDINGS) and len(prev) > 4:
            score -= 1.0  # "Practical | Tip": an adjective opens a name, it does not end one
        elif nxt.lower().endswith(ADJECTIVE_ENDINGS) and len(nxt) > 4:
            score += 0.5  # "Why It Matters | Practical Tip"
        if nxt[:1].isdigit() and len(nxt) <= 3:
            score -= 2.0  # "Usual Doses by Age | 2": a lone number ends a name
    if not row and nxt.lower() in NAME_OPENERS and prev.lower() not in FUNCTION_WORDS:
        score += 1.5
    prose_next = (following[:1].islower() or (following.isupper() and len(following) > 1)) \
        and not UNIT.match(following)  # "pmol/L" is a unit's cell, not prose
    value_next = following[:1].isdigit()  # "Transferrin Saturation | Below 20 percent"
    if row and prev[:1].isupper() and nxt[:1].isupper() and not nxt.isupper() and (prose_next or value_next):
        score += 2.0  # a title-case label ends where a prose phrase ("Modulates HPA axis ...") begins
    if row and prev[:1].islower() and not prev.endswith((",", ".")) and not UNIT.match(prev):
        if nxt[:1].isupper() and not nxt.isupper() and following[:1].isupper() \
                and following.lower() not in FUNCTION_WORDS:
            score += 0.5  # prose then two capitalised words: a new cell ("... fermenters Butyrate Fewer ...")
        elif nxt[:1].isupper() and (not nxt.isupper() or nxt == "A") and prose_next:
            score += 0.5  # a short cell ("Pineal gland") ends where a prose phrase ("Promotes sleep", "Raised by") begins
        elif not nxt[:1].isdigit():
            score -= 1.0  # a prose phrase rarely ends without punctuation
    if row and prev[:1].isupper() and (len(nxt) == 1 or (nxt.isdigit() and len(nxt) <= 2 and not amount
                                                         and after not in ("to", "or", "-", "–"))
                                       or re.fullmatch(r"[IVX]+", nxt)):
        score -= 2.0  # "Vitamin D", "Type 2", "Phase II": a lone letter or number continues a name
    if row and re.fullmatch(r"[\d.,]+%?", prev) and len(nxt) <= 3 and not nxt[:1].isdigit():
        score -= 1.5  # "600 to 800 IU": a unit stays with its number
    if row and re.fullmatch(r"[\d.,]+%?", prev) and re.fullmatch(r"[\d.,]+%?", nxt):
        score += 1.0  # two numbers side by side ("Below 148 148 to 258") end one value and start the next
    if row and (UNIT.match(nxt) or UNIT.match(prev)) and not prev[:1].isdigit():
        score += 1.0  # a unit standing alone between a name and a value is a cell of its own
    if row and k == 1 and len(prev) == 1 and prev.isupper() and nxt[:1].isupper():
        score += 1.5  # a row labelled by a letter: "A | Asymmetry", "B | Border"
    if row and (prev.lower() in YES_NO or nxt.lower() in YES_NO):
        score += 1.0  # "Yes | No": answer cells stand alone
    if row and nxt.lower() in VALUE_WORDS and after[:1].isdigit() and not prev.lower() in VALUE_WORDS:
        score += 1.0  # "mg/dL | Below 200", "Children 1 to 3 Years | About 1.3 litres"
    if row and NUMBER.match(prev) and nxt.lower() in TIME_WORDS:
        score -= 2.0  # "Children 1 to 3 Years": a count's own noun stays with it
    if row and NUMBER.match(prev) and nxt[:1].isupper() and not UNIT.match(nxt) and nxt.lower() not in TIME_WORDS:
        score += 1.0  # a value ends where a capitalised word starts ("0 to 2 | Low", "7 | Every 3 months")
    if row and prev[:1].islower() and len(prev) > 3 and prev.lower() not in FUNCTION_WORDS and NUMBER.match(nxt) \
            and not UNIT.match(prev):
        score += 0.8  # a phrase ends where a value starts ("increases in mileage | 4 to 6 weeks")
    if row and prev[:1].isupper() and prev.lower() not in VALUE_WORDS and NUMBER.match(nxt) and (not nxt.isdigit() or len(nxt) > 2
                                                             or (after in ("to", "or", "-", "–"))
                                                             or amount):
        score += 2.0  # a label ends where a value starts ("Fasting Glucose | 4.4 to 7.2")
    return score


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
                       limit: int = TOP_SPLITS) -> list[tuple[float, tuple[int, ...]]]:
    """The `limit` best splits of a row into `n` cells by their boundaries alone, best first.

    Every choice of n - 1 cell starts is scored when there are few (a table row has a dozen
    or two words); a long row falls back to the single best split of the programme above."""
    candidates = [k for k in range(1, len(tokens)) if _can_start_cell(tokens, k)]
    if len(candidates) < n - 1:
        return []
    if comb(len(candidates), n - 1) > MAX_ENUMERATED:
        return [_segment(tokens, n, True)]
    scored = [(sum(_boundary_score(tokens, k, True, unit_column) for k in cuts), cuts)
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
        unit_column = any(UNIT_COLUMN.match(h) for h in headers)
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
        total = h_score + sum(options[r][chosen[r]][0] for r in range(len(rows)))
        # the share of cells that fit their column, so that more columns earn no more by themselves
        total += PURITY_WEIGHT * len(rows) * _column_consistency(picked, n) / (len(rows) * n)
        if len(header.split()) == n and all(len(c.split()) <= 4 for row in picked for c in row):
            total += 1.5 * n  # short cells under one-word names ("Test Unit Deficient Borderline")
        if best is None or total > best[0]:
            best = (total, Table(headers, tuple(picked)))
    return best[1] if best else None


TIME_WORDS = frozenset("years year months month weeks week days day hours hour minutes minute".split())
# words that lead a value ("Below 200", "About 1.3 litres"): a value starts before them, never after
VALUE_WORDS = frozenset("below above under over about around approximately roughly nearly almost than to up least most "
                        "from between".split())
VALUE_LEAD = re.compile(r"^(below|above|under|over|less\s+than|more\s+than|up\s+to|about|around|at\s+least|at\s+most|"
                        r"approximately|roughly|nearly|almost)\s+[<>≤≥~]?[-\d.,]+", re.I)


@lru_cache(maxsize=8192)
def _shape(cell: str) -> str:
    """What a cell is made of: a value ("459 adults", "5.5 mm Hg lower"), a title-case label
    ("DASH-Sodium, Control Diet") or prose ("Fruit, vegetables and low-fat dairy ...")."""
    if cell[:1].isdigit() or cell[:1] in "<>≤≥~±-" and cell[1:2].strip()[:1].isdigit() or cell[:1] in "<>≤≥~±" \
            or VALUE_LEAD.match(cell):
        return "value"
    if UNIT.match(cell):
        return "unit"
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", cell) if w.lower() not in FUNCTION_WORDS]
    return "label" if words and len(words) <= 6 and all(w[0].isupper() for w in words) else "prose"


def _column_consistency(rows: list[tuple[str, ...]], n: int) -> int:
    """How many cells share their column's most common shape: columns of a real table hold
    one kind of thing, while a wrong column count mixes row labels with values and prose."""
    total = 0
    for j in range(n):
        shapes = [_shape(row[j]) for row in rows]
        total += max(shapes.count(s) for s in set(shapes))
    return total


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
            if not _label_like(row[0]) or _label_like(row[-1]) and len(row[-1].split()) > 8:
                break
            rows.append(tuple(row))
        if not rows:
            continue
        used = len(rows) * n
        # among column counts that use the same cells, the smallest period explains them best,
        # unless a larger one gives every column cells of one shape
        score = 2.0 * used + h_score - 1.0 * n + 1.5 * _column_consistency(rows, n)
        if len(header.split()) == n and all(len(c.split()) <= 3 for row in rows for c in row):
            score += 1.5 * n  # cells of a word or two under one-word names ("Time Cortisol DHEA Melatonin")
        if best is None or score > best[0]:
            best = (score, Table(headers, tuple(rows)), used)
    return (best[1], best[2]) if best else None
