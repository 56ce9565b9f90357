"""Spreadsheet exports shared by every app: CSV (UTF-8 with a byte-order mark, so spreadsheet
programs read it as UTF-8) or XLSX, with text that a spreadsheet would run as a formula quoted."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from openpyxl import Workbook

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection").
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE: Final = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    rows: int


def safe_cell[T](value: T) -> T | str:
    """`value`, with a leading quote when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def rows_to_file(rows: Sequence[Sequence[object]], file_format: str, sheet_title: str) -> tuple[bytes, str]:
    """Rows already made safe (see `safe_cell`) as the bytes and content type of a CSV or XLSX file."""
    if file_format == "csv":
        text = io.StringIO()
        csv.writer(text).writerows(rows)
        return ("\ufeff" + text.getvalue()).encode("utf-8"), CSV_CONTENT_TYPE
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), XLSX_CONTENT_TYPE
