"""The project's one clock: "now" and "today" in the configured time zone, not the server's.

Legal instruments and standards take effect on Vietnamese calendar days, so the day a question
is answered for is the day in ``TIEUCHUAN_TZ`` (default ``Asia/Ho_Chi_Minh``) whatever zone
the process runs in. Every module takes the time from here (a test of the source tree forbids
``date.today()`` and naive ``datetime.now()``); tests freeze it by replacing :data:`_source`.
Times shown to people are in this zone with its offset; times stored stay aware (UTC).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ZONE_VARIABLE = "TIEUCHUAN_TZ"
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"

# The only reading of the system's clock (an aware UTC time); tests replace it to freeze time.
_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The shape of a date-time given as text; what fits it but is no time is told apart after.
_MOMENT_SHAPE = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}:?\d{2})?)?"
)
# What an API parameter may hold: a day of the years 1000 to 2999 that the calendar has (a
# 29 February only in a leap year), or such a day with a time and an optional offset (RFC
# 3339). The pattern is the whole check, so the OpenAPI document states exactly what is taken.
_YEAR = r"[12][0-9]{3}"
_LEAP_YEAR = r"([12][0-9](0[48]|[2468][048]|[13579][26])|(1[26]|2[048])00)"
_DAY = (
    rf"({_YEAR}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    rf"|02-(0[1-9]|1[0-9]|2[0-8]))|{_LEAP_YEAR}-02-29)"
)
_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
_OFFSET = r"(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])"  # no "z": fromisoformat refuses it
MOMENT_PATTERN = rf"^{_DAY}([T ]{_TIME}{_OFFSET}?)?$"


class ClockError(ValueError):
    """A configured zone or a time given as text that cannot be read; the message says why."""


@cache
def zone() -> ZoneInfo:
    """The configured zone (``TIEUCHUAN_TZ``), read once per process."""
    name = os.environ.get(ZONE_VARIABLE) or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ClockError(
            f"{ZONE_VARIABLE}={name!r} is not an IANA time zone (for example {DEFAULT_ZONE})"
        ) from exc


def now() -> datetime:
    """The current time, aware, in the configured zone."""
    return _source().astimezone(zone())


def today() -> date:
    """The current day in the configured zone."""
    return _day_at(_source())[0]


def until_tomorrow() -> timedelta:
    """How long until midnight in the configured zone, when "today" becomes the next day."""
    at = _source()
    return _day_at(at)[1] - at


# The current day: (zone, its first moment and the next day's in UTC, the day). Every answer
# asks for today; converting each time to the zone would cost three times reading the clock.
_current: tuple[ZoneInfo, datetime, datetime, date] | None = None


def _day_at(at: datetime) -> tuple[date, datetime]:
    """The day in the configured zone at the aware time ``at``, and the moment it ends."""
    global _current
    tz = zone()
    held = _current
    if held is not None and held[0] is tz and held[1] <= at < held[2]:
        return held[3], held[2]
    day = at.astimezone(tz).date()
    # In UTC, as the clock reads: times with the same tzinfo compare without asking the zone.
    end = day_start(day + timedelta(days=1)).astimezone(UTC)
    _current = (tz, day_start(day).astimezone(UTC), end, day)
    return day, end


def local(moment: datetime) -> datetime:
    """``moment`` in the configured zone; a naive time is taken as UTC (as SQLite returns)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone())


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the configured zone, aware."""
    return datetime.combine(day, time.min, tzinfo=zone())


def offset_label(moment: datetime) -> str:
    """``UTC+07:00``: the zone's offset from UTC at ``moment``."""
    offset = local(moment).utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone_label() -> str:
    """How the zone is named in a column heading: its offset when the zone keeps one all
    year (``UTC+07:00``), else its name (whose offset changes with daylight saving)."""
    year = today().year
    winter, summer = (day_start(date(year, month, 1)) for month in (1, 7))
    if winter.utcoffset() == summer.utcoffset():
        return offset_label(winter)
    return str(zone())


def shown(moment: datetime) -> str:
    """``02/12/2026 03:50 (UTC+07:00)``: a time as people read it, in the configured zone."""
    at = local(moment)
    return f"{at:%d/%m/%Y %H:%M} ({offset_label(at)})"


def parse_day(text: str) -> date:
    """The day a parameter names: ``2026-12-02``, or a date-time whose day in the configured
    zone is taken (one without an offset is read as a time in that zone)."""
    if _DATE.fullmatch(text):
        return _date(text)
    return local_moment(text).date()


def parse_moment(text: str) -> datetime:
    """The moment a parameter names, aware: a day is its first moment in the configured
    zone; a date-time without an offset is read as a time in that zone."""
    if _DATE.fullmatch(text):
        return day_start(_date(text))
    return local_moment(text)


def local_moment(text: str) -> datetime:
    """A date-time given as text, aware and in the configured zone."""
    if not _MOMENT_SHAPE.fullmatch(text):
        raise ClockError(
            f"{text!r} is neither a date (2026-11-01) nor a date-time (2026-11-01T08:00:00+07:00)"
        )
    try:
        moment = datetime.fromisoformat(text)
        return moment.astimezone(zone()) if moment.tzinfo else moment.replace(tzinfo=zone())
    except (ValueError, OverflowError) as exc:
        raise ClockError(f"{text!r} is not a valid date-time: {exc}") from None


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ClockError(f"{text!r} is not a valid date: {exc}") from None
