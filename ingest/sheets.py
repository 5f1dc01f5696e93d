"""Spreadsheets as officials keep them: XLSX or CSV, a header row, one record per row.

:func:`read_sheet` yields a :class:`SheetRow` per data row, its cells keyed by the
header folded to ASCII (``"Tên sản phẩm"`` → ``"ten san pham"``), with the location
``file:row`` for provenance and rejects. CSV files may be UTF-8 or windows-1258.

A CSV row with more cells than headers usually has an unquoted comma in a free-text
column; when the sheet names such a column (``free_text``), the extra cells are joined
back into it. Any other wrong cell count is a reject.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.text import fold
from ingest.decode import decode
from ingest.records import Reject


@dataclass
class SheetRow:
    location: str  # "products.csv:12"
    cells: dict[str, Any]
    repaired: str | None = None  # what was repaired, if anything

    def get(self, *names: str) -> Any:
        """The first non-empty cell among the given (folded) column names."""
        for name in names:
            value = self.cells.get(name)
            if value not in (None, ""):
                return value
        return None


def header_key(name: Any) -> str:
    """A header as a lookup key, folded to words: "Số/Ký hiệu" → "so ky hieu"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(name or ""))).split())


RowCheck = Callable[[dict[str, str]], bool]


def read_sheet(
    path: Path, *, free_text: str | None = None, repair_check: RowCheck | None = None
) -> Iterator[SheetRow | Reject]:
    """Rows of the first worksheet of an XLSX file, or of a CSV file.

    ``repair_check`` says whether a repaired CSV row looks right (e.g. its year column
    holds a year); a repair it refuses is a reject, never a guess.
    """
    if path.suffix.lower() == ".xlsx":
        yield from _read_xlsx(path)
    else:
        yield from _read_csv(path, free_text, repair_check)


def _read_xlsx(path: Path) -> Iterator[SheetRow | Reject]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = [header_key(h) for h in next(rows, ())]
        for number, values in enumerate(rows, 2):
            if all(v in (None, "") for v in values):
                continue
            cells = dict(zip(headers, values, strict=False))
            cells.pop("", None)
            yield SheetRow(f"{path.name}:{number}", cells)
    finally:
        workbook.close()


def _read_csv(
    path: Path, free_text: str | None, repair_check: RowCheck | None
) -> Iterator[SheetRow | Reject]:
    reader = csv.reader(io.StringIO(decode(path.read_bytes()), newline=""))
    headers = [header_key(h) for h in next(reader, [])]
    free_at = headers.index(free_text) if free_text in headers else None
    for values in reader:
        number = reader.line_num
        location = f"{path.name}:{number}"
        if not any(v.strip() for v in values):
            continue
        repaired = None
        if len(values) > len(headers) and free_at is not None:
            extra = len(values) - len(headers)
            joined = ",".join(values[free_at : free_at + extra + 1])
            fixed = [*values[:free_at], joined, *values[free_at + extra + 1 :]]
            if repair_check is None or repair_check(dict(zip(headers, fixed, strict=True))):
                values = fixed
                repaired = f"{extra} unquoted comma(s) in column {free_text!r} joined back"
        if len(values) != len(headers):
            yield Reject(
                location,
                f"row has {len(values)} cells but the header has {len(headers)} "
                "(unquoted comma or missing cells?)",
                ",".join(values)[:300],
            )
            continue
        yield SheetRow(location, dict(zip(headers, values, strict=True)), repaired)
