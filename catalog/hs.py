"""Vietnam's tariff lines as people type them: an HS code of 4, 6 or 8 digits.

Vietnam's nomenclature (Danh mục hàng hóa xuất khẩu, nhập khẩu Việt Nam) follows the WCO's
Harmonized System to 6 digits and adds 2 of its own: the 8-digit tariff line. People write a
code bare (``09023010``) or dotted after the heading and the subheading (``0902.30.10``);
both are the same code. A 4-digit heading or a 6-digit subheading is a code too: it stands
for every line under it. Anything else is refused with the reason, so a typing mistake is
told, never read as another code.

Prefixes and their order for rules are :mod:`catalog.codes_order`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from catalog.codes_order import hs_prefixes

LENGTHS = (4, 6, 8)  # heading, subheading, Vietnam's tariff line
Level = Literal["heading", "subheading", "tariff line"]
LEVEL_NAMES: dict[int, Level] = {4: "heading", 6: "subheading", 8: "tariff line"}
# The WCO's chapters run 01 to 97, 77 being reserved for future use. Chapters 98 and 99 are
# left to national use, and are not product descriptions this catalog files rules under.
_RESERVED_CHAPTERS = {"00", "77"}
_LAST_CHAPTER = 97
_DOTTED = re.compile(r"^(\d{4})(?:\.(\d{2})(?:\.(\d{2}))?)?$")
# Exactly what parse_hs accepts, for the API's schema (JSON Schema's ECMA dialect).
HS_PATTERN = (
    r"^(0[1-9]|[1-6][0-9]|7[0-689]|8[0-9]|9[0-7])[0-9]{2}"
    r"(([0-9]{2}){0,2}|\.[0-9]{2}(\.[0-9]{2})?)$"
)


Problem = Literal["empty", "characters", "length", "dots", "chapter"]


class HsCodeError(ValueError):
    """Text that is not an HS code of 4, 6 or 8 digits; the message says why, ``problem``
    which rule it broke (for pages that say it in another language)."""

    def __init__(self, text: str, why: str, problem: Problem) -> None:
        self.text = text
        self.why = why
        self.problem = problem
        super().__init__(f"{text!r} is not an HS code: {why}")


@dataclass(frozen=True, slots=True)
class HsCode:
    """An HS code by its digits (``090230``)."""

    digits: str

    @property
    def dotted(self) -> str:
        """As printed in the tariff: ``0902.30.10``."""
        d = self.digits
        return ".".join(part for part in (d[:4], d[4:6], d[6:8], d[8:]) if part)

    @property
    def level(self) -> Level:
        return LEVEL_NAMES[len(self.digits)]

    @property
    def heading(self) -> str:
        return self.digits[:4]

    def prefixes(self) -> list[str]:
        """The codes a rule may name that enclose this one, itself included."""
        return hs_prefixes(self.digits)

    def encloses(self, code: str) -> bool:
        """Whether ``code`` (digits) is this code or a line under it."""
        return code.startswith(self.digits)

    def __str__(self) -> str:
        return self.dotted


def parse_hs(text: str) -> HsCode:
    """``0902``, ``0902.30``, ``090230``, ``0902.30.10`` or ``09023010`` as an :class:`HsCode`.

    Anything else raises :class:`HsCodeError` saying what is wrong (what it accepts is
    :data:`HS_PATTERN`; a form strips the spaces a person typed around the code first).
    """
    cleaned = text
    if not cleaned:
        raise HsCodeError(
            text, "it is empty; give 4, 6 or 8 digits, e.g. 0902 or 0902.30.10", "empty"
        )
    stray = sorted({ch for ch in cleaned if not (ch.isascii() and (ch.isdigit() or ch == "."))})
    if stray:
        shown = " ".join(repr(ch) for ch in stray)
        raise HsCodeError(
            text, f"it holds {shown}; an HS code is digits, with optional dots", "characters"
        )
    digits = cleaned.replace(".", "")
    if len(digits) not in LENGTHS:
        raise HsCodeError(
            text,
            f"it has {len(digits)} digit{'s' if len(digits) != 1 else ''}; an HS code has 4 "
            "(heading), 6 (subheading) or 8 (Vietnam's tariff line)",
            "length",
        )
    if "." in cleaned and not _DOTTED.match(cleaned):
        raise HsCodeError(
            text,
            "its dots are misplaced; they go after the 4-digit heading and the 6-digit "
            "subheading, e.g. 0902.30.10",
            "dots",
        )
    chapter = digits[:2]
    if chapter in _RESERVED_CHAPTERS or int(chapter) > _LAST_CHAPTER:
        raise HsCodeError(
            text,
            f"chapter {chapter} does not exist; HS chapters run 01 to 97 (77 is reserved)",
            "chapter",
        )
    return HsCode(digits)
