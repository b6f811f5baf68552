"""The publication schedule of complaint statistics, and the two data versions.

Complaint counts are published as of the end of the last complete month (or
quarter): a complaint filed today changes no published count and no ETag of a
page that shows counts until its period has closed. Coverage-only pages and
the coverage read model do not notice complaints at all.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from portal import clock
from portal.config import ConfigurationError, load
from portal.models import Category, ComplaintCategory
from portal.stats import coverage
from portal.stats.schedule import Publication, period_end, publication
from tests import factories
from tests.test_complaints import submit

#: The tests' "now": 10 December 2026, so November 2026 is the last complete month.
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
#: When the world's twelve complaints were received: in October 2026, long published.
RECEIVED = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)
CELL = re.compile(r'class="[^"]*\bcomplaint-count\b[^"]*">([^<]*)<')

#: Resources that show complaint counts, and resources that show none.
WITH_COUNTS = (
    "/ru/",
    "/kk/regions/astana",
    "/ru/facilities/astana-sizo-1",
    "/open-data/complaint-statistics.csv",
    "/open-data/complaint-statistics.json",
    "/api/v1/complaint-statistics?per_page=1000",
)
COVERAGE_ONLY = (
    "/ru/facilities",
    "/kk/about",
    "/open-data/facilities.csv",
    "/open-data/coverage-snapshots.json",
    "/open-data/facilities/astana-sizo-1/coverage.csv",
    "/api/v1/national",
    "/api/v1/facilities/astana-sizo-1",
    "/api/v1/openapi.json",
    "/feed.atom?lang=kk",
)


class Clock:
    """Replaces the portal's one clock with a moment the test moves by hand."""

    def __init__(self, monkeypatch, moment: datetime) -> None:
        self.moment = moment
        monkeypatch.setattr(clock, "now", lambda: self.moment)


@pytest.fixture
def frozen(monkeypatch) -> Clock:
    return Clock(monkeypatch, NOW)


@pytest.fixture
def world(regions, frozen):
    """A SIZO in Astana with a coverage figure and twelve complaints received in October."""
    db = regions
    sizo = factories.astana_sizo(db)
    factories.snapshot(db, facility=sizo, as_of=date(2026, 9, 30))
    for i in range(12):
        factories.complaint(db, facility=sizo, created_at=RECEIVED + timedelta(hours=i))
    db.commit()
    return {"db": db, "facility_id": sizo.id, "region_id": sizo.region_id}


def published(client, path: str):
    """What a resource publishes about complaints: page cells, or the file or answer itself."""
    response = client.get(path)
    assert response.status_code == 200, path
    if path.startswith("/api/"):
        body = response.get_json()
        return body["as_of"], body["rows"]
    if path.startswith("/open-data/"):
        return response.data
    cells = CELL.findall(response.get_data(as_text=True))
    assert cells, f"{path} shows no complaint counts"
    return cells


def plain(response) -> str:
    """The page's HTML with Babel's no-break spaces as plain spaces."""
    return response.get_data(as_text=True).replace("\xa0", " ").replace("\u202f", " ")


def etags(client, paths) -> dict[str, str]:
    return {path: client.get(path).headers["ETag"] for path in paths}


def national_count(client) -> int:
    body = client.get("/api/v1/complaint-statistics?level=national&period=all&category=all")
    return body.get_json()["rows"][0]["complaints_received"]


def test_period_end_is_the_last_day_of_the_last_complete_month_or_quarter() -> None:
    assert period_end(date(2026, 12, 10)) == date(2026, 11, 30)
    assert period_end(date(2026, 12, 1)) == date(2026, 11, 30)
    assert period_end(date(2026, 3, 31)) == date(2026, 2, 28)
    assert period_end(date(2027, 1, 1)) == date(2026, 12, 31)
    assert period_end(date(2026, 12, 10), "quarter") == date(2026, 9, 30)
    assert period_end(date(2026, 10, 1), "quarter") == date(2026, 9, 30)
    assert period_end(date(2026, 9, 30), "quarter") == date(2026, 6, 30)
    assert period_end(date(2026, 2, 1), "quarter") == date(2025, 12, 31)
    with pytest.raises(ValueError):
        period_end(date(2026, 12, 10), "week")


def test_a_period_closes_at_midnight_utc_the_day_boundary_of_quarters() -> None:
    before = datetime(2026, 12, 1, 4, 59, tzinfo=clock.KAZAKHSTAN)  # 30 November in UTC
    after = datetime(2026, 12, 1, 5, 0, tzinfo=clock.KAZAKHSTAN)
    assert publication(before, "month").period_end == date(2026, 10, 31)
    closed = publication(after, "month")
    assert closed == Publication("month", date(2026, 11, 30))
    assert closed.cutoff == datetime(2026, 12, 1, tzinfo=UTC)


def test_the_period_is_configured(tmp_path) -> None:
    environ = {"PORTAL_INSTANCE_PATH": str(tmp_path)}
    assert load(environ)["COMPLAINT_STATS_PERIOD"] == "month"
    quarterly = {**environ, "PORTAL_COMPLAINT_STATS_PERIOD": " Quarter "}
    assert load(quarterly)["COMPLAINT_STATS_PERIOD"] == "quarter"
    with pytest.raises(ConfigurationError, match="PORTAL_COMPLAINT_STATS_PERIOD"):
        load({**environ, "PORTAL_COMPLAINT_STATS_PERIOD": "day"})


def test_a_filed_complaint_changes_nothing_published_until_its_month_closes(
    client, world, frozen, monkeypatch
):
    before = {path: published(client, path) for path in WITH_COUNTS}
    tags = etags(client, WITH_COUNTS + COVERAGE_ONLY)
    loads = []
    original = coverage._load
    monkeypatch.setattr(coverage, "_load", lambda: loads.append(1) or original())
    assert national_count(client) == 12

    response = submit(client, world, lang="ru")
    assert response.status_code == 200 and "Ваше обращение получено" in response.get_data(
        as_text=True
    )
    frozen.moment = NOW + timedelta(days=20)  # 30 December: December is still open

    assert {path: published(client, path) for path in WITH_COUNTS} == before
    assert etags(client, WITH_COUNTS + COVERAGE_ONLY) == tags
    for path, tag in tags.items():
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304, path
    assert national_count(client) == 12
    assert loads == [], "a complaint reloaded the coverage figures"

    frozen.moment = datetime(2027, 1, 1, 0, 0, tzinfo=UTC)  # December has closed
    after = {path: published(client, path) for path in WITH_COUNTS}
    assert all(after[path] != before[path] for path in WITH_COUNTS)
    assert national_count(client) == 13
    moved = etags(client, WITH_COUNTS + COVERAGE_ONLY)
    assert all(moved[path] != tags[path] for path in WITH_COUNTS)
    assert all(moved[path] == tags[path] for path in COVERAGE_ONLY)
    assert loads == []


def test_an_edit_to_a_counted_complaint_changes_the_statistics_version(client, world):
    db = world["db"]
    coverage_tag = client.get("/ru/facilities").headers["ETag"]
    other = factories.karaganda_colony(db)
    db.commit()
    assert client.get("/ru/facilities").headers["ETag"] != coverage_tag  # a new facility
    tag = client.get("/ru/").headers["ETag"]
    counted = factories.complaint(db, facility=other, created_at=RECEIVED)
    db.commit()
    changed = client.get("/ru/")
    assert changed.headers["ETag"] != tag
    tag = changed.headers["ETag"]
    counted.facility = db.get(type(counted.facility), world["facility_id"])
    db.commit()
    moved = client.get("/ru/").headers["ETag"]
    assert moved != tag
    assert national_count(client) == 13
    counted.categories = [ComplaintCategory(category=Category.TORTURE)]  # only the links change
    db.commit()
    assert client.get("/ru/").headers["ETag"] != moved
    torture = "/api/v1/complaint-statistics?level=national&period=all&category=torture"
    assert client.get(torture).get_json()["rows"][0]["complaints_received"] is None  # 1: "<10"


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("ru", "Статистика жалоб по состоянию на 30 ноября 2026 г."),
        ("kk", "Шағымдар статистикасының есепті күні: 2026 ж. 30 қараша"),
        ("en", "Complaint statistics as of November 30, 2026"),
    ],
)
def test_pages_say_as_of_the_period_end(client, world, lang, sentence):
    paths = ["/", "/regions/astana", "/facilities/astana-sizo-1", "/open-data", "/methodology"]
    for path in paths:
        html = plain(client.get(f"/{lang}{path}"))
        assert sentence in html, path
        assert "once a month" in html or lang != "en"


def test_files_and_the_api_say_as_of_the_period_end(client, world):
    csv = client.get("/open-data/complaint-statistics.csv").get_data(as_text=True)
    header, *rows = csv.lstrip("\ufeff").strip().split("\r\n")
    assert header.split(",")[-1] == "as_of"
    assert rows and all(row.endswith(",2026-11-30") for row in rows)
    document = client.get("/open-data/complaint-statistics.json").get_json()
    assert document["complaints_as_of"] == "2026-11-30"
    assert {row[-1] for row in document["rows"]} == {"2026-11-30"}
    meaning = document["columns"][-1]["meaning"]
    assert "UTC" in meaning["ru"] and "UTC" in meaning["kk"]
    assert "as of complaints_as_of" in document["note"]
    api = client.get("/api/v1/complaint-statistics?level=national").get_json()
    assert api["as_of"] == "2026-11-30" and "as_of" not in api["rows"][0]
    spec = client.get("/api/v1/openapi.json").get_json()
    described = spec["components"]["schemas"]["ComplaintStatistics"]["properties"]["as_of"]
    assert "last complete month" in described["description"]


def test_a_quarterly_schedule(app_factory, frozen):
    app = app_factory(COMPLAINT_STATS_PERIOD="quarter")
    with app.app_context():
        from portal.db import session
        from portal.reference import ensure_regions

        ensure_regions(session)
        sizo = factories.astana_sizo(session)
        for _ in range(12):
            factories.complaint(session, facility=sizo, created_at=RECEIVED)  # in Q4
        session.commit()
    client = app.test_client()
    page = plain(client.get("/kk/facilities/astana-sizo-1"))  # no coverage figure yet
    assert "Шағымдар статистикасының есепті күні: 2026 ж. 30 қыркүйек" in page
    assert "тоқсанына бір рет" in page
    api = client.get("/api/v1/complaint-statistics?level=national&period=all&category=all")
    assert api.get_json()["as_of"] == "2026-09-30"
    assert api.get_json()["rows"][0]["complaints_received"] == 0
    frozen.moment = datetime(2027, 1, 1, tzinfo=UTC)
    api = client.get("/api/v1/complaint-statistics?level=national&period=all&category=all")
    assert api.get_json()["rows"][0]["complaints_received"] == 12
