"""A line whose line ends were lost -> paragraph-sized pieces, before anything parses it.

Consumes one line of text (or one block: the claims stage slices a huge HTML paragraph with
`pieces_of` before spaCy, which would otherwise take 50 slices of 100,000 characters in one
batch: 2.4 GB for a 1 MB paragraph); produces pieces of at most `limit` characters, cut after a
sentence end where there is one in the second half of a piece, else at the last space, else
hard at the limit, in one pass (time and memory linear in the line). A 5 MB article saved on
one line becomes some thousand body paragraphs instead of one block that the caption
detector, the claims stage and spaCy each take whole (10 GB of memory, the prose lost).
"""
from __future__ import annotations

import re
from typing import Iterator

# longer than any paragraph of the labelled sets (their longest is about 2,600 characters)
LONG_LINE_CHARS = 5_000
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def pieces_of(text: str, limit: int = LONG_LINE_CHARS) -> Iterator[str]:
    """`text` in consecutive pieces of at most `limit` characters that join back to `text` exactly."""
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        ends = [m.end() for m in SENTENCE_END.finditer(window, limit // 2)]
        cut = ends[-1] if ends else (window.rfind(" ") + 1 or limit)
        yield window[:cut]
        start += cut
    yield text[start:]


def paragraphs_of(line: str, limit: int = LONG_LINE_CHARS) -> list[str]:
    """`line` cut into stripped pieces of at most `limit` characters (the line itself when short)."""
    if len(line) <= limit:
        return [line]
    return [piece.strip() for piece in pieces_of(line, limit) if piece.strip()]
