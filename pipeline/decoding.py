"""Bytes of an input file -> text, or a clear reason why not.

Consumes the raw bytes of one file; produces the decoded text (NFC, line ends unified to
"\\n" so that line numbers match the file), the encoding used, and warnings. Accepts
UTF-8, UTF-8 with BOM, UTF-16 with BOM, and falls back to cp1252 with a warning.
Rejects empty, whitespace-only and binary content with `UndecodableInput`.
"""
from __future__ import annotations

import codecs
import unicodedata


class UndecodableInput(ValueError):
    """The bytes are not text this pipeline can read; the message says why."""


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KiB mean binary, not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 100)


def unify_line_ends(text: str) -> str:
    """CRLF and lone CR become LF, so that line numbers count as editors count them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for the bytes of one input file."""
    warnings: list[str] = []
    if not data:
        raise UndecodableInput("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UndecodableInput(f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({error})") from None
    else:
        if _looks_binary(data):
            raise UndecodableInput("binary content (NUL or control bytes), not a text or HTML article")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
            warnings.append(f"not valid UTF-8 (byte {error.start}); decoded as cp1252 (Windows-1252), "
                            "check accented characters")
    if "\ufffd" in text and encoding != "cp1252":
        warnings.append(f"{text.count(chr(0xFFFD))} undecodable byte(s) replaced by U+FFFD")
    text = unicodedata.normalize("NFC", unify_line_ends(text))
    if not text.strip():
        raise UndecodableInput("the file holds only whitespace")
    return text, encoding, warnings
