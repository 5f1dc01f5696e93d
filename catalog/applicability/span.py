"""The day asked about, and the span of days around it on which the answer stays the same.

The resolver looks at the day only through a :class:`SpanClock`: each comparison of a date
with the day narrows the span to the days on which that comparison comes out the same. An
answer computed through one clock is therefore, but for its ``as_of``, the answer for every day
of :meth:`SpanClock.span`, which :func:`~catalog.applicability.applicable_over` returns with it.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from catalog.applicability.answer import DaySpan


class SpanClock:
    """The day asked about, and the span of days around it on which every comparison made
    with it so far comes out the same. An answer that looks at the day only through a clock
    is, but for its ``as_of``, the answer for every day of :meth:`span`."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.first = date.min
        self.end: date | None = None  # the first day after the span; None: no end

    def reached(self, when: date) -> bool:
        """Whether ``when`` is on or before the day."""
        if when <= self.day:
            self.first = max(self.first, when)
            return True
        self.end = when if self.end is None else min(self.end, when)
        return False

    def within(self, start: date | None, end: date | None) -> bool:
        """Whether the day is from ``start`` to ``end`` inclusive (None: open)."""
        if start is not None and not self.reached(start):
            return False
        return end is None or end == date.max or not self.reached(end + timedelta(days=1))

    def place(self, days: tuple[date, ...]) -> int:
        """The index of the last of ``days`` (sorted, the first date.min) on or before the day."""
        index = bisect_right(days, self.day) - 1
        self.first = max(self.first, days[index])
        if index + 1 < len(days):
            self.reached(days[index + 1])
        return index

    def span(self) -> DaySpan:
        last = date.max if self.end is None else self.end - timedelta(days=1)
        return DaySpan(self.first, last)
