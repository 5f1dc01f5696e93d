"""What the worker runs and how often: read from the environment, checked at start.

``TIEUCHUAN_SOURCES`` lists the scheduled sources, comma-separated, each
``name=interval`` or ``name=interval@origin``: ``catalogue=1d`` fetches the live catalogue
daily; ``products=6h@/srv/data/registry.xlsx`` reads that file every six hours (a folder or
a saved-pages folder works as for ``tieuchuan ingest --from``; an ``http(s)://`` origin is a
base URL). Intervals are seconds or a number with ``s``, ``m``, ``h`` or ``d``; ``off``
leaves a source out. Default: the three live web sources, daily.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from ingest.jobs import SOURCE_NAMES
from ingest.sources import WEB_SOURCES

DEFAULT_SOURCES = ",".join(f"{name}=1d" for name in WEB_SOURCES)
_INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd]?)$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class ScheduleError(ValueError):
    """A setting of the worker that cannot be used, with the variable and why."""


def interval(text: str, where: str) -> timedelta | None:
    """``30s``, ``15m``, ``6h``, ``1d`` or seconds; None for ``off`` or 0."""
    text = text.strip().lower()
    if text in ("off", "0"):
        return None
    match = _INTERVAL.match(text)
    if not match:
        raise ScheduleError(f"{where}: {text!r} is not an interval (e.g. 30s, 15m, 6h, 1d)")
    return timedelta(seconds=float(match[1]) * _UNIT[match[2]]) or None


@dataclass(frozen=True)
class SourceSchedule:
    name: str
    every: timedelta
    origin: str | None = None  # a folder or file, or a base URL; None: the source's default

    @property
    def job(self) -> str:
        return f"source:{self.name}"


@dataclass(frozen=True)
class WorkerSettings:
    sources: tuple[SourceSchedule, ...]
    webhooks_every: timedelta | None = timedelta(minutes=1)
    index_every: timedelta | None = timedelta(hours=1)  # besides right after a change
    tick: float = 5.0  # seconds between looks for due jobs
    lease: float = 120.0  # seconds a job's lease lasts unless renewed
    backoff: float = 60.0  # seconds before the first retry of a failed job; doubles each time
    max_backoff: float = 6 * 3600.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> WorkerSettings:
        """TIEUCHUAN_SOURCES (see the module), TIEUCHUAN_WEBHOOKS_EVERY (1m),
        TIEUCHUAN_INDEX_SYNC_EVERY (1h), TIEUCHUAN_WORKER_TICK (5 s),
        TIEUCHUAN_WORKER_LEASE (120 s), TIEUCHUAN_WORKER_BACKOFF (60 s) and
        TIEUCHUAN_WORKER_MAX_BACKOFF (6h)."""
        env = os.environ if env is None else env

        def seconds(name: str, default: float) -> float:
            value = interval(env.get(name) or str(default), name)
            if value is None:
                raise ScheduleError(f"{name} must be more than 0")
            return value.total_seconds()

        return cls(
            sources=parse_sources(env.get("TIEUCHUAN_SOURCES", DEFAULT_SOURCES)),
            webhooks_every=interval(
                env.get("TIEUCHUAN_WEBHOOKS_EVERY") or "1m", "TIEUCHUAN_WEBHOOKS_EVERY"
            ),
            index_every=interval(
                env.get("TIEUCHUAN_INDEX_SYNC_EVERY") or "1h", "TIEUCHUAN_INDEX_SYNC_EVERY"
            ),
            tick=seconds("TIEUCHUAN_WORKER_TICK", 5),
            lease=seconds("TIEUCHUAN_WORKER_LEASE", 120),
            backoff=seconds("TIEUCHUAN_WORKER_BACKOFF", 60),
            max_backoff=seconds("TIEUCHUAN_WORKER_MAX_BACKOFF", 6 * 3600),
        )

    def retry_after(self, failures: int, every: timedelta | None) -> timedelta:
        """How long after its ``failures``-th failure in a row a job is tried again: the
        backoff doubled each time, never beyond the job's own interval or the maximum."""
        delay = min(self.backoff * 2 ** (failures - 1), self.max_backoff)
        if every is not None:
            delay = min(delay, every.total_seconds())
        return timedelta(seconds=delay)


def parse_sources(text: str) -> tuple[SourceSchedule, ...]:
    """The ``TIEUCHUAN_SOURCES`` list; an unknown source or a bad interval stops the worker."""
    schedules: dict[str, SourceSchedule] = {}
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, rest = item.partition("=")
        name = name.strip()
        where = f"TIEUCHUAN_SOURCES: {item!r}"
        if not sep:
            raise ScheduleError(f"{where}: expected name=interval[@origin]")
        if name not in SOURCE_NAMES:
            raise ScheduleError(f"{where}: no source {name!r} (one of {', '.join(SOURCE_NAMES)})")
        every_text, _, origin = rest.partition("@")
        every = interval(every_text, where)
        if every is not None:
            schedules[name] = SourceSchedule(name, every, origin.strip() or None)
    return tuple(schedules.values())
