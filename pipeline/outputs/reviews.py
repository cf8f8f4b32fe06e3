"""Reviewer edits in claims.csv survive reruns.

Consumes the claims.csv a reviewer may have edited (the previous run's output) and the
claim ids of the new run; produces the reviews to carry over (claim_id -> status, note),
the reviews whose claim disappeared (written to orphaned_reviews.csv, never lost) and
the problems found (an invalid review_status, with its row number), which are reported
and kept verbatim rather than dropped.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.messages import say
from pipeline.ingest import UndecodableInput, decode
from pipeline.outputs.csv_tables import unneutralise

REVIEW_STATUSES = ("", "confirmed", "disputed", "needs_source")
ORPHAN_COLUMNS = ("article", "claim_id", "sentence", "review_status", "reviewer_note", "problem")


@dataclass(frozen=True)
class Review:
    article: str
    claim_id: str
    sentence: str
    review_status: str
    reviewer_note: str
    row: int  # 1-based data row in the old claims.csv (header is row 0)
    problem: str = ""


@dataclass
class CarriedReviews:
    by_claim: dict[str, Review] = field(default_factory=dict)
    orphaned: list[Review] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def allow_long_cells() -> None:
    """Let the csv module read cells of any length: its default limit (128 KiB) is below a
    sentence of a scraped page that lost its punctuation, and a claims.csv the pipeline
    wrote must always be readable by the next run."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def _read_table(path: Path) -> tuple[list[dict], list[str]]:
    """The rows of a CSV as a spreadsheet program may have saved it, and notes on how it was read.

    Accepts UTF-8 (with or without BOM), UTF-16 and Windows-1252 (Excel's plain "CSV"), and a
    comma, semicolon or tab as the delimiter (spreadsheets in many locales save with `;`).
    A file that exists but has no `claim_id` column raises `ReviewsUnreadable`: overwriting
    it would lose whatever a person typed into it.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReviewsUnreadable(say("reviews_unreadable_file", path=path, error=error)) from error
    if not data.strip():
        return [], []  # an emptied file holds no review to keep
    try:
        text, encoding, notes = decode(data, allow_controls=True)  # the same with or without a BOM
    except UndecodableInput as error:
        raise ReviewsUnreadable(say("reviews_binary", path=path, error=error)) from error
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    allow_long_cells()
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = list(reader)
    except csv.Error as error:
        raise ReviewsUnreadable(say("reviews_unreadable_csv", path=path, error=error)) from error
    if "claim_id" not in (reader.fieldnames or ()):
        raise ReviewsUnreadable(say("reviews_no_claim_id", path=path))
    if encoding not in ("utf-8", "utf-8-sig"):
        notes.append(say("reviews_read_as", encoding=encoding))
    if delimiter != ",":
        notes.append(say("reviews_delimiter", delimiter=delimiter))
    return rows, [f"{path.name}: {note}" for note in notes]


def read_reviews(path: Path) -> tuple[list[Review], list[str]]:
    """The rows of an existing claims.csv that carry a review_status or a reviewer_note.

    Returns the reviews and the problems to report (invalid statuses with their row as a
    spreadsheet numbers it, and how an unusual file was read).
    """
    if not path.exists():
        return [], []
    rows, problems = _read_table(path)
    reviews: list[Review] = []
    for number, row in enumerate(rows, start=1):
        status = unneutralise(row.get("review_status") or "").strip()
        note = row.get("reviewer_note") or ""
        if not status and not note.strip():
            continue
        problem = ""
        normalised = status.lower().replace(" ", "_").replace("-", "_")
        if normalised in REVIEW_STATUSES:
            status = normalised
        else:
            problem = say("invalid_review_status", status=status, allowed=", ".join(s for s in REVIEW_STATUSES if s))
            problems.append(f"{path.name} row {number + 1} (claim {row.get('claim_id', '')}): {problem}")
        reviews.append(Review(
            article=row.get("article") or "",
            claim_id=unneutralise(row.get("claim_id") or ""),
            sentence=unneutralise(row.get("sentence") or ""),
            review_status=status,
            reviewer_note=unneutralise(note),
            row=number,
            problem=problem,
        ))
    return reviews, problems


class ReviewsUnreadable(RuntimeError):
    """The old claims.csv exists but cannot be read: the run must not overwrite it."""


def carry_over(reviews: list[Review], new_claim_ids: set[str], previous_orphans: list[Review] = ()) -> CarriedReviews:
    """Split old reviews into those whose claim still exists and the orphaned ones.

    One claim_id on several rows (a row copied in a spreadsheet, two reviewers' files joined):
    the first row's review is carried, every other different review goes to the orphans with
    the reason, and `problems` says so; none is lost. claims.csv comes before the orphans of
    earlier runs, so a carried review stays carried from run to run."""
    carried = CarriedReviews()
    for review in list(reviews) + list(previous_orphans):
        if review.claim_id not in new_claim_ids:
            carried.orphaned.append(review)
            continue
        first = carried.by_claim.setdefault(review.claim_id, review)
        if first is review or (first.review_status, first.reviewer_note) == (review.review_status,
                                                                            review.reviewer_note):
            continue
        where = f"row {review.row + 1}" if review.row else "orphaned_reviews.csv"
        carried.problems.append(say("duplicate_review", claim_id=review.claim_id, kept=first.row + 1, where=where))
        carried.orphaned.append(replace(review, problem=f"another review of this claim (row {first.row + 1}) "
                                                        "was carried over; this one is kept here"))
    # an orphan that was orphaned before and is orphaned again must appear once
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for review in carried.orphaned:
        key = (review.claim_id, review.review_status, review.reviewer_note)
        if key not in seen:
            seen.add(key)
            unique.append(review)
    carried.orphaned = unique
    return carried


def read_orphans(path: Path) -> list[Review]:
    """Reviews orphaned by an earlier run: kept until their claim comes back or a person deletes them."""
    if not path.exists():
        return []
    rows, _ = _read_table(path)
    return [
        Review(
            article=row.get("article") or "",
            claim_id=unneutralise(row.get("claim_id") or ""),
            sentence=unneutralise(row.get("sentence") or ""),
            review_status=row.get("review_status") or "",
            reviewer_note=unneutralise(row.get("reviewer_note") or ""),
            row=0,
            problem=row.get("problem") or "",
        )
        for row in rows
    ]


def orphan_rows(orphans: list[Review]) -> list[dict]:
    return [
        {
            "article": r.article,
            "claim_id": r.claim_id,
            "sentence": r.sentence,
            "review_status": r.review_status,
            "reviewer_note": r.reviewer_note,
            "problem": r.problem or "claim no longer in the article",
        }
        for r in orphans
    ]
