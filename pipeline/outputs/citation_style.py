"""Which citation style a reference list is written in.

Consumes the raw entries of one article's reference list (strings as listed); produces a
`StyleGuess`: the style's name (`apa`, `mla`, `chicago-author-date`, `harvard`, `vancouver`,
`ieee`, or `numbered` for a numbered list in no style recognised here, `unknown` when no
entry shows any style's marks), how the list numbers its entries (`[1]`, `1.`, or none) and
the cue counts behind the decision.

A style is recognised by the marks each entry carries, not by one entry: where the year
stands and how it is punctuated (APA "(2006)." / Harvard "(2006) 'Title'" / Chicago
"Name. 2006. “Title.”" / MLA ", 2006, pp." / Vancouver "Journal. 2006;44(1):840-6." / IEEE
"pp. 840–846, 2006"), how authors are written ("Kahn SE" / "S. E. Kahn" / "Kahn, S. E., &") and
how volume, issue and pages are marked ("444(7121), 840" / "vol. 444, no. 7121" / "444 (7121):
840"). The votes of every entry are added up, so one odd entry (a web page, a book) does not
decide for the list.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

STYLES = ("apa", "mla", "chicago-author-date", "harvard", "vancouver", "ieee")
NUMBERED = "numbered"
UNKNOWN = "unknown"

NUMBER_PREFIX = re.compile(r"^\s*(?:\[(\d{1,4})\]|(\d{1,4})[.)](?=\s)|\((\d{1,4})\)(?=\s))\s*")
_Q = "\"“”‘’'"
FAMILY = r"[A-ZÀ-ÖØ-Þ][\w'’\-]+(?: [A-ZÀ-ÖØ-Þ][\w'’\-]+)?"

# (style, weight, pattern): each pattern that matches an entry adds its weight to the style
CUES: tuple[tuple[str, float, re.Pattern], ...] = tuple((s, w, re.compile(p)) for s, w, p in (
    # APA: "(2006). Title" or "(n.d.)." after the authors; volume(issue), pages without "pp."
    ("apa", 3.0, r"\((?:\d{4}[a-z]?|n\.d\.)(?:, [A-Z][a-z]+(?: \d{1,2})?)?\)\.\s"),
    ("apa", 1.0, r",? & " + FAMILY + r", (?:[A-Z]\.\s?)+"),
    ("apa", 1.0, r"[A-Za-z], \d+\(\d+[-–\w]*\), [A-Za-z]?\d+"),
    ("apa", 0.5, r"Retrieved (?:from|[A-Z][a-z]+ \d)"),
    # Harvard (Cite Them Right): "(2019) 'Title'," or "(2019) Title." with no full stop after the year
    ("harvard", 3.0, r"\((?:\d{4}[a-z]?|no date|n\.d\.)\) (?=[" + _Q + r"A-Z0-9])"),
    ("harvard", 1.5, r"\) [‘'][^‘']+[’'],"),
    ("harvard", 1.0, r"\d+\(\d+[-–\w]*\), pp?\. ?[A-Za-z]?\d+"),
    ("harvard", 1.0, r"Available at:|\(Accessed:"),
    ("harvard", 0.5, r"[A-Z]\.(?:[A-Z]\.)*,? and " + FAMILY + r", [A-Z]\.(?:[A-Z]\.)*"),
    # Chicago author-date: "Family, Given. 2005. “Title.”" and "Journal 76 (2): 169–217"
    ("chicago-author-date", 3.0, r"^[^(\[]{3,300}?[a-z.]\. \d{4}[a-z]?\. (?=[" + _Q + r"A-Z])"),
    ("chicago-author-date", 1.5, r"\d+ \(\d+[-–\w]*\): [A-Za-z]?\d+"),
    ("chicago-author-date", 0.5, r"[a-z]” [A-Z][^,]+ \d+ \("),
    # MLA: "vol. 44, no. 1, 2004, pp. 121–33" (the year after volume and issue)
    ("mla", 2.0, r"vol\. [\w.-]+, (?:no\. [\w/-]+, )?(?:\d{1,2} )?(?:[A-Z][a-z]{2,8}\.? )?\d{4}, pp?\. "),
    ("mla", 1.5, r"vol\. [\w.-]+, (?:no\. [\w/-]+, )?(?:[A-Z][a-z]{2,8}\.? )?\d{4}[,.]"),
    ("mla", 1.0, r"[.?!][”\"] [A-Z][^,]*, vol\."),
    ("mla", 1.0, r"[.?!][”\"] [A-Z][^,]*, (?:\d{1,2} [A-Z][a-z]{2,8}\.? )?\d{4}, "),
    ("mla", 0.5, r"\bAccessed \d{1,2} [A-Z][a-z]{2,8}\.? \d{4}"),
    # Vancouver/NLM: "Kahn SE, Hull RL." and "Nature. 2006;444(7121):840-6."
    ("vancouver", 2.5, r"\.\s(?:\d{4})(?: [A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?: \d{1,2})?)?;\s?\d*\s?(?:\(\w+\))?:\s?[A-Za-z]?\d+"),
    ("vancouver", 2.0, r"^" + FAMILY + r" [A-Z]{1,3}(?:, " + FAMILY + r" [A-Z]{1,3})*(?:, et al)?\. "),
    ("vancouver", 0.5, r"\b(?:Available from|\[cited \d{4})"),
    # IEEE: "S. E. Kahn, R. L. Hull, and K. M. Utzschneider, “Title,” Journal, vol. 4, no. 2, pp. 1–9, 2006."
    ("ieee", 2.5, r"^(?:[A-Z]\.(?:[ -]?[A-Z]\.)* " + FAMILY + r"(?:,| and| et al\.))"),
    ("ieee", 2.0, r",[”\"] "),
    ("ieee", 1.5, r"vol\. [\w.-]+, (?:no\. [\w/-]+, )?pp\. [A-Za-z]?\d+[-–][A-Za-z]?\d+, (?:[A-Z][a-z]{2,4}\.? )?\d{4}"),
    ("ieee", 1.0, r"\bin Proc\. |\b[Oo]nline\]\. Available:"),
))


@dataclass(frozen=True)
class StyleGuess:
    """The style of one reference list, its numbering ("[1]", "1.", "1)", "(1)" or "") and the votes."""

    name: str
    numbering: str = ""
    votes: dict = field(default_factory=dict, hash=False, compare=False)


def numbering_of(raw: str) -> tuple[str, str]:
    """The entry's list number and its written form ('[3]' -> ('3', '[{n}]')); ('', '') when unnumbered."""
    match = NUMBER_PREFIX.match(raw)
    if not match:
        return "", ""
    number = next(g for g in match.groups() if g)
    written = match.group(0).strip()
    return number, written.replace(number, "{n}", 1)


def entry_votes(raw: str) -> Counter:
    """The cue weight each style gets from one entry (its list number taken off first)."""
    text = NUMBER_PREFIX.sub("", raw, count=1).strip()
    votes: Counter = Counter()
    for style, weight, pattern in CUES:
        if pattern.search(text):
            votes[style] += weight
    return votes


def detect_style(raws: Sequence[str]) -> StyleGuess:
    """The style a list of raw entries is written in (see the module's docstring)."""
    total: Counter = Counter()
    for raw in raws:
        votes = entry_votes(raw)
        best = max(votes.values(), default=0.0)
        # each entry votes with its marks, but no entry counts more than a clear 3 points
        for style, weight in votes.items():
            total[style] += weight * min(1.0, 3.0 / best) if best else 0.0
    forms = Counter(form for form in (numbering_of(r)[1] for r in raws) if form)
    numbering = forms.most_common(1)[0][0] if forms and sum(forms.values()) * 2 >= len(raws) else ""
    ranked = total.most_common()
    if not ranked or ranked[0][1] < 1.0 * max(1, len(raws)) * 0.5:
        name = NUMBERED if numbering else UNKNOWN
    else:
        name = ranked[0][0]
    return StyleGuess(name, numbering, dict(total))
