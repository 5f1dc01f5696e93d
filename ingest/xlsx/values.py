"""What a cell can be besides a value: a :class:`Bad` marker saying why it cannot be taken;
and :class:`XlsxError`, a file that cannot be read as a workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
    | {"#GETTING_DATA", "#SPILL!", "#CALC!"}
)


class XlsxError(ValueError):
    """The file cannot be read as a workbook, and why."""


@dataclass(frozen=True)
class Bad:
    """A cell that cannot be taken (too long, an error value, unreadable), and why."""

    reason: str


Row = tuple[int, list[Any], str | None]  # (row number, values by column, why not read)


def too_long(chars: int, cap: int) -> Bad:
    return Bad(f"{chars} characters, more than the {cap} a cell may hold")
