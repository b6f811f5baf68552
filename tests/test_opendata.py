"""Open data: CSV and JSON files, their caching, the export command and the open-data page."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from portal.models import (
    Category,
    CoverageSnapshot,
    Facility,
    Source,
    ZoneCoverage,
    ZoneType,
)
from portal.opendata import datasets, files
from portal.opendata.columns import DATASETS
from tests import factories

D1, D2 = date(2026, 3, 31), date(2026, 6, 30)
#: When the world's complaints were received: in a month long closed, so they are published.
RECEIVED = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
NAMES = list(DATASETS)


def build_world(db) -> None:
    """Two facilities in two regions; one reports twice, one once plus an independent check."""
    sizo = factories.astana_sizo(db)
    factories.alias(db, facility=sizo, name="ЛА-155/1", lang=None, is_former=False)
    colony = factories.karaganda_colony(db)
    for day, covered in ((D1, 10), (D2, 14)):
        factories.snapshot(
            db,
            facility=sizo,
            as_of=day,
            zones={ZoneType.CELLS: (20, covered), ZoneType.MEDICAL: (2, 2)},
        )
    factories.snapshot(db, facility=colony, as_of=D1, zones={ZoneType.CELLS: (40, 30)})
    factories.snapshot(
        db,
        facility=colony,
        as_of=D2,
        source=Source.INDEPENDENT,
        source_note="Мониторинговый визит",
        zones={ZoneType.CELLS: (40, 15)},
    )
    for _ in range(12):
        factories.complaint(db, facility=sizo, created_at=RECEIVED)
    for _ in range(3):
        factories.complaint(
            db, facility=colony, categories=(Category.TORTURE,), created_at=RECEIVED
        )
    db.commit()


@pytest.fixture
def world(regions):
    build_world(regions)
    return regions


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a served CSV file, checking the BOM and CRLF line ends on the way."""
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")[1:]
    assert "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def get_csv(client, name: str) -> list[dict[str, str]]:
    response = client.get(f"/open-data/{name}.csv")
    assert response.status_code == 200
    return read_csv(response.data)


def test_csv_files_are_utf8_with_bom_crlf_and_download_headers(client, world):
    for name in NAMES:
        response = client.get(f"/open-data/{name}.csv")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == f"attachment; filename={name}.csv"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.data.startswith(b"\xef\xbb\xbf")
        header = response.data[3:].split(b"\r\n", 1)[0].decode()
        assert header.split(",") == [column.name for column in DATASETS[name].columns]
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", column) for column in header.split(","))


def test_facilities_file(client, world):
    rows = {row["slug"]: row for row in get_csv(client, "facilities")}
    sizo = rows["astana-sizo-1"]
    assert sizo["region_slug"] == "astana" and sizo["type"] == "sizo"
    assert sizo["authority"] == "kuis"
    assert sizo["name_kk"] == "№ 1 тергеу изоляторы (Астана)"
    assert sizo["name_kk_latn"] == "№ 1 tergeu izoliatory (Astana)"
    assert sizo["former_names"] == "СИЗО № 1 (Нур-Султан)"
    assert sizo["other_names"] == "ЛА-155/1"
    assert sizo["is_demo"] == "false"
    assert sizo["latest_official_as_of"] == "2026-06-30"
    assert sizo["latest_official_share"] == str(round(16 / 22, 4))
    colony = rows["karaganda-colony-7"]
    assert colony["latest_official_as_of"] == "2026-03-31"  # the independent check is not official
    assert colony["former_names"] == ""


def test_snapshot_file_has_one_row_per_snapshot_and_zone_type(client, world):
    rows = get_csv(client, "coverage-snapshots")
    assert len(rows) == world.scalar(select(func.count(ZoneCoverage.id)))
    independent = [row for row in rows if row["source"] == "independent"]
    assert independent == [
        {
            "snapshot_id": independent[0]["snapshot_id"],
            "facility_slug": "karaganda-colony-7",
            "region_slug": "karaganda",
            "as_of": "2026-06-30",
            "source": "independent",
            "source_note": "Мониторинговый визит",
            "zone_type": "cells",
            "zones_total": "40",
            "zones_covered": "15",
            "blind_spots": "25",
            "cameras_installed": "30",
            "cameras_working": "29",
            "retention_days": "30",
            "is_demo": "false",
        }
    ]
    first = [row for row in rows if row["facility_slug"] == "astana-sizo-1"][:2]
    assert [row["zone_type"] for row in first] == ["cells", "medical"]
    assert first[0]["snapshot_id"] == first[1]["snapshot_id"]


def test_region_file_carries_the_last_figure_forward(client, world):
    rows = {(r["region_slug"], r["as_of"]): r for r in get_csv(client, "coverage-regions")}
    assert len(rows) == 20 * 2  # every region on both official reporting dates
    karaganda = rows[("karaganda", "2026-06-30")]  # reported only on D1
    assert karaganda["facilities_reporting"] == "1"
    assert (karaganda["zones_total"], karaganda["zones_covered"]) == ("40", "30")
    assert karaganda["share"] == "0.75"
    astana = rows[("astana", "2026-06-30")]
    assert (astana["zones_total"], astana["zones_covered"], astana["blind_spots"]) == (
        "22",
        "16",
        "6",
    )
    empty = rows[("abai", "2026-06-30")]
    assert empty["facilities_reporting"] == "0" and empty["share"] == ""


def test_national_file_has_totals_and_types(client, world):
    rows = {(r["as_of"], r["facility_type"]): r for r in get_csv(client, "coverage-national")}
    assert set(rows) == {
        (d, t) for d in ("2026-03-31", "2026-06-30") for t in ("all", "colony", "sizo")
    }
    total = rows[("2026-06-30", "all")]
    assert (total["facilities_reporting"], total["zones_total"], total["zones_covered"]) == (
        "2",
        "62",
        "46",
    )
    assert total["share"] == str(round(46 / 62, 4))
    assert rows[("2026-03-31", "sizo")]["zones_covered"] == "12"


def test_complaint_statistics_come_from_the_statistics_module(client, world):
    from portal.stats.complaints import cached_complaint_statistics

    expected = list(cached_complaint_statistics(world).rows())
    rows = get_csv(client, "complaint-statistics")
    assert len(rows) == len(expected)
    for row, stat in zip(rows, expected, strict=True):
        assert (row["level"], row["period"], row["category"]) == (
            stat["level"],
            stat["period"],
            stat["category"],
        )
        shown = "<10" if stat["count"] is None else str(stat["count"])
        assert row["complaints_received"] == shown
        assert row["suppressed"] == ("true" if stat["count"] is None else "false")
    colony = [r for r in rows if r["facility_slug"] == "karaganda-colony-7"]
    assert colony and all(r["region_slug"] == "karaganda" for r in colony)
    assert {r["complaints_received"] for r in colony if r["category"] == "torture"} == {"<10"}
    assert_no_small_counts_in_csv(rows)

    document = client.get("/open-data/complaint-statistics.json").get_json()
    names = [column["name"] for column in document["columns"]]
    count, hidden = names.index("complaints_received"), names.index("suppressed")
    assert all((row[count] is None) == row[hidden] for row in document["rows"])
    assert any(row[hidden] for row in document["rows"])
    assert "not findings" in document["note"]


def assert_no_small_counts_in_csv(rows: list[dict[str, str]]) -> None:
    for row in rows:
        value = row["complaints_received"]
        assert value == "<10" or not 1 <= int(value) <= 9, row


def test_json_files_describe_themselves(client, world, app):
    from portal.caching import coverage_version as data_version

    for name in NAMES:
        response = client.get(f"/open-data/{name}.json")
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert "Content-Disposition" not in response.headers
        document = json.loads(response.data)
        assert document["dataset"] == name
        assert document["licence"]["id"] == "CC-BY-4.0"
        assert document["demo"] is False
        assert document["generated_from_data_version"] == data_version()[0]
        assert [c["name"] for c in document["columns"]] == [c.name for c in DATASETS[name].columns]
        column = document["columns"][0]
        assert set(column) == {"name", "type", "nullable", "meaning", "type_label"}
        assert set(column["meaning"]) == {"kk", "ru", "en"}
        csv_rows = get_csv(client, name)
        assert len(document["rows"]) == len(csv_rows)
        assert all(len(row) == len(document["columns"]) for row in document["rows"])


def test_unknown_dataset_is_404_and_the_folder_leads_to_the_page(client, world):
    assert client.get("/open-data/passwords.csv").status_code == 404
    assert client.get("/open-data/facilities.xml").status_code == 404
    response = client.get("/open-data/", headers={"Accept-Language": "ru"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/ru/open-data")


def test_conditional_get_answers_304(client, world):
    first = client.get("/open-data/coverage-snapshots.csv")
    again = client.get(
        "/open-data/coverage-snapshots.csv", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    assert "max-age" in first.headers["Cache-Control"]


def test_a_dataset_is_built_once_per_data_version(client, world, monkeypatch):
    calls = []
    original = datasets.BUILDERS["coverage-snapshots"]

    def counting():
        calls.append(1)
        return original()

    monkeypatch.setitem(datasets.BUILDERS, "coverage-snapshots", counting)
    first = client.get("/open-data/coverage-snapshots.csv").data
    client.get("/open-data/coverage-snapshots.json")
    assert client.get("/open-data/coverage-snapshots.csv").data == first
    assert len(calls) == 1
    factories.snapshot(world, as_of=date(2026, 9, 30))
    world.commit()
    changed = client.get("/open-data/coverage-snapshots.csv").data
    assert len(calls) == 2 and len(changed) > len(first)


def test_export_command_writes_the_served_bytes(client, world, app, runner, tmp_path):
    served = {
        f"{name}.{fmt}": client.get(f"/open-data/{name}.{fmt}").data
        for name in NAMES
        for fmt in ("csv", "json")
    }
    with app.app_context():
        files.clear_cache()  # the command must build the same bytes, not reuse them
    result = runner.invoke(args=["export-open-data", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = {path.name: path.read_bytes() for path in (tmp_path / "out").iterdir()}
    assert written == served


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_open_data_page(client, world, lang):
    response = client.get(f"/{lang}/open-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    for name in NAMES:
        assert f'href="/open-data/{name}.csv"' in html
        assert f'href="/open-data/{name}.json"' in html
        assert f'id="columns-{name}"' in html
    assert html.count("<caption") == len(NAMES)
    assert html.count('<th scope="row"><code>') == sum(len(d.columns) for d in DATASETS.values())
    assert "CC BY 4.0" in html and "https://creativecommons.org/licenses/by/4.0/" in html
    assert "&lt;10" in html  # the suppression note
    assert " style=" not in html and "<script" not in html
    assert f'href="/feed.atom?lang={lang}"' in html and 'href="/api/v1/openapi.json"' in html
    again = client.get(f"/{lang}/open-data", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_open_data_page_in_russian_uses_the_glossary(client, world):
    html = client.get("/ru/open-data").get_data(as_text=True)
    assert "Учреждения" in html  # the facilities dataset, in an existing translation


def test_demo_data_end_to_end(app, client, runner, db, tmp_path):
    """Generated demo data: files parse, match the database, suppress small counts, export."""
    from portal.demo import generate
    from portal.stats.complaints import cached_complaint_statistics

    generate(db, facilities=30, complaints=400, seed=3)
    db.commit()
    served: dict[str, bytes] = {}
    for name in NAMES:
        for fmt in ("csv", "json"):
            response = client.get(f"/open-data/{name}.{fmt}")
            assert response.status_code == 200
            served[f"{name}.{fmt}"] = response.data
        rows = read_csv(served[f"{name}.csv"])
        document = json.loads(served[f"{name}.json"])
        assert document["demo"] is True and len(document["rows"]) == len(rows)
        assert list(rows[0]) == [column["name"] for column in document["columns"]]

    facilities = read_csv(served["facilities.csv"])
    assert len(facilities) == db.scalar(select(func.count(Facility.id))) == 30
    assert all(row["is_demo"] == "true" for row in facilities)
    snapshots = read_csv(served["coverage-snapshots.csv"])
    assert len(snapshots) == db.scalar(select(func.count(ZoneCoverage.id)))
    assert len({row["snapshot_id"] for row in snapshots}) == db.scalar(
        select(func.count(CoverageSnapshot.id))
    )
    dates = db.scalar(
        select(func.count(func.distinct(CoverageSnapshot.as_of))).where(
            CoverageSnapshot.source == Source.OFFICIAL
        )
    )
    assert len(read_csv(served["coverage-regions.csv"])) == 20 * dates
    complaints = read_csv(served["complaint-statistics.csv"])
    assert len(complaints) == len(list(cached_complaint_statistics(db).rows()))
    assert any(row["complaints_received"] == "<10" for row in complaints)
    assert_no_small_counts_in_csv(complaints)
    document = json.loads(served["complaint-statistics.json"])
    count = [c["name"] for c in document["columns"]].index("complaints_received")
    assert not any(row[count] is not None and 1 <= row[count] <= 9 for row in document["rows"])

    api = client.get("/api/v1/complaint-statistics?per_page=1000").get_json()
    assert api["rows"] and not any(
        r["complaints_received"] is not None and 1 <= r["complaints_received"] <= 9
        for r in api["rows"]
    )
    etag = client.get("/open-data/facilities.csv").headers["ETag"]
    assert (
        client.get("/open-data/facilities.csv", headers={"If-None-Match": etag}).status_code == 304
    )

    files.clear_cache()
    result = runner.invoke(args=["export-open-data", str(tmp_path / "export")])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in (tmp_path / "export").iterdir()} == served
