"""The cited and the corrected citation one above the other, the changed words marked (HTML).

Consumes two citation strings (scraped, untrusted); produces an escaped HTML fragment: the
cited citation with the words the correction drops or changes in `<del>`, and the corrected
citation with the words it adds or changes in `<ins>`. Words are compared without case and
punctuation, so a style's own punctuation and capitals ("“Title.”" against "Title.") are not
marked: what is marked is what differs in substance (an author, a year, the pages).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from html import escape


def _fold(word: str) -> str:
    # "840–846" and "840-6" stay distinct; a dash's kind does not count
    return re.sub(r"[^\w]", "", word.replace("–", "-").casefold()) or word


def marked_words(cited: str, corrected: str) -> tuple[str, str]:
    """(cited, corrected) as HTML, each word the other lacks wrapped in <del> / <ins>."""
    a, b = cited.split(), corrected.split()
    matcher = SequenceMatcher(None, [_fold(w) for w in a], [_fold(w) for w in b], autojunk=False)
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = " ".join(a[i1:i2]), " ".join(b[j1:j2])
        if tag == "equal":
            left.append(escape(old))
            right.append(escape(new))
            continue
        if old:
            left.append(f"<del>{escape(old)}</del>")
        if new:
            right.append(f"<ins>{escape(new)}</ins>")
    return " ".join(left), " ".join(right)


def stacked(cited: str, corrected: str, style: str) -> str:
    """The two citations one above the other, labelled, for a reference's cell in the report."""
    old, new = marked_words(cited, corrected)
    return (f'<div class="fix"><div><span class="muted">cited:</span> {old}</div>'
            f'<div><span class="muted">corrected ({escape(style)}):</span> {new}</div></div>')
