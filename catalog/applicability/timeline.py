"""A step function of the day, evaluated lazily: the engine's one way of handling dates.

Something that depends on the day (where a document stands, where naming it leads, a
product's whole answer) changes only on a few days that can be named beforehand: a
document's start and end, a rule's validity bounds, a citation's date, a succession. A
:class:`Timeline` is made from those days (the first is ``date.min``) and a function that
evaluates the value on any day; it evaluates each segment between two change days at most
once, when a day in it is first asked about. Evaluating may compare dates freely: the named
days are what guarantees that every day of a segment gets the same value.

Equal neighbours are merged as they are evaluated (a segment equal to an evaluated neighbour
keeps the neighbour's object), so :meth:`Timeline.over` can tell the run of days on which the
value is the same as on the day asked, as far as the segments evaluated so far show.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Generic, TypeVar

from catalog.applicability.answer import DaySpan

T = TypeVar("T")
_DAY = timedelta(days=1)


def change_days(days: Iterable[date]) -> tuple[date, ...]:
    """``days`` as a timeline's change days: sorted, unique, starting with ``date.min``."""
    return (date.min, *sorted({day for day in days if day > date.min}))


class Timeline(Generic[T]):
    """A value on every day: constant between consecutive :attr:`days`, each segment
    evaluated by ``evaluate`` (on any day of it) the first time a day in it is asked."""

    __slots__ = ("_evaluate", "_values", "days")

    def __init__(self, days: tuple[date, ...], evaluate: Callable[[date], T] | None) -> None:
        if not days or days[0] != date.min:
            raise ValueError("a timeline's change days start with date.min")
        self.days = days
        self._values: list[T | None] = [None] * len(days)
        self._evaluate = evaluate

    def evaluate(self, day: date) -> T:
        """The value on ``day``, worked out (a subclass may evaluate without a function)."""
        if self._evaluate is None:
            raise NotImplementedError("a timeline made without a function evaluates itself")
        return self._evaluate(day)

    def at(self, day: date) -> T:
        """The value on ``day``."""
        index = bisect_right(self.days, day) - 1
        value = self._values[index]
        return value if value is not None else self._settle(index, day)

    def over(self, day: date) -> tuple[T, DaySpan]:
        """The value on ``day`` and the days around it with the same value: its segment
        and the evaluated equal segments next to it."""
        index = bisect_right(self.days, day) - 1
        values = self._values
        value = values[index]
        if value is None:
            value = self._settle(index, day)
        first = last = index
        while first > 0 and values[first - 1] is value:
            first -= 1
        while last + 1 < len(values) and values[last + 1] is value:
            last += 1
        end = date.max if last + 1 == len(values) else self.days[last + 1] - _DAY
        return value, DaySpan(self.days[first], end)

    def evaluated(self) -> int:
        """How many segments have been evaluated."""
        return sum(value is not None for value in self._values)

    def _settle(self, index: int, day: date) -> T:
        value = self.evaluate(day)
        values = self._values
        # Merge with an equal evaluated neighbour: share its object, so runs are found by
        # identity. When both neighbours are equal, the right run joins the left one.
        left = values[index - 1] if index > 0 else None
        right = values[index + 1] if index + 1 < len(values) else None
        if left is not None and left == value:
            value = left
        if right is not None and right is not value and right == value:
            if value is left:
                step = index + 1
                while step < len(values) and values[step] is right:
                    values[step] = value
                    step += 1
            else:
                value = right
        values[index] = value
        return value
