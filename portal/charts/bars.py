"""The horizontal bar chart: shares by category, with an optional second marker per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portal.charts.common import BAR_COLOUR, LINE, WIDTH, coord, extreme, wrap


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: its label lines, its bar, its value and optional second marker."""

    label: str
    value: float | None
    marker: float | None
    #: Label lines; the first one's baseline is ``label_y``, the next ones follow by LINE.
    lines: tuple[str, ...]
    label_y: float
    #: Top of the bar; its end (``x`` of the bar's right edge, 0-width without a value).
    y: float
    end: float
    #: Where the value is written.
    value_x: float
    value_y: float
    #: x of the second marker's tick, or None.
    marker_x: float | None


@dataclass(frozen=True)
class BarChart:
    """Geometry of a horizontal bar chart."""

    width: int
    height: float
    bars: tuple[Bar, ...]
    colour: str
    #: x where the bars start (0 with labels above, past the label column otherwise).
    bar_left: float
    #: x of the labels' tspans, and the distance between label lines.
    label_x: float
    line_height: float
    #: Names of the bar values and of the second markers (legend and table headings).
    value_label: str
    marker_label: str
    heading: str
    #: One ``d`` each: every track (the full scale behind a bar), every bar, every tick.
    tracks: str
    bar_path: str
    ticks: str
    #: Baselines of the legend rows (bar, tick); empty without second markers.
    legend: tuple[float, ...]

    @property
    def has_markers(self) -> bool:
        """True when some row has a second figure (an independent check)."""
        return any(bar.marker is not None for bar in self.bars)

    @property
    def highest(self) -> Bar | None:
        """The bar with the highest value, for the chart's description (None without values)."""
        return extreme(self.bars, max)

    @property
    def lowest(self) -> Bar | None:
        """The bar with the lowest value, for the chart's description (None without values)."""
        return extreme(self.bars, min)


BAR_HEIGHT = 16
LABEL_COLUMN = 150
VALUE_SPACE = 50


def _rect(x: float, y: float, width: float, height: float) -> str:
    return f"M{coord(x)} {coord(y)}h{coord(width)}v{coord(height)}h{coord(-width)}z"


def bar_chart_layout(
    items: Iterable[Sequence],
    *,
    value_label: str = "",
    marker_label: str = "",
    heading: str = "",
    max_value: float = 1.0,
    labels: str = "above",
) -> BarChart:
    """Lay out horizontal bars, one per ``(label, value)`` or ``(label, value, marker)``.

    Values run from 0 to ``max_value`` (shares by default); None draws no bar.
    ``marker`` is an optional second figure for the same row (an independent
    check), drawn as a tick across the bar. ``labels="above"`` puts each label
    over its bar, full width, which suits long Kazakh and Russian labels on a
    phone; ``labels="left"`` puts them in a wrapped column left of the bars,
    which suits short labels. ``value_label`` and ``marker_label`` name the two
    figures (legend and table), ``heading`` the table's first column.
    """
    if labels not in {"above", "left"}:
        raise ValueError("labels is 'above' or 'left'")
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    rows = [(item[0], item[1], item[2] if len(item) > 2 else None) for item in items]
    has_markers = any(marker is not None for _, _, marker in rows)
    legend = (15, 37) if has_markers else ()
    y: float = 50 if has_markers else 4

    bar_left = 0 if labels == "above" else LABEL_COLUMN + 8
    track = WIDTH - bar_left - VALUE_SPACE

    def x_of(value: float) -> float:
        return bar_left + min(max(value / max_value, 0), 1) * track

    bars, tracks, fills, ticks = [], [], [], []
    for label, value, marker in rows:
        label = str(label)
        if labels == "above":
            lines = wrap(label, WIDTH)
            bar_y = y + len(lines) * LINE + 3
            step = len(lines) * LINE + 3 + BAR_HEIGHT + 14
        else:
            lines = wrap(label, LABEL_COLUMN)
            block = len(lines) * LINE
            bar_y = y + (block - BAR_HEIGHT) / 2
            step = block + 14
        end = x_of(value) if value is not None else bar_left
        marker_x = x_of(marker) if marker is not None else None
        tracks.append(_rect(bar_left, bar_y, track, BAR_HEIGHT))
        if end > bar_left:
            fills.append(_rect(bar_left, bar_y, end - bar_left, BAR_HEIGHT))
        if marker_x is not None:
            ticks.append(_rect(marker_x - 1.5, bar_y - 5, 3, BAR_HEIGHT + 10))
        bars.append(
            Bar(
                label=label,
                value=value,
                marker=marker,
                lines=lines,
                label_y=coord(y + 14),
                y=coord(bar_y),
                end=coord(end),
                value_x=coord(max(end, (marker_x or 0) + 1.5) + 5),
                value_y=coord(bar_y + 12.5),
                marker_x=coord(marker_x) if marker_x is not None else None,
            )
        )
        y += step
    return BarChart(
        width=WIDTH,
        height=coord(y - 6),
        bars=tuple(bars),
        colour=BAR_COLOUR,
        bar_left=bar_left,
        label_x=0,
        line_height=LINE,
        value_label=str(value_label),
        marker_label=str(marker_label),
        heading=str(heading),
        tracks="".join(tracks),
        bar_path="".join(fills),
        ticks="".join(ticks),
        legend=legend,
    )
