"""Errors answer in the visitor's language, as JSON for programs, and never leak internals."""

from __future__ import annotations

import pytest
from flask import abort


@pytest.fixture
def failing_app(app):
    """The app with a few routes that fail on purpose."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/<lang:lang_code>/fail/<int:code>")
    def fail(code: int):
        abort(code)

    @app.get("/<lang:lang_code>/crash")
    def crash():
        raise RuntimeError("secret internal detail")

    @app.get("/api/v1/crash")
    def api_crash():
        raise RuntimeError("secret internal detail")

    return app


EXPECTED = {
    ("kk", 404): "Бет табылмады",
    ("ru", 404): "Страница не найдена",
    ("en", 404): "Page not found",
    ("ru", 400): "Не удалось обработать запрос",
    ("ru", 403): "Доступ запрещён",
    ("ru", 413): "Отправленные данные слишком велики",
    ("kk", 429): "Сұрау тым көп",
    ("ru", 429): "Слишком много запросов",
    ("kk", 500): "Серверде қате орын алды",
}


@pytest.mark.parametrize(("lang", "code"), list(EXPECTED))
def test_error_pages_are_translated(failing_app, lang, code):
    response = failing_app.test_client().get(f"/{lang}/fail/{code}")
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert EXPECTED[(lang, code)] in page
    assert f'<html lang="{lang}"' in page


def test_unhandled_error_is_a_translated_500_without_details(failing_app):
    response = failing_app.test_client().get("/ru/crash")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Произошла ошибка на сервере" in page
    assert "secret internal detail" not in page and "Traceback" not in page


def test_api_errors_are_json(failing_app):
    client = failing_app.test_client()
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.is_json
    assert missing.json["error"]["code"] == 404
    crash = client.get("/api/v1/crash")
    assert crash.status_code == 500 and crash.is_json
    assert "secret internal detail" not in crash.get_data(as_text=True)


def test_error_page_without_a_language_prefix_follows_the_browser(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert response.status_code == 404
    assert "Страница не найдена" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "status", "lang", "title"),
    [
        ("/ru/no-such-page", 404, "ru", "Страница не найдена"),
        ("/en/regions", 404, "en", "Page not found"),
        ("/ru/follow-up/reply", 405, "ru", "Это действие здесь недоступно"),
    ],
)
def test_an_address_no_route_matches_is_answered_in_its_language(client, path, status, lang, title):
    response = client.get(path, headers={"Accept-Language": "kk"}, query_string={"x": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert f'<html lang="{lang}"' in page and title in page


def test_wrong_method_is_405_not_500(client):
    assert client.post("/healthz").status_code == 405


def test_oversized_request_is_413(app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    app.config["WTF_CSRF_ENABLED"] = False

    @app.post("/<lang:lang_code>/upload")
    def upload():
        from flask import request

        return str(len(request.form))

    response = app.test_client().post("/kk/upload", data={"x": "y" * 5000})
    assert response.status_code == 413
    assert "Жіберілген деректер тым үлкен" in response.get_data(as_text=True)


def test_a_database_without_schema_gives_the_translated_500_page(app_factory, tmp_path):
    """Even when the database is unusable, people get our page in their language, not a stack."""
    broken = app_factory(DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    broken.config["PROPAGATE_EXCEPTIONS"] = False
    response = broken.test_client().get("/kk/")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Серверде қате орын алды" in page and '<html lang="kk"' in page


@pytest.mark.parametrize("host", ["a" * 70 + ".example", "a..b", ""])
def test_a_malformed_host_is_a_translated_400_not_a_bare_500(app, host):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    page = client.get("/kk/about", headers={"Host": host})
    assert page.status_code == 400 and "Content-Security-Policy" in page.headers
    assert '<html lang="kk"' in page.get_data(as_text=True)
    answer = client.get("/api/v1/no-such-thing", headers={"Host": host})
    assert answer.status_code == 400 and answer.is_json
