"""The one clock: the day in Vietnam whatever the server's zone, and no module that asks the
server's zone for a day or a time."""

from __future__ import annotations

import ast
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from catalog import clock

REPO = Path(__file__).resolve().parents[1]
SCANNED = ("catalog", "api", "ingest", "search", "bench", "tests")

# Calls that read or convert through the process's own time zone (or return naive local times).
_ALWAYS = {"today", "utcnow", "utcfromtimestamp"}  # on date / datetime
_TIME_LOCAL = {"localtime", "ctime", "mktime", "strftime", "asctime"}  # on the time module


def zone_dependent_calls(source: str) -> list[tuple[int, str]]:
    """(line, text) of each use of the process's zone for a day or a time in ``source``."""
    tree = ast.parse(source)
    calls = {id(node.func): node for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        owner = (
            node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        )
        call = calls.get(id(node))
        args = [*call.args, *(k.value for k in call.keywords)] if call else []
        no_zone = not args or all(isinstance(a, ast.Constant) and a.value is None for a in args)
        bad = (
            (owner in ("date", "datetime") and node.attr in _ALWAYS)
            or (owner == "datetime" and node.attr == "now" and no_zone)
            or (owner in ("date", "datetime") and node.attr == "fromtimestamp" and len(args) < 2)
            or (owner == "time" and node.attr in _TIME_LOCAL)
            or (node.attr == "astimezone" and call is not None and no_zone)
        )
        if bad:
            found.append((node.lineno, ast.unparse(call or node)))
    return found


def test_no_module_takes_the_day_or_the_time_from_the_servers_zone() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}: {text}"
        for folder in SCANNED
        for path in sorted((REPO / folder).rglob("*.py"))
        for line, text in zone_dependent_calls(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use catalog.clock instead:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "snippet",
    [
        "date.today()",
        "datetime.datetime.today()",
        "datetime.now()",
        "datetime.now(None)",
        "datetime.now(tz=None)",
        "datetime.utcnow()",
        "field(default_factory=date.today)",
        "field(default_factory=datetime.now)",
        "datetime.fromtimestamp(0)",
        "date.fromtimestamp(0)",
        "time.localtime()",
        "time.strftime('%Y')",
        "moment.astimezone()",
    ],
)
def test_the_scan_finds_each_way_of_asking_the_servers_zone(snippet: str) -> None:
    assert [line for line, _ in zone_dependent_calls(snippet)] == [1]


@pytest.mark.parametrize(
    "snippet",
    [
        "datetime.now(UTC)",
        "datetime.now(tz=zone())",
        "datetime.fromtimestamp(0, UTC)",
        "moment.astimezone(UTC)",
        "clock.today()",
        "time.monotonic()",
        "time.perf_counter()",
    ],
)
def test_the_scan_lets_zone_independent_calls_pass(snippet: str) -> None:
    assert zone_dependent_calls(snippet) == []


def test_at_20_50_utc_on_a_utc_server_it_is_already_tomorrow_in_vietnam(frozen_clock) -> None:
    assert time.timezone == 0 and time.tzname[0] == "UTC"  # the process itself is on UTC
    assert clock.today() == date(2026, 12, 2)
    assert clock.now() == datetime(2026, 12, 2, 3, 50, tzinfo=clock.zone())
    assert clock.now().utcoffset() == timedelta(hours=7)
    frozen_clock.at = datetime(2026, 12, 1, 16, 59, 59, tzinfo=UTC)
    assert clock.today() == date(2026, 12, 1)
    frozen_clock.at = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    assert clock.today() == date(2026, 12, 2)


def test_the_zone_is_configured_and_a_wrong_one_is_named(monkeypatch) -> None:
    try:
        assert str(clock.zone()) == "Asia/Ho_Chi_Minh"  # the default
        monkeypatch.setenv("TIEUCHUAN_TZ", "Europe/Paris")
        clock.zone.cache_clear()
        assert str(clock.zone()) == "Europe/Paris"
        assert clock.zone_label() == "Europe/Paris"  # its offset changes with the season
        monkeypatch.setenv("TIEUCHUAN_TZ", "Asia/Hanoi-Typo")
        clock.zone.cache_clear()
        with pytest.raises(clock.ClockError, match="TIEUCHUAN_TZ='Asia/Hanoi-Typo' is not an IANA"):
            clock.zone()
    finally:
        monkeypatch.delenv("TIEUCHUAN_TZ")
        clock.zone.cache_clear()
    assert clock.zone_label() == "UTC+07:00"


def test_times_are_shown_in_vietnam_with_the_offset() -> None:
    at = datetime(2026, 12, 1, 20, 50, tzinfo=UTC)
    assert clock.shown(at) == "02/12/2026 03:50 (UTC+07:00)"
    assert clock.shown(at.replace(tzinfo=None)) == "02/12/2026 03:50 (UTC+07:00)"  # naive = UTC
    assert clock.local(at).isoformat() == "2026-12-02T03:50:00+07:00"


@pytest.mark.parametrize(
    ("text", "day", "moment"),
    [
        ("2026-11-01", date(2026, 11, 1), "2026-10-31T17:00:00+00:00"),
        ("2026-12-01T20:50:00Z", date(2026, 12, 2), "2026-12-01T20:50:00+00:00"),
        ("2026-12-01T20:50:00+00:00", date(2026, 12, 2), "2026-12-01T20:50:00+00:00"),
        ("2026-12-02T03:50", date(2026, 12, 2), "2026-12-01T20:50:00+00:00"),  # in Vietnam
        ("2026-12-02 03:50:00.5+07:00", date(2026, 12, 2), "2026-12-01T20:50:00.500000+00:00"),
    ],
)
def test_a_day_or_a_moment_is_read_as_a_date_or_a_date_time(
    text: str, day: date, moment: str
) -> None:
    assert clock.parse_day(text) == day
    assert clock.parse_moment(text).astimezone(UTC).isoformat() == moment


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-02-30", "not a valid date"),
        ("2026-11-01T25:00", "not a valid date-time"),
        ("0001-01-01T00:00+07:00", "not a valid date-time"),
        ("yesterday", "neither a date"),
        ("2026-11-01T08:00:00+07:00junk", "neither a date"),
    ],
)
def test_a_day_or_a_moment_that_cannot_be_read_says_why(text: str, why: str) -> None:
    for parse in (clock.parse_day, clock.parse_moment):
        with pytest.raises(clock.ClockError, match=why):
            parse(text)
