"""What every plan record's input is checked against: text cleaned and within its limit,
counts not negative, and the keys records are found by."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.text import clean, slugify

Provenance = Mapping[str, Any] | None


class PlanRecordError(ValueError):
    """A plan record cannot be saved; the message names the field and why."""


def checked_text(value: str | None, name: str, limit: int, *, required: bool = True) -> str | None:
    shown = clean(value)
    if shown is None:
        if required:
            raise PlanRecordError(f"{name}: the value is missing")
        return None
    if len(shown) > limit:
        raise PlanRecordError(f"{name}: {len(shown)} characters, more than the {limit} it may have")
    return shown


def checked_count(value: int, name: str) -> int:
    if value < 0:
        raise PlanRecordError(f"{name}: a count cannot be negative ({value})")
    return value


def person_key(person: str, organisation: str | None) -> str:
    """The same person across lists: folded name and organisation."""
    return f"{slugify(person)}|{slugify(organisation or '')}"[:400]


def joined_key(*parts: str) -> str:
    return ":".join(parts)[:400]
