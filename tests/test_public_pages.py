"""A journalist's journey through the public pages: national → region → facility, with filters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.models import FacilityType, Source, ZoneType
from tests import factories


@pytest.fixture
def world(regions):
    """Three facilities in two regions, with histories that improve, slip back and stall."""
    db = regions
    karaganda = factories.named_region(db, "karaganda")
    sizo = factories.astana_sizo(db)
    colony = factories.karaganda_colony(db)
    police = factories.facility(
        db,
        slug="karaganda-police-3",
        type=FacilityType.POLICE,
        region=karaganda,
        name_kk="№ 3 полиция бөлімі (Қарағанды)",
        name_ru="Отдел полиции № 3 (Караганда)",
        name_en="Police department No. 3 (Karaganda)",
    )
    quarters = [
        date(2025, 9, 30),
        date(2025, 12, 31),
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
    ]
    for day, covered in zip(quarters, (10, 12, 14, 16, 18), strict=True):  # improves
        factories.snapshot(
            db,
            facility=sizo,
            as_of=day,
            zones={ZoneType.CELLS: (20, covered), ZoneType.MEDICAL: (2, 2)},
        )
    for day, covered in zip(quarters, (30, 36, 20, 22, 25), strict=True):  # slips back
        factories.snapshot(db, facility=colony, as_of=day, zones={ZoneType.CELLS: (40, covered)})
    for day in quarters:  # stalls
        factories.snapshot(db, facility=police, as_of=day, zones={ZoneType.DUTY_INTAKE: (10, 4)})
    factories.snapshot(
        db,
        facility=colony,
        as_of=date(2026, 9, 30),
        source=Source.INDEPENDENT,
        source_note="Мониторинговый визит",
        zones={ZoneType.CELLS: (40, 15)},
    )
    db.commit()
    return db


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return (
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        .replace("\u202f", " ")
        .replace("\xa0", " ")
    )


def test_national_page_links_regions_and_shows_progress_flags(client, world):
    page = client.get("/ru/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/ru/regions/karaganda"' in html
    body = text_of(page)
    assert "1 учреждение не улучшало показатели в течение года" in body
    assert "В 1 учреждении охват ниже прежнего уровня" in body
    assert "Последние обновления" in body


def test_region_page_lists_its_facilities(client, world):
    body = text_of(client.get("/kk/regions/karaganda"))
    assert "Қарағанды облысы" in body
    assert "№ 7 түзеу колониясы (Қарағанды)" in body and "№ 3 полиция бөлімі (Қарағанды)" in body
    assert "Астана" not in body.split("Мекемелер")[-1]


def test_unknown_region_or_facility_is_a_translated_404(client, world):
    assert client.get("/ru/regions/atlantis").status_code == 404
    response = client.get("/kk/facilities/no-such-place")
    assert response.status_code == 404 and "Бет табылмады" in text_of(response)


def test_facility_page_shows_zones_history_and_the_ledger(client, world):
    response = client.get("/ru/facilities/karaganda-colony-7")
    body = text_of(response)
    assert response.status_code == 200
    assert "Камеры и жилые помещения" in body
    assert "25 / 40" in body  # latest official
    assert "Мониторинговый визит" in body
    assert "Официальные данные на 25 п. п. выше результатов независимой проверки." in body
    assert "Охват снизился" in body  # the slipping flag
    assert "62,5 %" in body and "37,5 %" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Нур-Султан", "Следственный изолятор № 1 (Астана)"),
        ("нур султан", "Следственный изолятор № 1 (Астана)"),
        ("Nur-Sultan", "Следственный изолятор № 1 (Астана)"),
        ("Qarağandy", "Исправительная колония № 7 (Караганда)"),
        ("Qaragandy", "Исправительная колония № 7 (Караганда)"),
        ("Қарағанды колония", "Исправительная колония № 7 (Караганда)"),
        ("colony karaganda", "Исправительная колония № 7 (Караганда)"),
    ],
)
def test_name_search_finds_every_spelling(client, world, query, expected):
    body = text_of(client.get("/ru/facilities", query_string={"q": query}))
    assert expected in body
    if "Астана" in expected:
        assert "Караганда" not in body.split("айдено")[-1]


@pytest.mark.parametrize(
    ("args", "expected", "absent"),
    [
        ({"region": "astana"}, ["Следственный изолятор № 1"], ["колония № 7"]),
        ({"type": "police"}, ["Отдел полиции № 3"], ["колония № 7", "изолятор № 1"]),
        ({"status": "slipping"}, ["колония № 7"], ["Отдел полиции № 3", "изолятор № 1"]),
        ({"status": "stalled"}, ["Отдел полиции № 3"], ["колония № 7", "изолятор № 1"]),
        ({"band": "lt50"}, ["Отдел полиции № 3"], ["изолятор № 1"]),
        ({"band": "85-99"}, ["изолятор № 1"], ["Отдел полиции № 3", "колония № 7"]),
    ],
)
def test_filters(client, world, args, expected, absent):
    body = text_of(client.get("/ru/facilities", query_string=args)).split("айдено")[-1]
    for name in expected:
        assert name in body
    for name in absent:
        assert name not in body


def test_sorting_by_coverage(client, world):
    body = text_of(client.get("/ru/facilities?sort=coverage")).split("айдено")[-1]
    assert body.index("Отдел полиции № 3") < body.index("колония № 7") < body.index("изолятор № 1")
    body = text_of(client.get("/ru/facilities?sort=-coverage")).split("айдено")[-1]
    assert body.index("изолятор № 1") < body.index("колония № 7") < body.index("Отдел полиции № 3")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_wrong_filters_are_explained_not_fatal(client, world, lang):
    response = client.get(f"/{lang}/facilities?region=atlantis&band=%3Cscript%3E&sort=x&page=abc")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('class="error"') == 3
    assert "<script>" not in html
    assert "колония № 7" in html or "колониясы" in html or "colony No. 7" in html


def test_pages_beyond_the_end_show_the_last_page(client, world):
    assert client.get("/ru/facilities?page=999").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/regions/karaganda",
        "/facilities",
        "/facilities/karaganda-colony-7",
        "/about",
        "/methodology",
        "/privacy",
    ],
)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_public_page_answers_in_every_language(client, world, lang, path):
    response = client.get(f"/{lang}{path}")
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.get_data(as_text=True)


def test_conditional_get_answers_304_until_the_data_changes(client, world):
    first = client.get("/ru/facilities/karaganda-colony-7")
    etag = first.headers["ETag"]
    assert (
        "public" in first.headers["Cache-Control"] and "max-age" in first.headers["Cache-Control"]
    )
    assert first.headers.get("Last-Modified")
    again = client.get("/ru/facilities/karaganda-colony-7", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other_language = client.get(
        "/kk/facilities/karaganda-colony-7", headers={"If-None-Match": etag}
    )
    assert other_language.status_code == 200
    factories.snapshot(world, facility=factories.facility(world), as_of=date(2026, 10, 1))
    world.commit()
    changed = client.get("/ru/facilities/karaganda-colony-7", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
