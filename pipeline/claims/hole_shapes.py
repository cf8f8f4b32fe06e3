"""Two more shapes of the holes a dropped linked term leaves, found from the parse (issue 17),
and the helpers that describe a hole (shared with scrape_damage.py).

Consumes the tokens of one parsed sentence and a position; produces a hole's description or None.
- `possessive_without_noun`: a possessive determiner ("your", "their", "its") with no noun after
  it: "Your is a signal", "from your to your bones", "between your and your breathing". A
  possessive before its noun ("your heart", "your own baseline") and the pronouns that stand
  alone ("yours", "theirs") are grammatical; "her" is left out, being also an object pronoun.
- `acronym_not_spelled`: an abbreviation in brackets whose letters the words before it do not
  spell: "levels of human (TSH) rise" (the expansion "thyroid-stimulating hormone" was the link).
  An abbreviation after its own expansion is fine, also when its letters come from inside a word
  ("dehydroepiandrosterone (DHEA)", "Phosphocreatine (PCr)"), and so is one after another
  abbreviation ("HRV (RMSSD)") or a name with no expansion ("the WHO").
"""
from __future__ import annotations

import re

POSSESSIVES = frozenset("my your his its our their".split())
ALWAYS_DETERMINERS = frozenset("my your our their".split())
# what cannot follow a possessive determiner: a finite verb, a preposition, a conjunction, punctuation
NO_NOUN_NEXT_POS = frozenset({"AUX", "ADP", "CCONJ", "SCONJ", "PART"})
NO_NOUN_NEXT_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD", "IN", "TO", "CC"})
STANDALONE_DEPS = frozenset({"nsubj", "nsubjpass", "pobj", "dobj", "attr"})
ACRONYM_IN_BRACKETS = re.compile(r"[A-Za-z]?[A-Z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*s?")
MAX_EXTRA_WORDS = 3  # words an expansion may have beyond one per letter ("forced expiratory volume in one second")


def words(tokens, start: int, count: int) -> str:
    """The words from `start` on, for showing a hole; ";" would split the CSV cell's list."""
    text = " ".join(t.text for t in tokens[max(0, start):start + count])
    return text.replace(";", "[semicolon]")


def hole(i: int, kind: str, snippet: str) -> str:
    return f"token {i + 1}: {kind} ('{snippet}')"


def possessive_without_noun(i: int, token, tokens) -> str | None:
    """ "Your is", "from your to your liver": a possessive with a verb, preposition, conjunction or
    punctuation straight after it, or parsed as a noun phrase of its own."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    # "my", "your", "our", "their" are never a pronoun of their own, whatever the tagger says ("Once your has")
    if token.lower_ not in POSSESSIVES or (token.tag_ != "PRP$" and token.lower_ not in ALWAYS_DETERMINERS) \
            or nxt is None:
        return None
    stands_alone = token.dep_ in STANDALONE_DEPS
    no_noun_next = (nxt.pos_ in NO_NOUN_NEXT_POS or nxt.tag_ in NO_NOUN_NEXT_TAGS
                    or nxt.text in (",", ".", ";", ":", ")", "—"))
    if not (stands_alone or no_noun_next) or nxt.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and not no_noun_next:
        return None
    return hole(i, f"possessive '{token.text}' with no noun", words(tokens, i, 2))


def _letters(acronym: str) -> str:
    """The letters an expansion must spell: the capitals, and a lower-case first letter ("eGFR")."""
    core = acronym[:-1] if acronym.endswith("s") and acronym[-2:-1].isupper() else acronym
    return (core[0] if core[0].islower() else "") + "".join(c for c in core if c.isupper())


def _spelled_by(letters: str, span_words: list[str], mixed_case: bool) -> bool:
    """Whether the words end in an expansion of `letters`: the first word starts with the first
    letter and the letters come in order in the words ("sex hormone-binding globulin" SHBG,
    "docosahexaenoic acid" DHA). A mixed-case abbreviation ("HbA1c") needs only its first letter
    to open one of the words."""
    text = " ".join(span_words).lower()
    if mixed_case:
        return any(w[:1].lower() == letters[0].lower() for w in span_words)
    if text[:1] != letters[0].lower():
        return False
    position = 0
    for letter in letters.lower():
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def acronym_not_spelled(i: int, token, tokens) -> str | None:
    """ "levels of human (TSH) rise": "(", an abbreviation, ")" after words that do not spell it."""
    if token.text != "(" or i == 0 or i + 2 >= len(tokens) or tokens[i + 2].text != ")":
        return None
    acronym = tokens[i + 1].text
    if not ACRONYM_IN_BRACKETS.fullmatch(acronym) or len(_letters(acronym)) < 2:
        return None
    before = []
    for t in reversed(tokens[:i]):
        if t.is_punct and t.text not in ("-", "–") or len(before) >= len(_letters(acronym)) + MAX_EXTRA_WORDS:
            break
        before.insert(0, t.text)
    if not before or any(c.isupper() for c in before[-1][1:]) or before[-1][:1].isdigit():
        return None  # after another abbreviation or a number ("HRV (RMSSD)", "5 (IU)"): not an expansion
    # a lower-case letter anywhere ("HbA1c", "dBA", "PCr") marks a symbol or unit, not initials in order
    mixed_case = any(c.islower() for c in acronym.rstrip("s"))
    joined = [w for w in " ".join(before).replace("-", " ").replace("–", " ").split() if w not in ("'s", "’s")]
    if any(_spelled_by(_letters(acronym), joined[k:], mixed_case) for k in range(len(joined))):
        return None
    return hole(i, f"abbreviation '({acronym})' whose letters the words before it do not spell",
                f"{joined[-1] if joined else tokens[i - 1].text} ({acronym})")
