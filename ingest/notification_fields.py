"""Reading the fields of a WTO notification form: dates in the formats members write them,
HS and ICS codes in "products covered", links to the notified text.

Dates: ``15 March 2026``, ``March 15, 2026``, ``2026-03-15``, ``15/03/2026``, ``15.03.2026``
and the SPS form's ``dd/mm/yy``; "60 days from notification" counts from the circulation
date. Words without a date ("To be determined", "Not stated") mean no date; a field that
looks like a date but is not a real one (``31/02/2026``, ``Q3 2026``) is refused, because
a wrong deadline is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from catalog.text import clean
from ingest.records import RejectError

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
_DAYS_FROM_NOTIFICATION = re.compile(
    r"(\d{1,3})\s+days?\s+(?:from|after|following)\s+(?:the\s+)?(?:date\s+of\s+)?"
    r"(?:circulation|notification|distribution)",
    re.I,
)
_RELATIVE = re.compile(r"\d+\s+(?:days?|months?|years?)\s+(?:after|from|following)", re.I)


def dates_in(text: str, field: str) -> list[date]:
    """Every date written in ``text``, in order of appearance; a date that is not a real
    day raises :class:`RejectError` naming ``field``."""
    found: list[tuple[int, date]] = []
    taken: list[range] = []

    def add(match: re.Match[str], year: int, month: int, day: int) -> None:
        if any(match.start() in span for span in taken):
            return
        try:
            found.append((match.start(), date(year, month, day)))
        except ValueError as exc:
            raise RejectError(f"{field}: {match[0]!r} is not a real date ({exc})") from exc
        taken.append(range(match.start(), match.end()))

    for m in _ISO.finditer(text):
        add(m, int(m[1]), int(m[2]), int(m[3]))
    for m in _DAY_MONTH_YEAR.finditer(text):
        add(m, int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    for m in _MONTH_DAY_YEAR.finditer(text):
        add(m, int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    for m in _NUMERIC.finditer(text):
        year = int(m[3]) if len(m[3]) == 4 else 2000 + int(m[3])
        add(m, year, int(m[2]), int(m[1]))
    return [day for _, day in sorted(found)]


def form_date(value: str | None, field: str, notified_on: date | None = None) -> date | None:
    """The date a form field gives, or None when it gives none (see the module docstring)."""
    text = clean(value) or ""
    if not text:
        return None
    found = dates_in(text, field)
    if found:
        return found[0]
    if relative := _DAYS_FROM_NOTIFICATION.search(text):
        if notified_on is None:
            raise RejectError(f"{field}: {text!r} counts from a circulation date the page lacks")
        return notified_on + timedelta(days=int(relative[1]))
    if not re.search(r"\d", text) or _RELATIVE.search(text):
        return None  # "To be determined", "Six months from publication": no date known
    raise RejectError(f"{field}: {text[:80]!r} is not a date (expected e.g. 15 March 2026)")


_ICS_CODE = re.compile(r"\b\d{2}\.\d{3}(?:\.\d{2})?\b")
_HS_CODE = re.compile(r"\b\d{2}(?:\.?\d{2}){1,4}\b")
_HS_MARKER = re.compile(r"\bHS\b|\bCCCN\b|tariff (?:item|heading)s?|headings?", re.I)
_HS_LEAD = re.compile(r"\s*(?:codes?|numbers?|nos?\.?|items?)?\s*[:.]?\s*", re.I)
_HS_RUN = re.compile(r"[\d.,;\s]*(?:(?:and|or|&)\s+[\d.]+[\d.,;\s]*)*", re.I)


def ics_codes(text: str) -> list[str]:
    """ICS fields named in "products covered": ``ICS 67.140.10``, ``(ICS: 67.040)``."""
    return _unique(_ICS_CODE.findall(text))


def hs_codes(text: str) -> list[str]:
    """HS codes named in "products covered", without dots: ``HS 0902.10`` → ``090210``,
    ``(HS Codes: 07.01, 07.02)`` → ``0701``, ``0702``. Only the numbers listed right after
    an HS marker ("HS", "HS Codes:", "tariff heading") count: a year or a count of pages
    elsewhere in the text is not a code."""
    codes = []
    for marker in _HS_MARKER.finditer(text):
        lead = _HS_LEAD.match(text, marker.end())
        start = lead.end() if lead else marker.end()
        run = _HS_RUN.match(text, start)
        listed = _ICS_CODE.sub(" ", run[0]) if run else ""
        for found in _HS_CODE.findall(listed):
            digits = found.replace(".", "")
            if len(digits) in (4, 6, 8, 10):
                codes.append(digits)
    return _unique(codes)


_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def links_in(text: str) -> list[str]:
    return _unique(url.rstrip(".,;") for url in _URL.findall(text))


def _unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
