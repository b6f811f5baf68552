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

Modules, one per chart: :mod:`~portal.charts.line`, :mod:`~portal.charts.bars`,
:mod:`~portal.charts.tilemap`; what they share (sizes, wrapping, colours, series
styles) is in :mod:`~portal.charts.common`. This package re-exports what
callers use.
"""

from __future__ import annotations

from portal.charts.bars import BAR_HEIGHT, LABEL_COLUMN, Bar, BarChart, bar_chart_layout
from portal.charts.common import (
    BAR_COLOUR,
    SERIES_STYLES,
    SMALL,
    WIDTH,
    SeriesStyle,
    contrast_ratio,
    relative_luminance,
    text_colour_on,
    text_width,
    wrap,
)
from portal.charts.line import LineChart, LineSeries, line_chart_layout
from portal.charts.tilemap import (
    BANDS,
    GRID_COLUMNS,
    GRID_ROWS,
    NO_DATA,
    REGION_SHORT,
    SWATCH,
    TILE_GRID,
    Band,
    RegionValue,
    TileMap,
    band_of,
    region_short,
    tile_map_layout,
)

__all__ = [
    "BANDS",
    "BAR_COLOUR",
    "BAR_HEIGHT",
    "GRID_COLUMNS",
    "GRID_ROWS",
    "LABEL_COLUMN",
    "NO_DATA",
    "REGION_SHORT",
    "SERIES_STYLES",
    "SMALL",
    "SWATCH",
    "TILE_GRID",
    "WIDTH",
    "Band",
    "Bar",
    "BarChart",
    "LineChart",
    "LineSeries",
    "RegionValue",
    "SeriesStyle",
    "TileMap",
    "band_of",
    "bar_chart_layout",
    "contrast_ratio",
    "line_chart_layout",
    "region_short",
    "relative_luminance",
    "text_colour_on",
    "text_width",
    "tile_map_layout",
    "wrap",
]
