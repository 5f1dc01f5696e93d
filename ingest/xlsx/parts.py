"""Reading a workbook's zip parts: the zip checked before it is opened, and each XML part
streamed through expat in chunks, with no DTD or entity allowed and a cap on its size."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.parsers import expat

from ingest.xlsx.values import XlsxError

if TYPE_CHECKING:
    from ingest.sheets import SheetLimits

_CHUNK = 1 << 16
_SMALL_PART = 16 << 20  # workbook, relationships, styles: never near this
MAX_PARTS = 10_000  # zip entries; a workbook has a few dozen


def check_zip(path: Path, limits: SheetLimits) -> None:
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
    if entries > MAX_PARTS:
        raise XlsxError(f"the zip holds {entries} parts, more than a workbook has")


class StopPart(Exception):
    """Raised by a handler to end a part's parse early (everything wanted was read)."""


def new_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_args: Any) -> None:
        raise XlsxError("the XML declares a DTD or entities, which a workbook never does")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def local_name(name: str) -> str:
    """``x:row`` → ``row`` (namespaces are not processed: prefixes are rare and fixed)."""
    return name.rpartition(":")[2]


def feed(
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
    except StopPart:
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


def parse_part(
    archive: zipfile.ZipFile,
    name: str,
    start: Callable[[str, dict[str, str]], None],
    max_bytes: int = _SMALL_PART,
) -> None:
    """Run ``start(local_name, attributes)`` on every element of part ``name``."""
    parser = new_parser()
    parser.StartElementHandler = lambda tag, attrs: start(local_name(tag), attrs)
    for _ in feed(archive, name, parser, max_bytes):
        pass
