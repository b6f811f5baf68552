"""Charts drawn on the server as inline SVG: geometry here, markup in ``templates/charts/``.

Three charts: a line chart of shares over time (:func:`line_chart_layout`), a
horizontal bar chart of shares by category (:func:`bar_chart_layout`) and a
tile-grid map of the 20 regions (:func:`tile_map_layout`). Each function is pure
(no database): it takes plain numbers and translated (or lazy) labels and
returns a frozen dataclass with every coordinate the macros in
``templates/charts/_charts.html`` need, rounded to one decimal. The macros turn
that into a ``<figure>`` with an ``<svg>`` (title, description, CSS classes
from ``static/css/portal.css``) and a real ``<table>`` of the same numbers;
numbers and dates are formatted there, with the Babel filters of the request's
language.

Why a small module and not a charting library
---------------------------------------------
The issue asks for a maintained library unless a small template is clearly
simpler. It is, here:

* Our Content-Security-Policy has no ``unsafe-inline`` and no request may
  leave for another host. pygal writes a ``<style>`` element into every chart
  and by default links its tooltip script from kozea.github.io; matplotlib's
  SVG carries a ``style=`` attribute on every path and a ``<style>`` element;
  plotly draws in the browser with a 3 MB script, so nothing shows without
  JavaScript. Rewriting their output to pass the CSP is more code than
  drawing the lines ourselves.
* Pages must stay under 100 KB with CSS. One of these charts with its table
  weighs 3–10 KB before compression (the 20-tile map is the largest); a
  library's SVG for the same chart is several times larger (per-element
  styles, generated ids, embedded font settings).
* What matters for these charts is not the drawing but what a library gives
  no help with: Kazakh and Russian labels wrapped to fit a 360 px phone, Babel
  formatting per request, a table of the same numbers, tile links with
  accessible names, colour-blind-safe styles that also differ by dash and
  marker, and the region tile layout. That is all ours either way.
* The geometry is a few linear scales: a few hundred tested lines, no new
  dependency to keep up with.

Sizes are in SVG user units; every chart is ``WIDTH`` (400) wide, and the CSS
scales it to the column (``width: 100%``, capped on wide screens), so 15-unit
text stays about 12 px on a 360 px phone and 19 px at most on a desktop.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from flask_babel import lazy_gettext as _l

#: Width of every chart's viewBox, in user units.
WIDTH = 400
#: Font size of labels, and of ticks and values, in user units (see portal.css).
FONT = 15
SMALL = 13
#: Height of one line of label text.
LINE = 18
#: Estimated average glyph width in ems. Cyrillic and Latin text averages about
#: 0.55 em in most system fonts but DejaVu Sans (Debian's default) has 0.64 em
#: digits: estimating wide wraps a label early rather than letting it overflow.
CHAR = 0.64

INK = "#1b1f24"
BLACK = "#000000"
WHITE = "#ffffff"


def _c(value: float) -> float:
    """A coordinate rounded to one decimal, printed without a trailing ``.0``."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def _extreme(items, choose):
    """The item with the highest (``max``) or lowest (``min``) known value, or None."""
    known = [item for item in items if item.value is not None]
    return choose(known, key=lambda item: item.value) if known else None


def text_width(text: str, size: float = FONT) -> float:
    """Estimated width of ``text`` at font ``size`` (no font metrics on the server)."""
    return len(text) * size * CHAR


def wrap(text: str, width: float, size: float = FONT) -> tuple[str, ...]:
    """Split ``text`` at spaces into lines that fit ``width`` at font ``size``.

    A single word longer than the line stays whole on its own line; labels are
    never cut short. Explicit newlines in ``text`` are kept.
    """
    limit = max(1, int(width / (size * CHAR)))
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= limit or not current:
                current = candidate
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return tuple(lines)


# --- colours ---------------------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return max((BLACK, WHITE), key=lambda text: contrast_ratio(fill, text))


@dataclass(frozen=True)
class SeriesStyle:
    """How one series looks: never by colour alone, also by dash pattern and marker."""

    colour: str
    #: ``stroke-dasharray`` value, or None for a solid line.
    dash: str | None
    #: "circle", "square", "triangle" or "diamond" (shapes in the macros' <defs>).
    marker: str


#: Okabe–Ito colours (safe for the common colour-vision deficiencies), each at
#: least 3:1 against white (WCAG 1.4.11), with distinct dashes and markers.
SERIES_STYLES: tuple[SeriesStyle, ...] = (
    SeriesStyle("#0072b2", None, "circle"),
    SeriesStyle("#d55e00", "8 4", "square"),
    SeriesStyle("#009e73", "2 3", "triangle"),
    SeriesStyle("#cc79a7", "10 3 2 3", "diamond"),
)

#: The bar colour (Okabe–Ito blue, 5:1 against white).
BAR_COLOUR = "#0072b2"


# --- line chart ------------------------------------------------------------------------------


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
            point = LinePoint(_c(x), _c(y_of(value)), value)
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
            x_ticks.append(TimeLabel(_c(centre), lines))
            next_edge = centre - half
    x_ticks.reverse()

    ticks = []
    for fraction in y_ticks:
        y = _c(y_of(fraction * y_max))
        ticks.append(ValueTick(y, fraction * y_max, _c(y + 4)))

    return LineChart(
        width=WIDTH,
        height=_c(height),
        left=left,
        right=right,
        top=_c(top),
        bottom=_c(bottom),
        x_labels=tuple(" ".join(lines) for lines in split),
        x_ticks=tuple(x_ticks),
        x_label_y=_c(x_label_y),
        y_ticks=tuple(ticks),
        y_label_x=left - 6,
        series=tuple(drawn),
        heading=str(heading),
    )


# --- bar chart -------------------------------------------------------------------------------


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
        return any(bar.marker is not None for bar in self.bars)

    @property
    def highest(self) -> Bar | None:
        return _extreme(self.bars, max)

    @property
    def lowest(self) -> Bar | None:
        return _extreme(self.bars, min)


BAR_HEIGHT = 16
LABEL_COLUMN = 150
VALUE_SPACE = 50


def _rect(x: float, y: float, width: float, height: float) -> str:
    return f"M{_c(x)} {_c(y)}h{_c(width)}v{_c(height)}h{_c(-width)}z"


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
                label_y=_c(y + 14),
                y=_c(bar_y),
                end=_c(end),
                value_x=_c(max(end, (marker_x or 0) + 1.5) + 5),
                value_y=_c(bar_y + 12.5),
                marker_x=_c(marker_x) if marker_x is not None else None,
            )
        )
        y += step
    return BarChart(
        width=WIDTH,
        height=_c(y - 6),
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


# --- tile-grid map ---------------------------------------------------------------------------

#: (column, row) of each region on a 7 × 5 grid, roughly where it lies: north up, west left.
#:
#:        0     1     2     3     4     5     6
#:   0    .     .     .     NKZ   PAV   .     .
#:   1    WKZ   AKT   KOS   AKM   AST   ABA   EKZ
#:   2    ATY   .     .     ULY   KAR   JET   .
#:   3    MAN   .     KZO   TUR   JAM   ALR   .
#:   4    .     .     .     SHY   .     ALA   .
TILE_GRID: dict[str, tuple[int, int]] = {
    "north-kazakhstan": (3, 0),
    "pavlodar": (4, 0),
    "west-kazakhstan": (0, 1),
    "aktobe": (1, 1),
    "kostanay": (2, 1),
    "akmola": (3, 1),
    "astana": (4, 1),
    "abai": (5, 1),
    "east-kazakhstan": (6, 1),
    "atyrau": (0, 2),
    "ulytau": (3, 2),
    "karaganda": (4, 2),
    "jetisu": (5, 2),
    "mangystau": (0, 3),
    "kyzylorda": (2, 3),
    "turkistan": (3, 3),
    "jambyl": (4, 3),
    "almaty-region": (5, 3),
    "shymkent": (3, 4),
    "almaty": (5, 4),
}
GRID_COLUMNS, GRID_ROWS = 7, 5
#: Cities of republican significance get round tiles (explained in the legend).
CITIES = frozenset({"astana", "almaty", "shymkent"})

#: Suggested tile labels, three letters per language; the full name is in the
#: link's accessible name and in the table.
REGION_SHORT: dict[str, dict[str, str]] = {
    "en": {
        "abai": "ABA", "akmola": "AKM", "aktobe": "AKT", "almaty-region": "ALR",
        "atyrau": "ATY", "west-kazakhstan": "WKZ", "jambyl": "JAM", "jetisu": "JET",
        "karaganda": "KAR", "kostanay": "KOS", "kyzylorda": "KZO", "mangystau": "MAN",
        "pavlodar": "PAV", "north-kazakhstan": "NKZ", "turkistan": "TUR", "ulytau": "ULY",
        "east-kazakhstan": "EKZ", "astana": "AST", "almaty": "ALA", "shymkent": "SHY",
    },
    "ru": {
        "abai": "АБА", "akmola": "АКМ", "aktobe": "АКТ", "almaty-region": "АЛО",
        "atyrau": "АТЫ", "west-kazakhstan": "ЗКО", "jambyl": "ЖАМ", "jetisu": "ЖЕТ",
        "karaganda": "КАР", "kostanay": "КОС", "kyzylorda": "КЫЗ", "mangystau": "МАН",
        "pavlodar": "ПАВ", "north-kazakhstan": "СКО", "turkistan": "ТУР", "ulytau": "УЛЫ",
        "east-kazakhstan": "ВКО", "astana": "АСТ", "almaty": "АЛА", "shymkent": "ШЫМ",
    },
    "kk": {
        "abai": "АБА", "akmola": "АҚМ", "aktobe": "АҚТ", "almaty-region": "АЛО",
        "atyrau": "АТЫ", "west-kazakhstan": "БҚО", "jambyl": "ЖАМ", "jetisu": "ЖЕТ",
        "karaganda": "ҚАР", "kostanay": "ҚОС", "kyzylorda": "ҚЫЗ", "mangystau": "МАҢ",
        "pavlodar": "ПАВ", "north-kazakhstan": "СҚО", "turkistan": "ТҮР", "ulytau": "ҰЛЫ",
        "east-kazakhstan": "ШҚО", "astana": "АСТ", "almaty": "АЛА", "shymkent": "ШЫМ",
    },
}  # fmt: skip


def region_short(slug: str, lang: str) -> str:
    """The suggested tile label of a region in ``lang`` (English when unknown)."""
    return REGION_SHORT.get(lang, REGION_SHORT["en"]).get(slug, slug[:3].upper())


@dataclass(frozen=True)
class Band:
    """A coverage band: shares from ``low`` (inclusive) up to the next band's ``low``."""

    key: str
    low: float
    fill: str
    #: Black or white, whichever contrasts more with ``fill`` (at least 4.5:1, tested).
    text: str
    #: The legend's label (lazy: translated when rendered).
    label: object


def _band(key: str, low: float, fill: str, label: object) -> Band:
    return Band(key, low, fill, text_colour_on(fill), label)


#: ColorBrewer YlGnBu, 5 classes: sequential, colour-blind safe, light = low
#: coverage, dark = full. Keys, bounds and labels are those of
#: ``portal.stats.coverage.BANDS`` and the facility filter, so the map and the
#: filter speak alike.
BANDS: tuple[Band, ...] = (
    _band("lt50", 0.0, "#ffffcc", _l("Under 50 %")),
    _band("50-70", 0.5, "#a1dab4", _l("50–70 %")),
    _band("70-85", 0.7, "#41b6c4", _l("70–85 %")),
    _band("85-99", 0.85, "#2c7fb8", _l("85–99 %")),
    _band("full", 1.0, "#253494", _l("Full coverage")),
)
NO_DATA = Band("none", math.nan, WHITE, INK, _l("No data yet"))
CITY_LABEL = _l("City of republican significance")


def band_of(share: float | None) -> Band:
    """The band of a share (``full`` only at exactly 100 %), or NO_DATA for None."""
    if share is None:
        return NO_DATA
    return next((band for band in reversed(BANDS) if share >= band.low), BANDS[0])


@dataclass(frozen=True)
class RegionValue:
    """The caller's figure for one region."""

    slug: str
    #: Full name in the page's language: the link's accessible name and the table row.
    name: str
    value: float | None
    #: URL of the region page (None: the tile is not a link).
    href: str | None = None
    #: Tile label; :func:`region_short` when empty.
    short: str = ""


@dataclass(frozen=True)
class Tile:
    """One region's square."""

    region: RegionValue
    short: str
    x: float
    y: float
    #: Corner radius: round for cities.
    radius: float
    band: Band
    #: Centre line, and baselines of the short label and the value.
    centre: float
    label_y: float
    value_y: float


@dataclass(frozen=True)
class LegendEntry:
    """A legend swatch at (x, y) with its label at (``text_x``, ``text_y``)."""

    x: float
    y: float
    text_x: float
    text_y: float
    label: object
    band: Band | None = None
    radius: float = 2


@dataclass(frozen=True)
class TileMap:
    """Geometry of the tile-grid map."""

    width: int
    height: float
    tile: float
    #: Tiles in reading order (row by row, west to east): the keyboard's tab order.
    tiles: tuple[Tile, ...]
    #: The caller's regions in the caller's order (the table's rows).
    regions: tuple[RegionValue, ...]
    legend: tuple[LegendEntry, ...]
    heading: str

    @property
    def highest(self) -> RegionValue | None:
        return _extreme(self.regions, max)

    @property
    def lowest(self) -> RegionValue | None:
        return _extreme(self.regions, min)


TILE_PITCH = 56
TILE_SIZE = 52
SWATCH = 14


def tile_map_layout(
    regions: Iterable[RegionValue], *, lang: str = "en", heading: str = ""
) -> TileMap:
    """Place each region on :data:`TILE_GRID`, coloured by its coverage band.

    Pass all 20 regions, with value None for one without figures; an unknown
    slug is an error, a region left out is not drawn. Tiles without a
    ``short`` label get :func:`region_short` in ``lang``. ``heading`` names the
    table's first column ("Region").
    """
    given = list(regions)
    unknown = [r.slug for r in given if r.slug not in TILE_GRID]
    if unknown:
        raise ValueError(f"no tile for region(s) {', '.join(unknown)}")
    offset = (WIDTH - GRID_COLUMNS * TILE_PITCH + (TILE_PITCH - TILE_SIZE)) / 2
    tiles = []
    for region in sorted(given, key=lambda r: TILE_GRID[r.slug][::-1]):
        column, row = TILE_GRID[region.slug]
        x = offset + column * TILE_PITCH
        y = row * TILE_PITCH
        tiles.append(
            Tile(
                region=region,
                short=region.short or region_short(region.slug, lang),
                x=_c(x),
                y=_c(y),
                radius=TILE_SIZE / 2 if region.slug in CITIES else 2,
                band=band_of(region.value),
                centre=_c(x + TILE_SIZE / 2),
                label_y=_c(y + 23),
                value_y=_c(y + 40),
            )
        )
    # under the grid: the five bands and "no data" in three rows of two, then the city key
    legend: list[LegendEntry] = []
    top = GRID_ROWS * TILE_PITCH + 8
    column_width = WIDTH / 2
    for index, band in enumerate((*BANDS, NO_DATA)):
        row, column = divmod(index, 2)
        x, y = column * column_width, top + row * 24
        legend.append(LegendEntry(_c(x), y, _c(x + SWATCH + 6), y + 12, band.label, band))
    y = top + 3 * 24
    legend.append(LegendEntry(0, y, SWATCH + 6, y + 12, CITY_LABEL, radius=SWATCH / 2))
    return TileMap(
        width=WIDTH,
        height=y + SWATCH + 4,
        tile=TILE_SIZE,
        tiles=tuple(tiles),
        regions=tuple(given),
        legend=tuple(legend),
        heading=str(heading),
    )
