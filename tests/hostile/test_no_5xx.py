"""No odd input yields a 5xx: every route, walked with the probe set's values.

Path arguments, query strings, bodies and their encodings that no browser
sends: each gets a 4xx (or an ordinary page), with the security headers,
never a 500 from a parser, a converter or Python's integer-string limit.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from portal.security.headers import SECURITY_HEADERS
from tests.test_hosts import _urls
from tests.test_opendata import build_world

BLNS = Path(__file__).resolve().parents[3] / "shared" / "qa-data" / "blns.txt"
HUGE_NUMBER = "9" * 5000  # over Python's 4,300-digit limit for int()


def blns_sample(every: int = 50) -> list[str]:
    """Every ``every``-th hostile string of the Big List of Naughty Strings."""
    lines = BLNS.read_text(encoding="utf-8").splitlines()
    strings = [line for line in lines if line and not line.startswith("#")]
    return strings[::every]


HOSTILE_VALUES = [
    HUGE_NUMBER,
    "-1",
    "0",
    "1e9",
    "0x10",
    "١٢٣",  # Arabic-Indic digits pass str.isdigit()
    "\x00",
    "a" * 10_000,
    "../../etc/passwd",
    "%ff%fe",
    *blns_sample(),
]
QUERY_NAMES = ["page", "per_page", "q", "lang", "region", "type", "sort", "period", "next"]


def _query(name: str, value: str) -> str:
    return f"{name}={quote(value, safe='')}"


def _assert_sound(response, what: str) -> None:
    with response:  # static files are streamed: close them
        assert response.status_code < 500, f"{what}: {response.status_code}"
        for header in SECURITY_HEADERS:
            assert header in response.headers, f"{what}: no {header}"


@pytest.fixture
def routes(app, regions):
    build_world(regions)
    return _urls(app)


def test_hostile_query_strings_never_yield_a_5xx(client, routes):
    for method, url in routes:
        if method != "GET":
            continue
        for value in HOSTILE_VALUES:
            query = "&".join(_query(name, value) for name in QUERY_NAMES)
            _assert_sound(client.get(f"{url}?{query}"), f"{url}?{query[:80]}")


@pytest.mark.parametrize("value", ["a" * 5000, "1" * 5000, "%00", "..%2F..%2Fetc", "ә" * 300, "%"])
def test_hostile_path_arguments_never_yield_a_5xx(client, routes, value):
    for method, url in routes:
        if method != "GET":
            continue
        for segment in ("astana-sizo-1", "astana", "ru", "kk"):
            if f"/{segment}" in url:
                hostile = url.replace(f"/{segment}", f"/{value}", 1)
                _assert_sound(client.get(hostile), hostile[:120])


BODIES = [
    ("application/x-www-form-urlencoded", b"a=%ZZ&&&=&b"),
    ("application/x-www-form-urlencoded", b"\xff\xfe\x00" * 1000),
    ("multipart/form-data", b"--x\r\nno headers\r\n--x--"),
    ("multipart/form-data; boundary=", b"--\r\n\r\n"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n"),
    ("application/json", b"{not json"),
    ("application/json", json.dumps({"narrative": ["a", {"b": 1}], "csrf_token": 7}).encode()),
    ("text/plain", b"\x00" * 10_000),
    ("application/octet-stream", b"%PDF-1.7" + b"\x00" * 1000),
]


def test_hostile_bodies_never_yield_a_5xx(client, routes):
    for method, url in routes:
        if method != "POST":
            continue
        for content_type, body in BODIES:
            response = client.post(url, data=body, content_type=content_type)
            _assert_sound(response, f"POST {url} {content_type}")


def test_hostile_values_in_every_field_of_every_form_never_yield_a_5xx(client, routes):
    fields = ["csrf_token", "submission", "region", "facility", "date_kind", "incident_date"]
    fields += ["incident_month", "incident_year", "categories", "narrative", "relation"]
    fields += ["camera_present", "contact", "reply_language", "consent", "code", "body"]
    posts = [url for method, url in routes if method == "POST"]
    for value in HOSTILE_VALUES:
        data = dict.fromkeys(fields, value[:20_000])
        for url in posts:
            _assert_sound(client.post(url, data=data), f"POST {url} {value[:20]!r}")
