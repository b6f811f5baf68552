"""Site-wide routes that belong to no feature: ``/``, ``/language/<code>``, ``/healthz``.

Also what every page's layout reads: the ``language_links`` context processor
(the language switcher and ``hreflang`` links) and ``is_demo_dataset()`` (the
demo banner). Blueprint ``site``; the endpoints are
``site.root``, ``site.switch_language`` and ``site.healthz``.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, jsonify, redirect, request, url_for

from portal.health import measure
from portal.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    path_in_language,
    preferred_language,
    safe_local_path,
)
from portal.stats.dataset import is_demo_dataset

bp = Blueprint("site", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def root():
    """Send the visitor to their language: earlier choice, then browser, then Kazakh."""
    response = redirect(url_for("public.national", lang_code=preferred_language()), code=302)
    response.vary.update(["Accept-Language", "Cookie"])
    return response


@bp.get("/language/<lang:code>")
def switch_language(code: str):
    """Remember an explicit language choice and show the same page in that language."""
    target = safe_local_path(request.args.get("next")) or "/"
    response = redirect(path_in_language(target, code), code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/healthz")
def healthz():
    """ok or degraded, and the state of the database, the index and its backlog, as JSON.

    States only, never a number that grows with complaints (see :mod:`portal.health`);
    ``flask --app wsgi status`` prints the figures. 503 when the database is down.
    """
    health = measure()
    return jsonify(health.public()), 200 if health.database_ok else 503


@bp.app_context_processor
def language_links():
    """URLs of the current page in every language, for the switcher and hreflang links."""
    if request.url_rule is not None and "lang_code" in request.url_rule.arguments:
        here = request.full_path if request.query_string else request.path
    else:
        here = f"/{g.get('lang') or preferred_language()}/"
    return {
        "language_links": {
            code: {
                "switch": url_for("site.switch_language", code=code, next=here),
                "direct": path_in_language(here, code),
            }
            for code in LANGUAGES
        }
    }


def init_app(app: Flask) -> None:
    """Register the site-wide routes, the language links and the demo banner's test."""
    app.register_blueprint(bp)
    app.jinja_env.globals["is_demo_dataset"] = is_demo_dataset
