"""Pull-quotes: a short line a page layout sets off between paragraphs, restating the text near it.

Consumes the blocks of one article; produces the same blocks with each pull-quote turned
into kind `pull_quote`, not kept (so it never becomes a claim of its own), and linked by
`restates` to the paragraph it restates (or, for a paraphrase, the paragraph it is set off from).

Two ways a single sentence standing alone is taken for a pull-quote:
- it restates: most of its content words (compared by their first five letters, so
  "overproduce" meets "overproduction") appear in a longer paragraph within a few blocks;
- it is set off (text dumps only, where no mark says so): a page whose paragraphs run to
  several sentences puts one short sentence between two paragraphs, that does not continue
  the flow (no opening connective or pronoun, no colon leading into a list) and shares at
  least one content word with the paragraphs around it. A page written in one-sentence
  paragraphs (news) gives no such line any weight: there a short line is just body.
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
# a set-off line: short, between paragraphs of a page whose paragraphs are mostly longer than one sentence
SET_OFF_WORDS = (6, 30)
MAX_ONE_SENTENCE_SHARE = 1 / 3
LONGER = 2  # each paragraph beside it at least twice its length
# openers that carry the sentence flow on from the paragraph before (a body line, not a quote set apart)
FLOW_OPENERS = frozenset("""this these that those it its they them their he she his her we i here there such
however but and so yet or then also thus therefore still instead moreover furthermore meanwhile likewise
similarly otherwise indeed finally first second next later now today""".split())
FLOW_PHRASE = re.compile(r"^(in (fact|short|addition|contrast|turn|other words|the meantime)|for (example|instance|context)|"
                         r"as a result|at the same time|on the other hand|of course|after all)\b", re.I)
# a reporting line (who said what, a figure, names): the body of a report, not a line set apart
REPORTING = re.compile(r"\b(said|says|told|tells us|according to)\b|(?<![\w-])\d|[:“”\"]", re.I)
MAX_NAMES = 1  # capitalised words after the first
PROSE = (BlockKind.BODY, BlockKind.LIST_ITEM)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-zA-Z][a-zA-Z\-]+", text.lower())
    return {w[:5] for w in words if w not in STOPWORDS and len(w) > 2}


def _one_sentence(text: str) -> bool:
    return len(re.findall(r"[.!?](\s|$)", text.strip())) <= 1 and len(text.split()) <= MAX_WORDS


def _is_paragraph(block: Block | None, words: int = 0) -> bool:
    """A kept prose block of more than one sentence, at least LONGER times `words` long."""
    return (block is not None and block.kind in PROSE and block.kept and not _one_sentence(block.text)
            and len(block.text.split()) >= LONGER * words)


def _long_paragraph_page(blocks: list[Block]) -> bool:
    """True when the page's body paragraphs mostly run to several sentences, so that a one-sentence
    line stands out as set apart rather than being the page's own way of writing."""
    body = [b for b in blocks if b.kind == BlockKind.BODY and b.kept]
    short = sum(_one_sentence(b.text) for b in body)
    return bool(body) and short <= MAX_ONE_SENTENCE_SHARE * len(body)


def _continues_flow(text: str) -> bool:
    """The line opens with a connective or pronoun that carries on from the paragraph before."""
    text = text.strip().lstrip("\"“‘'(")
    return bool(text) and (text.split()[0].lower().rstrip(",") in FLOW_OPENERS or bool(FLOW_PHRASE.match(text)))


def _set_off(blocks: list[Block], i: int) -> bool:
    """Block i is a short line standing between paragraphs that does not carry their flow on."""
    text = blocks[i].text.strip()
    if text[:1] in "\"“" and text[-1:] in "\"”":
        text = text[1:-1].strip()  # a line wholly in quote marks: the marks set it apart, they are no reporting
    words = text.split()
    if not SET_OFF_WORDS[0] <= len(words) <= SET_OFF_WORDS[1] or not re.search(r"[.!?][\"”’]?$", text):
        return False
    if REPORTING.search(text) or sum(w[:1].isupper() for w in words[1:]) > MAX_NAMES:
        return False
    before = blocks[i - 1] if i > 0 else None
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    if not _is_paragraph(before, len(words)) or (after is not None and after.kind == BlockKind.LIST_ITEM):
        return False
    return after is None or _is_paragraph(after, len(words)) or after.kind not in PROSE


def _restated(blocks: list[Block], i: int, quote: set[str]) -> tuple[Block | None, float]:
    """The longer prose block within NEAR blocks sharing most of the quote's content words, and the share."""
    best, best_overlap = None, 0.0
    for j in range(max(0, i - NEAR), min(len(blocks), i + NEAR + 1)):
        other = blocks[j]
        if j == i or other.kind not in PROSE or not other.kept:
            continue
        if len(other.text) <= len(blocks[i].text) * 1.5:
            continue
        overlap = len(quote & _stems(other.text)) / len(quote)
        if overlap > best_overlap:
            best, best_overlap = other, overlap
    return best, best_overlap


def mark_pull_quotes(blocks: list[Block], candidates: set[str] | None = None) -> list[Block]:
    """`candidates`: block_ids that may be pull-quotes (for HTML, the blockquotes); None: any body block."""
    out = list(blocks)
    paraphrases = candidates is None and _long_paragraph_page(blocks)
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.BODY or not block.kept or not _one_sentence(block.text):
            continue
        if candidates is not None and block.block_id not in candidates:
            continue
        quote = _stems(block.text)
        if len(quote) < 4:
            continue
        if candidates is None and _continues_flow(block.text):
            continue  # unmarked, a line that carries the paragraph before it on is body
        best, overlap = _restated(blocks, i, quote)
        if best is not None and overlap >= MIN_OVERLAP and (candidates is not None or paraphrases):
            reason = f"pull-quote restating {best.block_id} ({overlap:.0%} of its words)"
        elif paraphrases and (overlap > 0 or quote & _stems(block.heading)) and _set_off(blocks, i):
            best = best if overlap > 0 else blocks[i - 1]
            reason = f"pull-quote set off between paragraphs after {blocks[i - 1].block_id} ({overlap:.0%} of its words near)"
        else:
            continue
        out[i] = replace(block, kind=BlockKind.PULL_QUOTE, kept=False, restates=best.block_id, reason=reason)
    return out
