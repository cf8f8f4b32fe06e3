"""Pull-quotes: a short line a page layout sets off between paragraphs, restating the text near it.

Consumes the blocks of one article; produces the same blocks with each pull-quote turned
into kind `pull_quote`, not kept (so it never becomes a claim of its own), and linked by
`restates` to the paragraph it restates (or, for a paraphrase, the paragraph it is set off from).

Two ways a short line standing alone is taken for a pull-quote:
- it restates: a single sentence most of whose content words (compared by their first five
  letters, so "overproduce" meets "overproduction") appear in a longer paragraph within a few blocks;
- it is set off (text dumps only, where no mark says so): on a page whose paragraphs run to
  several sentences, a line of one sentence or two short ones, at most half as long as the
  paragraphs around it, standing between two paragraphs (or between a heading or caption and a
  paragraph), that does not carry the flow on (no opening connective, pronoun or sentence adverb,
  no colon, no reporting verb or names; a line wholly in quote marks is fine) and shares at least
  one content word with the paragraphs near it or its heading. A paraphrase is caught this way.
A page written in one-sentence paragraphs (news) gives no short line weight: there it is body,
and an unmarked line opening with a connective is body on any page.
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
SET_OFF_WORDS = (4, 30)
MAX_ONE_SENTENCE_SHARE = 1 / 3
TWO_SHORT = 24  # words: two sentences this short read as one line set apart
LONGER = 2  # each paragraph beside it at least twice its length
# openers that carry the sentence flow on from the paragraph before (a body line, not a quote set apart)
FLOW_OPENERS = frozenset("""this these that those it its they them their he she his her we i here there such
however but and so yet or then also thus therefore still instead moreover furthermore meanwhile likewise
similarly otherwise indeed finally first second next later now today hence accordingly""".split())
FLOW_PHRASE = re.compile(r"^(in (fact|short|addition|contrast|turn|other words|the meantime|conclusion|summary|sum)|"
                         r"for (example|instance|context)|"
                         r"as a result|at the same time|on the other hand|of course|after all)\b", re.I)
# a reporting line (who said what, a figure, names): the body of a report, not a line set apart
REPORTING = re.compile(r"\b(said|says|told|tells us|according to)\b|[:“”\"]", re.I)
ATTRIBUTION = re.compile(r"(?<=[\"”])\s*[—–-]\s*[^.!?\"“”]{1,40}$")  # '" — Reader, Oslo'
MAX_NAMES = 1  # capitalised words after the first
PROSE = (BlockKind.BODY, BlockKind.LIST_ITEM)


def _stems(text: str) -> set[str]:
    words = re.findall(r"[a-zA-Z][a-zA-Z\-]+", text.lower())
    return {w[:5] for w in words if w not in STOPWORDS and len(w) > 2}


def _one_sentence(text: str) -> bool:
    return len(re.findall(r"[.!?](\s|$)", text.strip())) <= 1 and len(text.split()) <= MAX_WORDS


def _short_line(text: str) -> bool:
    """One sentence, or two short ones ("Light sets the clock. Melatonin says night has come.")."""
    return _one_sentence(text) or len(re.findall(r"[.!?](\s|$)", text.strip())) <= 2 and len(text.split()) <= TWO_SHORT


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
    first = text.split()[0].lower() if text else ""
    # "Interestingly, ...", "Similarly, ...": a sentence adverb comments on what came before
    return bool(text) and (first.rstrip(",") in FLOW_OPENERS or bool(FLOW_PHRASE.match(text))
                           or bool(re.fullmatch(r"[a-z]+ly,", first)))


def _quoted(text: str) -> str:
    """The words of a line wholly in quote marks, with or without an attribution after a dash
    ('"Every feed is a message." — Lactation consultant'), or "": such a line is set apart by its marks."""
    text = ATTRIBUTION.sub("", text.strip())
    return text[1:-1].strip() if text[:1] in "\"“" and text[-1:] in "\"”" and len(text) > 2 else ""


def _set_off(blocks: list[Block], i: int) -> bool:
    """Block i is a short line standing between paragraphs that does not carry their flow on."""
    text = _quoted(blocks[i].text) or blocks[i].text.strip()
    words = text.split()
    if not SET_OFF_WORDS[0] <= len(words) <= SET_OFF_WORDS[1] or not re.search(r"[.!?][\"”’]?$", text):
        return False
    names = sum(bool(re.match(r"[A-Z][a-z]", w)) for w in words[1:])  # acronyms ("HRV", "D") are terms, not names
    if REPORTING.search(text) or names > MAX_NAMES:
        return False
    before = blocks[i - 1] if i > 0 else None
    after = blocks[i + 1] if i + 1 < len(blocks) else None
    if after is not None and after.kind == BlockKind.LIST_ITEM:
        return False  # a line leading into a list introduces it
    if _is_paragraph(before, len(words)):
        return after is None or _is_paragraph(after, len(words)) or after.kind not in PROSE
    # right under a heading or a picture's caption, with a paragraph after it
    return before is not None and before.kind not in PROSE and _is_paragraph(after, len(words))


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
        if block.kind != BlockKind.BODY or not block.kept or not _short_line(block.text):
            continue
        if candidates is not None and block.block_id not in candidates:
            continue
        quote = _stems(block.text)
        if len(quote) < 3 or candidates is None and _continues_flow(block.text):
            continue  # unmarked, a line that carries the paragraph before it on is body
        best, overlap = _restated(blocks, i, quote)
        if best is not None and overlap >= MIN_OVERLAP and (candidates is not None or paraphrases) \
                and _one_sentence(block.text) and len(quote) >= 4:
            reason = f"pull-quote restating {best.block_id} ({overlap:.0%} of its words)"
        elif paraphrases and (overlap > 0 or quote & _stems(block.heading) or _quoted(block.text)) \
                and _set_off(blocks, i):
            if overlap == 0:  # it names its section's subject: the paragraph it is set off from
                best = next(b for b in blocks[i - 1:i + 2] if b.kind in PROSE and b is not block)
            reason = f"pull-quote set off between paragraphs, near {best.block_id} ({overlap:.0%} of its words)"
        else:
            continue
        out[i] = replace(block, kind=BlockKind.PULL_QUOTE, kept=False, restates=best.block_id, reason=reason)
    return out
