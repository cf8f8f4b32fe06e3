"""Reviews read back from both places a reviewer may type them: claims.csv and review.xlsx.

Consumes the output folder of the previous run: claims.csv (read by `reviews.read_reviews`),
the Claims sheet of review.xlsx, and `.reviews.json`, the review cells that run wrote into
both files (and digests telling whether the workbook was saved since). Produces one list of reviews for `reviews.carry_over` (which applies the carry-over
and orphan rules) and the problems to report.

Both files held the same review cells when the last run wrote them, so for each claim:
the files agree -> that review; only one file differs from what the run wrote -> the reviewer
edited that one, and its review is taken; both differ, and from each other -> a conflict: the
review of the file saved last is taken and the conflict is reported with both values (never
resolved silently). Without the record of what was written (an older output folder), a review
typed in one file only is taken, and two different reviews are a conflict.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.messages import say
from pipeline.outputs.csv_tables import unneutralise
from pipeline.outputs.reviews import REVIEW_STATUSES, Review, ReviewsUnreadable, read_reviews
from pipeline.outputs.workbook import CLAIMS_SHEET
from pipeline.store import atomic_write_text

WORKBOOK = "review.xlsx"
# beside the outputs, so that it is replaced with them as one set (a killed run leaves the old pair)
WRITTEN = Path(".reviews.json")


def _normalised(status: str) -> tuple[str, str]:
    """The status as `read_reviews` keeps it, and the problem when it is not an allowed one."""
    folded = status.strip().lower().replace(" ", "_").replace("-", "_")
    if folded in REVIEW_STATUSES:
        return folded, ""
    return status.strip(), say("invalid_review_status", status=status.strip(),
                               allowed=", ".join(s for s in REVIEW_STATUSES if s))


def _claims_rows(path: Path) -> tuple[list[str], list[tuple]]:
    """The header and rows of the workbook's Claims sheet (or, renamed, its first sheet with a
    claim_id column). Raises `ReviewsUnreadable` rather than let the run overwrite the file."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        sheets = ([book[CLAIMS_SHEET]] if CLAIMS_SHEET in book.sheetnames else []) + list(book.worksheets)
        for sheet in sheets:
            rows = list(sheet.iter_rows(values_only=True))
            header = [str(c or "") for c in rows[0]] if rows else []
            if "claim_id" in header:
                return header, rows[1:]
    except Exception as error:  # a damaged or foreign file: stop before overwriting what was typed
        raise ReviewsUnreadable(say("workbook_unreadable", path=path, error=error)) from error
    raise ReviewsUnreadable(say("workbook_no_claim_id", path=path))


def read_workbook_reviews(path: Path) -> tuple[list[Review], list[str], set[str]]:
    """The rows of review.xlsx's Claims sheet that carry a review_status or a reviewer_note, the
    problems (invalid statuses with their sheet row), and the claim ids the sheet lists at all."""
    if not path.exists():
        return [], [], set()
    header, rows = _claims_rows(path)
    reviews, problems, present = [], [], set()
    for number, values in enumerate(rows, start=1):
        row = {h: unneutralise("" if v is None else str(v)) for h, v in zip(header, values)}
        present.add(row.get("claim_id", ""))
        status, note = row.get("review_status", ""), row.get("reviewer_note", "")
        if not status.strip() and not note.strip():
            continue
        status, problem = _normalised(status)
        if problem:
            problems.append(f"{path.name} {CLAIMS_SHEET} row {number + 1} (claim {row.get('claim_id', '')}): {problem}")
        reviews.append(Review(article=row.get("article", ""), claim_id=row.get("claim_id", ""),
                              sentence=row.get("sentence", ""), review_status=status, reviewer_note=note,
                              row=number, problem=problem))
    return reviews, problems, present


def _record(out: Path) -> dict:
    try:
        record = json.loads((out / WRITTEN).read_text(encoding="utf-8"))
        return record if isinstance(record, dict) and isinstance(record.get("cells"), dict) else {}
    except (OSError, ValueError):
        return {}


def _written(out: Path) -> dict[str, tuple[str, str]] | None:
    """The review cells the last run wrote into both files (None: no record of them)."""
    record = _record(out)
    return {k: tuple(v) for k, v in record["cells"].items()} if record else None


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def rows_digest(*tables) -> str:
    """A digest of the cells a workbook would hold."""
    return hashlib.sha256(json.dumps(tables, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def workbook_is_current(out: Path, rows: str) -> bool:
    """review.xlsx is as the last run wrote it (nobody saved it since) and holds these rows:
    rewriting it would change nothing, and a large workbook takes seconds to write."""
    record = _record(out)
    return bool(record) and record.get("rows") == rows and record.get("file") == file_digest(out / WORKBOOK)


def record_written(out: Path, cells: dict[str, tuple[str, str]], rows: str = "", workbook: str = "") -> None:
    """Remember the review cells this run wrote into both claims.csv and review.xlsx, and which
    workbook it left (its rows' digest and the digest of its file's bytes)."""
    record = {"cells": cells, "rows": rows, "file": workbook}
    atomic_write_text(out / WRITTEN, json.dumps(record, sort_keys=True, ensure_ascii=False))


def _cells(review: Review | None) -> tuple[str, str]:
    return (review.review_status, review.reviewer_note) if review else ("", "")


def _first_of_each(reviews: list[Review]) -> dict[str, Review]:
    first: dict[str, Review] = {}
    for review in reviews:
        first.setdefault(review.claim_id, review)
    return first


def read_all_reviews(out: Path) -> tuple[list[Review], list[str]]:
    """The reviews of claims.csv and review.xlsx merged (see the module's docstring), and the problems."""
    csv_path, book_path = out / "claims.csv", out / WORKBOOK
    from_csv, problems = read_reviews(csv_path)
    if not book_path.exists():
        return from_csv, problems
    record = _record(out)
    if record and record.get("file") == file_digest(book_path):
        return from_csv, problems  # the workbook is as the last run wrote it: nothing typed there
    from_book, book_problems, listed = read_workbook_reviews(book_path)
    if not csv_path.exists():
        return from_book, book_problems
    written = _written(out)
    csv_by, book_by, extras = _first_of_each(from_csv), _first_of_each(from_book), []
    # a claim on several rows of one file: the first is merged, the others go on to carry_over,
    # which keeps them in orphaned_reviews.csv and says so
    extras = [r for r in from_csv if csv_by[r.claim_id] is not r] + [r for r in from_book if book_by[r.claim_id] is not r]
    csv_later = csv_path.stat().st_mtime >= book_path.stat().st_mtime
    merged, reported = [], list(problems)
    for claim_id in list(dict.fromkeys([*csv_by, *book_by])):
        in_csv, in_book = csv_by.get(claim_id), book_by.get(claim_id)
        a, b = _cells(in_csv), _cells(in_book)
        before = (written or {}).get(claim_id, ("", ""))
        if a == b or (written is not None and b == before) or claim_id not in listed:
            # (a row deleted from the workbook, or filtered away and lost, says nothing about its review)
            chosen = in_csv
        elif (written is not None and a == before) or (written is None and a == ("", "")):
            chosen = in_book
        elif written is None and b == ("", ""):
            chosen = in_csv
        else:
            chosen, other = (in_csv, in_book) if csv_later else (in_book, in_csv)
            reported.append(say("review_conflict", claim_id=claim_id, csv_status=a[0], csv_note=a[1], workbook=WORKBOOK,
                                book_status=b[0], book_note=b[1], kept="claims.csv" if csv_later else WORKBOOK,
                                other_status=other.review_status, other_note=other.reviewer_note))
        if chosen is None:  # a review cleared in the file that was edited
            continue
        if chosen is in_book and chosen.problem:
            reported += [p for p in book_problems if f"(claim {claim_id})" in p]
        elif chosen is in_csv and in_book is not None and in_book.problem and a != b:
            pass  # the workbook's invalid value lost to the CSV: nothing of it is kept
        merged.append(chosen)
    return merged + extras, reported
