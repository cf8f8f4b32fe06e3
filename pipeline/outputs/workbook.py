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

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Sequence

from pipeline.outputs.csv_tables import neutralise
from pipeline.outputs.reviews import REVIEW_STATUSES
from pipeline.store import atomic_write_bytes

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
    """Header, rows, widths, wrapping, colours and filters of one write-only sheet (widths, frozen
    panes and filters must be set before the first row is written)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    cells = [[neutralise(row.get(column, "")) for column in columns] for row in rows]
    wrapping = set()
    for index, column in enumerate(columns):
        width, wraps = _fit(column, [r[index] for r in cells])
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
        if wraps:
            wrapping.add(index)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    bold, white, wrap = Font(bold=True), Font(color="FFFFFF"), Alignment(wrap_text=True, vertical="top")
    fills = {(index, value): PatternFill("solid", start_color=colour)
             for index, column in enumerate(columns) for value, colour in COLOURED.get(column, {}).items()}

    def cell(index: int, value: str):
        fill = fills.get((index, value))
        long = index in wrapping and len(value) > WIDEST  # only text wider than its column wraps
        if fill is None and not long:
            return value or None  # a plain string: a text cell (never a formula: neutralised above)
        styled = WriteOnlyCell(sheet, value=value)
        if fill is not None:
            styled.fill, styled.font = fill, white
        if long:
            styled.alignment = wrap
        return styled

    header = []
    for column in columns:
        title = WriteOnlyCell(sheet, value=column)
        title.font = bold
        header.append(title)
    sheet.append(header)
    for values in cells:
        sheet.append([cell(index, value) for index, value in enumerate(values)])


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
    sheet.data_validations.append(validation)  # (a write-only sheet has no add_data_validation)


def workbook_bytes(claim_columns: Sequence[str], claim_rows: Sequence[dict],
                   reference_columns: Sequence[str], reference_rows: Sequence[dict]) -> bytes:
    """review.xlsx's bytes: a Claims and a References sheet (see the module's docstring)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)  # streamed: a large run's rows never stand as cell objects
    claims = workbook.create_sheet(CLAIMS_SHEET)
    _status_drop_down(claims, list(claim_columns), len(claim_rows))
    _write_sheet(claims, claim_columns, claim_rows)
    references = workbook.create_sheet(REFERENCES_SHEET)
    _write_sheet(references, reference_columns, reference_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _reproducible(buffer.getvalue())


def put_workbook(path: Path, data: bytes) -> str:
    """`data` written to `path`; returns its sha256, to know later whether a reviewer saved the file since."""
    atomic_write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def write_workbook(path: Path, claim_columns: Sequence[str], claim_rows: Sequence[dict],
                   reference_columns: Sequence[str], reference_rows: Sequence[dict]) -> str:
    """review.xlsx written to `path` (`workbook_bytes`); returns the sha256 of the bytes written."""
    return put_workbook(path, workbook_bytes(claim_columns, claim_rows, reference_columns, reference_rows))


FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible(data: bytes) -> bytes:
    """The same workbook bytes for the same rows: openpyxl stamps the save time into the document
    properties and every zip entry, which would make two runs' review.xlsx differ."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", body)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), body,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
