"""Reports as tables, and tables as an XLSX workbook a person can open and filter.

Every tabular report offers ``tables()`` (a list of :class:`Table`); :func:`workbook`
writes them one sheet each, headed with the report's title lines, headers in bold,
frozen under the header row, with an auto-filter and widths that fit the text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from catalog.cells import append_row
from catalog.text import cell_safe

_MAX_WIDTH = 80
_INVALID_TITLE = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Table:
    title: str  # the sheet name (at most 31 characters are kept)
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: lists joined by line, enums by value, aware times naive,
    text without the control characters a cell cannot hold (stored as text by
    :func:`catalog.cells.append_row`, never as a formula)."""
    if value is None:
        return None
    if isinstance(value, list | tuple | set | frozenset):
        return "\n".join(str(cell(v)) for v in value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, bool | int | float | date):
        return value
    return cell_safe(str(value))


def workbook(tables: Sequence[Table], heading: Sequence[str] = ()) -> bytes:
    """The tables as XLSX bytes; ``heading`` lines (title, date…) top each sheet."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(cell_safe(table.title).translate(_INVALID_TITLE)[:31])
        for line in heading:
            (title,) = append_row(sheet, [line])
            title.font = Font(bold=True)
        if heading:
            sheet.append([])
        header_row = sheet.max_row + 1 if heading else 1
        for header in append_row(sheet, table.headers):
            header.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, [cell(v) for v in row])
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
        last = get_column_letter(max(len(table.headers), 1))
        sheet.auto_filter.ref = f"A{header_row}:{last}{max(sheet.max_row, header_row)}"
        for index, header in enumerate(table.headers, start=1):
            values = [header, *(str(cell(r[index - 1]) or "") for r in table.rows)]
            longest = max(len(line) for v in values for line in v.split("\n"))
            sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, _MAX_WIDTH)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
