"""`review.xlsx`: the claims and references tables as a workbook a reviewer can work in.

Consumes the rows of claims.csv and references.csv (dicts with the same columns and cells);
produces one .xlsx file (openpyxl) with a Claims sheet and a References sheet: frozen header
row, filters on every column, column widths that fit their text (long text wrapped), verdict
and support cells coloured as in the HTML report, and a drop-down (data validation) on
`review_status` offering the allowed statuses. Written to a temporary name and renamed, like
every output.

Scraped text is untrusted: every cell is neutralised exactly as in the CSV (a leading `=`,
`+`, `-`, `@`, tab or carriage return gets an apostrophe) and stored as a text cell, so no cell
is ever a formula.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Sequence

from pipeline.outputs.csv_tables import neutralise
from pipeline.outputs.reviews import REVIEW_STATUSES
from pipeline.store.work_files import atomic_write_bytes

CLAIMS_SHEET = "Claims"
REFERENCES_SHEET = "References"
# the report's colours (report.VERDICT_COLOURS, support classes), as fills with white or dark text
VERDICT_FILLS = {"verified": "2E7D32", "mismatch": "B45309", "misattributed": "C62828",
                 "not_found": "6A1B9A", "unchecked": "616161"}
SUPPORT_FILLS = {"supported": "2E7D32", "weak": "B45309", "unsupported": "C62828"}
COLOURED = {"verdict": VERDICT_FILLS, "best_ref_verdict": VERDICT_FILLS, "support": SUPPORT_FILLS}
WIDEST = 70    # characters: wider text wraps instead
NARROWEST = 8


def _fit(column: str, values: list[str]) -> tuple[float, bool]:
    """A column's width in characters and whether its cells wrap."""
    longest = max([len(column)] + [max((len(line) for line in v.splitlines()), default=0) for v in values])
    return float(max(NARROWEST, min(WIDEST, longest + 2))), longest > WIDEST


def _write_sheet(sheet, columns: Sequence[str], rows: Sequence[dict]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(row.get(column, "")) for column in columns])
    white, wrap = Font(color="FFFFFF"), Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cells = [sheet.cell(row=r, column=index) for r in range(2, len(rows) + 2)]
        for cell in cells:
            cell.data_type = "s"  # text, never a formula, whatever openpyxl guessed
        width, wraps = _fit(column, [str(c.value or "") for c in cells])
        sheet.column_dimensions[letter].width = width
        fills = COLOURED.get(column, {})
        for cell in cells:
            if wraps:
                cell.alignment = wrap
            if cell.value in fills:
                cell.fill = PatternFill("solid", start_color=fills[cell.value])
                cell.font = white
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _status_drop_down(sheet, columns: Sequence[str], n_rows: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if "review_status" not in columns:
        return
    letter = get_column_letter(columns.index("review_status") + 1)
    allowed = ",".join(s for s in REVIEW_STATUSES if s)
    validation = DataValidation(type="list", formula1=f'"{allowed}"', allow_blank=True, showDropDown=False,
                                showErrorMessage=True, errorTitle="review_status",
                                error=f"Choose one of {allowed.replace(',', ', ')}, or leave it blank.")
    validation.add(f"{letter}2:{letter}{max(n_rows + 1, 2)}")
    sheet.add_data_validation(validation)


def write_workbook(path: Path, claim_columns: Sequence[str], claim_rows: Sequence[dict],
                   reference_columns: Sequence[str], reference_rows: Sequence[dict]) -> Path:
    """review.xlsx with a Claims and a References sheet (see the module's docstring)."""
    from openpyxl import Workbook

    workbook = Workbook()
    claims = workbook.active
    claims.title = CLAIMS_SHEET
    _write_sheet(claims, claim_columns, claim_rows)
    _status_drop_down(claims, list(claim_columns), len(claim_rows))
    references = workbook.create_sheet(REFERENCES_SHEET)
    _write_sheet(references, reference_columns, reference_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return path
