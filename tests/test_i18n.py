"""Languages: the right language reaches every visitor, and every string is translated."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from portal.config import PROJECT_ROOT
from portal.i18n import path_in_language, safe_local_path

CATALOGS = PROJECT_ROOT / "translations"
LANGS = ("kk", "ru", "en")


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [
        (None, None, "/kk/"),
        (None, "ru-RU,ru;q=0.9", "/ru/"),
        (None, "en-GB,en;q=0.8", "/en/"),
        (None, "de-DE,de;q=0.9", "/kk/"),
        ("ru", "en", "/ru/"),
        ("kk", "ru", "/kk/"),
        ("xx", "ru", "/ru/"),
    ],
)
def test_root_redirects_by_choice_then_browser_then_kazakh(client, cookie, accept, expected):
    if cookie:
        client.set_cookie("lang", cookie)
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("lang", LANGS)
def test_html_lang_matches_the_url(client, lang):
    page = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'<html lang="{lang}"' in page


def test_pages_speak_the_language_of_the_url(client):
    assert "Ел бойынша шолу" in client.get("/kk/").get_data(as_text=True)
    assert "Общая картина по стране" in client.get("/ru/").get_data(as_text=True)
    assert "National overview" in client.get("/en/").get_data(as_text=True)


def test_switcher_keeps_the_page_and_remembers_the_choice(client):
    page = client.get("/kk/?sort=name").get_data(as_text=True)
    assert 'href="/language/ru?next=/kk/?sort%3Dname"' in page
    response = client.get("/language/ru?next=/kk/?sort%3Dname")
    assert response.status_code == 303
    assert response.headers["Location"] == "/ru/?sort=name"
    cookie = response.headers["Set-Cookie"]
    assert "lang=ru" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/").headers["Location"] == "/ru/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_switcher_never_redirects_off_site(target):
    assert safe_local_path(target) is None


def test_switcher_on_an_unknown_target_goes_home(client):
    response = client.get("/language/en?next=//evil.example/x")
    assert response.headers["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "lang", "expected"),
    [
        ("/kk/", "ru", "/ru/"),
        ("/kk/facilities/x?y=1", "en", "/en/facilities/x?y=1"),
        ("/ru", "kk", "/kk/"),
        ("/healthz", "ru", "/ru/"),
        ("/", "en", "/en/"),
    ],
)
def test_path_in_language(path, lang, expected):
    assert path_in_language(path, lang) == expected


def test_unsupported_language_prefix_is_not_found(client):
    assert client.get("/de/").status_code == 404


# --- catalogs -----------------------------------------------------------------------------


def _catalog(lang: str):
    with (CATALOGS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def _template_messages() -> set[str]:
    with (CATALOGS / "messages.pot").open("rb") as handle:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(handle)
            if message.id
        }


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_is_translated(lang):
    catalog = _catalog(lang)
    untranslated = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert untranslated == []
    missing = _template_messages() - {m.id if isinstance(m.id, str) else m.id[0] for m in catalog}
    assert missing == set(), "run `make i18n-update` and translate"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_plural_forms_match_the_language(lang):
    catalog = _catalog(lang)
    assert catalog.num_plurals == {"kk": 2, "ru": 3}[lang]
    for message in catalog:
        if isinstance(message.id, tuple) and message.id[0]:
            assert len(message.string) == catalog.num_plurals, message.id


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders(lang):
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set().union(*(_placeholders(text) for text in ids))
        for text in strings:
            if text:
                assert _placeholders(text) == expected, (message.id, text)


def test_compiled_catalogs_are_current():
    for lang in LANGS:
        po = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, "run `make i18n-compile`"


def test_no_untranslatable_text_in_templates():
    """Visible text in templates must sit inside _() — a crude but useful guard."""
    offenders = []
    for template in Path(PROJECT_ROOT / "templates").rglob("*.html"):
        text = re.sub(
            r"{%.*?%}|{{.*?}}|{#.*?#}", "", template.read_text(encoding="utf-8"), flags=re.S
        )
        text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
        for chunk in re.findall(r">([^<>]+)<", text):
            words = re.findall(r"[^\W\d_]{2,}", chunk)
            if words:
                offenders.append(f"{template.name}: {chunk.strip()[:60]}")
    assert offenders == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_date_that_ends_in_an_abbreviation_gets_no_second_full_stop(lang):
    """Russian long dates end in «г.»: «…на 8 марта 2026 г..» is a typo on the page."""
    long_date = format_date(date(2026, 3, 8), format="long", locale=lang)
    for message in _catalog(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if "%(date)s" in text:
                rendered = text.replace("%(date)s", long_date)
                assert ".." not in rendered.replace("...", ""), (message.id, rendered)
