"""The Atom feed of coverage updates: valid, newest first, per language, hostile names escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import feedparser
import pytest
from sqlalchemy import select

from portal.models import CoverageSnapshot, FacilityType, Source, ZoneType
from tests import factories
from tests.test_opendata import build_world

ATOM = "{http://www.w3.org/2005/Atom}"
#: The configured public address and tag authority; the test client sends ``Host: localhost``.
BASE = "https://ashyq.example.kz"
AUTHORITY = "ashyq.example.kz"


@pytest.fixture
def app(app_factory):
    """The app published at BASE, with its own feed tag authority."""
    return app_factory(BASE_URL=BASE, FEED_TAG_AUTHORITY=AUTHORITY)


@pytest.fixture
def world(regions):
    build_world(regions)
    return regions


def parse(client, url: str = "/feed.atom"):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed, response


def test_feed_is_valid_atom_with_ids_links_and_dates(client, world):
    feed, response = parse(client)
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk"
    assert feed.feed.id.startswith(f"tag:{AUTHORITY},2026:")
    assert feed.feed.updated
    assert any(
        link.rel == "self" and link.href == f"{BASE}/feed.atom?lang=kk" for link in feed.feed.links
    )
    snapshots = world.scalars(select(CoverageSnapshot)).all()
    assert len(feed.entries) == len(snapshots)
    for entry in feed.entries:
        assert entry.id.startswith(f"tag:{AUTHORITY},2026:coverage-snapshot/")
        assert entry.link.startswith(f"{BASE}/kk/facilities/")
        assert entry.updated.endswith("Z")
    by_id = {s.id: s for s in snapshots}
    first = by_id[int(feed.entries[0].id.split("/")[1])]
    assert first.as_of == date(2026, 6, 30)
    assert feed.entries[0].updated.startswith(first.imported_at.strftime("%Y-%m-%dT%H:%M:%S"))


def test_entries_are_newest_first_and_limited_to_fifty(client, world):
    facility = factories.facility(world, slug="many-updates")
    start = date(2020, 1, 1)
    for n in range(55):
        factories.snapshot(world, facility=facility, as_of=start + timedelta(days=n))
    world.commit()
    feed, _ = parse(client)
    assert len(feed.entries) == 50
    ids = [int(entry.id.split("/")[1]) for entry in feed.entries]
    days = {s.id: s.as_of for s in world.scalars(select(CoverageSnapshot))}
    keys = [(days[i], i) for i in ids]
    assert keys == sorted(keys, reverse=True)


def test_entries_stay_the_same_when_more_arrive(client, world):
    before, _ = parse(client, "/feed.atom?lang=ru")
    factories.snapshot(world, facility=factories.facility(world), as_of=date(2026, 9, 30))
    world.commit()
    after, _ = parse(client, "/feed.atom?lang=ru")
    assert [e.id for e in after.entries[1:]] == [e.id for e in before.entries]


@pytest.mark.parametrize(
    ("lang", "title", "source"),
    [
        ("kk", "№ 7 түзеу колониясы (Қарағанды)", "Тәуелсіз тексерілген"),
        ("ru", "Исправительная колония № 7 (Караганда)", "Проверено независимо"),
        ("en", "Correctional colony No. 7 (Karaganda)", "Independently verified"),
    ],
)
def test_language_switch(client, world, lang, title, source):
    feed, _ = parse(client, f"/feed.atom?lang={lang}")
    assert feed.feed.language == lang
    colony = next(e for e in feed.entries if e.title.startswith(title + ":"))
    assert colony.title.endswith(f"({source})")
    assert colony.link == f"{BASE}/{lang}/facilities/karaganda-colony-7"
    assert colony.id.endswith(f"/{lang}")


def test_default_is_kazakh_and_bad_language_is_400(client, world):
    assert parse(client)[0].feed.language == "kk"
    assert client.get("/feed.atom?lang=de").status_code == 400
    assert client.get("/feed.atom?lang=%3Cscript%3E").status_code == 400


def test_hostile_names_are_escaped(client, regions):
    hostile = "<script>alert(1)</script>&\"' ]]> \x0b\x1f"  # control characters: dropped
    facility = factories.facility(
        regions,
        slug="hostile",
        type=FacilityType.POLICE,
        name_kk=hostile,
        name_ru=hostile,
        name_en=hostile,
    )
    factories.snapshot(
        regions,
        facility=facility,
        source=Source.INDEPENDENT,
        source_note="</summary><entry>&amp;",
        zones={ZoneType.CELLS: (3, 1)},
    )
    regions.commit()
    feed, response = parse(client, "/feed.atom?lang=en")
    assert b"<script>" not in response.data
    assert b"&lt;script&gt;" in response.data
    entry = feed.entries[0]
    assert entry.title.startswith("<script>alert(1)</script>&\"' ]]> :")
    assert "</summary><entry>&amp;" in entry.summary
    assert len(feed.entries) == 1


def test_empty_feed_is_still_valid(client, regions):
    feed, _ = parse(client)
    assert feed.entries == [] and feed.feed.updated


def test_conditional_get_per_language(client, world):
    first = client.get("/feed.atom?lang=ru")
    etag = first.headers["ETag"]
    assert client.get("/feed.atom?lang=ru", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/feed.atom?lang=en", headers={"If-None-Match": etag}).status_code == 200
