"""Reading values out of page cells and spreadsheet cells: text, numbers, dates, codes.

Each reader raises :class:`~ingest.records.RejectError` with a message naming the column
and the value, so a reject says exactly what was wrong.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from catalog.codes import CodeError, DocumentCode, find_codes, parse_code
from catalog.gtin import GtinError, parse_gtin
from catalog.text import clean, fold
from ingest.records import RejectError

_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
E = TypeVar("E", bound=Enum)
_ICS = re.compile(r"^(\d{2}(?:\.\d{3}(?:\.\d{2})?)?)(?:\s*[-–:]\s*(.*))?$")


def text(value: Any) -> str | None:
    """A cell as clean NFC text (numbers as written, ``None`` when empty)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return clean(str(value))


def whole_number(value: Any, column: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RejectError(f"{column}: expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    shown = text(value)
    if shown is None:
        return None
    if re.fullmatch(r"\d+", shown):
        return int(shown)
    raise RejectError(f"{column}: expected a whole number, got {shown!r}")


def first_date(value: Any, column: str) -> date | None:
    """The first date in a cell: a spreadsheet date, ``31-12-2019``, ``06/8/2024``, ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = text(value)
    if shown is None:
        return None
    try:
        if match := _ISO_DATE.search(shown):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DATE.search(shown):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError as exc:
        raise RejectError(f"{column}: {shown!r} is not a real date ({exc})") from exc
    raise RejectError(f"{column}: expected a date like 31/12/2019, got {shown!r}")


def code(value: Any, column: str) -> DocumentCode:
    shown = text(value)
    if shown is None:
        raise RejectError(f"{column}: the document code is missing")
    try:
        return parse_code(shown)
    except CodeError as exc:
        raise RejectError(f"{column}: {exc}") from exc


def codes_in(value: Any) -> list[str]:
    """Canonical codes mentioned in a cell ("QCVN 01:2009/BYT; QCVN 02:2009/BYT")."""
    shown = text(value)
    return [c.canonical() for c in find_codes(shown)] if shown else []


def ics(value: str, column: str) -> tuple[str, str | None]:
    """``67.180.10 - Đường và sản phẩm đường`` → ("67.180.10", "Đường và sản phẩm đường")."""
    shown = clean(value) or ""
    match = _ICS.match(shown)
    if not match:
        raise RejectError(f"{column}: {shown!r} is not an ICS field like '67.180.10 - Name'")
    return match[1], clean(match[2])


def choice(enum: type[E], value: Any, column: str, aliases: dict[str, E] | None = None) -> E:
    """An enum member named by its value, its Vietnamese or English label, or an alias."""
    shown = text(value)
    if shown is None:
        raise RejectError(f"{column}: the value is missing")
    key = fold(shown)
    names: dict[str, E] = {}
    for member in enum:
        names[fold(member.value)] = member
        for label in ("label_vi", "label_en"):
            if hasattr(member, label):
                names[fold(getattr(member, label))] = member
    names.update({fold(k): v for k, v in (aliases or {}).items()})
    if key in names:
        return names[key]
    known = ", ".join(sorted({m.value for m in enum}))
    raise RejectError(f"{column}: unknown value {shown!r} (expected one of: {known})")


def split_list(value: Any) -> list[str]:
    """A cell listing several items, separated by ';' or new lines."""
    shown = text(value) if not isinstance(value, str) else value
    if not shown:
        return []
    return [item for part in re.split(r"[;\n]", shown) if (item := clean(part))]


def gtins(value: Any, column: str) -> list[str]:
    """GTINs listed in a cell, each checked (length, digits, check digit); a GTIN typed as a
    number is read as its digits (the check digit catches a lost leading zero)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = []
    for item in split_list(str(value) if isinstance(value, int) else value):
        try:
            found.append(parse_gtin(item).digits)
        except GtinError as exc:
            raise RejectError(f"{column}: {exc}") from None
    return list(dict.fromkeys(found))
