"""Pull-quotes: a one-sentence restatement of a neighbouring paragraph.

Consumes the blocks of one article; produces the same blocks with each pull-quote turned
into kind `pull_quote`, not kept (so it never becomes a claim of its own), and linked by
`restates` to the paragraph it restates. A block is a pull-quote when it is a single
sentence standing alone and most of its content words (compared by their first five
letters, so "overproduce" meets "overproduction") appear in a longer paragraph within a
few blocks before or after it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from pipeline.models import Block, BlockKind

STOPWORDS = frozenset("""a an the and or but of to in on for with by from as at into that this these those is are
was were be been being it its their his her our your you we they which who whom whose what when where while
than then so such not no can may might will would should could has have had do does did more most less very
also only both each other through over under about between within without after before during""".split())
NEAR = 6
MIN_OVERLAP = 0.33
MAX_WORDS = 40


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-zA-Z][a-zA-Z\-]+", text.lower())
    return {w[:5] for w in words if w not in STOPWORDS and len(w) > 2}


def _one_sentence(text: str) -> bool:
    return len(re.findall(r"[.!?](\s|$)", text.strip())) <= 1 and len(text.split()) <= MAX_WORDS


def mark_pull_quotes(blocks: list[Block], candidates: set[str] | None = None) -> list[Block]:
    """`candidates`: block_ids that may be pull-quotes (for HTML, the blockquotes); None: any body block."""
    out = list(blocks)
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.BODY or not block.kept or not _one_sentence(block.text):
            continue
        if candidates is not None and block.block_id not in candidates:
            continue
        quote = _stems(block.text)
        if len(quote) < 4:
            continue
        best, best_overlap = None, 0.0
        for j in range(max(0, i - NEAR), min(len(blocks), i + NEAR + 1)):
            other = blocks[j]
            if j == i or other.kind not in (BlockKind.BODY, BlockKind.LIST_ITEM) or not other.kept:
                continue
            if len(other.text) <= len(block.text) * 1.5:
                continue
            overlap = len(quote & _stems(other.text)) / len(quote)
            if overlap > best_overlap:
                best, best_overlap = other, overlap
        if best is not None and best_overlap >= MIN_OVERLAP:
            out[i] = replace(block, kind=BlockKind.PULL_QUOTE, kept=False, restates=best.block_id,
                             reason=f"pull-quote restating {best.block_id} ({best_overlap:.0%} of its words)")
    return out
