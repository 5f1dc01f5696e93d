"""Values for CSV and XLSX exports, so a cell shows its text and never runs it as a formula.

Exports carry text that editors and ingested sheets wrote (product names, draft titles,
rule conditions). A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula (OWASP "CSV injection"), e.g.
``=HYPERLINK("http://…?"&A2,"…")`` that sends the sheet's data away when clicked. Every
CSV and XLSX writer goes through here:

* CSV (:func:`csv_row`): such text gets a leading apostrophe, which spreadsheet programs
  read as "this is text" and do not show.
* XLSX (:func:`append_row`): every string is stored as a string cell (openpyxl would
  otherwise make a formula of any text starting with ``=``, and an error value of
  ``#N/A``), and formula-like ones get the "quote prefix" style so that editing the cell in
  a spreadsheet program keeps it text. The text itself is unchanged.

Numbers, dates and booleans stay what they are; only text is ever escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from catalog.text import cell_safe

# What makes a spreadsheet program read a cell as a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` for a formula (also after spaces).

    >>> formula_like("=1+2"), formula_like("  @SUM(1,1)"), formula_like("QCVN 01-1:2018/BYT")
    (True, True, False)
    """
    return text.lstrip(" ").startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """``value`` for a CSV cell: formula-like text behind an apostrophe, the rest as is.

    >>> csv_value("-1+2"), csv_value("Chè xanh"), csv_value(-1)
    ("'-1+2", 'Chè xanh', -1)
    """
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A row for ``csv.writer``, every cell through :func:`csv_value`."""
    return [csv_value(value) for value in values]


def xlsx_cell(sheet: Worksheet, value: Any) -> Cell:
    """A cell holding ``value``; text without the control characters a cell cannot hold,
    stored as text whatever it starts with."""
    cell = Cell(sheet)
    if not isinstance(value, str):
        cell.value = value
        return cell
    text = cell_safe(value)
    cell.value = text
    cell.data_type = "s"
    if formula_like(text):
        cell.quotePrefix = True
    return cell


def append_row(sheet: Worksheet, values: Iterable[Any]) -> tuple[Cell, ...]:
    """Append a row of :func:`xlsx_cell` cells to ``sheet``; the cells, for styling."""
    cells = [xlsx_cell(sheet, value) for value in values]
    sheet.append(cells)
    return tuple(cells)
