"""WTO notification symbols: parse and format ``G/TBT/N/VNM/123``, ``G/SPS/N/EU/45/Add.1``.

A notification is circulated under a symbol: the committee (``G/TBT`` technical barriers
to trade, ``G/SPS`` sanitary and phytosanitary measures), ``N`` for notification, the
notifying member's WTO code (``VNM``, ``CHN``, ``EU``, ``TPKM``), a number and, for the
documents that follow it, ``/Add.n`` (an addendum: new dates, adoption, withdrawal),
``/Corr.n`` (a corrigendum: a correction) or ``/Rev.n`` (a revision, which replaces the
notification's text). They combine: ``G/TBT/N/USA/1234/Rev.1/Add.2``.

Members are not countries: the European Union notifies for its member states, and a
question asked with a country (``market=DE``) is read as the member that notifies for
it (:func:`wto_member`).

Decisions: letter case, spaces and a missing dot (``Add1``, ``add. 1``) are tolerated; a
symbol without its ``N`` (``G/TBT/CHN/1246``, a common slip in news items) is refused,
because ``G/TBT/…`` without ``N`` names other documents of the committee.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from catalog.text import clean


class Agreement(StrEnum):
    TBT = "TBT"
    SPS = "SPS"

    @property
    def label_vi(self) -> str:
        return "Hàng rào kỹ thuật (TBT)" if self is Agreement.TBT else "Vệ sinh dịch tễ (SPS)"


class SymbolError(ValueError):
    """Raised when a text cannot be read as a notification symbol."""


_SYMBOL = re.compile(
    r"""
    ^G\s*/\s*(?P<agreement>TBT|SPS)\s*/\s*(?P<n>N\s*/\s*)?
    (?P<member>[A-Z]{2,4})\s*/\s*(?P<number>\d{1,5})
    (?P<suffixes>(?:\s*[/.]?\s*(?:ADD|CORR|REV)\s*\.?\s*\d{1,3})*)\s*$
    """,
    re.VERBOSE,
)
_SUFFIX = re.compile(r"(ADD|CORR|REV)\s*\.?\s*(\d{1,3})")
_SUFFIX_NAMES = {"REV": "Rev", "ADD": "Add", "CORR": "Corr"}  # in the order symbols give them


@dataclass(frozen=True)
class NotificationSymbol:
    agreement: Agreement
    member: str  # the WTO member code as in symbols: "VNM", "EU", "TPKM"
    number: int
    revision: int | None = None
    addendum: int | None = None
    corrigendum: int | None = None

    def canonical(self) -> str:
        parts = [f"G/{self.agreement.value}/N/{self.member}/{self.number}"]
        if self.revision is not None:
            parts.append(f"Rev.{self.revision}")
        if self.addendum is not None:
            parts.append(f"Add.{self.addendum}")
        if self.corrigendum is not None:
            parts.append(f"Corr.{self.corrigendum}")
        return "/".join(parts)

    def base(self) -> NotificationSymbol:
        """The notification an addendum or corrigendum belongs to (a revision is its own)."""
        return NotificationSymbol(self.agreement, self.member, self.number, self.revision)

    @property
    def is_follow_up(self) -> bool:
        """An addendum or corrigendum, rather than the notification itself."""
        return self.addendum is not None or self.corrigendum is not None

    def __str__(self) -> str:
        return self.canonical()


def parse_symbol(text: str) -> NotificationSymbol:
    """Read one symbol; raises :class:`SymbolError` saying what is wrong."""
    shown = clean(text) or ""
    key = shown.upper().replace("\u2044", "/").replace("\uff0f", "/")
    match = _SYMBOL.match(key)
    if not match:
        raise SymbolError(
            f"{shown!r} is not a WTO notification symbol like 'G/TBT/N/VNM/123', "
            "'G/SPS/N/EU/45/Add.1' or 'G/TBT/N/CHN/1246/Corr.1'"
        )
    if not match["n"]:
        raise SymbolError(f"{shown!r} lacks the '/N/' of a notification symbol")
    found: dict[str, int] = {}
    for kind, number in _SUFFIX.findall(match["suffixes"]):
        name = _SUFFIX_NAMES[kind]
        if name in found:
            raise SymbolError(f"{shown!r} has {name} twice")
        found[name] = int(number)
    if list(found) != sorted(found, key=list(_SUFFIX_NAMES.values()).index):
        raise SymbolError(f"{shown!r}: Rev, Add and Corr must come in that order")
    return NotificationSymbol(
        agreement=Agreement(match["agreement"]),
        member=match["member"],
        number=int(match["number"]),
        revision=found.get("Rev"),
        addendum=found.get("Add"),
        corrigendum=found.get("Corr"),
    )


# ISO 3166 alpha-2 and alpha-3 codes → the WTO member code used in symbols, for the members
# whose code differs from the country's alpha-3 code or who notify for others.
_EU_STATES = {
    *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"),
    *("IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
}
_ALIASES = {
    "EU": "EU",
    "EEC": "EU",
    "TW": "TPKM",
    "TWN": "TPKM",
    "VN": "VNM",
    "CN": "CHN",
    "JP": "JPN",
    "KR": "KOR",
    "US": "USA",
    "AU": "AUS",
    "NZ": "NZL",
    "IL": "ISR",
    "MA": "MAR",
    "TH": "THA",
    "RU": "RUS",
    "GB": "GBR",
    "CA": "CAN",
    "IN": "IND",
    "SG": "SGP",
    "MY": "MYS",
    "ID": "IDN",
    "PH": "PHL",
    "KH": "KHM",
    "LA": "LAO",
    "SA": "SAU",
    "AE": "ARE",
}
_ISO3_EU = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC"}
_ISO3_EU |= {"HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU"}
_ISO3_EU |= {"SVK", "SVN", "ESP", "SWE"}
_MEMBER = re.compile(r"[A-Z]{2,4}")


def wto_member(market: str) -> str:
    """The WTO member code that notifies for ``market``: an ISO country code (``DE``,
    ``DEU``, ``CN``) or a member code (``EU``, ``CHN``, ``TPKM``). Raises ``ValueError``."""
    key = (clean(market) or "").upper()
    if not _MEMBER.fullmatch(key):
        raise ValueError(f"{market!r} is not a country (ISO 3166) or WTO member code")
    if key in _EU_STATES or key in _ISO3_EU:
        return "EU"
    return _ALIASES.get(key, key)
