"""The JSON API v1: answers, their OpenAPI schemas, filters, pages, and 400/404 as JSON."""

from __future__ import annotations

import copy
import functools

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate

from portal.api.openapi import document
from tests.test_opendata import build_world

#: The configured public address: every absolute link is built on it, whatever the Host.
BASE = "https://ashyq.example.kz"


@pytest.fixture
def app(app_factory):
    """The app published at BASE; the test client still sends ``Host: localhost``."""
    return app_factory(BASE_URL=BASE)


@pytest.fixture
def world(regions):
    build_world(regions)
    return regions


def _strict(schema):
    """The schema with no undeclared fields allowed anywhere (the document itself stays open)."""
    if isinstance(schema, dict):
        schema = {key: _strict(value) for key, value in schema.items()}
        if schema.get("type") == "object" and "properties" in schema:
            schema.setdefault("additionalProperties", False)
    elif isinstance(schema, list):
        schema = [_strict(item) for item in schema]
    return schema


@functools.cache
def _spec() -> dict:
    """The OpenAPI document, with strict copies of its component schemas."""
    spec = document()
    spec["strict_components"] = _strict(copy.deepcopy(spec["components"]))
    return spec


def _template(path: str, templates) -> str:
    for template in templates:
        parts, pattern = path.split("/"), template.split("/")
        if len(parts) == len(pattern) and all(
            p == t or t.startswith("{") for p, t in zip(parts, pattern, strict=True)
        ):
            return template
    raise AssertionError(f"{path} is not documented")


def check(client, url: str, status: int = 200) -> dict:
    """GET ``url``, check the status and validate the body against the documented schema."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    spec = _spec()
    template = _template(url.removeprefix("/api/v1").split("?")[0], spec["paths"])
    answer = spec["paths"][template]["get"]["responses"][str(status)]
    if "$ref" in answer:
        answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    schema = {
        **answer["content"]["application/json"]["schema"],
        "components": spec["strict_components"],
    }
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(response.get_json())
    return response.get_json()


def test_the_openapi_document_is_valid(client, world):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": "/api/v1"}]  # relative: never a host
    assert set(spec["paths"]) == {
        "/national",
        "/regions",
        "/regions/{slug}",
        "/facilities",
        "/facilities/{slug}",
        "/complaint-statistics",
        "/openapi.json",
    }
    assert spec == document()


def test_national(client, world):
    body = check(client, "/api/v1/national")
    assert body["meta"]["demo"] is False and body["meta"]["licence"] == "CC-BY-4.0"
    assert body["as_of"] == "2026-06-30"
    assert body["totals"] == {
        "facilities_reporting": 2,
        "zones_total": 62,
        "zones_covered": 46,
        "blind_spots": 16,
        "cameras_installed": 92,
        "cameras_working": 89,
        "share": round(46 / 62, 4),
    }
    assert [t["facility_type"] for t in body["by_facility_type"]] == ["colony", "sizo"]
    assert [z["zone_type"] for z in body["by_zone_type"]] == ["cells", "medical"]
    assert [(p["as_of"], p["zones_covered"]) for p in body["trend"]] == [
        ("2026-03-31", 42),
        ("2026-06-30", 46),
    ]


def test_regions(client, world):
    body = check(client, "/api/v1/regions")
    assert len(body["regions"]) == 20
    karaganda = next(r for r in body["regions"] if r["slug"] == "karaganda")
    assert karaganda["names"]["kk_latn"] and karaganda["facilities"] == 1
    assert karaganda["url"] == f"{BASE}/api/v1/regions/karaganda"
    region = check(client, "/api/v1/regions/karaganda")
    assert [f["slug"] for f in region["facility_list"]] == ["karaganda-colony-7"]
    assert region["totals"]["share"] == 0.75
    assert region["pages"]["ru"] == f"{BASE}/ru/regions/karaganda"


def test_facilities_filters_and_pages(client, world):
    body = check(client, "/api/v1/facilities")
    assert [f["slug"] for f in body["facilities"]] == ["astana-sizo-1", "karaganda-colony-7"]
    assert (body["total"], body["pages"], body["next"], body["previous"]) == (2, 1, None, None)
    assert check(client, "/api/v1/facilities?region=astana")["total"] == 1
    assert check(client, "/api/v1/facilities?type=colony")["facilities"][0]["region"] == "karaganda"
    assert check(client, "/api/v1/facilities?region=astana&type=colony")["total"] == 0
    second = check(client, "/api/v1/facilities?per_page=1&page=2")
    assert [f["slug"] for f in second["facilities"]] == ["karaganda-colony-7"]
    assert second["next"] is None
    assert second["previous"] == f"{BASE}/api/v1/facilities?page=1&per_page=1"
    first = check(client, "/api/v1/facilities?per_page=1&region=")  # empty = not given
    assert first["next"] == f"{BASE}/api/v1/facilities?page=2&per_page=1"
    assert check(client, "/api/v1/facilities?page=9")["facilities"] == []


def test_facility(client, world):
    body = check(client, "/api/v1/facilities/astana-sizo-1")
    assert body["names"]["kk_latn"] == "№ 1 tergeu izoliatory (Astana)"
    assert body["region"] == "astana" and body["region_names"]["ru"] == "Астана"
    assert body["aliases"] == [
        {"name": "СИЗО № 1 (Нур-Султан)", "lang": "ru", "is_former": True},
        {"name": "ЛА-155/1", "lang": None, "is_former": False},
    ]
    assert [z["zone_type"] for z in body["latest_zones"]] == ["cells", "medical"]
    assert body["latest_zones"][0]["retention_days"] == 30
    assert [s["as_of"] for s in body["history"]["official"]] == ["2026-03-31", "2026-06-30"]
    assert body["history"]["independent"] == [] and body["ledger"] is None
    assert body["latest_official"]["share"] == round(16 / 22, 4)
    colony = check(client, "/api/v1/facilities/karaganda-colony-7")
    assert colony["ledger"]["gap"] == round(30 / 40 - 15 / 40, 4)
    assert colony["ledger"]["independent"]["source_note"] == "Мониторинговый визит"
    assert colony["pages"]["kk"] == f"{BASE}/kk/facilities/karaganda-colony-7"


def test_complaint_statistics(client, world):
    from portal.stats.complaints import cached_complaint_statistics

    body = check(client, "/api/v1/complaint-statistics?per_page=1000")
    assert body["label"] == "complaints received"
    assert body["total"] == len(list(cached_complaint_statistics(world).rows()))
    for row in body["rows"]:
        count = row["complaints_received"]
        assert (count is None) == row["suppressed"]
        assert count is None or not 1 <= count <= 9
    colony = check(
        client,
        "/api/v1/complaint-statistics?facility=karaganda-colony-7&period=all&category=torture",
    )
    assert colony["rows"] == [
        {
            "level": "facility",
            "region_slug": "karaganda",
            "facility_slug": "karaganda-colony-7",
            "period": "all",
            "category": "torture",
            "complaints_received": None,
            "suppressed": True,
        }
    ]
    national = check(client, "/api/v1/complaint-statistics?level=national&period=all&category=all")
    assert [r["complaints_received"] for r in national["rows"]] == [15]
    regional = check(client, "/api/v1/complaint-statistics?region=astana&category=all&period=all")
    assert {r["level"] for r in regional["rows"]} == {"region", "unknown_place", "facility"}


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/facilities?per_page=201", "per_page"),
        ("/api/v1/facilities?per_page=0", "per_page"),
        ("/api/v1/facilities?page=abc", "page"),
        ("/api/v1/facilities?page=-1", "page"),
        ("/api/v1/facilities?page=%D9%A3", "page"),  # an Arabic-Indic digit
        ("/api/v1/facilities?type=prison", "type"),
        ("/api/v1/facilities?region=atlantis", "region"),
        ("/api/v1/facilities?regoin=astana", "regoin"),
        ("/api/v1/facilities?type=sizo&type=ivs", "type"),
        ("/api/v1/national?x=1", "x"),
        ("/api/v1/complaint-statistics?period=2025-Q5", "period"),
        ("/api/v1/complaint-statistics?level=planet", "level"),
        ("/api/v1/complaint-statistics?category=%3Cscript%3E", "category"),
        ("/api/v1/complaint-statistics?facility=nowhere", "facility"),
        ("/api/v1/complaint-statistics?per_page=1001", "per_page"),
    ],
)
def test_bad_parameters_are_400_with_a_clear_message(client, world, url, parameter):
    body = check(client, url, 400)
    assert body["error"]["code"] == 400 and body["error"]["parameter"] == parameter
    assert parameter in body["error"]["message"]
    assert "<script>" not in body["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/facilities?page=" + "9" * 5000,  # past Python's int-string limit (4,300)
        "/api/v1/facilities?per_page=" + "1" * 4301,
        "/api/v1/complaint-statistics?page=" + "0" * 5000 + "1",
        "/api/v1/facilities?page=1234567890",
    ],
)
def test_numbers_with_too_many_digits_are_400_not_500(client, world, url):
    body = check(client, url, 400)
    parameter = url.split("?")[1].split("=")[0]
    assert body["error"]["parameter"] == parameter
    assert body["error"]["message"].startswith(f"Parameter '{parameter}' must be a whole number")


@pytest.mark.parametrize("url", ["/api/v1/regions/atlantis", "/api/v1/facilities/no-such-place"])
def test_unknown_slugs_are_404_json(client, world, url):
    body = check(client, url, 404)
    assert body["error"]["code"] == 404 and url.rsplit("/", 1)[-1] in body["error"]["message"]


def test_unknown_address_under_the_api_is_json(client, world):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json


def test_answers_are_cacheable_and_open_to_other_sites(client, world):
    for url in ("/api/v1/national", "/api/v1/facilities?type=sizo", "/api/v1/openapi.json"):
        first = client.get(url)
        assert first.headers["Access-Control-Allow-Origin"] == "*"
        assert "max-age" in first.headers["Cache-Control"]
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304


def test_every_endpoint_validates_on_demo_data(client, db):
    from portal.demo import generate

    generate(db, facilities=12, complaints=60, seed=5)
    db.commit()
    facilities = check(client, "/api/v1/facilities?per_page=200")
    assert facilities["total"] == 12 and facilities["meta"]["demo"] is True
    for item in facilities["facilities"][:4]:
        check(client, f"/api/v1/facilities/{item['slug']}")
        check(client, f"/api/v1/regions/{item['region']}")
    check(client, "/api/v1/national")
    check(client, "/api/v1/regions")
    check(client, "/api/v1/complaint-statistics?level=facility&per_page=1000")
