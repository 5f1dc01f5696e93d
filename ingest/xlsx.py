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
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

if TYPE_CHECKING:
    from ingest.sheets import SheetLimits

ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
    | {"#GETTING_DATA", "#SPILL!", "#CALC!"}
)
_CHUNK = 1 << 16
_SMALL_PART = 16 << 20  # workbook, relationships, styles: never near this
_MAX_PARTS = 10_000  # zip entries; a workbook has a few dozen
_MAX_STYLES = 100_000  # Excel itself stops at 64 000 cell formats


class XlsxError(ValueError):
    """The file cannot be read as a workbook, and why."""


@dataclass(frozen=True)
class Bad:
    """A cell that cannot be taken (too long, an error value, unreadable), and why."""

    reason: str


Row = tuple[int, list[Any], str | None]  # (row number, values by column, why not read)


def read_rows(path: Path, limits: SheetLimits) -> Iterator[Row]:
    """The first worksheet's rows that hold cells, in order; raises :class:`XlsxError`."""
    _check_zip(path, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxError(f"not an XLSX (zip) file: {exc}") from exc
    with archive:
        book = _Workbook(archive, limits)
        yield from book.rows()


def _check_zip(path: Path, limits: SheetLimits) -> None:
    """Refuse oversized files and zips with more entries than a workbook has, before
    :mod:`zipfile` reads the whole central directory into memory."""
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise XlsxError(f"the file is {size} bytes, more than the {limits.file_bytes} allowed")
    with path.open("rb") as file:
        file.seek(max(0, size - (1 << 16) - 22))
        tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        raise XlsxError("not an XLSX (zip) file: no zip directory at its end")
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if entries > _MAX_PARTS:
        raise XlsxError(f"the zip holds {entries} parts, more than a workbook has")


class _Stop(Exception):
    """Raised by a handler to end a part's parse early (everything wanted was read)."""


def _parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_args: Any) -> None:
        raise XlsxError("the XML declares a DTD or entities, which a workbook never does")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _local(name: str) -> str:
    """``x:row`` → ``row`` (namespaces are not processed: prefixes are rare and fixed)."""
    return name.rpartition(":")[2]


def _feed(
    archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType, max_bytes: int
) -> Iterator[None]:
    """Feed part ``name`` to ``parser`` chunk by chunk, yielding after each chunk."""
    try:
        with archive.open(name) as part:
            total = 0
            while chunk := part.read(_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise XlsxError(f"{name} decompresses to more than {max_bytes} bytes")
                parser.Parse(chunk, False)
                yield
            parser.Parse(b"", True)
            yield
    except _Stop:
        return
    except expat.ExpatError as exc:
        raise XlsxError(f"{name}: malformed XML ({exc})") from exc
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
        zlib.error,
    ) as exc:
        raise XlsxError(f"{name}: unreadable part ({exc})") from exc


def _parse(
    archive: zipfile.ZipFile,
    name: str,
    start: Callable[[str, dict[str, str]], None],
    max_bytes: int = _SMALL_PART,
) -> None:
    """Run ``start(local_name, attributes)`` on every element of part ``name``."""
    parser = _parser()
    parser.StartElementHandler = lambda tag, attrs: start(_local(tag), attrs)
    for _ in _feed(archive, name, parser, max_bytes):
        pass


class _Workbook:
    def __init__(self, archive: zipfile.ZipFile, limits: SheetLimits) -> None:
        self.archive = archive
        self.limits = limits
        self.names = set(archive.namelist())
        root = self._relationships("").values()
        book = next((t for k, t in root if k.endswith("/officeDocument")), "xl/workbook.xml")
        if book not in self.names:
            raise XlsxError(f"no workbook part ({book})")
        self.epoch = CALENDAR_WINDOWS_1900
        sheet_ids: list[str] = []

        def on_book(tag: str, attrs: dict[str, str]) -> None:
            if tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif tag == "sheet" and len(sheet_ids) < _MAX_PARTS:
                sheet_ids.extend(v for k, v in attrs.items() if _local(k) == "id")

        _parse(archive, book, on_book)
        rels = self._relationships(book)
        sheets = [rels[i][1] for i in sheet_ids if i in rels and rels[i][0].endswith("/worksheet")]
        if not sheets:
            raise XlsxError("the workbook has no worksheet")
        self.sheet = sheets[0]
        by_type = {kind.rpartition("/")[2]: target for kind, target in rels.values()}
        self.strings = _SharedStrings(limits)
        if (shared := by_type.get("sharedStrings")) in self.names:
            self.strings.read(archive, shared)
        self.date_styles, self.timedelta_styles = self._styles(by_type.get("styles"))

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type, part name) of ``part``."""
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        if rels_part not in self.names:
            return found

        def on_rel(tag: str, attrs: dict[str, str]) -> None:
            if tag == "Relationship" and "Id" in attrs and "Target" in attrs:
                target = attrs["Target"]
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join(folder, target))
                found[attrs["Id"]] = (attrs.get("Type", ""), target)

        _parse(self.archive, rels_part, on_rel)
        return found

    def _styles(self, part: str | None) -> tuple[set[int], set[int]]:
        """Indexes of the cell formats that show numbers as dates, and as durations."""
        if part not in self.names:
            return set(), set()
        custom: dict[str, str] = {}
        formats: list[str] = []
        depth = {"cellXfs": False}  # inside <cellXfs> (the cells' formats), which ends
        # where <cellStyles> starts; <cellStyleXfs> before it holds xf elements too

        def on_style(tag: str, attrs: dict[str, str]) -> None:
            if tag == "numFmt" and len(custom) < _MAX_STYLES:
                custom[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                depth["cellXfs"] = True
            elif tag == "cellStyles":
                depth["cellXfs"] = False
            elif tag == "xf" and depth["cellXfs"]:
                if len(formats) >= _MAX_STYLES:
                    raise XlsxError(f"styles: more than {_MAX_STYLES} cell formats")
                number = attrs.get("numFmtId", "0")
                builtin = BUILTIN_FORMATS.get(int(number)) if number.isdigit() else None
                formats.append(custom.get(number) or builtin or "General")

        _parse(self.archive, part, on_style)
        dates = {i for i, fmt in enumerate(formats) if is_date_format(fmt)}
        return dates, {i for i, fmt in enumerate(formats) if is_timedelta_format(fmt)}

    def rows(self) -> Iterator[Row]:
        if self.sheet not in self.names:
            raise XlsxError(f"the first worksheet's part {self.sheet} is missing")
        reader = _SheetReader(self)
        parser = _parser()
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.data
        for _ in _feed(self.archive, self.sheet, parser, self.limits.part_bytes):
            yield from reader.done
            reader.done.clear()


class _SharedStrings:
    """The shared string table, packed as UTF-8 with end offsets (a ``str`` per string
    would cost some 60 bytes each before its text)."""

    def __init__(self, limits: SheetLimits) -> None:
        self.limits = limits
        self._text = bytearray()
        self._ends = array("Q")
        self._bad: dict[int, Bad] = {}
        self._cut: str | None = None  # why strings past the kept ones were not kept

    def read(self, archive: zipfile.ZipFile, part: str) -> None:
        # Closures over plain locals: this runs once per string, millions of times.
        chunks: list[str] = []
        cap = self.limits.cell_chars
        in_t = False
        phonetic = 0
        chars = 0

        def start(tag: str, _attrs: dict[str, str]) -> None:
            nonlocal in_t, phonetic, chars
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "t":
                in_t = not phonetic
            elif tag == "si":
                chars = 0
                chunks.clear()
            elif tag == "rPh":
                phonetic += 1

        def end(tag: str) -> None:
            nonlocal in_t, phonetic
            if ":" in tag:
                tag = tag.rpartition(":")[2]
            if tag == "t":
                in_t = False
            elif tag == "si":
                self._add("".join(chunks), chars)
            elif tag == "rPh":
                phonetic -= 1

        def data(text: str) -> None:
            nonlocal chars
            if in_t:
                chars += len(text)
                if chars <= cap:
                    chunks.append(text)

        parser = _parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        for _ in _feed(archive, part, parser, self.limits.part_bytes):
            pass

    def _add(self, text: str, chars: int) -> None:
        index = len(self._ends)
        if index >= self.limits.shared_strings:
            self._cut = f"only the first {self.limits.shared_strings} shared strings are read"
            raise _Stop
        if chars > self.limits.cell_chars:
            self._bad[index] = _too_long(chars, self.limits.cell_chars)
            text = ""
        encoded = text.encode()
        if len(self._text) + len(encoded) > self.limits.shared_text_bytes:
            self._cut = f"the shared strings hold more than {self.limits.shared_text_bytes} bytes"
            raise _Stop
        self._text += encoded
        self._ends.append(len(self._text))

    def __getitem__(self, index: int) -> str | Bad:
        if index < 0 or index >= len(self._ends):
            if self._cut:
                return Bad(f"shared string #{index} was not read: {self._cut}")
            return Bad(f"shared string #{index} does not exist")
        if (bad := self._bad.get(index)) is not None:
            return bad
        start = self._ends[index - 1] if index else 0
        return self._text[start : self._ends[index]].decode()


class _SheetReader:
    """expat handlers for a worksheet: completed rows collect in ``done``."""

    def __init__(self, book: _Workbook) -> None:
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
            return _too_long(self.chars, self.limits.cell_chars)
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


_KINDS = {"n": "number", "s": "shared string", "b": "true/false", "d": "date"}


def _too_long(chars: int, cap: int) -> Bad:
    return Bad(f"{chars} characters, more than the {cap} a cell may hold")
