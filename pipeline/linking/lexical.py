"""Lexical relevance for linking: tokens, a light stemmer, article-defined abbreviations, BM25.

Consumes plain strings; produces token lists, an abbreviation map and BM25 scores. Pure and
small on purpose (no new dependency): the corpus per article is a dozen short reference
records, so a hand-written Okapi BM25 is all the lexical model the linker needs.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from typing import Iterable, Sequence

# Function words plus words every article in this genre uses without naming a topic.
STOPWORDS = frozenset("""a about above after again against all also although am an and any are as at be because
been before being below between both but by can could did do does doing down during each either etc even
ever every few for from further had has have having he her here hers him his how however i if in into is it
its itself just may me might more most much must my neither no nor not now of off often on once only or other
our ours out over own per rather same she should so some such than that the their theirs them then there these
they this those through thus to too under until up upon us very via was we were what when where whether which
while who whom whose why will with within without would yet you your yours yourself
e.g i.e et al vs new one two three first second many several key role roles effect effects
study studies based using use used toward towards among across
""".split())

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}


@functools.lru_cache(maxsize=65536)  # a batch repeats its vocabulary: stem each word once
def stem(word: str) -> str:
    """A light suffix stripper (plural, -ing, -ed, -ation...): joins "adaptations"/"adaptation",
    "increased"/"increases", "signalling"/"signaling"; no dictionary, so it errs on the side
    of leaving a word alone."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in (("ational", "ate"), ("ization", "ize"), ("isation", "ize"),
                                ("ations", "ate"), ("ation", "ate"), ("ities", "ity"),
                                ("ies", "y"), ("sses", "ss"), ("ness", ""), ("ments", "ment"),
                                ("ing", ""), ("edly", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("ses", "zes", "ches", "shes", "xes")):
                return _tidy(word[:-1])  # "changes" -> "change", not "chang"
            root = word[: len(word) - len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(root) > 3 and root[-1] == root[-2] and root[-1] not in "s":
                root = root[:-1]  # "signalling" / "controlled": the doubled consonant
            return _tidy(root)
    return _tidy(word)


def _tidy(root: str) -> str:
    # a final "e" is dropped so "increase", "increased", "increasing" meet at "increas"
    return root[:-1] if len(root) > 4 and root.endswith("e") else root


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for letter, name in GREEK.items():
        text = text.replace(letter, name)
    return text


def tokens(text: str) -> list[str]:
    """Lower-cased, stemmed content words; hyphenated words give the whole and each part."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=8192)  # a paragraph and a heading are queried once per sentence
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for match in WORD_RE.finditer(normalise(text)):
        word = match.group(0).casefold().replace("’", "'")
        parts = [word] + (re.split(r"[-']", word) if re.search(r"[-']", word) else [])
        for part in parts:
            if not part or part in STOPWORDS or (len(part) < 2 and not part.isdigit()):
                continue
            out.append(stem(part))
    return tuple(out)


# --- abbreviations the article defines ----------------------------------------------------------

ABBREV_RE = re.compile(r"\(([A-Z][A-Za-z0-9α-ω\-]{1,9})\)")


def _long_form(words: list[str], abbrev: str) -> str:
    """Schwartz & Hearst (2003): the shortest run of preceding words whose letters spell the
    abbreviation from the end, the first letter starting a word. "" when none fits."""
    letters = [c.lower() for c in abbrev if c.isalnum()]
    if not letters:
        return ""
    limit = min(len(letters) + 5, len(letters) * 2)
    candidate_words = words[-limit:]
    text = " ".join(candidate_words)
    lowered = text.lower()
    s_index, l_index = len(letters) - 1, len(lowered) - 1
    while s_index >= 0:
        char = letters[s_index]
        while l_index >= 0 and (lowered[l_index] != char or
                                (s_index == 0 and l_index > 0 and lowered[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return ""
        s_index -= 1
        l_index -= 1
    start = lowered.rfind(" ", 0, l_index + 1) + 1
    long_form = text[start:].strip(" ,;:")
    if long_form.lower() == abbrev.lower() or len(long_form) <= len(abbrev):
        return ""
    return long_form


def find_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """"Long Form (ABBR)" definitions found in `texts`, ABBR -> long form (first definition wins)."""
    found: dict[str, str] = {}
    for text in texts:
        for match in ABBREV_RE.finditer(text):
            abbrev = match.group(1)
            if abbrev in found or not any(c.isupper() for c in abbrev[1:] + abbrev[0]):
                continue
            words = re.findall(r"\S+", text[: match.start()])
            long_form = _long_form(words, abbrev)
            if long_form:
                found[abbrev] = long_form
    return found


def expand(text: str, abbreviations: dict[str, str]) -> str:
    """`text` with each defined abbreviation followed by its long form ("HIIT" -> "HIIT (high-...)")."""
    if not abbreviations:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True))
                         + r")(?![\w])")
    return pattern.sub(lambda m: f"{m.group(1)} {abbreviations[m.group(1)]}", text)


# --- BM25 -----------------------------------------------------------------------------------------

class BM25:
    """Okapi BM25 over a small fixed corpus of token lists (one per reference of an article)."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.counts = [Counter(doc) for doc in documents]
        self.lengths = [len(doc) for doc in documents]
        self.average = (sum(self.lengths) / len(self.lengths)) if self.lengths and sum(self.lengths) else 1.0
        frequency = Counter(term for counts in self.counts for term in counts)
        n = len(documents)
        # The "+1" form keeps idf positive for terms in most documents (a corpus of ten).
        self.idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in frequency.items()}

    def score(self, query: Sequence[str], index: int, weights: dict[str, float] | None = None) -> float:
        counts, length = self.counts[index], self.lengths[index]
        total = 0.0
        for term, query_count in Counter(query).items():
            tf = counts.get(term, 0)
            if not tf:
                continue
            norm = tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * length / self.average))
            weight = (weights or {}).get(term, 1.0)
            total += self.idf[term] * norm * weight * (1 + math.log(query_count))
        return total

    def scores(self, query: Sequence[str], weights: dict[str, float] | None = None) -> list[float]:
        return [self.score(query, i, weights) for i in range(len(self.counts))]
