"""The cited and the corrected citation one above the other, the changed words marked (HTML).

Consumes two citation strings (scraped, untrusted); produces an escaped HTML fragment: the
cited citation with the words the correction drops or changes in `<del>`, and the corrected
citation with the words it adds or changes in `<ins>`. Words are compared without case and
punctuation, and page ranges in full, so a style's own punctuation, capitals and page form
("“Title.”" against "Title.", "136-148" against "136–48") are not marked: what is marked is what differs in substance (an author, a year, the pages).
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache
from html import escape

from pipeline.references import expand_pages


PAGE_RANGE = re.compile(r"[A-Za-z]?\d+[-–][A-Za-z]?\d+")


def _fold(word: str) -> str:
    # a page range counts as its full form ("136–48" is "136-148"), whatever the dash
    bare = word.strip(".,;:()")
    if PAGE_RANGE.fullmatch(bare):
        return expand_pages(bare.replace("–", "-"))
    return re.sub(r"[^\w]", "", word.casefold()) or word


@lru_cache(maxsize=4096)  # a site cites the same works again and again, in the same words
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
