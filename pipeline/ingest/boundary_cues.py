"""Word cues for where a cell of a flattened table ends, one set for column names (the header)
and one for body cells; the table rebuilder (flattened_tables) adds them to its base score.

Consumes a row's tokens and a candidate boundary k (a new cell starts at token k); produces
a number, positive when the words around k say a cell ends there. Each cue is one line with
an example of the table text it reads.
"""
from __future__ import annotations

import re

from pipeline.ingest.cell_shapes import FUNCTION_WORDS, MEASURE_WORDS, NUMBER, NUMERIC, TIME_WORDS, UNIT

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
principal secondary usual normal best minimum maximum""".split())
YES_NO = frozenset("yes no".split())
# one-word grades that stand as a cell of their own in a column of ratings
RATINGS = frozenset("low moderate high weak strong mild severe increased decreased reduced raised poor fair good excellent "
                    "rare common uncommon often sometimes slow fast none".split())
AUX_WORDS = frozenset("may can might could should is are was were will does do".split())
UNIT_COLUMN = re.compile(r"^units?$", re.I)
VERB_PARTICLES = frozenset("for against with to from on in like by".split())  # "Stands For", "Sounds Like", "Made By"
# words that lead a value ("Below 200", "About 1.3 litres"): a value starts before them, never after
VALUE_WORDS = frozenset("below above under over about around approximately roughly nearly almost than to up least most "
                        "from between".split())


def _parallel_names(tokens: tuple[str, ...], k: int) -> float:
    """Names built alike: a word that stands twice in a header opens a name each time when it is
    followed by more words ("Blood Type | Can Give To | Can Receive From"), and ends one each time
    when one of its stands ends the header ("Well Controlled | Poorly Controlled")."""
    words = [t.lower() for t in tokens]
    prev, nxt = words[k - 1], words[k]
    stands = [j for j, w in enumerate(words) if w == nxt]
    if len(stands) > 1 and tokens[k][:1].isupper() and words[-1] != nxt and words[0] != nxt \
            and len({words[j - 1] for j in stands}) == len(stands):  # "Taken Up": "Up" follows "Taken" each time
        return 2.0
    if words.count(prev) > 1 and words[-1] == prev and k < len(words):
        return 2.0
    return 0.0


def header_cues(tokens: tuple[str, ...], k: int) -> float:
    """What the words around token k say about a column name ending there (header rows only)."""
    prev, nxt = tokens[k - 1], tokens[k]
    after = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
    score = 0.0
    if prev.lower() == nxt.lower():
        score += 3.0  # "Drug | Drug Class": a name never repeats a word back to back
    score += _parallel_names(tokens, k)
    if len(nxt) == 1 and nxt.isupper() and after[:1] and not after[:1].isalpha():
        score -= 3.0  # "Vitamin | A %": a letter before a sign names the word before it, it is no article
    if nxt.startswith("%"):
        score += 1.5  # "Intensity | % of Max HR": a percent sign opens a name
    if nxt.lower() in FUNCTION_WORDS and nxt.lower() not in ("a", "an", "the", "per"):
        score -= 2.0  # "Share | From Food": a preposition goes on a name, it does not open one
    if prev.isupper() and len(prev) >= 2 and nxt[:1].isupper() and not nxt.isupper() \
            and nxt.lower() not in NAME_OPENERS:
        score -= 1.0  # "GOLD | Stage", "UV | Index": an abbreviation modifies the noun after it
    if after in ("and", "or") and nxt[:1].isupper():
        score += 1.0  # "Gout Trigger | Examples and Notes": a coordinated name opens at its first noun
    gerund_opens = prev.endswith("ing") and len(prev) > 5 and prev[:1].isupper() \
        and not (k >= 2 and tokens[k - 2].lower() in FUNCTION_WORDS)  # "Iron per Serving | Iron Type" ends there
    if "-" in prev.strip("-") and prev[:1].isupper():
        score -= 2.0  # "Pure-Tone | Average": a hyphenated modifier opens a name
    elif gerund_opens:
        score -= 2.0  # "Dosing | Schedule": a gerund often opens one ("Serving | Caffeine (mg)" is left to the body)
    if UNIT.match(prev):
        score += 1.5  # "25(OH)D nmol/L | 25(OH)D ng/mL": a unit closes a name
    elif UNIT.match(nxt):
        score -= 1.5
    if any(w.lower() in WH_WORDS for w in tokens[max(0, k - 3):k]) and nxt.endswith("s") and nxt[:1].isupper() \
            and nxt.lower() not in HEAD_NOUNS and after not in FUNCTION_WORDS:
        score -= 2.0  # "What the Person | Thinks": a question name runs on to its verb
    if nxt[:1].isupper() and nxt.lower().endswith("s") and after in VERB_PARTICLES:
        score += 1.5  # "Letter | Stands For", "Vaccine | Protects Against": a verb and its particle open a name
    # "How Common | Description": after a question word an opener completes the name
    if (prev.lower() in NAME_OPENERS and not (k >= 2 and tokens[k - 2].lower() in WH_WORDS)) \
            or prev.lower() in PHRASE_OPENERS and nxt.lower() not in WH_WORDS:  # "Who | How Often"
        score -= 2.5  # "Main | Sources", "What | Happens", "Where It | Hurts": the name goes on
    if nxt.lower() in HEAD_NOUNS and re.sub(r"\W", "", prev).lower() not in HEAD_NOUNS \
            and after not in ("and", "or") and not (k >= 2 and tokens[k - 2].lower() in FUNCTION_WORDS):
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
    if nxt.lower() in NAME_OPENERS and prev.lower() not in FUNCTION_WORDS | WH_WORDS:
        score += 1.5
    return score


def row_cues(tokens: tuple[str, ...], k: int, unit_column: bool, amount: bool) -> float:
    """What the words around token k say about a body cell ending there (body rows only)."""
    prev, nxt = tokens[k - 1], tokens[k]
    following = tokens[k + 1] if k + 1 < len(tokens) else ""
    after = following.lower()
    score = 0.0
    prose_next = (following[:1].islower() or (following.isupper() and len(following) > 1)) \
        and not UNIT.match(following)  # "pmol/L" is a unit's cell, not prose
    # "Transferrin Saturation | Below 20 percent"; but "Brewed | Coffee 8 oz" is one label before a value
    value_next = following[:1].isdigit() and nxt.lower() in VALUE_WORDS
    if prev[:1].isupper() and nxt[:1].isupper() and not nxt.isupper() and (prose_next or value_next):
        score += 2.0  # a title-case label ends where a prose phrase ("Modulates HPA axis ...") begins
    if prev[:1].islower() and not prev.endswith((",", ".")) and not UNIT.match(prev):
        if nxt[:1].isupper() and not nxt.isupper() and following[:1].isupper() \
                and following.lower() not in FUNCTION_WORDS:
            score += 0.5  # prose then two capitalised words: a new cell ("... fermenters Butyrate Fewer ...")
        elif nxt[:1].isupper() and (not nxt.isupper() or nxt == "A" or following[:1].islower()) and prose_next:
            score += 0.5  # a short cell ("Pineal gland") ends where a prose phrase ("Promotes sleep", "Raised by") begins
        elif not nxt[:1].isdigit():
            score -= 1.0  # a prose phrase rarely ends without punctuation
    if prev[:1].isupper() and (len(nxt) == 1 and not amount or (nxt.isdigit() and len(nxt) <= 2 and not amount
                                                         and after not in ("to", "or", "-", "–"))
                                       or re.fullmatch(r"[IVX]+", nxt)):
        score -= 2.0  # "Vitamin D", "Type 2", "Phase II": a lone letter or number continues a name
    if re.fullmatch(r"[\d.,]+%?", prev) and len(nxt) <= 3 and not nxt[:1].isdigit():
        score -= 1.5  # "600 to 800 IU": a unit stays with its number
    if k >= 2 and prev.lower() in MEASURE_WORDS and NUMBER.match(nxt) and NUMBER.match(tokens[k - 2]) \
            and not (unit_column and UNIT.match(following)):
        score += 1.0  # "240 mL | 95": an amount ends where the next number starts
    if NUMERIC.match(prev) and NUMERIC.match(nxt):
        score += 1.0  # two numbers side by side ("Below 148 148 to 258", "6:30–7:00 10:28–11:15") end one value
    if (UNIT.match(nxt) or UNIT.match(prev)) and not prev[:1].isdigit():
        score += 1.0  # a unit standing alone between a name and a value is a cell of its own
    if k == 1 and len(prev) == 1 and prev.isupper() and nxt[:1].isupper():
        score += 1.5  # a row labelled by a letter: "A | Asymmetry", "B | Border"
    if (prev.lower() in YES_NO or nxt.lower() in YES_NO):
        score += 1.0  # "Yes | No": answer cells stand alone
    if nxt.lower() in RATINGS and (not following or following[:1].isupper() or following[:1].isdigit()):
        score += 1.0  # "Hormone supplement | Low", "Zinc Lozenges | Moderate": a one-word rating is a cell
    if prev.lower() in VALUE_WORDS and NUMBER.match(nxt):
        score -= 2.0  # "About | 20%": a word that leads a value stays with its number
    if nxt.lower() in VALUE_WORDS and after[:1].isdigit() and not prev.lower() in VALUE_WORDS:
        score += 1.0  # "mg/dL | Below 200", "Children 1 to 3 Years | About 1.3 litres"
    if NUMBER.match(prev) and nxt.lower() in TIME_WORDS:
        score -= 2.0  # "Children 1 to 3 Years": a count's own noun stays with it
    if NUMERIC.match(prev) and nxt[:1].isupper() and not UNIT.match(nxt) and nxt.lower() not in TIME_WORDS:
        score += 1.0  # a value ends where a capitalised word starts ("0 to 2 | Low", "7 | Every 3 months")
    if prev[:1].islower() and len(prev) > 3 and prev.lower() not in FUNCTION_WORDS and NUMBER.match(nxt) \
            and not UNIT.match(prev):
        score += 0.8  # a phrase ends where a value starts ("increases in mileage | 4 to 6 weeks")
    if prev[:1].isupper() and prev.lower() not in VALUE_WORDS and NUMERIC.match(nxt) and (not nxt.isdigit() or len(nxt) > 2
                                                             or (after in ("to", "or", "-", "–"))
                                                             or amount):
        score += 2.0  # a label ends where a value starts ("Fasting Glucose | 4.4 to 7.2")
    return score
