"""Every output file of a run: the tables, the Parquet twins and the report, from the records.

Consumes the run's result (the records of every article and what failed), the Crossref
checks and the links; writes blocks.csv, claims.csv (reviewer columns carried over from the
previous claims.csv, orphans to orphaned_reviews.csv), references.csv, the optional
Parquet twins and report.html, and returns the paths written. The caller opens the output
set (pipeline.store.work_files.output_set), so they replace the old files as one set.
"""
from __future__ import annotations

import logging
from pathlib import Path

from pipeline.messages import say
from pipeline.outputs import csv_tables as table
from pipeline.settings import Settings

log = logging.getLogger("pipeline")


def write_blocks_table(settings: Settings, result) -> Path:
    path = settings.out_dir / "blocks.csv"
    table.write_blocks(path, result.blocks)
    return path


def write_outputs(settings: Settings, result, stages: tuple[str, ...], checks=(), linked=None,
                  corrections=None) -> list[Path]:
    """The tables (and the report) of everything the run produced; reviewer edits carried over.
    `corrections`: `start_corrections`' result, when the caller began them earlier."""
    from pipeline.outputs import review_sources, reviews

    out = settings.out_dir
    # read before anything is written: an unreadable claims.csv or review.xlsx stops the run with every
    # old file in place
    old_reviews, problems = review_sources.read_all_reviews(out) if "claims" in stages else ([], [])
    old_orphans = reviews.read_orphans(out / "orphaned_reviews.csv") if "claims" in stages else []
    written = [write_blocks_table(settings, result)]
    claims = [c for a in result.articles for c in a.claims]
    references = [r for a in result.articles for r in a.references]
    claim_rows, reference_rows, carried, corrected = [], [], None, {}
    if "claims" in stages:
        carried = reviews.carry_over(old_reviews, {c.claim_id for c in claims}, old_orphans)
        for problem in problems + carried.problems:
            log.warning("review: %s", problem)
        claim_rows = _write_claims(out, claims, linked, carried, written)
    if "references" in stages:
        reference_rows, corrected = _write_references(out, references, checks, linked, written, corrections)
    # review.xlsx is made in a second process while this one writes the report
    finish_review = start_review_outputs(settings, stages, claim_rows, reference_rows, checks)
    report_path = None
    if "report" in stages:
        from pipeline.outputs import report

        # the reviews this run carried over, for the report
        review_cells = {claim_id: (r.review_status, r.reviewer_note) for claim_id, r in carried.by_claim.items()
                        if r.review_status or r.reviewer_note} if carried else {}
        report_path = report.write_report(out / "report.html", result.blocks, claims, references, checks,
                                          linked.links if linked else None, failed=result.failed,
                                          reviews=review_cells, orphaned=len(carried.orphaned) if carried else 0,
                                          corrected=corrected)
    written += finish_review()
    if settings.parquet:
        written.extend(table.write_parquet(out, written))
    return written + ([report_path] if report_path else [])


def start_corrections(settings: Settings, references, checks):
    """The corrected citations of every reference, begun in a side process (while the linking
    runs); returns what `write_outputs` takes as `corrections`."""
    from pipeline.outputs.corrected import corrections
    from pipeline.outputs.side_process import in_side_process
    from pipeline.store import pipeline_version

    return in_side_process(corrections, settings.out_dir / ".corrected.json", pipeline_version(), references, checks)


def _write_claims(out: Path, claims, linked, carried, written: list[Path]) -> list[dict]:
    """claims.csv with the carried reviews (and orphaned_reviews.csv); returns its rows."""
    from pipeline.outputs import reviews

    links = linked.scored_links() if linked else {}  # non-claim rows keep blank linking cells
    rows = []
    for claim in sorted(claims, key=lambda c: c.article):  # stable: document order within an article
        row = table.claim_row(claim, links.get((claim.article, claim.claim_id)))
        review = carried.by_claim.get(claim.claim_id)
        if review is not None:
            row["review_status"], row["reviewer_note"] = review.review_status, review.reviewer_note
        rows.append(row)
    table.write_csv(out / "claims.csv", table.CLAIM_COLUMNS, rows)
    written.append(out / "claims.csv")
    orphan_path = out / "orphaned_reviews.csv"
    if carried.orphaned or orphan_path.exists():
        table.write_csv(orphan_path, reviews.ORPHAN_COLUMNS, reviews.orphan_rows(carried.orphaned))
        written.append(orphan_path)
    if carried.orphaned:
        log.warning("%s", say("orphans_kept", count=len(carried.orphaned), path=orphan_path))
    return rows


def _write_references(out: Path, references, checks, linked, written: list[Path],
                      corrections=None) -> tuple[list[dict], dict]:
    """references.csv with each reference's check, link count and corrected citation; returns its
    rows and the corrected citations."""
    from pipeline.outputs.corrected import corrections as correct
    from pipeline.store import pipeline_version

    link_counts = linked.ref_link_counts if linked else None
    checks_by = {(c.article, c.ref_id): c for c in checks}
    corrected, store = corrections() if corrections else correct(out / ".corrected.json", pipeline_version(),
                                                                  references, checks)
    store.save()  # replaced with the outputs
    rows = [table.reference_row(r, checks_by.get((r.article, r.ref_id)),
                                link_counts.get((r.article, r.ref_id), 0) if link_counts is not None else None,
                                corrected[(r.article, r.ref_id)])
            for r in sorted(references, key=lambda r: (r.article, int(r.ref_id[1:]) if r.ref_id[1:].isdigit() else 0))]
    table.write_csv(out / "references.csv", table.REFERENCE_COLUMNS, rows)
    written.append(out / "references.csv")
    return rows, corrected


def start_review_outputs(settings: Settings, stages: tuple[str, ...], claim_rows: list[dict],
                         reference_rows: list[dict], checks):
    """review.xlsx beside the CSVs (with a record of the review cells written into both) and, once
    the Crossref check ran, the exports of the identified works for reference managers. The
    workbook is made in a side process; the returned function writes it all, returning the paths."""
    from pipeline.outputs import exports, review_sources, workbook
    from pipeline.outputs.side_process import in_side_process

    out = settings.out_dir
    digest, path = review_sources.rows_digest(claim_rows, reference_rows), out / review_sources.WORKBOOK
    made = None
    if "claims" in stages and not review_sources.workbook_is_current(out, digest):
        made = in_side_process(workbook.workbook_bytes, table.CLAIM_COLUMNS, claim_rows, table.REFERENCE_COLUMNS,
                               reference_rows)

    def finish() -> list[Path]:
        written = []
        if "claims" in stages:
            if made is None:
                file_digest = review_sources.file_digest(path)  # unchanged: a large workbook takes seconds to write
            else:
                file_digest = workbook.put_workbook(path, made())
                written.append(path)
            review_sources.record_written(out, {row["claim_id"]: (row.get("review_status", ""), row.get("reviewer_note", ""))
                                                for row in claim_rows if row.get("review_status") or row.get("reviewer_note")},
                                          digest, file_digest)
        if "crossref" in stages:
            written += exports.write_exports(out, checks)
        return written

    return finish
