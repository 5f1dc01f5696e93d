"""What every plan record's input is checked against: text cleaned and within its limit,
counts not negative, and the keys records are found by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

from catalog.text import clean, slugify

Provenance = Mapping[str, Any] | None


class PlanRecordError(ValueError):
    """A plan record cannot be saved; the message names the field and why."""


@overload
def checked_text(
    value: str | None, name: str, limit: int, *, required: Literal[True] = True
) -> str: ...
@overload
def checked_text(value: str | None, name: str, limit: int, *, required: bool) -> str | None: ...
def checked_text(value: str | None, name: str, limit: int, *, required: bool = True) -> str | None:
    shown = clean(value)
    if shown is None:
        if required:
            raise PlanRecordError(f"{name}: the value is missing")
        return None
    if len(shown) > limit:
        raise PlanRecordError(f"{name}: {len(shown)} characters, more than the {limit} it may have")
    return shown


COUNT_MAX = 10_000_000  # people or producers: more than the province holds
AMOUNT_MAX = 10**15  # đồng


def checked_count(value: int, name: str, limit: int = COUNT_MAX) -> int:
    if value < 0:
        raise PlanRecordError(f"{name}: a count cannot be negative ({value})")
    if value > limit:
        raise PlanRecordError(f"{name}: {value} is more than the {limit} it may be")
    return value


def person_key(person: str, organisation: str | None) -> str:
    """The same person across lists: folded name and organisation."""
    return f"{slugify(person)}|{slugify(organisation or '')}"[:400]


def joined_key(*parts: str) -> str:
    return ":".join(parts)[:400]
