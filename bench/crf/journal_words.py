"""The journal-word lexicon of the labeller's features (pipeline/references/crf_journal_words.txt).

Consumes the training part's journal names and titles (AnyStyle training sequences, the project's
Crossref fixtures) and the abbreviations records.py writes journal names with; produces one line per word
that is much more often part of a journal's name than of a title ("journal", "j", "physiol", "lancet"),
with its class: `hi` (>= 0.8 of its uses in journal names) or `mid` (>= 0.4). Built before each fit,
from training data only, so the features of the held-out parts never depend on them.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from records import ABBREVIATIONS, _pools_from_anystyle, _pools_from_crossref

from pipeline.references import crf_features

OUT = Path(crf_features.__file__).with_name("crf_journal_words.txt")
WORD = re.compile(r"[^\W\d_]+")


def build(sequences, out: Path = OUT) -> int:
    _, titles, journals = (a + b for a, b in zip(_pools_from_anystyle(sequences), _pools_from_crossref()))
    in_journals = Counter(w.casefold() for j in journals for w in set(WORD.findall(j)))
    in_titles = Counter(w.casefold() for t in titles for w in set(WORD.findall(t)))
    for short in ABBREVIATIONS.values():
        in_journals[short.casefold()] += 3
    lines = []
    for word, count in sorted(in_journals.items()):
        share = count / (count + in_titles[word])
        if count >= 2 and share >= 0.4 and len(word) > 1 or share >= 0.8 and count >= 3:
            lines.append(f"{word} {'hi' if share >= 0.8 else 'mid'}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    crf_features.journal_words.cache_clear()
    return len(lines)
