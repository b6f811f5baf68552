"""The line chart: shares over time, up to four series, spaced evenly or by date."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from portal.charts.common import SERIES_STYLES, SMALL, WIDTH, SeriesStyle, coord, text_width


@dataclass(frozen=True)
class LinePoint:
    """A known value of a series, where its marker goes."""

    x: float
    y: float
    value: float


@dataclass(frozen=True)
class LineSeries:
    """One drawn series: a path broken where values are missing, markers, a legend row."""

    label: str
    values: tuple[float | None, ...]
    style: SeriesStyle
    #: ``d`` of one <path>: a new ``M`` starts after every missing value.
    path: str
    points: tuple[LinePoint, ...]
    #: Baseline of this series' legend label, and the y of its sample line.
    legend_y: float
    legend_line_y: float

    @property
    def known(self) -> list[tuple[int, float]]:
        """(index, value) of every known value."""
        return [(i, v) for i, v in enumerate(self.values) if v is not None]


@dataclass(frozen=True)
class ValueTick:
    """A horizontal gridline at ``y`` for ``value``, labelled at baseline ``label_y``."""

    y: float
    value: float
    label_y: float


@dataclass(frozen=True)
class TimeLabel:
    """A time label centred on ``x`` (one or two lines)."""

    x: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class LineChart:
    """Geometry of a line chart; the plot area is ``left``..``right`` × ``top``..``bottom``."""

    width: int
    height: float
    left: float
    right: float
    top: float
    bottom: float
    #: Every time point's label, one line each (the table's rows).
    x_labels: tuple[str, ...]
    #: The time labels drawn (thinned so they never overlap) and their first baseline.
    x_ticks: tuple[TimeLabel, ...]
    x_label_y: float
    y_ticks: tuple[ValueTick, ...]
    #: x of the right-aligned value labels.
    y_label_x: float
    series: tuple[LineSeries, ...]
    #: Heading of the table's first column ("Quarter", "Date").
    heading: str

    @property
    def markers(self) -> list[str]:
        """Marker shapes in use (one <defs> entry each)."""
        return sorted({s.style.marker for s in self.series})

    @property
    def grid(self) -> str:
        """``d`` of one path drawing every horizontal gridline."""
        return "".join(f"M{self.left} {t.y}H{self.right}" for t in self.y_ticks)


def line_chart_layout(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    heading: str = "",
    positions: Sequence[date] | None = None,
    y_max: float = 1.0,
    y_ticks: Sequence[float] = (0, 0.25, 0.5, 0.75, 1),
    plot_height: float = 180,
) -> LineChart:
    """Lay out series of shares over time.

    ``x_labels`` are the localised labels of the time points ("2025 Q3"; a
    ``\\n`` splits a label over two lines). ``series`` is a list of
    ``(label, values)`` with one value (0..``y_max``) or None per time point; at
    most four series, styled in order by :data:`SERIES_STYLES`. Points are
    evenly spaced, or spaced by date when ``positions`` gives a date per point.
    ``y_ticks`` are fractions of ``y_max``. Time labels that would collide are
    thinned out, keeping the latest one. ``heading`` names the table's first
    column.
    """
    count = len(x_labels)
    if count == 0:
        raise ValueError("a line chart needs at least one time point")
    if not 1 <= len(series) <= len(SERIES_STYLES):
        raise ValueError(f"a line chart draws 1 to {len(SERIES_STYLES)} series")
    for name, values in series:
        if len(values) != count:
            raise ValueError(f"series {name!r} has {len(values)} values for {count} time points")
    if positions is not None and len(positions) != count:
        raise ValueError("positions must give one date per time point")

    split = [tuple(str(label).split("\n")) for label in x_labels]
    label_w = max(text_width(line, SMALL) for lines in split for line in lines)
    label_lines = max(len(lines) for lines in split)

    top = len(series) * 22 + 12  # the legend rows above the plot
    left, right = 50, WIDTH - 10
    bottom = top + plot_height
    x_label_y = bottom + 20
    height = x_label_y + (label_lines - 1) * 16 + 6
    inner = min(16, label_w / 2)  # keep the first and last points off the plot's edges

    def y_of(value: float) -> float:
        share = min(max(value / y_max, 0), 1)
        return bottom - share * plot_height

    if positions is None:
        fractions = [0.5] if count == 1 else [i / (count - 1) for i in range(count)]
    else:
        days = [d.toordinal() for d in positions]
        if any(b <= a for a, b in pairwise(days)):
            raise ValueError("positions must be increasing dates")
        span = days[-1] - days[0]
        fractions = [0.5] if span == 0 else [(d - days[0]) / span for d in days]
    xs = [left + inner + f * (right - left - 2 * inner) for f in fractions]

    drawn: list[LineSeries] = []
    for index, (name, values) in enumerate(series):
        parts: list[str] = []
        points: list[LinePoint] = []
        joined = False
        for x, value in zip(xs, values, strict=True):
            if value is None:
                joined = False
                continue
            point = LinePoint(coord(x), coord(y_of(value)), value)
            points.append(point)
            parts.append(f"{'L' if joined else 'M'}{point.x} {point.y}")
            joined = True
        legend_y = 16 + index * 22
        drawn.append(
            LineSeries(
                label=str(name),
                values=tuple(values),
                style=SERIES_STYLES[index],
                path="".join(parts),
                points=tuple(points),
                legend_y=legend_y,
                legend_line_y=legend_y - 5,
            )
        )

    # time labels from the latest backwards, skipping any that would overlap the one after
    x_ticks: list[TimeLabel] = []
    next_edge = math.inf
    for x, lines in reversed(list(zip(xs, split, strict=True))):
        half = max(text_width(line, SMALL) for line in lines) / 2
        centre = min(max(x, half + 1), WIDTH - half - 1)
        if centre + half + 8 <= next_edge:
            x_ticks.append(TimeLabel(coord(centre), lines))
            next_edge = centre - half
    x_ticks.reverse()

    ticks = []
    for fraction in y_ticks:
        y = coord(y_of(fraction * y_max))
        ticks.append(ValueTick(y, fraction * y_max, coord(y + 4)))

    return LineChart(
        width=WIDTH,
        height=coord(height),
        left=left,
        right=right,
        top=coord(top),
        bottom=coord(bottom),
        x_labels=tuple(" ".join(lines) for lines in split),
        x_ticks=tuple(x_ticks),
        x_label_y=coord(x_label_y),
        y_ticks=tuple(ticks),
        y_label_x=left - 6,
        series=tuple(drawn),
        heading=str(heading),
    )
