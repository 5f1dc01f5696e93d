"""Spreadsheets as officials keep them: XLSX or CSV, a header row, one record per row.

:func:`read_sheet` yields a :class:`SheetRow` per data row, its cells keyed by the
header folded to ASCII (``"Tên sản phẩm"`` → ``"ten san pham"``), with the location
``file:row`` for provenance and rejects. CSV files may be UTF-8 or windows-1258.

A CSV row with more cells than headers usually has an unquoted comma in a free-text
column; when the sheet names such a column (``free_text``), the extra cells are joined
back into it. Any other wrong cell count is a reject.

Sheets come from outside, so reading is bounded (:class:`SheetLimits`): files are read
as streams (XLSX through :mod:`ingest.xlsx`), and a cell longer than any field takes, a
spreadsheet error value (``#DIV/0!``, ``#N/A``…), a CSV line over the line limit or a
row past the row or column limit is a reject naming the file, the row, the column and
why; reading goes on with the next row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog.limits import TEXT_MAX
from catalog.text import fold, nfc
from ingest.decode import LEGACY_ENCODING
from ingest.records import Parsed, Reject, RejectError
from ingest.xlsx import ERROR_VALUES, Bad, XlsxError, read_rows


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

    def excerpt(self) -> str:
        """The row's non-empty cells, for a reject (at most 300 characters)."""
        return " | ".join(str(v) for v in self.cells.values() if v not in (None, ""))[:300]


def parse_sheet(
    rows: Iterable[SheetRow | Reject], parse_row: Callable[[SheetRow], Parsed]
) -> Iterator[Parsed]:
    """Every row of a sheet as ``parse_row`` reads it, or a reject saying where and why
    (the twin of :func:`ingest.tables.parse_table` for HTML tables)."""
    for row in rows:
        if isinstance(row, Reject):
            yield row
            continue
        try:
            yield parse_row(row)
        except RejectError as exc:
            yield Reject(row.location, str(exc), row.excerpt())


def first_sheet(folder: Path, names: Sequence[str]) -> list[Path]:
    """The first of ``names`` found in ``folder`` (a dangling link counts: it is refused
    when read, with the reason), for a source that reads one sheet."""
    for name in names:
        if (folder / name).exists() or (folder / name).is_symlink():
            return [folder / name]
    raise FileNotFoundError(f"{folder}: none of {', '.join(names)} found")


def header_key(name: Any) -> str:
    """A header as a lookup key, folded to words: "Số/Ký hiệu" → "so ky hieu"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(str(name or ""))).split())


RowCheck = Callable[[dict[str, str]], bool]


@dataclass(frozen=True)
class SheetLimits:
    """What one sheet may hold; a row past a limit is a reject, the rest is read.

    ``cell_chars`` is the longest free text the API takes (:data:`catalog.limits.TEXT_MAX`);
    the fields' own limits (a name: 300) are checked on the records (:mod:`ingest.records`).
    """

    cell_chars: int = TEXT_MAX
    columns: int = 1_000
    rows: int = 1_000_000
    row_chars: int = 1 << 20  # a row's text; a CSV line (and the csv module's field limit)
    file_bytes: int = 256 << 20  # an XLSX file
    part_bytes: int = 1 << 30  # one decompressed XLSX part (worksheet, shared strings)
    shared_strings: int = 1_000_000
    shared_text_bytes: int = 64 << 20  # the shared strings kept, as UTF-8


def read_sheet(
    path: Path,
    *,
    free_text: str | None = None,
    repair_check: RowCheck | None = None,
    within: Path | None = None,
    limits: SheetLimits = SheetLimits(),
) -> Iterator[SheetRow | Reject]:
    """Rows of the first worksheet of an XLSX file, or of a CSV file.

    ``repair_check`` says whether a repaired CSV row looks right (e.g. its year column
    holds a year); a repair it refuses is a reject, never a guess. A file that cannot be
    read at all is one reject for the file; rows read before a fault are kept. A file
    found in folder ``within`` is read only if it is inside it (see :func:`confined`).
    """
    if within is not None and (refused := confined(path, within)):
        yield refused
        return
    if path.suffix.lower() == ".xlsx":
        yield from _read_xlsx(path, limits)
    else:
        yield from _read_csv(path, free_text, repair_check, limits)


def confined(path: Path, folder: Path) -> Reject | None:
    """A reject when ``path`` (symbolic links resolved) is not a file inside ``folder``."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        return Reject(path.name, f"{path}: cannot be opened ({exc}); not read")
    if not real.is_relative_to(folder.resolve()):
        return Reject(path.name, f"{path} leads outside the folder {folder} (to {real}); not read")
    if not real.is_file():
        return Reject(path.name, f"{path} is not a regular file; not read")
    return None


def _read_xlsx(path: Path, limits: SheetLimits) -> Iterator[SheetRow | Reject]:
    rows = read_rows(path, limits)
    number = 0
    try:
        first = next(rows, None)
        if first is None:
            return
        number, raw, problem = first
        headers = _headers(path, number, Bad(problem) if problem else raw, limits)
        if isinstance(headers, Reject):
            yield headers
            return
        for taken, (number, values, not_read) in enumerate(rows, 1):
            if taken > limits.rows:
                yield _too_many_rows(path, number, limits)
                return
            location = f"{path.name}:{number}"
            if not_read:
                yield Reject(location, not_read)
                continue
            if problem := _problems(values, headers, limits):
                yield Reject(location, problem, _excerpt(values))
                continue
            cells = dict(zip(headers.keys, values, strict=False))
            cells.pop("", None)
            yield SheetRow(location, cells)
    except XlsxError as exc:
        where = f"{path.name}:{number + 1}" if number else path.name
        rest = "; the rest of the sheet is not read" if number else ""
        yield Reject(where, f"{exc}{rest}")


def _read_csv(
    path: Path, free_text: str | None, repair_check: RowCheck | None, limits: SheetLimits
) -> Iterator[SheetRow | Reject]:
    if csv.field_size_limit() < limits.row_chars:
        csv.field_size_limit(limits.row_chars)  # process-wide: it only ever grows
    try:
        encoding = _encoding(path)
        file = path.open(encoding=encoding, errors="replace", newline="")
    except OSError as exc:
        yield Reject(path.name, f"cannot be read: {exc}")
        return
    with file:
        lines = _Lines(file, limits.row_chars)
        rows = _csv_rows(csv.reader(lines), lines)
        first = next(rows, None)
        if first is None:
            return
        headers = _headers(path, *first, limits)
        if isinstance(headers, Reject):
            yield headers
            return
        free_at = headers.keys.index(free_text) if free_text in headers.keys else None
        width = len(headers.keys)
        for taken, (number, values) in enumerate(rows, 1):
            if taken > limits.rows:
                yield _too_many_rows(path, number, limits)
                return
            location = f"{path.name}:{number}"
            if isinstance(values, Bad):
                yield Reject(location, values.reason)
                continue
            if not any(v.strip() for v in values):
                continue
            if len(values) > limits.columns:
                yield Reject(location, f"{len(values)} cells, more than {limits.columns}: too wide")
                continue
            values = [nfc(v) for v in values]
            if problem := _problems(values, headers, limits):
                yield Reject(location, problem, _excerpt(values))
                continue
            repaired = None
            if len(values) > width and free_at is not None:
                extra = len(values) - width
                joined = ",".join(values[free_at : free_at + extra + 1])
                fixed = [*values[:free_at], joined, *values[free_at + extra + 1 :]]
                if repair_check is None or repair_check(
                    dict(zip(headers.keys, fixed, strict=True))
                ):
                    values = fixed
                    repaired = f"{extra} unquoted comma(s) in column {free_text!r} joined back"
            if len(values) != width:
                yield Reject(
                    location,
                    f"row has {len(values)} cells but the header has {width} "
                    "(unquoted comma or missing cells?)",
                    _excerpt(values),
                )
                continue
            yield SheetRow(location, dict(zip(headers.keys, values, strict=True)), repaired)


@dataclass
class _Headers:
    keys: list[str]  # folded: "ten san pham"
    shown: list[str]  # as written: "Tên sản phẩm"


def _headers(path: Path, number: int, values: Any, limits: SheetLimits) -> _Headers | Reject:
    location = f"{path.name}:{number}"
    if isinstance(values, Bad):
        return Reject(location, f"header row: {values.reason}; the file is not read")
    if len(values) > limits.columns:
        return Reject(location, f"header row: more than {limits.columns} columns; not read")
    shown = ["" if v is None else nfc(str(v)) for v in values]
    if problem := _problems(values, _Headers(shown, shown), limits):
        return Reject(location, f"header row: {problem}; the file is not read")
    return _Headers([header_key(h) for h in shown], shown)


def _problems(values: list[Any], headers: _Headers, limits: SheetLimits) -> str | None:
    """Why the row's cells cannot be taken (a cell too long, an error value), with columns."""
    found = []
    for index, value in enumerate(values):
        if isinstance(value, Bad):
            problem = value.reason
        elif not isinstance(value, str):
            continue
        elif len(value) > limits.cell_chars:
            problem = f"{len(value)} characters, more than the {limits.cell_chars} a cell may hold"
        elif value.strip() in ERROR_VALUES:
            problem = f"the spreadsheet error {value.strip()} (a formula that failed)"
        else:
            continue
        name = headers.shown[index] if index < len(headers.shown) else ""
        found.append(f"column {index + 1}{f' {name[:60]!r}' if name else ''}: {problem}")
    if not found:
        return None
    more = f" (and {len(found) - 5} more)" if len(found) > 5 else ""
    return "; ".join(found[:5]) + more


def _excerpt(values: list[Any]) -> str:
    shown = (_short(v) for v in values if v not in (None, ""))
    return " | ".join(shown)[:300]


def _short(value: Any) -> str:
    if isinstance(value, Bad):
        return "…"
    text = str(value)
    return text if len(text) <= 100 else text[:100] + "…"


def _too_many_rows(path: Path, number: int, limits: SheetLimits) -> Reject:
    return Reject(
        f"{path.name}:{number}", f"more than {limits.rows} rows: the rest of the file is not read"
    )


class _LineTooLong(Exception):
    pass


class _Lines:
    """Physical lines of a CSV file for :func:`csv.reader`, none longer than ``cap``
    characters: a longer line is skipped (in pieces, never held whole) and reported."""

    def __init__(self, file: io.TextIOBase, cap: int) -> None:
        self.file = file
        self.cap = cap
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.file.readline(self.cap + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.cap:
            while line and not line.endswith(("\n", "\r")):
                line = self.file.readline(self.cap)
            raise _LineTooLong
        return line


def _csv_rows(reader: Iterator[list[str]], lines: _Lines) -> Iterator[tuple[int, list[str] | Bad]]:
    """(line number, cells) per CSV record, or a :class:`Bad` for a record that cannot be
    read; reading goes on at the next line."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except _LineTooLong:
            yield lines.number, Bad(f"a line longer than {lines.cap} characters; not read")
            continue
        except csv.Error as exc:
            yield lines.number, Bad(f"unreadable CSV record: {exc}")
            continue
        yield lines.number, values


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file is, else windows-1258: checked as
    a stream, so a large file is never held in memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file:
        try:
            while chunk := file.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return LEGACY_ENCODING
    return "utf-8-sig"
