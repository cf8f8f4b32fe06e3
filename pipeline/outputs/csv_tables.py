"""The CSV tables for reviewers: records in, `blocks.csv` / `claims.csv` / `references.csv` out.

Consumes the records of every article (blocks, claims, references, checks, links) and
produces UTF-8 CSV files with one header row and the column order of the contract in
docs/ARCHITECTURE.md. Files are written with a byte-order mark (UTF-8-SIG) so that
spreadsheet programs detect UTF-8 instead of guessing a legacy code page; Python's csv
module, pandas and most tools read it transparently. Cells that a spreadsheet would
evaluate as a formula are neutralised (scraped text is untrusted). Writes are atomic.
"""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Iterable, Sequence

from pipeline.messages import say
from pipeline.models import Block, Check, Claim, Link, Reference
from pipeline.store import atomic_write_text, current_file, put_in_place

CSV_ENCODING = "utf-8-sig"
LIST_SEPARATOR = ";"

BLOCK_COLUMNS = (
    "article", "block_id", "source_line", "kind", "kept", "reason", "section", "heading", "text",
)
CLAIM_COLUMNS = (
    "article", "claim_id", "source_line", "section", "heading", "sentence", "claim_score",
    "is_claim", "cues", "scrape_damage", "linked_refs", "link_scores", "link_method", "support",
    "best_ref_verdict", "review_status", "reviewer_note",
)
REFERENCE_COLUMNS = (
    "article", "ref_id", "source_line", "raw", "authors", "year", "title", "container", "volume",
    "issue", "pages", "doi", "parse_status", "verdict", "mismatched_fields", "crossref_doi",
    "match_score", "crossref_title", "crossref_authors", "crossref_container", "crossref_year",
    "crossref_volume", "crossref_issue", "crossref_pages", "retracted", "update_notice", "note",
    "linked_claims",  # added after the contract's columns (contracts grow only by adding)
    "style", "corrected_citation",  # the list's citation style and the citation rebuilt from Crossref
)

# A leading character that makes Excel, LibreOffice or Google Sheets treat a cell as a
# formula (OWASP "CSV injection"). Such cells get a leading apostrophe, which spreadsheet
# programs hide and which keeps the rest of the text exactly as it was.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# Control characters (but tab and line ends) make a CSV look binary to the next reader and
# can drive a terminal; each is written as its visible Unicode picture (ESC as U+241B) instead.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def visible_controls(value: object) -> str:
    """The cell as text with its control characters written as their visible pictures."""
    return CONTROLS.sub(_visible, "" if value is None else str(value))


def neutralise(value: object) -> str:
    """The cell as text, with a formula trigger at its start defused by a leading apostrophe.

    Plain numbers such as "-0.5" stay numbers: they cannot run anything.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not _is_number(text):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """The cell as the scraped text had it: the apostrophe `neutralise` added taken off again."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def _is_number(text: str) -> bool:
    """A plain decimal number such as -0.5 or +1e3 (not nan, inf or 1_000, which float() accepts)."""
    return PLAIN_NUMBER.fullmatch(text) is not None


def join_list(values: Iterable[object]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def render_csv(columns: Sequence[str], rows: Iterable[dict]) -> str:
    """CSV text with one header row; every cell neutralised, its control characters made visible
    (so that the next run can always read the file back); missing cells empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(visible_controls(row.get(column, ""))) for column in columns])
    return buffer.getvalue()


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict]) -> None:
    atomic_write_text(path, render_csv(columns, rows), encoding=CSV_ENCODING)


def block_row(block: Block) -> dict:
    return {
        "article": block.article,
        "block_id": block.block_id,
        "source_line": block.source_line,
        "kind": block.kind.value,
        "kept": format_bool(block.kept),
        "reason": block.reason,
        "section": block.section,
        "heading": block.heading,
        "text": block.text,
    }


def write_blocks(path: Path, blocks: Iterable[Block]) -> None:
    """`blocks.csv`: every block of every input, kept or not, in article then document order."""
    ordered = sorted(blocks, key=lambda b: (b.article, b.index))
    write_csv(path, BLOCK_COLUMNS, (block_row(b) for b in ordered))


def claim_row(claim: Claim, link: Link | None = None) -> dict:
    row = {
        "article": claim.article,
        "claim_id": claim.claim_id,
        "source_line": claim.source_line,
        "section": claim.section,
        "heading": claim.heading,
        "sentence": claim.sentence,
        "claim_score": f"{claim.claim_score:.3f}",
        "is_claim": format_bool(claim.is_claim),
        "cues": join_list(claim.cues),
        "scrape_damage": join_list(claim.scrape_damage),
    }
    if link is not None:
        row.update(
            linked_refs=join_list(link.linked_refs),
            link_scores=join_list(f"{s:.3f}" for s in link.link_scores),
            link_method=link.link_method.value,
            support=link.support.value,
            best_ref_verdict=link.best_ref_verdict,
        )
    return row


def format_authors(reference: Reference) -> str:
    names = [f"{a.family} {a.initials}".strip() for a in reference.authors]
    if reference.authors_truncated:
        names.append("et al.")
    return join_list(names)


def reference_row(reference: Reference, check: Check | None = None, linked_claims: int | None = None,
                  corrected=None) -> dict:
    """One references.csv row; `linked_claims` is how many claims the linking stage tied to
    the reference (None when linking did not run: the cell stays blank); `corrected` the
    reference's `outputs.corrected.Corrected` (its list's style, the corrected citation or why
    there is none), when the run built one."""
    row = {
        "article": reference.article,
        "ref_id": reference.ref_id,
        "source_line": reference.source_line,
        "raw": reference.raw,
        "authors": format_authors(reference),
        "year": reference.year if reference.year is not None else "",
        "title": reference.title,
        "container": reference.container,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "doi": reference.doi,
        "parse_status": reference.parse_status.value,
        "note": reference.parse_note,
        "linked_claims": "" if linked_claims is None else linked_claims,
    }
    if check is not None:
        work = check.work
        row.update(
            verdict=check.verdict.value,
            mismatched_fields=join_list(check.mismatched_fields),
            match_score=f"{check.match_score:.3f}",
            retracted=format_bool(check.retracted),
            update_notice=check.update_notice,
            note=join_list(n for n in (reference.parse_note, check.note) if n),
        )
        if work is not None:
            row.update(
                crossref_doi=work.doi,
                crossref_title=work.title,
                crossref_authors=join_list(f"{a.family} {a.initials}".strip() for a in work.authors),
                crossref_container=work.container,
                crossref_year=work.year if work.year is not None else "",
                crossref_volume=work.volume,
                crossref_issue=work.issue,
                crossref_pages=work.pages or work.article_number,
            )
    if corrected is not None:
        row.update(style=corrected.style, corrected_citation=corrected.citation)
        if corrected.reason and check is not None:
            row["note"] = join_list(n for n in (row["note"], corrected.reason) if n)
    return row


def write_parquet(out_dir: Path, csv_paths: Iterable[Path]) -> list[Path]:
    """Parquet twins of the written CSVs, for large runs (needs the optional pyarrow).

    Read back from the CSVs just written, so both formats hold the same cells, except the
    apostrophe that defuses formulas for spreadsheets: Parquet is read by programs, so it
    holds the scraped text as it was. All columns are strings, as in the CSV, so no value
    is reinterpreted.
    """
    import logging

    import pandas as pd

    try:
        import pyarrow  # noqa: F401
    except ImportError:
        logging.getLogger("pipeline").warning(
            say("parquet_missing"))
        return []
    written = []
    for path in csv_paths:
        if path.suffix != ".csv":
            continue
        frame = pd.read_csv(current_file(path), encoding=CSV_ENCODING, dtype=str,
                            keep_default_na=False).map(unneutralise)
        target = out_dir / (path.stem + ".parquet")
        # a temporary name and a rename, as for the CSVs: a killed run leaves the old file whole
        temporary = out_dir / f".{target.name}.{os.getpid()}.tmp"
        try:
            frame.to_parquet(temporary, index=False)
            put_in_place(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        written.append(target)
    return written
