"""Claims stage: kept text -> one scored `Claim` per sentence.

Consumes the documents from ingest and reads their kept body, list-item, table-row and
closing blocks (never captions, pull-quotes, glossary, boilerplate or references). Produces
one `Claim` per sentence, in document order, so that no sentence is hidden from a
reviewer: its claim score and the cues behind it (claim_cues.py), `is_claim` from the
threshold, and the holes scraping left in it (scrape_damage.py). A table row is one claim
whose text names its columns. Sentences are split by spaCy in one `nlp.pipe` over the
blocks, in batches, taking the parses ingest already made for the same text (a `ParseMemo`);
runs over many articles are split by article (pipeline.executor), so no Doc crosses a
process boundary.

`claim_id` is "C" + 12 hex digits of sha1(article + newline + normalised sentence), so an
id survives reruns and edits elsewhere in the article; a repeat of the same sentence in
one article gets "-2", "-3".
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable, Sequence

from pipeline.claims.model import score_claim, threshold as model_threshold
from pipeline.linking import NUMERIC_RE, SUPERSCRIPT_RE
from pipeline.models import Block, BlockKind, Claim, Document
from pipeline.claims.scrape_damage import find_damage
from pipeline.ingest import pieces_of

CLAIM_KINDS = (BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, BlockKind.CLOSING)
# a block longer than this (a page's whole text in one paragraph) is parsed in slices: spaCy
# refuses texts over nlp.max_length, and a batch of 64 slices of 100,000 characters took gigabytes
SLICE_CHARS = 5_000


# A "sentence" that is nothing but citation markers ("[1–3].", "(Kahn et al., 2006).") is the
# tail of the one before it, cut off by the splitter after that sentence's full stop.
MARKERS_ONLY = re.compile(r"^(?:\s*(?:" + NUMERIC_RE.pattern + "|" + SUPERSCRIPT_RE.pattern +
                          r"|\([^()]{4,400}\d{4}[a-z]?\)))+\s*[.;,]?\s*$")


# a piece that ends in a numeric marker with no full stop before it
MARKER_CUT = re.compile(r"[^.!?\s]\s*(?:" + NUMERIC_RE.pattern + r"\s*)+$")
LEADING_MARKERS = re.compile(r"^(?:\s*(?:" + NUMERIC_RE.pattern + "|" + SUPERSCRIPT_RE.pattern + r"))+")
# a piece that ends in an author-year citation with no full stop after it: "... as shown (Kahn et al., 2006)"
AUTHOR_YEAR_CUT = re.compile(r"\([^()]{2,400}\d{4}[a-z]?\)\s*$")
# no sentence starts with these: the splitter cut after a marker the sentence goes on from
CONTINUATION_START = re.compile(r"^(?:[,;:)\]}]|(?:…|\.\.\.)\s*[a-z]|\W*$)")
BRACKET_REACH = 600  # characters within which the next piece must close a bracket the previous left open


def _continues(previous: str, text: str) -> bool:
    """Whether the splitter's cut between `previous` and `text` was mid-sentence: `text` starts
    with punctuation ("..., [3], [4] and in vitro [6]" cut after "[2]"), or in lower case after a
    marker with no full stop ("an open source [17] | codec to play ..."), or closes a bracket
    `previous` left open ("Smith et al. [ | 7]", a long "(Jones and Patel, 1988; | Garcia et al,
    1999; ...)" list, "(National Institute on ... | [NIDCD], 2022)")."""
    if not previous or CONTINUATION_START.match(text):
        return bool(previous)
    if text[:1].islower() and (MARKER_CUT.search(previous) or AUTHOR_YEAR_CUT.search(previous)):
        return True
    for opening, closing in ("()", "[]"):
        if previous.count(opening) > previous.count(closing):
            closes, opens = text.find(closing), text.find(opening)
            if 0 <= closes < BRACKET_REACH and (opens < 0 or closes < opens):
                return True
    return False


def sentences_of(doc) -> list:
    """The sentences of a parsed block, with citation markers given back to the sentence they
    close: a piece that is only markers joins the sentence before it, a piece that closes a
    bracket the sentence before left open joins it, markers that open a sentence after a full
    stop ("... free. [3] One day later, ...", as pages print them after the stop) move to the
    end of the sentence before, and a cut mid-sentence (`_continues`) is undone."""
    spans: list = []
    for sentence in doc.sents:
        if spans and MARKERS_ONLY.match(sentence.text):
            spans[-1] = doc[spans[-1].start:sentence.end]
            continue
        leading = LEADING_MARKERS.match(sentence.text) if spans else None
        if leading:
            end_char = sentence.start_char + leading.end()
            split = next((t.i for t in sentence if t.idx >= end_char), sentence.end)
            if sentence.start < split < sentence.end:
                spans[-1] = doc[spans[-1].start:split]
                sentence = doc[split:sentence.end]
        if _continues(spans[-1].text if spans else "", sentence.text):
            spans[-1] = doc[spans[-1].start:sentence.end]
            continue
        spans.append(sentence)
    return spans


def normalise_sentence(sentence: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", sentence)).strip().casefold()


def claim_id(article: str, sentence: str) -> str:
    digest = hashlib.sha1(f"{article}\n{normalise_sentence(sentence)}".encode("utf-8")).hexdigest()
    return f"C{digest[:12]}"


def claim_blocks(documents: Sequence[Document]) -> list[Block]:
    return [b for d in documents for b in d.blocks if b.kept and b.kind in CLAIM_KINDS and b.text.strip()]


def _slices(text: str) -> Iterable[str]:
    """Pieces of at most SLICE_CHARS, cut after a sentence end or at a space where possible."""
    return pieces_of(text, SLICE_CHARS)


def _lemmatizer(nlp):
    """The pipeline's lemmatizer (None when it has none), for parses made without it."""
    return nlp.get_pipe("lemmatizer") if nlp is not None and "lemmatizer" in nlp.pipe_names else None


def extract_claims(documents: Sequence[Document], threshold: float | None = None, nlp=None, batch_size: int = 64,
                   progress=None, memo=None) -> list[Claim]:
    """Every sentence of the kept claim-bearing blocks of `documents`, scored.

    `memo` (an `nlp.ParseMemo`) holds parses made earlier for the same text (the caption
    detector's), taken instead of parsing again; `progress` (a `Progress` over the blocks)
    advances as blocks are done. Parallel runs split the work by article (pipeline.executor).
    `threshold` None is the claim model's own (the F1-best on held-out debates)."""
    blocks = claim_blocks(documents)
    threshold = model_threshold() if threshold is None else threshold
    if nlp is None and memo is None:
        from pipeline.nlp import load_nlp

        nlp = load_nlp(disable=("ner",))
    tasks = [(piece, index) for index, block in enumerate(blocks) for piece in _slices(block.text)]
    claims: list[Claim] = []
    seen: dict[tuple[str, str], int] = {}
    done = 0  # blocks before this index are finished
    parsed = memo.pipe(tasks, batch_size=batch_size) if memo is not None else \
        nlp.pipe(tasks, as_tuples=True, batch_size=batch_size)
    lemmatize = _lemmatizer(memo.nlp if memo is not None else nlp)
    for doc, index in parsed:
        if lemmatize is not None and len(doc) and not doc[0].lemma_:
            # the caption detector's parses skip the lemmatizer; the cues read lemmas
            lemmatize(doc)
        if progress is not None and index > done:
            progress.advance(index - done)
            done = index
        block = blocks[index]
        from_table = block.kind == BlockKind.TABLE_ROW
        sentences = [doc[:]] if from_table else sentences_of(doc)
        for sentence in sentences:
            text = sentence.text.strip()
            if not text:
                continue
            score, cues = score_claim(sentence, from_table=from_table)
            damage = () if from_table else find_damage(sentence)
            base = claim_id(block.article, text)
            key = (block.article, base)
            seen[key] = seen.get(key, 0) + 1
            claims.append(Claim(
                article=block.article,
                claim_id=base if seen[key] == 1 else f"{base}-{seen[key]}",
                block_id=block.block_id,
                source_line=block.source_line,
                section=block.section,
                heading=block.heading,
                sentence=text,
                claim_score=score,
                is_claim=score >= threshold,
                cues=cues,
                scrape_damage=damage,
            ))
    if progress is not None and len(blocks) > done:
        progress.advance(len(blocks) - done)
    return claims
