"""Server-drawn SVG charts: geometry, colours and the markup the macros write.

The geometry tests are pure. The rendering tests go through a real app (and
so run on both database backends, though the charts never touch a database)
because the macros use the app's Babel filters and translations.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from flask import render_template_string

from portal import charts
from portal.charts import (
    BANDS,
    NO_DATA,
    SERIES_STYLES,
    TILE_GRID,
    RegionValue,
    band_of,
    bar_chart_layout,
    line_chart_layout,
    tile_map_layout,
)

REGIONS_CSV = Path(__file__).resolve().parent.parent / "portal" / "data" / "regions.csv"
QUARTERS = ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"]


def _regions() -> list[dict[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- WCAG contrast, computed here independently of portal.charts ----------------------------


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_agrees_with_known_values():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21)
    assert _contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert charts.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_map_bands_text_meets_wcag_aa_and_bands_get_darker():
    for band in (*BANDS, NO_DATA):
        assert _contrast(band.fill, band.text) >= 4.5, band.key
    luminances = [_luminance(band.fill) for band in BANDS]
    assert luminances == sorted(luminances, reverse=True)  # sequential: more coverage, darker


def test_series_differ_by_more_than_colour_and_show_on_white():
    assert len({style.dash for style in SERIES_STYLES}) == len(SERIES_STYLES)
    assert len({style.marker for style in SERIES_STYLES}) == len(SERIES_STYLES)
    for style in SERIES_STYLES:
        assert _contrast(style.colour, "#ffffff") >= 3  # WCAG 1.4.11, graphical objects
    assert _contrast(charts.BAR_COLOUR, "#ffffff") >= 3


# --- line chart geometry ---------------------------------------------------------------------


def test_line_chart_puts_half_in_the_middle_of_the_plot():
    chart = line_chart_layout(["a", "b", "c"], [("s", [0, 0.5, 1])])
    low, middle, high = chart.series[0].points
    assert middle.y == pytest.approx((chart.top + chart.bottom) / 2, abs=0.05)
    assert low.y == chart.bottom
    assert high.y == chart.top
    assert chart.left < low.x < middle.x < high.x < chart.right
    assert middle.x == pytest.approx((low.x + high.x) / 2, abs=0.05)
    ticks = {tick.value: tick.y for tick in chart.y_ticks}
    assert ticks[0.5] == middle.y and ticks[0] == chart.bottom and ticks[1] == chart.top


def test_line_chart_breaks_at_missing_points():
    chart = line_chart_layout(QUARTERS, [("s", [0.1, 0.2, None, 0.4, None, 0.6])])
    series = chart.series[0]
    runs = re.findall(r"M[^M]*", series.path)
    assert len(runs) == 3  # [0.1, 0.2], [0.4] alone, [0.6] alone
    assert runs[0].count("L") == 1 and "L" not in runs[1] and "L" not in runs[2]
    assert [p.value for p in series.points] == [0.1, 0.2, 0.4, 0.6]  # every value has a marker
    assert series.known == [(0, 0.1), (1, 0.2), (3, 0.4), (5, 0.6)]


def test_line_chart_spaces_points_by_date_when_given():
    days = [date(2026, 1, 1), date(2026, 1, 11), date(2026, 2, 10)]
    chart = line_chart_layout(["x", "y", "z"], [("s", [0.2, 0.4, 0.6])], positions=days)
    first, second, third = (p.x for p in chart.series[0].points)
    assert (second - first) / (third - first) == pytest.approx(10 / 40, abs=0.01)
    with pytest.raises(ValueError):
        line_chart_layout(["x", "y"], [("s", [0.2, 0.4])], positions=days[1::-1])


def test_line_chart_time_labels_never_overlap_and_keep_the_latest():
    labels = [f"{year} Q{q}" for year in range(2020, 2026) for q in range(1, 5)]
    chart = line_chart_layout(labels, [("s", [0.5] * len(labels))])
    assert chart.x_ticks[-1].lines == ("2025 Q4",)
    assert 1 < len(chart.x_ticks) < len(labels)
    spans = [
        (t.x - charts.text_width(t.lines[0], charts.SMALL) / 2,
         t.x + charts.text_width(t.lines[0], charts.SMALL) / 2)
        for t in chart.x_ticks
    ]  # fmt: skip
    assert all(left_end < right_start for (_, left_end), (right_start, _) in pairwise(spans))
    assert spans[0][0] >= 0 and spans[-1][1] <= chart.width
    two_lines = line_chart_layout(["III\n2025", "IV\n2025"], [("s", [0.1, 0.2])])
    assert two_lines.x_ticks[0].lines == ("III", "2025")
    assert two_lines.x_labels == ("III 2025", "IV 2025")


def test_line_chart_rejects_bad_input():
    with pytest.raises(ValueError):
        line_chart_layout([], [("s", [])])
    with pytest.raises(ValueError):
        line_chart_layout(["a"], [("s", [0.1, 0.2])])
    with pytest.raises(ValueError):
        line_chart_layout(["a"], [(str(n), [0.1]) for n in range(5)])


# --- bar chart geometry ----------------------------------------------------------------------


def test_bars_are_proportional_and_markers_sit_on_the_same_scale():
    chart = bar_chart_layout([("a", 0.25, 0.5), ("b", 0.5), ("c", 1.0), ("d", None, 0.75)])
    a, b, c, d = chart.bars
    full = c.end - chart.bar_left
    assert (a.end - chart.bar_left) / full == pytest.approx(0.25, abs=0.002)
    assert (b.end - chart.bar_left) / full == pytest.approx(0.5, abs=0.002)
    assert a.marker_x == pytest.approx(b.end, abs=0.05)  # both at 50 %
    assert d.end == chart.bar_left  # no value, no bar
    assert (d.marker_x - chart.bar_left) / full == pytest.approx(0.75, abs=0.002)
    assert chart.has_markers and chart.legend
    assert chart.bar_path.count("M") == 3 and chart.ticks.count("M") == 2
    assert chart.tracks.count("M") == 4
    assert c.value_x + charts.text_width("100 %", charts.SMALL) <= chart.width
    rows = [bar.y for bar in chart.bars]
    assert rows == sorted(rows)
    assert chart.highest is c and chart.lowest is a


def test_bar_labels_wrap_to_fit_without_losing_words():
    long = "Тәртіптік изолятор және жалғыз адамдық камералар (ШИЗО/ПКТ)"
    for layout, room in (("above", charts.WIDTH), ("left", charts.LABEL_COLUMN)):
        chart = bar_chart_layout([(long, 0.4), ("Периметр", 0.9)], labels=layout)
        lines = chart.bars[0].lines
        assert " ".join(lines) == long
        assert all(charts.text_width(line) <= room for line in lines)
        # the next row starts below the wrapped label and its bar
        first, second = chart.bars
        assert second.label_y > first.y + charts.BAR_HEIGHT
    assert len(bar_chart_layout([(long, 0.4)], labels="left").bars[0].lines) > 1
    assert bar_chart_layout([("x", 0.5)], labels="left").bar_left > 0
    assert not bar_chart_layout([("x", 0.5)]).legend  # no second figure, no legend


def test_bar_chart_scales_counts_and_rejects_bad_input():
    chart = bar_chart_layout([("a", 30), ("b", 60)], max_value=60)
    a, b = chart.bars
    assert (a.end - chart.bar_left) * 2 == pytest.approx(b.end - chart.bar_left, abs=0.1)
    with pytest.raises(ValueError):
        bar_chart_layout([("a", 1)], labels="right")
    with pytest.raises(ValueError):
        bar_chart_layout([("a", 1)], max_value=0)


# --- tile map geometry -----------------------------------------------------------------------


def test_every_region_has_its_own_tile_on_the_grid():
    slugs = {row["slug"] for row in _regions()}
    assert len(slugs) == 20
    assert set(TILE_GRID) == slugs
    positions = list(TILE_GRID.values())
    assert len(set(positions)) == 20
    assert all(
        0 <= col < charts.GRID_COLUMNS and 0 <= row < charts.GRID_ROWS for col, row in positions
    )
    for lang, short in charts.REGION_SHORT.items():
        assert set(short) == slugs, lang
        assert len(set(short.values())) == 20, lang


#: Words that tile labels once were or could easily become (the kk/ru review of 2026-12:
#: ҚЫЗ "girl", ҚАР "snow"…; also ШЫМ "turf", ЖЕТ "reach", ҰЛТ "nation", АКТ "deed", MAN…).
ORDINARY_WORDS = {
    "kk": {"ҚЫЗ", "ҚАР", "АТЫ", "ҰЛЫ", "ТҮР", "ҚОС", "МАҢ", "ЖЕТ", "ШЫМ", "ҰЛТ", "АЛА"},
    "ru": {"КЫЗ", "КАР", "АКТ", "ТУР", "КОС", "МАН", "АЛА"},
    "en": {"MAN", "JAM", "SHY", "JET"},
}


def test_tile_labels_are_abbreviations_not_words():
    for lang, words in ORDINARY_WORDS.items():
        assert not words & set(charts.REGION_SHORT[lang].values()), lang
    # the review's corrections: Almaty city АЛМ (from its name, unlike АЛА), Kyzylorda ҚЗО/КЗО
    assert charts.region_short("almaty", "kk") == charts.region_short("almaty", "ru") == "АЛМ"
    assert (charts.region_short("kyzylorda", "kk"), charts.region_short("kyzylorda", "ru")) == (
        "ҚЗО",
        "КЗО",
    )
    for short in charts.REGION_SHORT.values():
        assert all(len(label) == 3 and label.isupper() for label in short.values())


def test_tile_grid_keeps_rough_geography():
    col = {slug: position[0] for slug, position in TILE_GRID.items()}
    row = {slug: position[1] for slug, position in TILE_GRID.items()}
    assert col["west-kazakhstan"] < col["aktobe"] < col["kostanay"] < col["akmola"]
    assert col["akmola"] < col["pavlodar"] and col["abai"] < col["east-kazakhstan"]
    assert row["north-kazakhstan"] < row["akmola"] < row["karaganda"] < row["jambyl"]
    assert row["west-kazakhstan"] < row["atyrau"] < row["mangystau"]
    assert row["almaty-region"] < row["almaty"] and row["turkistan"] < row["shymkent"]


def test_tile_map_layout_places_tiles_without_overlap_in_reading_order():
    values = [
        RegionValue(r["slug"], r["name_en"], 0.5, f"/en/regions/{r['slug']}") for r in _regions()
    ]
    chart = tile_map_layout(values, lang="kk")
    assert len(chart.tiles) == 20
    boxes = {(t.x, t.y) for t in chart.tiles}
    assert len(boxes) == 20
    for tile in chart.tiles:
        assert tile.x >= 0 and tile.x + chart.tile <= chart.width
        assert tile.y + chart.tile < chart.legend[0].y
        assert tile.short == charts.REGION_SHORT["kk"][tile.region.slug]
    order = [(TILE_GRID[t.region.slug][1], TILE_GRID[t.region.slug][0]) for t in chart.tiles]
    assert order == sorted(order)
    assert [r.slug for r in chart.regions] == [r.slug for r in values]  # table keeps caller's order
    assert all(entry.y + charts.SWATCH <= chart.height for entry in chart.legend)
    with pytest.raises(ValueError):
        tile_map_layout([RegionValue("atlantis", "Atlantis", 0.5)])


@pytest.mark.parametrize(
    ("share", "key"),
    [(None, "none"), (0, "lt50"), (0.499, "lt50"), (0.5, "50-70"), (0.7, "70-85"),
     (0.849, "70-85"), (0.85, "85-99"), (0.999, "85-99"), (1.0, "full")],
)  # fmt: skip
def test_bands_follow_the_site_wide_thresholds(share, key):
    assert band_of(share).key == key
    coverage = pytest.importorskip("portal.stats.coverage")
    if hasattr(coverage, "band"):
        assert (coverage.band(share) or "none") == key


# --- rendered markup -------------------------------------------------------------------------

IMPORT = '{% from "charts/_charts.html" import line_chart, bar_chart, tile_map %}'


def _render(app, source: str, lang: str = "ru", **context) -> str:
    with app.test_request_context(f"/{lang}/"):
        app.preprocess_request()
        return render_template_string(IMPORT + source, **context)


def _percent(app, value, lang: str = "ru") -> str:
    from portal.i18n import percent

    with app.test_request_context(f"/{lang}/"):
        app.preprocess_request()
        return percent(value)


def _figures(html: str) -> list[ET.Element]:
    """Every <figure> in ``html``, parsed as XML (the macros write well-formed markup)."""
    found = re.findall(r"<figure\b.*?</figure>", html, re.S)
    return [ET.fromstring(match) for match in found]  # noqa: S314 (our own markup)


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).strip()


def _check_figure(figure: ET.Element, html: str, role: str = "img") -> ET.Element:
    """The common contract of every chart; returns its <svg>."""
    assert "<style" not in html and "<script" not in html
    for element in figure.iter():
        assert "style" not in element.attrib and element.tag not in {"style", "script"}
        assert not any(name.startswith("on") for name in element.attrib)
    chart_id = figure.get("id")
    assert _text(figure.find("figcaption"))
    svg = figure.find("svg")
    assert svg.get("role") == role
    svg_markup = re.search(r"<svg\b.*?</svg>", html, re.S).group(0)
    ET.fromstring(svg_markup)  # noqa: S314 (our own markup): the SVG alone parses as XML
    title, desc = svg.find("title"), svg.find("desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert _text(title) and _text(desc)
    assert title.get("id").startswith(chart_id) and desc.get("id").startswith(chart_id)
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", svg.get("viewBox"))
    numbers = re.findall(r'(?:[xy]|width|height)="(-?\d+(?:\.\d+)?)"', svg_markup)
    assert all(len(n.partition(".")[2]) <= 1 for n in numbers)  # one decimal at most
    table = figure.find(".//table")
    assert _text(table.find("caption"))
    assert table.find("thead/tr/th").get("scope") == "col"
    assert all(th.get("scope") == "row" for th in table.findall("tbody/tr/th"))
    return svg


def _column(figure: ET.Element, index: int) -> list[str]:
    """Texts of a table column (0 = the row headers)."""
    return [_text(row[index]) for row in figure.findall(".//tbody/tr")]


def test_line_chart_markup(app):
    official = [0.42, 0.5, None, 0.61, 0.7, 0.83]
    verified = [None, 0.35, None, 0.5, None, 0.66]
    chart = line_chart_layout(
        QUARTERS, [("Официальные данные", official), ("Проверено независимо", verified)]
    )
    html = _render(
        app, '{{ line_chart(chart, id="trend", title="Охват по кварталам") }}', chart=chart
    )
    (figure,) = _figures(html)
    svg = _check_figure(figure, html)
    assert figure.get("id") == "trend"
    assert figure.find("details/summary") is not None  # the table sits in a <details>
    assert _column(figure, 0) == QUARTERS
    for index, values in ((1, official), (2, verified)):
        cells = [row[index] for row in figure.findall(".//tbody/tr")]
        for cell, value in zip(cells, values, strict=True):
            if value is None:
                assert cell.find("span").text == "—"  # with a hidden "no figure" for screen readers
            else:
                assert _text(cell) == _percent(app, value)
    # series differ by dash pattern and by marker shape, not only by colour
    paths = svg.findall("g[@class='series']/path")
    assert len(paths) == 2
    assert len({p.get("stroke-dasharray") for p in paths}) == 2
    assert len({p.get("stroke") for p in paths}) == 2
    marker_groups = svg.findall("g[@class='markers']/g")
    shapes = [{use.get("href") for use in group.findall("use")} for group in marker_groups]
    assert shapes == [{"#trend-circle"}, {"#trend-square"}]
    defs = {child.get("id") for child in svg.find("defs")}
    assert defs == {"trend-circle", "trend-square"}
    # the axis says 50 % half way up, and the summary mentions first and last figures
    ticks = [_text(t) for t in svg.findall("g[@class='tick']/text")]
    assert _percent(app, 0.5) in ticks and _percent(app, 1) in ticks
    desc = _text(svg.find("desc"))
    assert "2024 Q1" in desc and _percent(app, 0.83) in desc and "2024 Q2" in desc


def test_bar_chart_markup_shows_the_same_numbers_as_its_table(app):
    items = [
        ("Камеры и жилые помещения", 0.95, 0.9),
        ("Следственные кабинеты и комнаты для допросов", 0.412, None),
        ("Нагрудные видеорегистраторы сотрудников", None, None),
    ]
    chart = bar_chart_layout(
        items, value_label="Официальные данные", marker_label="Проверено независимо",
        heading="Тип зоны",
    )  # fmt: skip
    html = _render(
        app,
        '{{ bar_chart(chart, id="zones", title="Охват по типам зон", table="visible") }}',
        chart=chart,
    )
    (figure,) = _figures(html)
    svg = _check_figure(figure, html)
    assert figure.find("details") is None and figure.find(".//table") is not None
    headers = [_text(th) for th in figure.findall(".//thead/tr/th")]
    assert headers == ["Тип зоны", "Официальные данные", "Проверено независимо"]
    assert _column(figure, 0) == [label for label, _, _ in items]
    drawn = [_text(t) for t in svg.findall("g[@class='value']/text")]
    assert drawn[:2] == [_percent(app, 0.95), _percent(app, 0.412)]
    assert _column(figure, 1)[:2] == drawn[:2]
    assert _column(figure, 2)[0] == _percent(app, 0.9)
    # long labels are wrapped into tspans and every word is still there
    label = svg.findall("g[@class='label']/text")[-2]
    assert label.find("tspan") is not None or _text(label) == items[1][0]
    assert " ".join(label.itertext()).split() == items[1][0].split()
    desc = _text(svg.find("desc"))
    assert items[0][0] in desc and items[1][0] in desc  # highest and lowest


def test_tile_map_markup_links_every_region(app):
    regions = _regions()
    shares = [None if n == 3 else round(0.3 + n * 0.037, 3) for n in range(19)] + [1.0]
    values = [
        RegionValue(r["slug"], r["name_ru"], share, f"/ru/regions/{r['slug']}")
        for r, share in zip(regions, shares, strict=True)
    ]
    chart = tile_map_layout(values, lang="ru", heading="Регион")
    html = _render(
        app, '{{ tile_map(chart, id="regions-map", title="Охват по регионам") }}', chart=chart
    )
    (figure,) = _figures(html)
    svg = _check_figure(figure, html, role="group")  # it holds links, so it is not an image
    links = svg.findall(".//a")
    assert len(links) == 20
    by_href = {a.get("href"): a for a in links}
    assert set(by_href) == {v.href for v in values}
    for value in values:
        link = by_href[value.href]
        label = link.get("aria-label")
        rect, short, number = link.find("rect"), *link.findall("text")
        assert rect.get("fill") == band_of(value.value).fill
        assert link.get("fill") == band_of(value.value).text
        assert _text(short) == charts.REGION_SHORT["ru"][value.slug]
        # the name holds what the tile shows, in that order (WCAG 2.5.3), then the full name
        if value.value is None:
            assert rect.get("class") == "none" and _text(number) == "—"
            assert label == f"{_text(short)}, {value.name}: Данных пока нет"
        else:
            assert _text(number) == _percent(app, value.value)
            assert label == f"{_text(short)} {_text(number)}, {value.name}"
    # the table: same regions, same numbers, links too
    assert _column(figure, 0) == [v.name for v in values]
    for value, cell in zip(values, _column(figure, 1), strict=True):
        if value.value is not None:
            assert cell == _percent(app, value.value)
    legend = [_text(t) for t in svg.findall("g[@class='legend']/text")]
    assert len(legend) == len(BANDS) + 2 and all(legend)


def test_charts_on_one_page_have_unique_ids_and_format_per_language(app):
    line = line_chart_layout(["I", "II"], [("A", [0.5, 0.555])])
    bars = bar_chart_layout([("a", 1234), ("b", 56)], max_value=2000)
    source = (
        '{{ line_chart(line, id="one", title="T1") }}'
        '{{ line_chart(line, id="two", title="T2", desc="Custom words.", caption="Source: X") }}'
        '{{ bar_chart(bars, id="three", title="T3", fmt="number") }}'
        '{{ bar_chart(bars, id="four", title="T4", fmt=fmt) }}'
    )
    html = _render(app, source, lang="kk", line=line, bars=bars, fmt=lambda v: f"n={v}")
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    referenced = re.findall(r'(?:aria-labelledby|href)="#?([^"]+)"', html)
    for reference in referenced:
        for target in reference.split():
            assert target in ids
    one, two, three, four = _figures(html)
    assert _text(two.find("figcaption")) == "Source: X" and _text(two.find("svg/title")) == "T2"
    assert _text(two.find("svg/desc")).startswith("Custom words.")
    assert _column(one, 1) == [_percent(app, 0.5, "kk"), _percent(app, 0.555, "kk")]
    assert _column(three, 1)[0].replace("\xa0", " ") in {"1 234", "1234"}
    assert _column(four, 1) == ["n=1234", "n=56"]
    assert all(f.find("svg/desc") is not None for f in (one, two, three, four))


def test_hostile_labels_are_escaped_and_stay_well_formed(app):
    nasty = "<script>alert(1)</script> & \"quotes\" 'apos' ]]> style=x"
    line = line_chart_layout([nasty], [(nasty, [0.5])], heading=nasty)
    bars = bar_chart_layout([(nasty, 0.5, 0.2)], value_label=nasty, marker_label=nasty)
    tiles = tile_map_layout([RegionValue("almaty", nasty, 0.5, "/ru/regions/almaty", nasty)])
    html = _render(
        app,
        '{{ line_chart(line, id="a", title=t) }}{{ bar_chart(bars, id="b", title=t) }}'
        '{{ tile_map(tiles, id="c", title=t) }}',
        line=line, bars=bars, tiles=tiles, t=nasty,
    )  # fmt: skip
    figures = _figures(html)
    assert len(figures) == 3
    for figure in figures:
        _check_figure(figure, html, role=figure.find("svg").get("role"))
        assert nasty in _text(figure.find("svg/title"))
