"""Ingest: input files -> `Document`s of ordered, labelled blocks.

Consumes the files of the raw folder (`.txt` scraped text dumps, `.html`/`.htm` pages);
produces one `Document` per file: how it was decoded, its content hash, and its blocks
(kind, section, heading, text, source line, kept, reason). This is the only module that
reads raw/. A file that cannot be read raises `IngestError`, whose message names the
file and what is wrong; the runner records it and goes on with the other files.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.messages import say
from pipeline.ingest.decoding import UndecodableInput, decode
from pipeline.models import BlockKind, Document
from pipeline.settings import Settings

SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html"}
DEFAULT_MAX_BYTES = Settings().max_file_bytes  # one limit for the CLI and direct calls (16 MB)


class IngestError(Exception):
    """One input file could not be ingested; str() names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = str(path), problem


def discover_inputs(raw_dir: Path) -> list[Path]:
    """The article files of a folder (.txt, .html, .htm, any case), sorted by name."""
    return sorted((p for p in Path(raw_dir).iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith(".")),
                  key=lambda p: p.name)


def _check_file(path: Path, raw_dir: Path | None) -> int:
    """The size of a readable regular file inside `raw_dir`, or IngestError.

    Checked before any byte is read: a symbolic link out of the input folder is not
    followed (it could point at /dev/zero or at a private file), and a FIFO or device
    would never end.
    """
    if path.is_symlink() and raw_dir is not None:
        try:
            target = path.resolve()
        except (OSError, RuntimeError):  # Python raises RuntimeError for a link that loops
            raise IngestError(path, say("symlink_loop")) from None
        if not target.is_relative_to(Path(raw_dir).resolve()):
            raise IngestError(path, say("symlink_outside", target=target))
    try:
        size = path.stat().st_size
    except OSError as error:
        raise IngestError(path, say("cannot_read", reason=error.strerror or error)) from None
    if not path.is_file():
        raise IngestError(path, say("not_regular"))
    return size


def _read_bytes(path: Path, max_bytes: int, raw_dir: Path | None = None) -> bytes:
    size = _check_file(path, raw_dir)
    if size > max_bytes:
        # MB as --max-file-mb counts them (2**20 bytes), so that the message and the flag agree
        raise IngestError(path, say("too_large", size=size / 2**20, limit=max_bytes / 2**20))
    try:
        return path.read_bytes()
    except OSError as error:
        raise IngestError(path, say("cannot_read", reason=error.strerror or error)) from None


def file_fingerprint(path: Path, raw_dir: Path | None = None) -> str:
    """The content hash the runner uses to skip unchanged articles.

    Streams the file (one over the size limit is hashed without being held in memory;
    ingest_path rejects it afterwards) and applies ingest_path's checks first, with the
    file's own folder as the input folder by default (the runner's paths come from
    discover_inputs, so that folder is raw/).
    """
    path = Path(path)
    _check_file(path, raw_dir if raw_dir is not None else path.parent)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise IngestError(path, say("cannot_read", reason=error.strerror or error)) from None
    return digest.hexdigest()


def _caption_parser():
    """text -> spaCy Doc for the caption detector (its grammar features and context vectors),
    when the caller brings no parser of its own: the claims stage's model (loaded once per
    process, on the first parse: an article may need none), the lemmatizer skipped per call."""
    from pipeline.nlp import load_nlp

    return lambda text: load_nlp(disable=("ner",))(text, disable=["lemmatizer"])


def build_document(text: str, article: str, source_format: str, path: str = "", encoding: str = "utf-8",
                   content_hash: str = "", warnings: tuple[str, ...] = (), parse=None, prefetch=None) -> Document:
    if source_format == "html":
        from pipeline.ingest.html_page import ingest_html_blocks

        blocks, html_warnings = ingest_html_blocks(text, article, parse=parse or _caption_parser())
        warnings = tuple(warnings) + tuple(html_warnings)
    else:
        from pipeline.ingest.text_dump import ingest_text_units

        blocks = ingest_text_units(text, article, parse=parse or _caption_parser(), prefetch=prefetch)
    if not any(b.kept and b.kind in (BlockKind.BODY, BlockKind.LIST_ITEM, BlockKind.TABLE_ROW) for b in blocks) \
            and not any(w.startswith("no article text was kept") for w in warnings):  # the HTML ingest says why
        warnings = tuple(warnings) + (say("no_text_kept"),)
    if not any(b.kind == BlockKind.REFERENCE for b in blocks):
        warnings = tuple(warnings) + (say("no_reference_list"),)
    return Document(article=article, path=path, source_format=source_format, encoding=encoding,
                    content_hash=content_hash or hashlib.sha256(text.encode()).hexdigest(),
                    blocks=tuple(blocks), warnings=tuple(warnings))


def ingest_text(text: str, article: str) -> Document:
    return build_document(text, article, "txt")


def ingest_html(html: str | bytes, article: str) -> Document:
    if isinstance(html, bytes):
        html, _, _ = decode(html)
    return build_document(html, article, "html")


def read_input(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, raw_dir: Path | None = None) -> bytes:
    """The bytes of one input file, checked (type, size, a link out of the folder) before reading."""
    path = Path(path)
    if SUFFIXES.get(path.suffix.lower()) is None:
        raise IngestError(path, say("unsupported_type", suffix=path.suffix))
    return _read_bytes(path, max_bytes, raw_dir or path.parent)


def ingest_bytes(data: bytes, path: Path | str, memo=None) -> Document:
    """The bytes of one input file as a Document (no file is read: this runs anywhere).
    `memo` (an `nlp.ParseMemo`) parses for the caption detector, in batches, and keeps the
    parses for the claims stage (default: the process's model, nothing kept).
    IngestError names the file and the problem."""
    path = Path(path)
    try:
        text, encoding, warnings = decode(data)
    except UndecodableInput as error:
        raise IngestError(path, str(error)) from None
    try:
        return build_document(text, path.stem, SUFFIXES[path.suffix.lower()], path=str(path), encoding=encoding,
                              content_hash=hashlib.sha256(data).hexdigest(), warnings=tuple(warnings),
                              parse=memo.parse if memo else None, prefetch=memo.prefetch if memo else None)
    except RecursionError:
        raise IngestError(path, say("nested_too_deep")) from None


def ingest_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, raw_dir: Path | None = None) -> Document:
    """One input file as a Document; IngestError names the file and the problem."""
    return ingest_bytes(read_input(path, max_bytes, raw_dir), path)
