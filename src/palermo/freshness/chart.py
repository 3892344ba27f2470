"""The dashboard's chart of coverage and staleness over time, drawn as SVG on the server.

Two series over the months, told apart without colour: coverage is a solid line with round
markers, staleness a dashed line with square markers, and each line is named at its end.
The template draws what :func:`history_chart` computes; the same figures follow in a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .selectors import MonthFigures

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 190, 16, 48


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    figures: MonthFigures

    @property
    def square_x(self) -> float:  # the corner of a square marker
        return self.x - 4

    @property
    def square_y(self) -> float:
        return self.y - 4


@dataclass(frozen=True)
class Series:
    key: str  # "covered" or "stale"
    points: list[Point]
    label_y: float  # where its name is written, at the end of the line

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def last(self) -> Point:
        return self.points[-1]


@dataclass(frozen=True)
class Tick:
    position: float
    value: int


@dataclass(frozen=True)
class MonthTick:
    x: float
    figures: MonthFigures


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the plot's bottom edge
    series: list[Series]
    y_ticks: list[Tick]
    x_ticks: list[MonthTick]

    @property
    def label_x(self) -> int:
        return self.right + 10

    @property
    def tick_end(self) -> int:  # the lower end of a month's tick
        return self.bottom + 5

    @property
    def month_y(self) -> int:  # where the months are written
        return self.bottom + 20

    @property
    def value_x(self) -> int:  # where the values of the vertical axis end
        return self.left - 6


def _nice_top(value: int) -> int:
    """The top of the vertical axis: a round number at least ``value`` (and at least 1)."""
    if value <= 5:
        return max(value, 1)
    step = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * step:
            return int(factor * step)
    return value  # pragma: no cover - the loop always ends at 10 × step


def history_chart(figures: list[MonthFigures]) -> Chart | None:
    if not figures:
        return None
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    top_value = _nice_top(max(max(f.covered, f.stale) for f in figures))
    span = max(len(figures) - 1, 1)

    def x(index: int) -> float:
        return LEFT + (right - LEFT) * (index / span if len(figures) > 1 else 0.5)

    def y(value: int) -> float:
        return bottom - (bottom - TOP) * value / top_value

    series = []
    for key in ("covered", "stale"):
        points = [Point(x(i), y(getattr(f, key)), getattr(f, key), f)
                  for i, f in enumerate(figures)]
        series.append(Series(key=key, points=points, label_y=points[-1].y + 4))
    covered, stale = series
    if abs(covered.label_y - stale.label_y) < 16:  # the names at the ends must not overlap
        upper, lower = sorted(series, key=lambda s: s.label_y)
        middle = (upper.label_y + lower.label_y) / 2
        series = [Series(s.key, s.points, middle - 8 if s is upper else middle + 8)
                  for s in series]
    steps = top_value if top_value <= 5 else 5
    y_ticks = [Tick(y(round(top_value * i / steps)), round(top_value * i / steps))
               for i in range(steps + 1)]
    every = max(1, math.ceil(len(figures) / 8))
    x_ticks = [MonthTick(x(i), f) for i, f in enumerate(figures)
               if (len(figures) - 1 - i) % every == 0]
    return Chart(WIDTH, HEIGHT, LEFT, right, TOP, bottom, series, y_ticks, x_ticks)
