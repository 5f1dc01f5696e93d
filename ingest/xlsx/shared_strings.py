"""The shared string table, read once and kept packed within the sheet limits."""

from __future__ import annotations

import zipfile
from array import array
from typing import TYPE_CHECKING

from ingest.xlsx.parts import StopPart, feed, new_parser
from ingest.xlsx.values import Bad, too_long

if TYPE_CHECKING:
    from ingest.sheets import SheetLimits


class SharedStrings:
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

        parser = new_parser()
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = data
        for _ in feed(archive, part, parser, self.limits.part_bytes):
            pass

    def _add(self, text: str, chars: int) -> None:
        index = len(self._ends)
        if index >= self.limits.shared_strings:
            self._cut = f"only the first {self.limits.shared_strings} shared strings are read"
            raise StopPart
        if chars > self.limits.cell_chars:
            self._bad[index] = too_long(chars, self.limits.cell_chars)
            text = ""
        encoded = text.encode()
        if len(self._text) + len(encoded) > self.limits.shared_text_bytes:
            self._cut = f"the shared strings hold more than {self.limits.shared_text_bytes} bytes"
            raise StopPart
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
