"""Chart layouts for the public pages, built from coverage figures in the visitor's language."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from portal import charts
from portal.i18n import current_language, quarter_label
from portal.labels import label
from portal.models import Source
from portal.stats.coverage import CoverageData, Figures, Snapshot


def quarter_of(day: date) -> str:
    """The quarter label of a reporting date ("Q3 2025" in words of the language)."""
    return quarter_label(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def trend_chart(trend: list[tuple[date, Figures]]) -> charts.LineChart:
    """The share of zones covered on every reporting date."""
    return charts.line_chart_layout(
        [quarter_of(day) for day, _figures in trend],
        [(_("Official figure"), [figures.share for _day, figures in trend])],
        positions=[day for day, _figures in trend],
        heading=_("Date"),
    )


def share_bars(items: dict, marker: dict | None = None) -> charts.BarChart:
    """Bars of coverage shares, one per labelled key (facility type, zone type)."""
    marker = marker or {}
    return charts.bar_chart_layout(
        [(label(key), figures.share, marker.get(key)) for key, figures in items.items()],
        value_label=_("Official figure"),
        marker_label=_("Independently verified") if marker else "",
        heading=_("Coverage"),
    )


def region_map(data: CoverageData, totals: list) -> charts.TileMap:
    """The 20 regions on a tile grid, coloured by coverage band, each a link."""
    lang = current_language()
    return charts.tile_map_layout(
        [
            charts.RegionValue(
                region.slug,
                region.name(lang),
                figures.share,
                url_for("public.region", slug=region.slug),
            )
            for region, figures in totals
            if region.slug in charts.TILE_GRID  # the 20 reference regions have a tile each
        ],
        lang=lang,
        heading=_("Region"),
    )


def facility_history_chart(history: list[Snapshot]) -> charts.LineChart:
    """A facility's official figures and independent checks over time, on one date axis."""
    days = sorted({snapshot.as_of for snapshot in history})
    by_source: dict[Source, dict[date, float | None]] = {source: {} for source in Source}
    for snapshot in history:
        by_source[snapshot.source][snapshot.as_of] = snapshot.figures.share
    series = [(_("Official figure"), [by_source[Source.OFFICIAL].get(day) for day in days])]
    if by_source[Source.INDEPENDENT]:
        series.append(
            (_("Independently verified"), [by_source[Source.INDEPENDENT].get(day) for day in days])
        )
    return charts.line_chart_layout(
        [quarter_of(day) for day in days], series, positions=days, heading=_("Date")
    )
