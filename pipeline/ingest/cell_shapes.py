"""Shapes of flattened-table cells shared by the table rebuilder: units, amounts, numbers, and
cells that hold what are two cells of a table (issue 17).

Consumes one cell's text; produces its shape (value, unit, label or prose), or whether it is two cells run together
("Brewed Coffee 8 oz" is a label and a value, "70 mg once weekly Oral" a value and a label,
"3 oz cooked 5.2" two values). A split that leaves such cells is penalised, so that every row
of a table splits the same way, one kind of thing per column.
"""
from __future__ import annotations

import re
from functools import lru_cache

# a unit of measure opens a cell of its own in lab tables ("Serum B12 | pmol/L | Below 148")
UNIT = re.compile(r"^(?:[µμa-zA-Z]{1,4}/[a-zA-Z]{1,3}|mg|g|kg|mcg|µg|μg|ng|pg|IU|mmHg|mm\s?Hg|%|bpm|kcal|dB)$")
# words that follow a number in a serving or amount ("8 oz", "1/2 cup", "2 slices")
MEASURE_WORDS = frozenset("oz ml ml. cup cups tbsp tsp serving servings slice slices can cans glass glasses piece pieces "
                          "portion portions litre litres liter liters g mg kg lb lbs packet packets bottle bottles "
                          "bar bars tablet tablets capsule capsules small medium large cm mm km ft min".split())
FUNCTION_WORDS = frozenset("of and or the for in on to with by vs a an at from as per like before after during within without between into "
                           "your my our their its".split())
# words that stand for a value in a column of values ("Varies", "None")
STANDALONE_VALUES = frozenset("varies variable none nil unknown n/a lifelong".split())
TIME_WORDS = frozenset("years year months month weeks week days day hours hour minutes minute".split())
NUMBER = re.compile(r"^[-−–]?\d[\d.,]*%?$")
NUMERIC = re.compile(r"^[<>≤≥~]?\d[\d.,:]*(?:[–-]\d[\d.,:]*)?%?$")  # a number, a time or a range ("6:30–7:00")


# a label cell that runs on into a value ("Brewed Coffee 8 oz", "Older Adults 7 to 8"), or a value
# that runs on into a label ("70 mg once weekly Oral"): two cells the split left joined
LABEL_THEN_VALUE = re.compile(r"^[A-Z][^\d()]*?\s[\d.,]+\s*(?:(?:to|or|–|-)\s*[\d.,]+|(?:" + "|".join(
    sorted(MEASURE_WORDS | TIME_WORDS | {"mg", "g", "mcg", "IU", "mL", "%", "bpm", "kcal", "mmHg"}, key=len, reverse=True))
    + r")\b)")
VALUE_THEN_LABEL = re.compile(r"^[\d.,<>≤≥~]+[^A-Z]*\s[A-Z][a-z]+(?:\s[a-z]+)?$")
MIXED_CELL = 1.0  # per such cell


def mixed(cell: str) -> bool:
    """Whether a cell holds what are two cells of a table: a label then a value, a value then a label,
    or a value then another value at its end ("3 oz cooked 5.2", "180 Higher than 120")."""
    words = cell.split()
    two_values = len(words) > 2 and bool(NUMBER.match(words[0])) and bool(NUMBER.match(words[-1])) \
        and words[-2].lower() not in ("to", "or", "-", "–", "and", "x", "×")
    value_then_prose = len(words) > 1 and bool(NUMERIC.match(words[0])) and bool(re.match(r"[A-Z][a-z]", words[1]))
    # "7.5 Low energy and longer sleep", "10:28–11:15 Can hold a conversation"
    # "Poor night vision Carrots and liver": prose, then a capitalised phrase not led in by a preposition
    prose_then_label = any(a[:1].islower() and a.lower() not in FUNCTION_WORDS and not a.endswith((",", ";"))
                           and re.fullmatch(r"[A-Z][a-z]+", b) and c[:1].islower()
                           for a, b, c in zip(words, words[1:], words[2:]))
    # "12 weeks About 10 minutes": an amount, then a word that leads another amount
    two_amounts = bool(re.match(r"^[\d.,:%]+\s+\S+.*?\s[A-Z][a-z]+\s+[\d.,]+\s", cell + " ")) \
        and bool(VALUE_LEAD.match(re.sub(r"^.*?\s(?=[A-Z][a-z]+\s+[\d.,])", "", cell, count=1)))
    label_then_value = bool(LABEL_THEN_VALUE.match(cell)) and not _led_in(words) and not VALUE_LEAD.match(cell)
    return label_then_value or two_values or value_then_prose or prose_then_label or two_amounts or \
        _side_by_side(words) or \
        bool(VALUE_THEN_LABEL.match(cell)) and not UNIT.match(words[-1])


def _side_by_side(words: list[str]) -> bool:
    """Two amounts with nothing joining them: "5.4 cm 14 g", "6:30–7:00 10:28–11:15" (a range or an
    amount is joined by "to", "or", a dash; a unit or measure may stand after the first number)."""
    numbers = [k for k, w in enumerate(words) if NUMERIC.match(w)]
    for a, b in zip(numbers, numbers[1:]):
        between = words[a + 1:b]
        if not between or len(between) == 1 and (UNIT.match(between[0]) or between[0].lower() in MEASURE_WORDS
                                                 or between[0].lower() in TIME_WORDS):
            return True
    return False


def _led_in(words: list[str]) -> bool:
    """The cell's first number is led in by a preposition ("Normal on 5 days"): one phrase, not a
    label run into a value."""
    first = next((i for i, w in enumerate(words) if w[:1].isdigit()), 0)
    return first > 0 and words[first - 1].lower() in FUNCTION_WORDS


VALUE_LEAD = re.compile(r"^(below|above|under|over|less\s+than|more\s+than|up\s+to|about|around|at\s+least|at\s+most|"
                        r"approximately|roughly|nearly|almost)\s+[<>≤≥~]?[-\d.,]+", re.I)


@lru_cache(maxsize=8192)
def shape(cell: str) -> str:
    """What a cell is made of: a value ("459 adults", "5.5 mm Hg lower"), a title-case label
    ("DASH-Sodium, Control Diet") or prose ("Fruit, vegetables and low-fat dairy ...")."""
    if cell[:1].isdigit() or cell[:1] in "<>≤≥~±-" and cell[1:2].strip()[:1].isdigit() or cell[:1] in "<>≤≥~±" \
            or VALUE_LEAD.match(cell) or cell.lower() in STANDALONE_VALUES:
        return "value"
    if UNIT.match(cell):
        return "unit"
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", cell) if w.lower() not in FUNCTION_WORDS]
    return "label" if words and len(words) <= 6 and all(w[0].isupper() for w in words) else "prose"
