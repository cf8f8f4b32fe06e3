"""Which of the walker's kept blocks are the article body, by trafilatura's body text.

Consumes the blocks of one page in document order (the walker's own classification: body,
list items, table rows, headings, captions, references...) and the page's `BodyText`;
produces the same blocks, the kept reader blocks that the body does not hold turned into
removed boilerplate with the reason. Two kinds of evidence of our own override the extractor:
a paragraph that cites the page's reference list ("[1-3]", a superscript number) is article
prose (boilerplate cites nothing), and the reference list's heading stays (trafilatura drops
reference lists). When the extractor left out much of the region's long prose, a second, slower
opinion (trafilatura with its readability/justext comparison) is asked and the two bodies joined.
Also says why a page kept no article text at all (`why_empty`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from pipeline.ingest.blocks import REFERENCE_HEADING
from pipeline.ingest.main_content import BODY_SHARE, BodyText, words
from pipeline.linking import NUMERIC_RE, SUPERSCRIPT_RE
from pipeline.models import Block, BlockKind

READER_KINDS = (BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.HEADING, BlockKind.SECTION,
                BlockKind.CLOSING)
TEXT_KINDS = (BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.CLOSING)
PROSE_WORDS = 15            # a paragraph this long is prose, not a label or a menu line
SECOND_OPINION_SHARE = 1.0  # more long prose left out than text kept: ask the second opinion


def cites_a_source(text: str) -> bool:
    """Whether a paragraph carries a numeric citation marker ("[3]", "[1-3]", a superscript: the
    linker's own public patterns; HTML <sup> numbers reach here as "[n]")."""
    if not any(c in text for c in "[⁰¹²³⁴⁵⁶⁷⁸⁹"):  # every marker pattern needs one of these
        return False
    return bool(NUMERIC_RE.search(text) or SUPERSCRIPT_RE.search(text))


def _left_out_share(blocks: list[Block], shares: dict, body: BodyText) -> float:
    """Words of long kept prose the body does not hold, per word of kept text it holds (a second
    copy of a paragraph kept above is not prose the extractor missed)."""
    left_out = kept = 0
    for block in blocks:
        if block.kept and block.kind in READER_KINDS:
            n_words = len(block.original_text.split())
            if shares[block.block_id] >= BODY_SHARE:
                kept += n_words
            elif block.kind in (BlockKind.BODY, BlockKind.LIST_ITEM) and n_words >= PROSE_WORDS \
                    and body.coverage(block.original_text) < BODY_SHARE:
                left_out += n_words
    return left_out / max(kept, 1)


def _judged(block: Block, shares: dict, has_references: bool) -> Block:
    if not block.kept or block.kind not in READER_KINDS:
        return block
    if block.kind == BlockKind.SECTION and REFERENCE_HEADING.match(block.original_text):
        return block
    share = shares[block.block_id]
    if share >= BODY_SHARE or (has_references and block.kind in TEXT_KINDS and cites_a_source(block.original_text)):
        return block
    return replace(block, kind=BlockKind.BOILERPLATE, kept=False,
                   reason=f"not in the article body (text and link density; {share:.0%} of it in trafilatura's body)")


def judge_blocks(blocks: list[Block], body: BodyText, second_opinion: Callable[[], BodyText]) -> list[Block]:
    """The blocks with those outside the article body removed (see the module docstring)."""
    shares = _shares(blocks, body)
    if _left_out_share(blocks, shares, body) >= SECOND_OPINION_SHARE:
        other = second_opinion()
        if other:
            shares = _shares(blocks, BodyText(body.text + "\n" + other.text))
    has_references = any(b.kind == BlockKind.REFERENCE for b in blocks)
    return [_judged(b, shares, has_references) for b in blocks]


def _shares(blocks: list[Block], body: BodyText) -> dict:
    """block id -> the share of a kept reader block's text that is in the body, in document order,
    each stretch of the body claimed once: a teaser or a second copy of a paragraph kept above
    (related-post cards quoting the lead, a print copy of the story) finds its words taken."""
    left = Counter(body.trigrams_in_order)
    shares = {}
    for block in blocks:
        if block.kept and block.kind in READER_KINDS:
            tokens = words(block.original_text)
            if len(tokens) < 3:
                shares[block.block_id] = body.coverage(block.original_text, tokens)
                continue
            grams = list(zip(tokens, tokens[1:], tokens[2:]))
            count = left.get  # not left[g]: a Counter answers a missing key through Python's __missing__
            share = sum(count(g, 0) > 0 for g in grams) / len(grams)
            if share >= BODY_SHARE:
                left.subtract(grams)
            shares[block.block_id] = share
    return shares


def why_empty(blocks: list[Block], body_found: bool) -> str:
    """Why a page kept no article text ("" when it kept some): what the removed blocks were."""
    if any(b.kept and b.kind in TEXT_KINDS for b in blocks):
        return ""
    reasons = Counter(b.reason.split(" (")[0].split(": '")[0] for b in blocks if not b.kept and b.reason)
    if not reasons:
        return "the page has no visible text"
    found = "trafilatura found an article body" if body_found else "trafilatura found no article body"
    removed = "; ".join(f"{n} removed as {reason}" for reason, n in reasons.most_common(3))
    return f"{found}, and every block of text was removed: {removed}"
