"""A workbook's structure: its relationships, which part is the first worksheet, which cell
formats show numbers as dates, and its rows read from that worksheet."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from ingest.xlsx.parts import MAX_PARTS, feed, local_name, new_parser, parse_part
from ingest.xlsx.shared_strings import SharedStrings
from ingest.xlsx.sheet import SheetReader
from ingest.xlsx.values import Row, XlsxError

if TYPE_CHECKING:
    from ingest.sheets import SheetLimits

_MAX_STYLES = 100_000  # Excel itself stops at 64 000 cell formats


class Workbook:
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
            elif tag == "sheet" and len(sheet_ids) < MAX_PARTS:
                sheet_ids.extend(v for k, v in attrs.items() if local_name(k) == "id")

        parse_part(archive, book, on_book)
        rels = self._relationships(book)
        sheets = [rels[i][1] for i in sheet_ids if i in rels and rels[i][0].endswith("/worksheet")]
        if not sheets:
            raise XlsxError("the workbook has no worksheet")
        self.sheet = sheets[0]
        by_type = {kind.rpartition("/")[2]: target for kind, target in rels.values()}
        self.strings = SharedStrings(limits)
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

        parse_part(self.archive, rels_part, on_rel)
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

        parse_part(self.archive, part, on_style)
        dates = {i for i, fmt in enumerate(formats) if is_date_format(fmt)}
        return dates, {i for i, fmt in enumerate(formats) if is_timedelta_format(fmt)}

    def rows(self) -> Iterator[Row]:
        if self.sheet not in self.names:
            raise XlsxError(f"the first worksheet's part {self.sheet} is missing")
        reader = SheetReader(self)
        parser = new_parser()
        parser.StartElementHandler = reader.start
        parser.EndElementHandler = reader.end
        parser.CharacterDataHandler = reader.data
        for _ in feed(self.archive, self.sheet, parser, self.limits.part_bytes):
            yield from reader.done
            reader.done.clear()
