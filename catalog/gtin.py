"""Barcodes: the GS1 Global Trade Item Number (GTIN-8, -12, -13 and -14) and its prefix.

A GTIN's last digit is a check digit (GS1 General Specifications, the mod-10 check: from
the right, the digits before it are weighted 3, 1, 3, …; the check digit brings the sum to a
multiple of ten), so a mistyped or misread digit is caught. Any GTIN is one number whatever
its length: padded with zeros on the left to 14 digits it compares with the others
(``8934567890128`` and ``08934567890128`` are the same item).

The first three digits of the GTIN-13 form (a GTIN-12 gains a leading zero; a GTIN-14
drops its packaging indicator) are the GS1 prefix: the GS1 member organisation that licensed
the company's number (893 is GS1 Vietnam). It is not where the product was made. GTIN-8s
are numbered from a separate GS1-8 prefix list, not bundled here, so they name no prefix.
The bundled table (``gs1_prefixes.csv``) and what was left out of it are described in
``docs/research/gs1-prefixes.md``.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

LENGTHS = (8, 12, 13, 14)
Kind = Literal["GTIN-8", "GTIN-12", "GTIN-13", "GTIN-14"]
_PREFIXES = Path(__file__).with_name("gs1_prefixes.csv")
_SEPARATORS = " -"  # printed under a barcode: "8 934567 890128"


class GtinError(ValueError):
    """Text that is not a valid GTIN; ``why`` says what is wrong, ``expected`` the check digit
    the other digits call for when only it is wrong."""

    def __init__(self, text: str, why: str, expected: int | None = None) -> None:
        self.text = text
        self.why = why
        self.expected = expected
        super().__init__(f"{text!r} is not a valid GTIN: {why}")


@dataclass(frozen=True, slots=True)
class Gs1Prefix:
    """A range of GS1 prefixes and the organisation (and country) it belongs to."""

    first: str
    last: str
    organisation: str
    country: str | None
    note: str | None

    @property
    def range(self) -> str:
        return self.first if self.first == self.last else f"{self.first}–{self.last}"


@dataclass(frozen=True, slots=True)
class Gtin:
    """A GTIN by its digits as given (8, 12, 13 or 14 of them, check digit valid)."""

    digits: str

    @property
    def kind(self) -> Kind:
        return f"GTIN-{len(self.digits)}"  # type: ignore[return-value]

    @property
    def gtin14(self) -> str:
        """The 14-digit form that compares equal for every length."""
        return self.digits.zfill(14)

    @property
    def prefix(self) -> str | None:
        """The GS1 prefix (three digits of the GTIN-13 form); None for a GTIN-8."""
        if len(self.digits) == 8:
            return None
        return self.gtin14[1:4]

    def prefix_owner(self) -> Gs1Prefix | None:
        """Who the prefix belongs to, when the bundled table knows."""
        prefix = self.prefix
        return owner_of(prefix) if prefix is not None else None

    def __str__(self) -> str:
        return self.digits


def check_digit(body: str) -> int:
    """The check digit of the digits before it (GS1 mod-10)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def parse_gtin(text: str) -> Gtin:
    """``text`` as a :class:`Gtin`; spaces and hyphens between digits are forgiven (as printed
    under a barcode). Raises :class:`GtinError` saying why it is not one: not digits, a
    length that is no GTIN's, or a wrong check digit (with the one expected)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    digits = "".join(ch for ch in cleaned if ch not in _SEPARATORS)
    if not digits:
        raise GtinError(text, "it is empty; a GTIN has 8, 12, 13 or 14 digits")
    stray = sorted({ch for ch in digits if not (ch.isascii() and ch.isdigit())})
    if stray:
        shown = " ".join(repr(ch) for ch in stray)
        raise GtinError(text, f"it holds {shown}; a GTIN is digits only")
    if len(digits) not in LENGTHS:
        raise GtinError(
            text,
            f"it has {len(digits)} digits; a GTIN has 8, 12, 13 or 14 "
            "(GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14)",
        )
    expected = check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise GtinError(
            text,
            f"its check digit is {digits[-1]}, but the digits before it call for {expected}",
            expected,
        )
    return Gtin(digits)


def owner_of(prefix: str) -> Gs1Prefix | None:
    """The range of the bundled table holding the three-digit ``prefix``, if any."""
    return next((p for p in gs1_prefixes() if p.first <= prefix <= p.last), None)


@cache
def gs1_prefixes() -> tuple[Gs1Prefix, ...]:
    """The bundled table of GS1 prefix ranges, in order."""
    with _PREFIXES.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Gs1Prefix(
                first=row["first"],
                last=row["last"],
                organisation=row["organisation"],
                country=row["country"] or None,
                note=row["note"] or None,
            )
            for row in csv.DictReader(handle)
        )
