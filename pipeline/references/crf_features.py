"""Tokens and features of one reference string for the CRF labeller.

Consumes a reference's text; produces its tokens (with character offsets, so a field's text is cut
from the original string) and, per token, a list of feature strings for python-crfsuite: the word
and its shape, lexicon hits, the position in the entry, layout (glued to its neighbours or not),
the state around it (inside quotes or brackets, how many sentences and years came before) and the
same for its neighbours. Identifiers the rules find exactly (DOIs, URLs) are kept as single tokens.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# a DOI or URL stays one token; otherwise a run of letters/digits or one punctuation mark
TOKEN_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"]+|(?:doi:\s*)?\b10\.\d{4,9}/[^\s\"<>]+|[^\W_]+|[^\w\s]", re.I)
YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
MONTHS = {"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
          "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
          "spring", "summer", "autumn", "fall", "winter", "janvier", "février", "mars", "avril", "mai", "juin",
          "juillet", "août", "septembre", "octobre", "novembre", "décembre", "januar", "februar", "märz", "juni",
          "juli", "oktober", "dezember"}
# small lexicons: the words that announce a field ("vol.", "pp.", "eds.", "In", "Press", "Journal")
LEXICON = {
    "vol": "VOL", "volume": "VOL", "bd": "VOL", "jg": "VOL", "tome": "VOL", "no": "NO", "nr": "NO", "issue": "NO",
    "num": "NO", "heft": "NO", "suppl": "NO", "supplement": "NO", "pp": "PP", "p": "PP", "pages": "PP", "s": "PP",
    "page": "PP", "art": "ART", "article": "ART", "e": "ART", "ed": "ED", "eds": "ED", "editor": "ED",
    "editors": "ED", "hrsg": "ED", "hg": "ED", "edn": "EDN", "edition": "EDN", "in": "IN", "and": "AND", "et": "ET",
    "al": "AL", "und": "AND", "press": "PUB", "university": "PUB", "verlag": "PUB", "publishers": "PUB",
    "publishing": "PUB", "books": "PUB", "springer": "PUB", "elsevier": "PUB", "wiley": "PUB", "academic": "PUB",
    "routledge": "PUB", "sage": "PUB", "inc": "PUB", "ltd": "PUB", "co": "PUB", "journal": "JOUR", "j": "JOUR",
    "review": "JOUR", "reviews": "JOUR", "letters": "JOUR", "lett": "JOUR", "proceedings": "PROC", "proc": "PROC",
    "conference": "PROC", "symposium": "PROC", "workshop": "PROC", "annals": "JOUR", "ann": "JOUR",
    "transactions": "JOUR", "trans": "JOUR", "bulletin": "JOUR", "bull": "JOUR", "quarterly": "JOUR",
    "rev": "JOUR", "res": "JOUR", "am": "JOUR", "int": "JOUR", "phys": "JOUR", "chem": "JOUR", "soc": "JOUR",
    "med": "JOUR", "sci": "JOUR", "nat": "JOUR", "acta": "JOUR", "zeitschrift": "JOUR", "revue": "JOUR",
    "doi": "DOI", "retrieved": "WEB", "available": "WEB", "accessed": "WEB", "online": "WEB", "url": "WEB",
    "thesis": "THESIS", "dissertation": "THESIS", "phd": "THESIS", "report": "REPORT", "technical": "REPORT",
    "london": "PLACE", "new": "PLACE", "york": "PLACE", "paris": "PLACE", "berlin": "PLACE", "oxford": "PLACE",
    "cambridge": "PLACE", "boston": "PLACE", "chicago": "PLACE", "amsterdam": "PLACE", "ny": "PLACE",
    "ma": "PLACE", "ca": "PLACE", "the": "THE", "of": "OF", "a": "ART_WORD", "on": "OF", "for": "OF",
    "arxiv": "PREPRINT", "preprint": "PREPRINT", "isbn": "ISBN", "pmid": "DOI", "epub": "WEB",
}
OPEN = {"(": "(", "[": "[", "“": "q", "«": "q", "„": "q"}
CLOSE = {")": "(", "]": "[", "”": "q", "»": "q"}


@lru_cache(maxsize=1)
def journal_words() -> dict[str, str]:
    """Words far more often in journals' names than in titles, with their class (hi, mid): built from the
    training data by bench/crf/journal_words.py, shipped beside this module; empty when absent."""
    path = Path(__file__).with_name("crf_journal_words.txt")
    if not path.is_file():
        return {}
    return dict(line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def shape(word: str) -> str:
    """"Kahn" -> "Xx", "2006" -> "d4", "e1002" -> "xd", "J" -> "X1": the character classes, runs collapsed."""
    if word.isdigit():
        return f"d{min(len(word), 5)}"
    out = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    text = "".join(out)
    return text + "1" if len(word) == 1 else text


def _word_features(token: Token) -> list[str]:
    word = token.text
    low = word.lower()
    feats = [f"w={low}", f"sh={shape(word)}"]
    if len(word) > 4:
        feats.append(f"suf={low[-3:]}")
    if word.isdigit():
        feats.append("num")
        if len(word) == 4 and YEAR.fullmatch(word):
            feats.append("year")
    elif word[:1].isupper():
        feats.append("cap" if not word.isupper() or len(word) == 1 else "upper")
    elif word[:1].islower():
        feats.append("lower")
    if low in LEXICON:
        feats.append(f"lex={LEXICON[low]}")
    if kind := journal_words().get(low):
        feats.append(f"jw={kind}")
    if low.rstrip(".") in MONTHS:
        feats.append("month")
    if low.startswith(("http", "www.")):
        feats.append("url")
    elif re.match(r"(?:doi:\s*)?10\.\d", low):
        feats.append("doi")
    return feats


def _states(text: str, tokens: list[Token]) -> list[list[str]]:
    """Per token: inside which brackets or quotes, sentences and years seen before, glued or spaced."""
    out = []
    depth: list[str] = []
    sentences = years = commas = 0
    sentence_end = False
    n = len(tokens)
    for i, token in enumerate(tokens):
        word = token.text
        spaced_before = i == 0 or token.start > tokens[i - 1].end
        spaced_after = i == n - 1 or tokens[i + 1].start > token.end
        feats = [f"pos={min(9, i * 10 // max(n, 1))}", f"sent={min(sentences, 6)}", f"yrs={min(years, 2)}",
                 f"commas={min(commas, 4)}", "sp_b" if spaced_before else "glue_b", "sp_a" if spaced_after else "glue_a"]
        if i and tokens[i - 1].text in ".?!" and spaced_before and word[:1].isupper() and sentence_end:
            feats.append("sstart")  # the first word of a sentence: a title or journal may begin here
        if word[:1].isupper() and len(word) <= 6 and not spaced_after and i + 1 < n and tokens[i + 1].text == ".":
            feats.append("abbr")  # "Phys.", "Rev.", "Am.": a journal's abbreviated words
        if i < 3:
            feats.append(f"first{i}")
        if i >= n - 3:
            feats.append(f"last{n - 1 - i}")
        if word in CLOSE and CLOSE[word] in depth:
            depth.remove(CLOSE[word])
        elif word == '"' and "q" in depth:
            depth.remove("q")
        feats.extend(f"in{d}" for d in set(depth))
        if word in OPEN:
            depth.append(OPEN[word])
        elif word == '"' and "q" not in depth:
            depth.append("q")
        sentence_end = False
        if word in ".?!" and spaced_after and i > 0 and len(tokens[i - 1].text) > 1:
            sentences += 1
            sentence_end = True
        elif word == ",":
            commas += 1
        if YEAR.fullmatch(word):
            years += 1
        out.append(feats)
    return out


WORD = re.compile(r"\w+")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0).casefold(), m.start(), m.end()) for m in WORD.finditer(text)]


def _find(words: list[tuple[str, int, int]], value: str, after: int = 0) -> tuple[int, int] | None:
    """Where a field value the rules produced stands in the text (case, spacing and punctuation aside)."""
    wanted = [w.casefold() for w in WORD.findall(value)]
    if not wanted:
        return None
    k = len(wanted)
    for i, (word, start, _) in enumerate(words):
        if start >= after and word == wanted[0] and [w for w, _, _ in words[i:i + k]] == wanted:
            return start, words[i + k - 1][2]
    return None


def rule_hints(text: str, hints: dict[str, str]) -> list[tuple[int, int, str]]:
    """The character spans of the rule parser's fields (title, container, volume, issue, pages, year and
    the authors' family names), found in order in `text`: the CRF reads them as features."""
    words = _words(text)
    spans = []
    for name in hints.get("authors", "").split("|"):
        if (found := _find(words, name)) is not None:
            spans.append((*found, "author"))
    title = _find(words, hints.get("title", ""))
    cursor = title[1] if title else 0
    if title:
        spans.append((*title, "title"))
    for name in ("year", "container", "volume", "issue", "pages"):
        value = hints.get(name, "")
        if name == "pages":
            value = value.split("-")[0]
        found = _find(words, value, cursor if name != "year" else 0)
        while found is not None and any(start < found[1] and found[0] < end for start, end, _ in spans):
            found = _find(words, value, found[1])  # "2019;2019:5682050": the volume is the second 2019
        if found is not None:
            spans.append((*found, name))
            if name != "year":
                cursor = found[1]
    return spans


def features(text: str, tokens: list[Token], hints: list[tuple[int, int, str]] = ()) -> list[list[str]]:
    """The feature strings of every token: its own, its state's, and its neighbours' words and shapes;
    with `hints` (rule_hints), the field the rule parser put the token and its neighbours in."""
    own = [_word_features(t) for t in tokens]
    states = _states(text, tokens)
    ruled = ["r=none"] * len(tokens)
    for start, end, name in reversed(hints):  # the first span listed wins, as in a search in order
        for i, token in enumerate(tokens):
            if start <= token.start < end:
                ruled[i] = f"r={name}"
    n = len(tokens)
    out = []
    for i in range(n):
        feats = ["b"] + own[i] + states[i] + [ruled[i], f"-1{ruled[i - 1]}" if i else "-1r=edge",
                                               f"+1{ruled[i + 1]}" if i + 1 < n else "+1r=edge"]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                feats.extend(f"{offset}{f}" for f in own[j][:2])
                if abs(offset) == 1:
                    feats.extend(f"{offset}{f}" for f in own[j][2:] if not f.startswith(("suf", "w=", "sh=")))
            else:
                feats.append(f"{offset}edge")
        out.append(feats)
    return out
