"""The Host header never reaches a response: unknown hosts get 400, links come from configuration.

A forged ``Host`` must never appear in a page, a feed, an API answer or a
redirect that a shared cache could keep; a malformed one gets the usual
translated 400 page, never a bare 500.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import feedparser
import pytest
from flask import url_for

from portal import config
from portal.opendata.columns import DATASETS
from portal.security.headers import SECURITY_HEADERS
from portal.security.hosts import HostCheck, allowed_hosts, normalise_host
from tests.test_opendata import build_world

BASE = "https://ashyq.example.kz"
AUTHORITY = "ashyq.example.kz"
EVIL = "evil.example"
MALFORMED = ["a" * 70 + ".example", "a..b", "", "localhost:abc", "[::1", "exa mple.kz"]


@pytest.fixture
def app(app_factory):
    """The app published at BASE; localhost and 127.0.0.1 stay allowed (development)."""
    return app_factory(BASE_URL=BASE, FEED_TAG_AUTHORITY=AUTHORITY)


@pytest.fixture
def world(regions):
    build_world(regions)
    return regions


# --- every route -----------------------------------------------------------------------------

#: Values for the arguments of the routes, by argument name (the world has these rows).
ARGUMENTS = {
    "lang_code": "ru",
    "code": "kk",
    "filename": "css/portal.css",
    # Staff rows (the world need not have them: an anonymous visitor is sent to sign in).
    "complaint_id": 1,
    "attachment_id": 1,
    "referral_id": 1,
    "letter_id": 1,
    "search_id": 1,
}
#: Slugs by endpoint: a region for region pages, a facility for the others.
REGION_ENDPOINTS = {"public.region", "api.region"}


def _urls(app) -> list[tuple[str, str]]:
    """(method, URL) for every rule of the URL map, arguments filled from the world."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            values = {}
            for name in rule.arguments - set(rule.defaults or {}):
                if name == "slug":
                    values[name] = (
                        "astana" if rule.endpoint in REGION_ENDPOINTS else "astana-sizo-1"
                    )
                elif name == "name":
                    values[name] = next(iter(DATASETS))
                else:
                    assert name in ARGUMENTS, f"{rule.rule}: add a value for <{name}> to this test"
                    values[name] = ARGUMENTS[name]
            url = url_for(rule.endpoint, **values)
            urls.extend((method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return urls


def _traces(response, host: str) -> list[str]:
    """Where ``host`` shows up in a response: its headers or its body."""
    found = [name for name, value in response.headers.items() if host in value.lower()]
    if host.encode() in response.get_data().lower():
        found.append("body")
    return found


def test_a_forged_host_is_refused_on_every_route_without_a_trace(app, world):
    client = app.test_client()
    urls = _urls(app)
    assert len(urls) >= 30 and ("GET", "/api/v1/facilities/astana-sizo-1") in urls
    for method, url in urls:
        with client.open(url, method=method) as genuine:
            if method == "GET":  # the walk reaches the real views, not 404s
                assert genuine.status_code < 400, url
        forged = client.open(url, method=method, headers={"Host": EVIL})
        assert forged.status_code == 400, f"{method} {url}"
        assert not _traces(forged, EVIL), f"{method} {url}: {_traces(forged, EVIL)}"
        assert "public" not in forged.headers.get("Cache-Control", "")
        for name in SECURITY_HEADERS:
            assert name in forged.headers, f"{method} {url} lacks {name}"


@pytest.mark.parametrize(
    "host", [EVIL.upper(), EVIL + ".", EVIL + ":443", "localhost.evil.example"]
)
def test_variants_of_a_forged_host_are_refused(client, world, host):
    assert client.get("/api/v1/facilities", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST.", "localhost:5000", "127.0.0.1:8000", "[::1]:5000", AUTHORITY]
)
def test_allowed_hosts_are_served(client, world, host):
    assert client.get("/ru/about", headers={"Host": host}).status_code == 200


# --- malformed hosts -------------------------------------------------------------------------


@pytest.mark.parametrize("host", MALFORMED)
def test_a_malformed_host_is_a_translated_400_page_with_security_headers(app, world, host):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 would show up as a 500, not raise
    client = app.test_client()
    page = client.get("/ru/about", headers={"Host": host})
    assert page.status_code == 400
    assert page.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert '<html lang="ru"' in html and "Неизвестный адрес сайта" in html
    assert f"Адрес портала: {BASE}." in html
    kazakh = client.get("/kk/", headers={"Host": host}).get_data(as_text=True)
    assert "Сайттың мекенжайы танылмады" in kazakh
    answer = client.get("/api/v1/national", headers={"Host": host})
    assert answer.status_code == 400 and answer.is_json
    assert answer.json["error"]["code"] == 400
    assert "X-Content-Type-Options" in answer.headers
    health = client.get("/healthz", headers={"Host": host})
    assert health.status_code == 400 and health.is_json


def test_a_request_without_any_host_is_refused(client, world):
    response = client.get("/ru/about", environ_overrides={"HTTP_HOST": None})
    assert response.status_code == 400


# --- links come from configuration -----------------------------------------------------------


OTHER_ALLOWED = "127.0.0.1:8000"


def test_feed_ids_and_links_use_the_configured_address_whatever_the_host(client, world):
    response = client.get("/feed.atom?lang=ru", headers={"Host": OTHER_ALLOWED})
    feed = feedparser.parse(response.data)
    assert feed.feed.id == f"tag:{AUTHORITY},2026:coverage-feed/ru"
    assert {link.href for link in feed.feed.links} == {f"{BASE}/feed.atom?lang=ru", f"{BASE}/ru/"}
    assert feed.entries and all(entry.link.startswith(f"{BASE}/ru/") for entry in feed.entries)
    assert b"127.0.0.1" not in response.data and b"localhost" not in response.data


def test_api_links_use_the_configured_address_whatever_the_host(client, world):
    page = client.get("/api/v1/facilities?per_page=1", headers={"Host": OTHER_ALLOWED}).json
    assert page["next"] == f"{BASE}/api/v1/facilities?page=2&per_page=1"
    assert page["facilities"][0]["url"] == f"{BASE}/api/v1/facilities/astana-sizo-1"
    region = client.get("/api/v1/regions/astana", headers={"Host": OTHER_ALLOWED}).json
    assert region["pages"]["kk"] == f"{BASE}/kk/regions/astana"
    spec = client.get("/api/v1/openapi.json", headers={"Host": OTHER_ALLOWED}).json
    assert spec["servers"] == [{"url": "/api/v1"}]


def test_the_receipt_file_names_the_configured_address(client, world):
    html = client.get("/ru/report", headers={"Host": OTHER_ALLOWED}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]*)"', html).group(1)
    response = client.post(
        "/ru/report/receipt",
        data={"csrf_token": token, "code": "1234 5678 9012 3456"},
        headers={"Host": OTHER_ALLOWED},
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert f"{BASE}/ru/follow-up" in text and "127.0.0.1" not in text


# --- redirects -------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", OTHER_ALLOWED, EVIL, "a" * 70 + ".example"])
def test_double_slashes_never_redirect_to_another_host(client, world, host):
    with client.get("/static//css/portal.css", headers={"Host": host}) as response:
        response.get_data()
    location = response.headers.get("Location")
    if location is None:
        assert response.status_code in (200, 400)
    else:
        assert location == "/static/css/portal.css"
    assert not _traces(response, EVIL)


@pytest.mark.parametrize(
    ("path", "target"), [("//kk//about", "/kk/about"), ("/ru", "/ru/"), ("/kk//", "/kk/")]
)
def test_redirects_within_the_site_are_relative_and_never_scheme_relative(
    client, world, path, target
):
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    assert response.status_code in (301, 302, 303, 307, 308)
    location = response.headers["Location"]
    assert location == target and not urlsplit(location).netloc


# --- behind a proxy --------------------------------------------------------------------------


def test_behind_proxy_fix_the_host_nginx_passes_is_checked(app_factory):
    app = app_factory(BASE_URL=BASE, PROXY_COUNT=1)
    client = app.test_client()
    # nginx passes Host $host; X-Forwarded-Host is never trusted.
    forged = client.get("/ru/about", headers={"Host": EVIL, "X-Forwarded-Host": AUTHORITY})
    assert forged.status_code == 400
    genuine = client.get("/ru/about", headers={"Host": AUTHORITY, "X-Forwarded-Host": EVIL})
    assert genuine.status_code == 200 and not _traces(genuine, EVIL)
    assert isinstance(app.wsgi_app.app, HostCheck)  # ProxyFix outside, the check inside


# --- the pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "host"),
    [
        ("Example.KZ", "example.kz"),
        ("example.kz.:443", "example.kz"),
        ("[::1]:5000", "::1"),
        ("[0:0::1]", "::1"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("a" * 63 + ".kz", "a" * 63 + ".kz"),
        ("a" * 64 + ".kz", None),
        ("a..b", None),
        (".example.kz", None),
        ("", None),
        (":80", None),
        ("example.kz:", None),
        ("example.kz:123456", None),
        ("example.kz:８０", None),  # full-width digits
        ("::1", None),  # IPv6 must be in brackets in a Host header
        ("[::1]x", None),
        ("[example.kz]", None),
        ("пример.kz", None),
        ("example.kz\n", None),
        ("ex_ample.kz", None),
    ],
)
def test_normalise_host(value, host):
    assert normalise_host(value) == host


def test_allowed_hosts_take_bare_or_bracketed_ipv6_and_always_the_base_url_host():
    allowed = allowed_hosts(["Localhost", "::1", "[fe80::1]", "www.example.kz."], BASE)
    assert allowed == {"localhost", "::1", "fe80::1", "www.example.kz", AUTHORITY}
    with pytest.raises(config.ConfigurationError, match="PORTAL_ALLOWED_HOSTS"):
        allowed_hosts(["example..kz"], BASE)


def test_an_invalid_allowed_host_stops_the_app(app_factory):
    with pytest.raises(config.ConfigurationError, match="PORTAL_ALLOWED_HOSTS"):
        app_factory(ALLOWED_HOSTS=["bad host"])


def test_the_allowed_list_replaces_the_development_names(app_factory):
    app = app_factory(BASE_URL=BASE, ALLOWED_HOSTS=["www.ashyq.example.kz"])
    client = app.test_client()
    assert client.get("/ru/about").status_code == 400  # localhost no longer allowed
    for host in ("www.ashyq.example.kz", AUTHORITY):
        assert client.get("/ru/about", headers={"Host": host}).status_code == 200
