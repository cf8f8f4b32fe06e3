"""Bytes of an input file -> text, or a clear reason why not.

Consumes the raw bytes of one file; produces the decoded text (NFC, line ends unified to
"\\n" so that line numbers match the file), the encoding used, and warnings. Accepts
UTF-8, UTF-8 with BOM, UTF-16 with BOM, and falls back to cp1252 with a warning: for
the whole file when no line of it is UTF-8, line by line when the file mixes the two (a
page pasted together from two sources), so that neither half turns into mojibake. A
file cut off inside its last UTF-8 character keeps its text with one U+FFFD and a warning.
Rejects empty, whitespace-only and binary content with `UndecodableInput`; a few stray NUL
bytes are dropped with a warning rather than the whole article.
"""
from __future__ import annotations

import codecs
import unicodedata

from pipeline.messages import say


class UndecodableInput(ValueError):
    """The bytes are not text this pipeline can read; the message says why."""


# A stray NUL or two (a copy-paste, a bad scrape) is dropped with a warning; more mean binary.
MAX_STRAY_NULS = 8


def _drop_stray_nuls(data: bytes, warnings: list[str]) -> bytes:
    """`data` without its NUL bytes when there are only a few (and so not UTF-16 without a BOM)."""
    count = data.count(b"\x00")
    if 0 < count <= MAX_STRAY_NULS:
        warnings.append(say("nul_dropped", count=count))
        return data.replace(b"\x00", b"")
    return data


def _looks_binary(data: bytes, allow_controls: bool = False) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean binary, not text
    (control characters are allowed in a table the pipeline wrote: `allow_controls`)."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if allow_controls:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def unify_line_ends(text: str) -> str:
    """CRLF and lone CR become LF, so that line numbers count as editors count them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_not_utf8(data: bytes, error: UnicodeDecodeError, warnings: list[str]) -> tuple[str, str]:
    """Bytes that are not valid UTF-8: truncated UTF-8, mixed UTF-8 and cp1252, or cp1252."""
    tail, head = data[error.start:], data[:error.start]
    if error.reason == "unexpected end of data" and error.end == len(data) and (
            not head.isascii() or len(tail) > 1):
        # everything before the cut is valid UTF-8 (the first error is at the very end); a lone
        # byte such as 0xE9 after pure ASCII is more likely a cp1252 "é" than a cut
        warnings.append(say("cut_utf8", count=len(data) - error.start))
        return data[:error.start].decode("utf-8") + "\ufffd", "utf-8"
    lines, legacy, utf8_lines = [], [], 0
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8_lines += not line.isascii()
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            legacy.append(number)
    if not utf8_lines:
        warnings.append(say("cp1252", offset=error.start))
        return data.decode("cp1252", errors="replace"), "cp1252"
    shown = ", ".join(map(str, legacy[:10])) + (", …" if len(legacy) > 10 else "")
    warnings.append(say("mixed_encodings", count=len(legacy), lines=shown))
    return "\n".join(lines), "utf-8+cp1252"


def decode(data: bytes, allow_controls: bool = False) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for the bytes of one input file (`allow_controls`: for a CSV
    table, whose cells may hold control characters whatever its byte-order mark)."""
    warnings: list[str] = []
    if not data:
        raise UndecodableInput(say("empty_file"))
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = _drop_stray_nuls(data, warnings)
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:  # most often a file cut off after an odd number of bytes
            text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
            warnings.append(say("cut_utf16", offset=error.start, reason=error.reason))
    else:
        if _looks_binary(data, allow_controls):
            raise UndecodableInput(say("binary"))
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            text, encoding = _decode_not_utf8(data, error, warnings)
    if "\ufffd" in text and not warnings:
        warnings.append(say("replaced_bytes", count=text.count(chr(0xFFFD))))
    text = unicodedata.normalize("NFC", unify_line_ends(text))
    if not text.strip():
        raise UndecodableInput(say("whitespace_only"))
    return text, encoding, warnings
