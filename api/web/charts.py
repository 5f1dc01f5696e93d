"""Line charts drawn on the server as SVG geometry: a template turns a :class:`LineChart`
into ``<svg>`` (no JavaScript chart library), with the plan's target as a goal line.

The geometry is computed here so templates only place shapes: points in viewBox pixels, a
y axis with round ticks that always reaches the target, and the target's height.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480
HEIGHT = 240
MARGIN_LEFT = 48
MARGIN_RIGHT = 16
MARGIN_TOP = 20
MARGIN_BOTTOM = 32


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the x axis label (a year)
    value: float


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[ChartPoint, ...]
    ticks: tuple[Tick, ...]
    goal_y: float | None  # where the target's line goes, None without a target

    @property
    def path(self) -> str:
        """The polyline through the points, as an SVG path."""
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving at most ``ticks`` intervals."""
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def line_chart(
    values: Sequence[tuple[str, float]],
    target: float | None = None,
    *,
    ceiling: float | None = None,
    integers: bool = True,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart:
    """The chart of ``values`` (x label, value) with an optional ``target`` line.

    The y axis starts at zero and ends on a round number above the largest value and the
    target; ``ceiling`` caps it (100 for a percentage).
    """
    highest = max([v for _, v in values] + [target or 0, 0])
    if highest <= 0:
        highest = 1
    step = nice_step(highest)
    if integers:
        step = max(1, math.ceil(step))
    top_value = step * math.ceil(highest / step)
    if top_value == highest and highest != (target or 0):
        top_value += step  # leave room above the highest point
    if ceiling is not None:
        top_value = min(top_value, ceiling)
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * (value / top_value)

    count = len(values)
    span = right - left
    points = tuple(
        ChartPoint(
            x=left + (span * (i + 0.5) / count if count else 0),
            y=y_of(value),
            label=label,
            value=value,
        )
        for i, (label, value) in enumerate(values)
    )
    ticks = []
    tick = 0.0
    while tick <= top_value + 1e-9:
        ticks.append(Tick(y_of(tick), f"{tick:g}"))
        tick += step
    return LineChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        points=points,
        ticks=tuple(ticks),
        goal_y=y_of(target) if target is not None else None,
    )
