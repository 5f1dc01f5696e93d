"""A worksheet's cells as expat events come: each cell's value typed as openpyxl's
``data_only`` read gives it, each row kept within the sheet limits or marked with why not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openpyxl.utils.datetime import from_excel, from_ISO8601

from ingest.xlsx.values import ERROR_VALUES, Bad, Row, too_long

if TYPE_CHECKING:
    from ingest.xlsx.workbook import Workbook

# Cell types (the t attribute), as a message names them.
_KINDS = {"n": "number", "s": "shared string", "b": "true/false", "d": "date"}


class SheetReader:
    """expat handlers for a worksheet: completed rows collect in ``done``."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.limits = book.limits
        self.done: list[Row] = []
        self.row_number = 0
        self.cells: dict[int, Any] = {}
        self.problem: str | None = None  # why the current row is not read
        self.row_chars = 0  # characters of text kept for the current row
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.in_text = False  # inside <v>, or <t> of an inline string
        self.in_inline = False
        self.phonetic = 0
        self.chunks: list[str] = []
        self.chars = 0
        self.has_text = False
        self.skip = False  # a cell right of the column limit

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag == "v" or (tag == "t" and self.in_inline and not self.phonetic):
            self.in_text = not self.skip
            self.has_text = True
        elif tag == "c":
            self._start_cell(attrs)
        elif tag == "row":
            number = attrs.get("r", "")
            self.row_number = int(number) if number.isdigit() else self.row_number + 1
            self.cells, self.problem, self.row_chars, self.column = {}, None, 0, 0
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.phonetic += 1

    def _start_cell(self, attrs: dict[str, str]) -> None:
        ref = attrs.get("r")
        letters = "".join(ch for ch in ref or "" if ch.isalpha()).upper()
        if letters and len(letters) <= 3:
            self.column = 0
            for letter in letters:
                self.column = self.column * 26 + ord(letter) - 64
        else:
            self.column += 1
        self.kind = attrs.get("t", "n")
        style = attrs.get("s", "0")
        self.style = int(style) if style.isdigit() else 0
        self.chunks, self.chars, self.has_text = [], 0, False
        self.skip = self.problem is not None or self.column > self.limits.columns
        if self.problem is None and self.skip:
            self.problem = f"cells right of column {self.limits.columns}: too wide"
            self.cells.clear()

    def end(self, tag: str) -> None:
        if ":" in tag:
            tag = tag.rpartition(":")[2]
        if tag in ("v", "t"):
            self.in_text = False
        elif tag == "c":
            if not self.skip and (value := self._value()) is not None:
                self.cells[self.column] = value
        elif tag == "row" and (self.cells or self.problem):
            width = max(self.cells, default=0)
            values = [self.cells.get(i) for i in range(1, width + 1)]
            self.done.append((self.row_number, values, self.problem))
        elif tag == "is":
            self.in_inline = False
        elif tag == "rPh":
            self.phonetic -= 1

    def data(self, text: str) -> None:
        if self.in_text:
            self.chars += len(text)
            if self.chars <= self.limits.cell_chars:
                self.chunks.append(text)
                self.row_chars += len(text)
                if self.row_chars > self.limits.row_chars:
                    self.problem = f"more than {self.limits.row_chars} characters; not read"
                    self.cells.clear()
                    self.chunks.clear()
                    self.skip = True
                    self.in_text = False

    def _value(self) -> Any:
        if not self.has_text:
            return None
        if self.chars > self.limits.cell_chars:
            return too_long(self.chars, self.limits.cell_chars)
        text = "".join(self.chunks)
        kind = self.kind
        if kind == "inlineStr":
            return text
        if not text:
            return None
        try:
            if kind == "n":
                return self._number(text)
            if kind == "s":
                return self.book.strings[int(text)]
            if kind == "str":
                return text
            if kind == "b":
                return bool(int(text))
            if kind == "e":
                return Bad(f"the spreadsheet error {text.strip()} (a formula that failed)")
            if kind == "d":
                return from_ISO8601(text)
        except (ValueError, OverflowError):
            return Bad(f"{text[:40]!r} cannot be read as a {_KINDS.get(kind, kind)} cell")
        return Bad(f"unknown cell type {kind[:20]!r}")

    def _number(self, text: str) -> Any:
        if text.strip() in ERROR_VALUES:
            return Bad(f"the spreadsheet error {text.strip()} (a formula that failed)")
        value: int | float = float(text) if any(c in text for c in ".eE") else int(text)
        if self.style in self.book.date_styles:
            delta = self.style in self.book.timedelta_styles
            return from_excel(value, self.book.epoch, timedelta=delta)
        return value
