"""Days and moments asked in API query parameters: a plain date (``2026-11-01``) or an RFC 3339
date-time, read in the configured zone (:mod:`catalog.clock`).

The schema states :data:`catalog.clock.MOMENT_PATTERN` (days the calendar has, years 1000 to
2999), and :func:`day_asked` and :func:`moment_asked` refuse exactly what it refuses, with a
message saying why rather than the pattern Litestar would quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from litestar.params import Parameter

from api.problems import Problem
from catalog import clock
from catalog.codes_wto import wto_member
from catalog.reports.changes import DEFAULT_WINDOW

MOMENT_SCHEMA = {"pattern": clock.MOMENT_PATTERN}
AsOf = Annotated[
    str | None,
    Parameter(
        description="The day asked about: a date (2026-12-02) or a date-time, whose day in "
        "the configured zone (default Asia/Ho_Chi_Minh) is taken (default: today there)",
        schema_extra=MOMENT_SCHEMA,
        required=False,
    ),
]
Since = Annotated[
    str | None,
    Parameter(
        description="Changes at or after this moment: a date-time (ISO 8601; without an "
        "offset, in the configured zone) or a date, meaning its first moment in that zone",
        schema_extra=MOMENT_SCHEMA,
        required=False,
    ),
]


def day_asked(value: str | None, name: str = "as_of") -> date:
    """The day ``value`` names (today in the configured zone when absent), or a 400 problem."""
    if value is None:
        return clock.today()
    _check_shape(value, name)
    try:
        return clock.parse_day(value)
    except clock.ClockError as exc:
        raise _invalid(name, exc) from None


def moment_asked(
    value: str | None, default: Callable[[], datetime], name: str = "since"
) -> datetime:
    """The moment ``value`` names, aware (``default()`` when absent), or a 400 problem."""
    if value is None:
        return default()
    _check_shape(value, name)
    try:
        return clock.parse_moment(value)
    except clock.ClockError as exc:
        raise _invalid(name, exc) from None


MAX_CHANGES = 1000
Limit = Annotated[int, Parameter(ge=1, le=MAX_CHANGES, description="At most this many")]

Market = Annotated[
    str | None,
    Parameter(
        description="An export destination: an ISO 3166 country code (DE, CN, DEU) or a WTO "
        "member code (EU, CHN, TPKM). Its notifications of drafts under way that cover the "
        "product are listed too; without it only Viet Nam's own are",
        pattern=r"^[A-Za-z]{2,4}$",
        required=False,
    ),
]


def since_asked(value: str | None) -> datetime:
    """The moment ``since`` names (default: :data:`DEFAULT_WINDOW` ago), aware."""
    return moment_asked(value, lambda: clock.now() - DEFAULT_WINDOW)


def market_asked(value: str | None) -> str | None:
    """The WTO member code that notifies for ``value`` (None when absent), or a 400 problem."""
    if value is None:
        return None
    try:
        return wto_member(value)
    except ValueError as exc:
        raise _invalid("market", exc) from None


def _check_shape(value: str, name: str) -> None:
    """A 400 problem unless ``value`` matches the documented pattern (it says why not)."""
    if re.fullmatch(clock.MOMENT_PATTERN, value):
        return
    try:  # the clock's reason when it has one (a 30 February, an hour 25)
        clock.parse_moment(value)
    except clock.ClockError as exc:
        raise _invalid(name, exc) from None
    raise _invalid(name, ValueError(f"{value!r}: years 1000 to 2999 are taken"))


def _invalid(name: str, exc: Exception) -> Problem:
    message = str(exc)
    return Problem(
        400,
        "Invalid request",
        f"query field {name!r}: {message}",
        errors=[{"field": name, "in": "query", "message": message}],
    )
