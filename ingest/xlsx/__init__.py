"""The rows of an XLSX file's first worksheet, read as a stream with bounded memory.

openpyxl reads every shared string into memory, even read-only, and keeps a cell's text
however long it is: a 200 KB file can hold a 200-million-character string. This reader
streams each zip part through expat instead, and keeps no more than the limits allow:

- a part that decompresses to more than ``part_bytes`` is refused (:class:`XlsxError`);
- a string or cell longer than ``cell_chars`` is kept as a :class:`Bad` marker, never
  as text, so the row that uses it is rejected (by :mod:`ingest.sheets`), not the file;
- shared strings past ``shared_strings`` or ``shared_text_bytes`` are not kept (the rows
  that use them are rejected), and they are stored packed as UTF-8, not as ``str`` objects;
- cells right of column ``columns`` are not kept, nor a row's text past ``row_chars``:
  such a row comes with the reason it was not read.

Values come out as openpyxl's ``data_only`` read gives them: ``str``, ``int``, ``float``,
``bool``, ``datetime`` (a number in a date format) or ``None``. An error value (``t="e"``,
or error text such as ``#DIV/0!`` in a number cell) is a :class:`Bad`. DTDs and entity
declarations are refused: a workbook never needs them.

The parts: :mod:`.parts` (the zip and its XML parts), :mod:`.workbook` (relationships,
the first worksheet, date formats), :mod:`.shared_strings`, :mod:`.sheet` (cells and rows)
and :mod:`.values` (:class:`Bad`, :class:`XlsxError`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.xlsx.parts import check_zip
from ingest.xlsx.values import ERROR_VALUES, Bad, Row, XlsxError
from ingest.xlsx.workbook import Workbook

if TYPE_CHECKING:
    from ingest.sheets import SheetLimits

__all__ = ["ERROR_VALUES", "Bad", "Row", "XlsxError", "read_rows"]


def read_rows(path: Path, limits: SheetLimits) -> Iterator[Row]:
    """The first worksheet's rows that hold cells, in order; raises :class:`XlsxError`."""
    check_zip(path, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxError(f"not an XLSX (zip) file: {exc}") from exc
    with archive:
        book = Workbook(archive, limits)
        yield from book.rows()
