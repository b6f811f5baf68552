"""Languages: the URL prefix decides, then the visitor's earlier choice, then the browser.

Every public page lives under ``/kk/``, ``/ru/`` or ``/en/``. The prefix is
taken off the URL before the view runs (``g.lang``) and put back when URLs are
built, so views and templates never pass it around. Kazakh is the default.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from babel.numbers import format_percent
from flask import Flask, current_app, g, request
from flask_babel import Babel, format_date, format_decimal, get_locale, gettext, refresh
from werkzeug.routing import BaseConverter

from portal.stats.suppression import HIDDEN_TEXT

#: Supported languages, in the order the switcher shows them, with their own names.
LANGUAGES: dict[str, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "kk"
#: The cookie that remembers an explicit choice made with the language switcher.
LANGUAGE_COOKIE = "lang"

babel = Babel()


class LanguageConverter(BaseConverter):
    """Matches only a supported language code in a URL."""

    regex = "(?:" + "|".join(LANGUAGES) + ")"


def preferred_language() -> str:
    """The language for a request without a prefix: cookie, then Accept-Language, then kk."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of the current request (the URL prefix when there is one).

    The prefix is read from the path too, for a request no route matched (a 404 or
    405 under ``/ru/`` is answered in Russian, as the address says).
    """
    return g.get("lang") or _prefix_language(request.path) or preferred_language()


def _prefix_language(path: str) -> str | None:
    """The language code ``path`` starts with (``/ru/…``), or None."""
    segment = path.split("/", 2)[1] if path.startswith("/") else ""
    return segment if segment in LANGUAGES else None


def safe_local_path(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def path_in_language(path: str, lang: str) -> str:
    """Put ``path`` under the ``lang`` prefix, replacing any language prefix it has."""
    segments = path.split("/", 2)  # ["", "ru", "rest"]
    if len(segments) > 1 and segments[1] in LANGUAGES:
        rest = segments[2] if len(segments) > 2 else ""
        return f"/{lang}/{rest}"
    return f"/{lang}/"


def _pull_language(endpoint: str | None, values: dict | None) -> None:
    """Take the language prefix off the URL values for this request (None without one)."""
    g.lang = values.pop("lang_code", None) if values else None
    refresh()  # forget a locale Babel cached earlier in this application context


def _push_language(endpoint: str, values: dict) -> None:
    if "lang_code" not in values and current_app.url_map.is_endpoint_expecting(
        endpoint, "lang_code"
    ):
        values["lang_code"] = current_language()


def number(value: float | int | None) -> str:
    """A number formatted for the current locale (grouping with no-break spaces)."""
    return "—" if value is None else format_decimal(value)


def percent(value: float | None) -> str:
    """A share from 0 to 1 as a percentage for the current locale."""
    if value is None:
        return "—"
    # One decimal at most, in the locale's own pattern ("55,6 %" in Russian, "55,6%" in Kazakh).
    return format_percent(round(value, 3), locale=get_locale(), decimal_quantization=False)


def long_date(value: date | None) -> str:
    """A date in words for the current locale, e.g. ``2026 ж. 8 наурыз``."""
    return "—" if value is None else format_date(value, format="long")


def complaint_count(value: int | None) -> str:
    """A published complaint count: "<10" when suppressed (None), else the formatted number."""
    return HIDDEN_TEXT if value is None else format_decimal(value)


def quarter_label(key: str) -> str:
    """A quarter key such as ``2025-Q3`` in words of the current language."""
    year, quarter = key.split("-Q")
    return gettext("Q%(quarter)s %(year)s", quarter=quarter, year=year)


def init_app(app: Flask) -> None:
    """Attach Babel, the language URL converter and the template helpers."""
    app.url_map.converters["lang"] = LanguageConverter
    babel.init_app(app, locale_selector=current_language)
    app.url_value_preprocessor(_pull_language)
    app.url_defaults(_push_language)
    app.jinja_env.filters.update(
        number=number,
        percent=percent,
        long_date=long_date,
        complaint_count=complaint_count,
        quarter_label=quarter_label,
    )
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language)
    app.jinja_env.globals["get_locale"] = get_locale
