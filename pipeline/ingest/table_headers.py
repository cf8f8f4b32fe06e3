"""What kind of column a flattened table's column name announces, to choose the header split
that the table's body bears out (issue 17).

Consumes candidate column names and the shapes of the body's columns ("value", "unit", "label",
"prose", as flattened_tables._shape gives them); produces how well the names fit the body.
A header line is only words separated by spaces, so its own cues often leave two splits
equally good ("Drug | Drug Class" or "Drug Drug | Class"; "% of Max HR | Target" or
"% of | Max HR Target"). The body settles it: a name with a percent sign, a unit in brackets
or a measuring noun ("Range", "Dose", "Caffeine (mg)") stands over values, "Unit" over units,
a question or "Description" over prose. Names that announce nothing count for neither split.
"""
from __future__ import annotations

import re

# nouns that name a measured quantity: the column under them holds values
VALUE_NOUNS = frozenset("""range ranges dose doses dosage amount amounts intake content target targets
value values count score scores rate rates concentration percentage hours minutes mg mcg kg g ml
temperature threshold cutoff""".split())
# nouns that name a kind of thing: the column under them holds labels ("Underweight", "Statin")
LABEL_NOUNS = frozenset("category categories type types class classes group groups stage stages grade status form kind "
                        "severity".split())
PROSE_NOUNS = frozenset("description descriptions notes note explanation details comments meaning mechanism".split())
QUESTION_OPENERS = frozenset("what why how when where".split())
BRACKETED_UNIT = re.compile(r"\((?:[^()]{0,8}/[^()]{0,6}|mg|g|kg|mcg|µg|ml|mL|%|IU|mm\s?Hg|bpm|kcal|min|h|hours?)\)")
NAME_FIT_WEIGHT = 1.0  # per column whose name announces the shape its cells have (minus one per clash)
LONG_NAME_WORDS = 3     # a column name of plain nouns rarely runs longer
LONG_NAME_PENALTY = 1.5  # per word beyond that, unless the name is a question or holds a function word
NAME_GLUE = frozenset("of and or the for in on to with by at from per vs a an".split())


def announced_shape(name: str) -> str | None:
    """The shape of cell a column name announces, or None when it announces none."""
    words = name.split()
    last = re.sub(r"\W", "", words[-1]).lower() if words else ""
    if re.fullmatch(r"units?", name.strip(), re.I):
        return "unit"
    if "%" in name or BRACKETED_UNIT.search(name) or last in VALUE_NOUNS:
        return "value"
    if words and (words[0].lower() in QUESTION_OPENERS and len(words) > 2 or last in PROSE_NOUNS):
        return "prose"
    if last in LABEL_NOUNS:
        return "label"
    return None


def long_names(names: tuple[str, ...]) -> float:
    """How far the names run past a plain noun name's length: "Drug Class Dosing Schedule Route" is
    several names run together, "Main Route of Spread" and "What to Look For" are one."""
    extra = 0
    for name in names:
        words = name.split()
        if words and words[0].lower() not in QUESTION_OPENERS and not NAME_GLUE & {w.lower() for w in words}:
            extra += max(0, len(words) - LONG_NAME_WORDS)
        content = [w.lower() for w in words if w.lower() not in NAME_GLUE]
        extra += len(content) - len(set(content))  # "Can Give To Can Receive From": two names run together
    return LONG_NAME_PENALTY * extra


def name_fit(names: tuple[str, ...], column_shapes: list[str]) -> float:
    """+1 for each name whose announced shape its column's cells have, -1 for each that clashes."""
    fit = 0.0
    for name, shape in zip(names, column_shapes):
        announced = announced_shape(name)
        if announced is not None:
            fit += 1.0 if announced == shape or {announced, shape} == {"value", "unit"} and announced == "value" else -1.0
    return NAME_FIT_WEIGHT * fit
