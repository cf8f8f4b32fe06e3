"""Inline definition tooltips spliced into a sentence by scraping, taken out.

Consumes one line of a text dump; produces the line with each tooltip taken out and the host
sentence joined back, and the tooltips taken (term, definition, whether it had the lead-in).

The samples' site shows a pop-up definition for each linked term. Besides the glossary at the
end of a page, some pages keep that definition inline, right after the term:
  "Athletes with low energy availability Meaning ∞ Low energy availability describes a state in
   which dietary intake falls short of what training requires. often go unnoticed for years"
The definition is one sentence ending with a full stop, then the host sentence carries on
(in lowercase, or with its own punctuation). Two forms:
- with the "Meaning ∞" lead-in: anything after a word and before the definition's full stop;
- without it: the definition restates the term straight after the term itself, capitalised,
  with a defining verb ("X refers to", "X describes", "X is"), and the host must carry on after
  its full stop in lowercase or with punctuation (else it is ordinary prose, "rich in
  magnesium. Magnesium is a mineral ...", which never has the term twice in a row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LEAD_IN = re.compile(r"(?<=\S)\s+Meaning\s*∞\s*")
# the defining verbs that follow a restated term ("X refers to", "X describes", "X is")
DEFINING = re.compile(r"(is|are|refers?\s+to|describes?|denotes?|means|represents?|encompasses|comprises|"
                      r"signifies|constitutes|was|were|designates?)\b")
ARTICLE = re.compile(r"(the|a|an)\s+", re.I)
# a full stop that ends a definition: the host then carries on in lowercase, with its own
# punctuation, or the line ends. Abbreviations ("e.g.") never end one.
END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bapprox)\.(?=\s+[a-z(,;:]|\s*[,;:).]|\s*$)")
END_ANY = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)\.(?=\s|$)")
MAX_TERM_WORDS = 6
MAX_DEFINITION_WORDS = 80


@dataclass(frozen=True)
class Tooltip:
    term: str
    definition: str
    lead_in: bool
    restated: bool  # the definition names the term (found by that, or only after the lead-in)


def _restated_term(before: str, definition: str) -> str:
    """The longest run of words ending `before` that the definition opens with ("levels of
    testosterone" + "Testosterone is ..." -> "testosterone"), or ""."""
    words = before.split()
    opening = ARTICLE.sub("", definition, count=1) if ARTICLE.match(definition) else definition
    for k in range(min(MAX_TERM_WORDS, len(words)), 0, -1):
        term = " ".join(words[-k:])
        if opening[:len(term)].casefold() == term.casefold() and not opening[len(term):len(term) + 1].isalnum():
            return term
    return ""


def _join(before: str, after: str) -> str:
    """The host sentence joined back around the cut: no space before its own punctuation."""
    before, after = before.rstrip(), after.lstrip()
    if not after:
        return before
    if not before:
        return after
    return before + ("" if after[:1] in ",;:.)" else " ") + after


def _definition_end(rest: str, strict: bool) -> int | None:
    """Index just past the definition's full stop in `rest`, or None."""
    match = END.search(rest)
    if match is None and not strict:
        match = END_ANY.search(rest)
    if match is None or len(rest[:match.end()].split()) > MAX_DEFINITION_WORDS:
        return None
    return match.end()


def _with_lead_in(text: str) -> tuple[str, Tooltip] | None:
    match = LEAD_IN.search(text)
    if match is None:
        return None
    before, rest = text[:match.start()], text[match.end():]
    end = _definition_end(rest, strict=False)
    if end is None:
        return None
    definition = rest[:end].strip()
    term = _restated_term(before, definition)
    tip = Tooltip(term or before.split()[-1], definition, lead_in=True, restated=bool(term))
    return _join(before, rest[end:]), tip


def _without_lead_in(text: str) -> tuple[str, Tooltip] | None:
    """ "the vitamin D receptor Vitamin D receptor is a nuclear receptor ... off. and respond"."""
    for match in re.finditer(r"(?<=\S)\s+(?=(?:The |An? )?[A-Z0-9])", text):
        before, rest = text[:match.start()], text[match.end():]
        term = _restated_term(before, rest)
        if not term or not re.search(r"[A-Za-z]{2}", term):
            continue
        opening = ARTICLE.sub("", rest, count=1) if ARTICLE.match(rest) else rest
        after_term = opening[len(term):]
        # "Gonadotropin-releasing hormone (GnRH) is ...": the definition may give the term's own acronym first
        verb = re.sub(r"^\s*\([A-Za-z0-9-]{2,12}\)", "", after_term).lstrip()
        if not DEFINING.match(verb) or not after_term[:1].isspace():
            continue
        end = _definition_end(rest, strict=True)
        if end is None:
            continue
        return _join(before, rest[end:]), Tooltip(term, rest[:end].strip(), lead_in=False, restated=True)
    return None


def take_tooltips(text: str) -> tuple[str, tuple[Tooltip, ...]]:
    """`text` with every inline tooltip taken out (host sentence joined back), and the tooltips.
    A line that opens with "Meaning ∞" is a glossary line, not a tooltip: left alone."""
    found: list[Tooltip] = []
    while True:
        taken = _with_lead_in(text) or _without_lead_in(text)
        if taken is None:
            return text, tuple(found)
        text, tip = taken
        found.append(tip)


def tooltip_reason(tip: Tooltip) -> str:
    """The blocks.csv reason of a removed tooltip: its term and how it was recognised."""
    how = "after a 'Meaning ∞' lead-in" if tip.lead_in else "restating the term straight after it"
    return f"inline definition of {tip.term!r} ({how}), taken out of its sentence, which is joined back"
