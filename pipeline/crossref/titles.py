"""Titles compared two ways: how alike (for identity) and whether they agree (for validation).

Consumes two title strings (a citation's and a Crossref record's); produces a similarity in 0..1
(`title_similarity`, which decides with the locator whether a candidate is the cited work), a
yes/no agreement (`titles_agree`, the title field's verdict) and a word diff for people
(`title_diff`). Two titles agree only when they are the same after folding case, punctuation,
diacritics, " ∞ ", dashes, HTML entities and markup, or when one is the other without its subtitle;
any other word-level difference is a title mismatch, however similar the strings.
"""
from __future__ import annotations

import html
import re
import unicodedata
from difflib import SequenceMatcher

DIFFERENT_NUMBERS = 0.80  # the most two titles stating different numbers can agree: a near miss, never the same
# letters NFKD does not decompose; folded, never dropped
SPECIAL_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                 "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "ð": "d",
                                 # Greek letters as titles spell them out ("interleukin-1β", "interleukin-1 beta")
                                 "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "κ": "kappa",
                                 "λ": "lambda", "μ": "mu", "σ": "sigma", "τ": "tau", "ω": "omega"})
SUBTITLE_BREAK = re.compile(r"\s*(?::|\?|\.\s|\s[-–—∞]\s)\s*")


def fold(text: str) -> str:
    """Case, punctuation, " ∞ ", dashes, entities, markup and diacritics folded away; ß and ø kept as ss, o;
    "&" read as "and"."""
    text = html.unescape(text or "").translate(SPECIAL_LETTERS).replace("∞", " ").replace("&", " and ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"<[^>]+>", " ", text)  # Crossref titles may carry <i>, <sub> markup
    text = re.sub(r"[\W_]+", " ", text.casefold())
    return " ".join(text.split())


def _joined(text: str) -> str:
    """Folded with the spaces gone: "anti-inflammatory", "anti inflammatory" and "antiinflammatory" agree."""
    return fold(text).replace(" ", "")


def main_title(title: str) -> str:
    """The title before its subtitle ("Ego depletion: Is the active self ..." -> "Ego depletion"), or ""."""
    parts = SUBTITLE_BREAK.split(html.unescape(title or "").strip(), maxsplit=1)
    return parts[0] if len(parts) == 2 and parts[1].strip() else ""


def titles_agree(cited: str, found: str) -> bool:
    """The same title after folding, or one is the other without its subtitle."""
    a, b = _joined(cited), _joined(found)
    if not a or not b:
        return False
    if a == b:
        return True
    main_a, main_b = _joined(main_title(cited)), _joined(main_title(found))
    return (bool(main_b) and a == main_b) or (bool(main_a) and b == main_a)


def title_similarity(cited: str, found: str) -> float:
    a, b = fold(cited), fold(found)
    if not a or not b:
        return 0.0
    if _joined(cited) == _joined(found):
        return 1.0
    if titles_agree(cited, found) and min(len(a.split()), len(b.split())) >= 4:
        return 0.95  # a subtitle dropped or added: the same work, if the main title says enough to tell
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    # one title that stops near the other's colon still names the work (subtitle dropped or added, a word off)
    for short, full in ((a, found), (b, cited)):
        main = fold(re.split(r"[:?.]", full, maxsplit=1)[0])
        if main and len(main.split()) >= 4 and main != fold(full) and \
                SequenceMatcher(None, short, main, autojunk=False).ratio() >= 0.97:
            ratio = max(ratio, 0.93)
    # titles that state different numbers name different works ("Cancer statistics, 2019" and "..., 2020");
    # a title cut short at its colon may lose a number, so only numbers on both sides that differ count
    numbers_a, numbers_b = set(re.findall(r"\d+", a)), set(re.findall(r"\d+", b))
    if numbers_a and numbers_b and not (numbers_a <= numbers_b or numbers_b <= numbers_a):
        ratio = min(ratio, DIFFERENT_NUMBERS)
    return round(ratio, 3)


def title_diff(cited: str, found: str) -> str:
    """The words that differ, side by side: "'hepatic' for 'visceral'; added 'new'; dropped 'old'"."""
    cited_words, found_words = (cited or "").split(), (found or "").split()
    a, b = [fold(w) for w in cited_words], [fold(w) for w in found_words]
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        said, real = " ".join(cited_words[i1:i2]), " ".join(found_words[j1:j2])
        if op == "replace":
            parts.append(f"'{said}' for '{real}'")
        elif op == "insert":
            parts.append(f"dropped '{real}'")
        elif op == "delete":
            parts.append(f"added '{said}'")
    return "; ".join(parts)
