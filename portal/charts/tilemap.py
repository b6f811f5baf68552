"""The tile-grid map: the 20 regions on a 7 × 5 grid, coloured by coverage band."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.charts.common import INK, WHITE, WIDTH, coord, extreme, text_colour_on

#: (column, row) of each region on a 7 × 5 grid, roughly where it lies: north up, west left.
#:
#:        0     1     2     3     4     5     6
#:   0    .     .     .     NKZ   PAV   .     .
#:   1    WKZ   AKT   KST   AKM   AST   ABA   EKZ
#:   2    ATR   .     .     ULT   KRG   JTS   .
#:   3    MNG   .     KZO   TRK   JMB   ALR   .
#:   4    .     .     .     SHM   .     ALM   .
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
#: link's accessible name and in the table. Abbreviations, never ordinary words
#: (not ҚЫЗ "girl", ҚАР "snow", ШЫМ "turf", АКТ "deed", MAN, JAM, SHY, JET…): the
#: oblasts' «…О» forms where they are usual (БҚО/ЗКО, СҚО/СКО, ШҚО/ВКО, ҚЗО/КЗО,
#: АЛО), else the name's leading consonants (ҚРҒ Қарағанды, АЛМ Алматы).
#: tests/test_charts.py checks them against a list of such words.
REGION_SHORT: dict[str, dict[str, str]] = {
    "en": {
        "abai": "ABA", "akmola": "AKM", "aktobe": "AKT", "almaty-region": "ALR",
        "atyrau": "ATR", "west-kazakhstan": "WKZ", "jambyl": "JMB", "jetisu": "JTS",
        "karaganda": "KRG", "kostanay": "KST", "kyzylorda": "KZO", "mangystau": "MNG",
        "pavlodar": "PAV", "north-kazakhstan": "NKZ", "turkistan": "TRK", "ulytau": "ULT",
        "east-kazakhstan": "EKZ", "astana": "AST", "almaty": "ALM", "shymkent": "SHM",
    },
    "ru": {
        "abai": "АБА", "akmola": "АКМ", "aktobe": "АКБ", "almaty-region": "АЛО",
        "atyrau": "АТР", "west-kazakhstan": "ЗКО", "jambyl": "ЖМБ", "jetisu": "ЖТС",
        "karaganda": "КРГ", "kostanay": "КСТ", "kyzylorda": "КЗО", "mangystau": "МНГ",
        "pavlodar": "ПАВ", "north-kazakhstan": "СКО", "turkistan": "ТРК", "ulytau": "УЛТ",
        "east-kazakhstan": "ВКО", "astana": "АСТ", "almaty": "АЛМ", "shymkent": "ШМК",
    },
    "kk": {
        "abai": "АБА", "akmola": "АҚМ", "aktobe": "АҚБ", "almaty-region": "АЛО",
        "atyrau": "АТР", "west-kazakhstan": "БҚО", "jambyl": "ЖМБ", "jetisu": "ЖТС",
        "karaganda": "ҚРҒ", "kostanay": "ҚСТ", "kyzylorda": "ҚЗО", "mangystau": "МҢҒ",
        "pavlodar": "ПАВ", "north-kazakhstan": "СҚО", "turkistan": "ТРК", "ulytau": "ҰЛО",
        "east-kazakhstan": "ШҚО", "astana": "АСТ", "almaty": "АЛМ", "shymkent": "ШМК",
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
        """The region with the highest value, for the map's description (None without values)."""
        return extreme(self.regions, max)

    @property
    def lowest(self) -> RegionValue | None:
        """The region with the lowest value, for the map's description (None without values)."""
        return extreme(self.regions, min)


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
                x=coord(x),
                y=coord(y),
                radius=TILE_SIZE / 2 if region.slug in CITIES else 2,
                band=band_of(region.value),
                centre=coord(x + TILE_SIZE / 2),
                label_y=coord(y + 23),
                value_y=coord(y + 40),
            )
        )
    # under the grid: the five bands and "no data" in three rows of two, then the city key
    legend: list[LegendEntry] = []
    top = GRID_ROWS * TILE_PITCH + 8
    column_width = WIDTH / 2
    for index, band in enumerate((*BANDS, NO_DATA)):
        row, column = divmod(index, 2)
        x, y = column * column_width, top + row * 24
        legend.append(LegendEntry(coord(x), y, coord(x + SWATCH + 6), y + 12, band.label, band))
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
