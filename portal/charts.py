"""Charts drawn on the server as inline SVG: geometry here, markup in ``templates/charts/``.

Three charts: a line chart of shares over time (:func:`line_chart_layout`), a
horizontal bar chart of shares by category (:func:`bar_chart_layout`) and a
tile-grid map of the 20 regions (:func:`tile_map_layout`). Each function is pure
(no database, no request): it takes plain numbers and already-translated
labels and returns a frozen dataclass with every coordinate the macros in
``templates/charts/_charts.html`` need, rounded to one decimal. The macros turn
that into a ``<figure>`` with an ``<svg>`` (title, description, CSS classes
from ``static/css/charts.css``) and a real ``<table>`` of the same numbers;
numbers and dates are formatted there, with the Babel filters of the request's
language.

Why a small module and not a charting library
---------------------------------------------
The issue asks for a maintained library unless a small template is clearly
simpler. It is, here:

* Our Content-Security-Policy has no ``unsafe-inline``. Python SVG libraries
  write what our CSP forbids: pygal puts a ``<style>`` element and inline
  ``<script>`` tooltips in every chart; matplotlib and plotly emit ``style=``
  attributes on every element (plotly also needs its 3 MB script). Stripping
  that markup afterwards is more code than drawing the lines ourselves.
* Pages must stay under 100 KB with CSS. Three to five of these charts with
  their tables weigh 3–8 KB each; a library's SVG for the same chart is
  several times larger (embedded fonts, per-element styles, ids).
* What matters for these charts is not the drawing but what a library gives
  no help with: Kazakh and Russian labels wrapped to fit a 360 px phone, Babel
  formatting per request, a table of the same numbers, tile links with
  accessible names, colour-blind-safe styles that also differ by dash and
  marker, and the region tile layout. That is all ours either way.
* The geometry is a few linear scales: about 300 lines of tested code, no new
  dependency to keep up with.

Sizes are in SVG user units; every chart is ``WIDTH`` (400) wide, and the CSS
scales it to the column (``width: 100%``, capped on wide screens), so 14-unit
text stays about 11.5 px on a 360 px phone and about 18 px on a desktop.
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
#: Font size of labels, and of ticks and values, in user units (see charts.css).
FONT = 14
SMALL = 12
#: Height of one line of label text.
LINE = 17
#: Estimated average glyph width in ems; system sans-serif Cyrillic and Latin
#: average about 0.55, so 0.6 leaves a margin rather than an overflow.
CHAR = 0.6

INK = "#1b1f24"
WHITE = "#ffffff"


def _c(value: float) -> float:
    """A coordinate rounded to one decimal, printed without a trailing ``.0``."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


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
    """Ink or white, whichever reads better on ``fill``."""
    return max((INK, WHITE), key=lambda text: contrast_ratio(fill, text))


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
    #: Baseline of this series' legend row.
    legend_y: float

    @property
    def known(self) -> list[tuple[int, float]]:
        """(index, value) of every known value."""
        return [(i, v) for i, v in enumerate(self.values) if v is not None]


@dataclass(frozen=True)
class AxisTick:
    """A gridline with its label: ``position`` is y for value ticks, x for time labels."""

    position: float
    value: float | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class LineChart:
    """Geometry of a line chart; the plot area is ``left``..``right`` × ``top``..``bottom``."""

    width: int
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x_labels: tuple[str, ...]
    x_ticks: tuple[AxisTick, ...]
    y_ticks: tuple[AxisTick, ...]
    series: tuple[LineSeries, ...]
    #: Heading of the table's first column ("Quarter", "Date").
    heading: str

    @property
    def markers(self) -> list[str]:
        """Marker shapes in use (one <defs> entry each)."""
        return sorted({s.style.marker for s in self.series})


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
    most four series. Points are evenly spaced, or spaced by date when
    ``positions`` gives a date per point. ``y_ticks`` are fractions of ``y_max``.
    Labels that would collide are thinned out, keeping the latest one.
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

    legend_top = 0
    top = legend_top + len(series) * 20 + 12
    left, right = 46, WIDTH - 10
    bottom = top + plot_height
    height = bottom + 8 + label_lines * 15 + 4
    inner = min(16, label_w / 2)  # keep first and last points off the axes

    def y_of(value: float) -> float:
        share = min(max(value / y_max, 0), 1)
        return bottom - share * plot_height

    if positions is None:
        fractions = [0.5] if count == 1 else [i / (count - 1) for i in range(count)]
    else:
        days = [d.toordinal() for d in positions]
        span = days[-1] - days[0]
        if any(b <= a for a, b in pairwise(days)):
            raise ValueError("positions must be increasing dates")
        fractions = [0.5] if span == 0 else [(d - days[0]) / span for d in days]
    xs = [left + inner + f * (right - left - 2 * inner) for f in fractions]

    drawn: list[LineSeries] = []
    for index, (name, values) in enumerate(series):
        parts: list[str] = []
        points: list[LinePoint] = []
        previous = False
        for x, value in zip(xs, values, strict=True):
            if value is None:
                previous = False
                continue
            point = LinePoint(_c(x), _c(y_of(value)), value)
            points.append(point)
            parts.append(f"{'L' if previous else 'M'}{point.x} {point.y}")
            previous = True
        drawn.append(
            LineSeries(
                label=str(name),
                values=tuple(values),
                style=SERIES_STYLES[index],
                path="".join(parts),
                points=tuple(points),
                legend_y=legend_top + 15 + index * 20,
            )
        )

    # time labels from the latest backwards, skipping any that would overlap the one after
    x_ticks: list[AxisTick] = []
    next_edge = math.inf
    for x, lines in reversed(list(zip(xs, split, strict=True))):
        half = max(text_width(line, SMALL) for line in lines) / 2
        centre = min(max(x, half), WIDTH - half)
        if centre + half + 6 <= next_edge:
            x_ticks.append(AxisTick(_c(centre), lines=lines))
            next_edge = centre - half
    x_ticks.reverse()

    return LineChart(
        width=WIDTH,
        height=_c(height),
        left=left,
        right=right,
        top=_c(top),
        bottom=_c(bottom),
        x_labels=tuple(" ".join(lines) for lines in split),
        x_ticks=tuple(x_ticks),
        y_ticks=tuple(AxisTick(_c(y_of(t * y_max)), value=t * y_max) for t in y_ticks),
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
    #: Label lines and where the first one's baseline is (later lines follow by LINE).
    lines: tuple[str, ...]
    label_x: float
    label_y: float
    #: The bar (its width is 0 without a value) and the track behind it (the full scale).
    x: float
    y: float
    width: float
    height: float
    track: float
    #: Where the value is written, and the x of the second marker's tick (or None).
    value_x: float
    value_y: float
    marker_x: float | None


@dataclass(frozen=True)
class BarChart:
    """Geometry of a horizontal bar chart."""

    width: int
    height: float
    bars: tuple[Bar, ...]
    colour: str
    #: Names of the bar values and of the second markers (legend and table headings).
    value_label: str
    marker_label: str
    heading: str
    #: Baseline of the legend rows (bar swatch, tick swatch), or () without markers.
    legend: tuple[float, ...]

    @property
    def has_markers(self) -> bool:
        return any(bar.marker is not None for bar in self.bars)

    @property
    def highest(self) -> Bar | None:
        known = [bar for bar in self.bars if bar.value is not None]
        return max(known, key=lambda bar: bar.value) if known else None

    @property
    def lowest(self) -> Bar | None:
        known = [bar for bar in self.bars if bar.value is not None]
        return min(known, key=lambda bar: bar.value) if known else None


BAR_HEIGHT = 16
LABEL_COLUMN = 150
VALUE_SPACE = 50


def bar_chart_layout(
    items: Iterable[tuple[str, float | None] | tuple[str, float | None, float | None]],
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
    which suits short labels. ``value_label``, ``marker_label`` and ``heading``
    name the columns of the table and the legend.
    """
    if labels not in {"above", "left"}:
        raise ValueError("labels is 'above' or 'left'")
    if max_value <= 0:
        raise ValueError("max_value must be positive")
    rows = [(item[0], item[1], item[2] if len(item) > 2 else None) for item in items]
    has_markers = any(marker is not None for _, _, marker in rows)
    legend = (15.0, 35.0) if has_markers else ()
    y = 48.0 if has_markers else 4.0

    bar_left = 0 if labels == "above" else LABEL_COLUMN + 8
    track = WIDTH - bar_left - VALUE_SPACE

    def x_of(value: float) -> float:
        return bar_left + min(max(value / max_value, 0), 1) * track

    bars = []
    for label, value, marker in rows:
        label = str(label)
        if labels == "above":
            lines = wrap(label, WIDTH)
            label_y = y + 13
            bar_y = y + len(lines) * LINE + 3
            step = len(lines) * LINE + 3 + BAR_HEIGHT + 12
        else:
            lines = wrap(label, LABEL_COLUMN)
            block = len(lines) * LINE
            label_y = y + 13
            bar_y = y + (block - BAR_HEIGHT) / 2
            step = block + 12
        end = x_of(value) if value is not None else bar_left
        marker_x = x_of(marker) if marker is not None else None
        bars.append(
            Bar(
                label=label,
                value=value,
                marker=marker,
                lines=lines,
                label_x=0,
                label_y=_c(label_y),
                x=bar_left,
                y=_c(bar_y),
                width=_c(end - bar_left),
                height=BAR_HEIGHT,
                track=_c(track),
                value_x=_c(max(end, (marker_x or 0) + 2) + 5),
                value_y=_c(bar_y + 12.5),
                marker_x=_c(marker_x) if marker_x is not None else None,
            )
        )
        y += step
    return BarChart(
        width=WIDTH,
        height=_c(y),
        bars=tuple(bars),
        colour=BAR_COLOUR,
        value_label=str(value_label),
        marker_label=str(marker_label),
        heading=str(heading),
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
#: Cities of republican significance get round-cornered tiles (explained in the legend).
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
    """A coverage band: shares from ``low`` (inclusive) to the next band's low."""

    key: str
    low: float
    fill: str
    #: Ink or white, whichever contrasts more with ``fill`` (at least 4.5:1).
    text: str


def _band(key: str, low: float, fill: str) -> Band:
    return Band(key, low, fill, text_colour_on(fill))


#: ColorBrewer YlGnBu, 5 classes (sequential, colour-blind safe, light = low
#: coverage); the keys and bounds are those of ``portal.public.coverage.BANDS``.
BANDS: tuple[Band, ...] = (
    _band("lt50", 0.0, "#ffffcc"),
    _band("50-70", 0.5, "#a1dab4"),
    _band("70-85", 0.7, "#41b6c4"),
    _band("85-99", 0.85, "#2c7fb8"),
    _band("full", 1.0, "#253494"),
)
NO_DATA = Band("none", math.nan, WHITE, INK)


def band_of(share: float | None) -> Band:
    """The band of a share (``full`` only at 100 %), or NO_DATA for None."""
    if share is None:
        return NO_DATA
    return next(band for band in reversed(BANDS) if share >= band.low or band is BANDS[0])


@dataclass(frozen=True)
class RegionValue:
    """The caller's figure for one region."""

    slug: str
    #: Full name in the page's language: the link's accessible name and the table row.
    name: str
    value: float | None
    #: URL of the region page (None: the tile is not a link).
    href: str | None = None
    #: Tile label (see :func:`region_short`).
    short: str = ""


@dataclass(frozen=True)
class Tile:
    """One region's square."""

    region: RegionValue
    x: float
    y: float
    size: float
    #: Corner radius: larger for cities.
    radius: float
    band: Band
    #: Centre line, and baselines of the short label and the value.
    centre: float
    label_y: float
    value_y: float


@dataclass(frozen=True)
class LegendEntry:
    """A legend swatch at (x, y) with its label's baseline at ``text_y``."""

    key: str
    x: float
    y: float
    text_y: float
    band: Band | None = None


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
        known = [r for r in self.regions if r.value is not None]
        return max(known, key=lambda r: r.value) if known else None

    @property
    def lowest(self) -> RegionValue | None:
        known = [r for r in self.regions if r.value is not None]
        return min(known, key=lambda r: r.value) if known else None


TILE_PITCH = 56
TILE_SIZE = 52


def tile_map_layout(regions: Iterable[RegionValue], *, heading: str = "") -> TileMap:
    """Place each region on :data:`TILE_GRID`, coloured by its band.

    Pass all 20 regions (value None for one without figures); an unknown slug
    is an error. A region left out is not drawn. ``heading`` names the table's
    first column ("Region").
    """
    given = list(regions)
    unknown = [r.slug for r in given if r.slug not in TILE_GRID]
    if unknown:
        raise ValueError(f"no tile for region(s) {', '.join(unknown)}")
    offset = (WIDTH - (GRID_COLUMNS * TILE_PITCH - (TILE_PITCH - TILE_SIZE))) / 2
    tiles = []
    for region in sorted(given, key=lambda r: TILE_GRID[r.slug][::-1]):
        column, row = TILE_GRID[region.slug]
        x = offset + column * TILE_PITCH
        y = row * TILE_PITCH
        tiles.append(
            Tile(
                region=region,
                x=_c(x),
                y=_c(y),
                size=TILE_SIZE,
                radius=14 if region.slug in CITIES else 2,
                band=band_of(region.value),
                centre=_c(x + TILE_SIZE / 2),
                label_y=_c(y + 22),
                value_y=_c(y + 40),
            )
        )
    # legend under the grid: the five bands and "no data" in rows of three, then the city key
    legend: list[LegendEntry] = []
    top = GRID_ROWS * TILE_PITCH + 10
    keys = [*BANDS, NO_DATA]
    column_width = WIDTH / 3
    for index, band in enumerate(keys):
        row, column = divmod(index, 3)
        y = top + row * 24
        legend.append(LegendEntry(band.key, _c(column * column_width), y, y + 13, band))
    city_y = top + 2 * 24
    legend.append(LegendEntry("city", 0, city_y, city_y + 13))
    return TileMap(
        width=WIDTH,
        height=city_y + 22,
        tile=TILE_SIZE,
        tiles=tuple(tiles),
        regions=tuple(given),
        legend=tuple(legend),
        heading=str(heading),
    )
