"""Security headers on every response, and no way around CSRF."""

from __future__ import annotations

import pytest

from portal.security.headers import SECURITY_HEADERS

PATHS = [
    "/",
    "/kk/",
    "/ru/",
    "/en/",
    "/healthz",
    "/language/ru?next=/kk/",
    "/kk/no-such-page",
    "/api/v1/nothing",
    "/static/css/portal.css",
]


def _every_get_route(app) -> list[str]:
    """One concrete URL for every GET route, so that new routes are covered automatically."""
    samples = {"lang_code": "ru", "code": "kk", "filename": "css/portal.css"}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = {
            name: samples.get(name, 1 if f"<int:{name}>" in rule.rule else "x")
            for name in rule.arguments
        }
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def test_every_route_is_listed(app):
    assert set(PATHS) >= {"/", "/ru/", "/healthz"} and len(_every_get_route(app)) >= 4


@pytest.mark.parametrize("path", PATHS)
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, name


def test_security_headers_on_every_registered_route(app, client):
    for url in _every_get_route(app):
        with client.get(url) as response:
            assert response.status_code < 500, url
            policy = response.headers["Content-Security-Policy"]
            assert policy == SECURITY_HEADERS["Content-Security-Policy"], url


def test_content_security_policy_forbids_inline_code_and_framing():
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy


def test_templates_have_no_inline_styles_or_scripts():
    import re

    from portal.config import PROJECT_ROOT

    for template in (PROJECT_ROOT / "templates").rglob("*.html"):
        text = re.sub(r"{#.*?#}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\sstyle=|<style|<script(?![^>]*\bsrc=)|\son\w+=", text), (
            template.name
        )


def test_post_without_csrf_token_is_refused(app):
    app.config["WTF_CSRF_ENABLED"] = True

    @app.post("/test-form")
    def form():
        return "accepted"

    response = app.test_client().post("/test-form", data={"x": "1"})
    assert response.status_code == 400
    assert "accepted" not in response.get_data(as_text=True)
