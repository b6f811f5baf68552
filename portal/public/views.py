"""Routes of the public site: the language redirect, the national page, the health check."""

from __future__ import annotations

from flask import current_app, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select, text

from portal.db import session
from portal.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    path_in_language,
    preferred_language,
    safe_local_path,
)
from portal.models import IndexTask
from portal.public import bp, site
from portal.public.services import national_summary
from portal.search import index_status

ONE_YEAR = 365 * 24 * 3600


@site.get("/")
def root():
    """Send the visitor to their language: earlier choice, then browser, then Kazakh."""
    response = redirect(url_for("public.national", lang_code=preferred_language()), code=302)
    response.vary.update(["Accept-Language", "Cookie"])
    return response


@site.get("/language/<lang:code>")
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


@site.get("/healthz")
def healthz():
    """Database and search-index status for monitoring, as JSON (503 if the database is down)."""
    try:
        session.execute(text("SELECT 1"))
        pending = session.scalar(select(func.count(IndexTask.id))) or 0
        database = {"ok": True}
    except Exception as error:  # noqa: BLE001 - report, never raise, from the health check
        session.rollback()
        database, pending = {"ok": False, "error": type(error).__name__}, None
    search = index_status(current_app.config["INDEX_DIR"])
    search["pending"] = pending
    status = "ok" if database["ok"] and search["ok"] else "degraded"
    body = {"status": status, "database": database, "index": search}
    return jsonify(body), 200 if database["ok"] else 503


@bp.get("/")
def national():
    """The national picture of video coverage in custody."""
    return render_template("public/national.html", summary=national_summary())


@bp.app_context_processor
def language_links():
    """URLs of the current page in every language, for the switcher and hreflang links."""
    if (
        request.endpoint
        and request.view_args is not None
        and "lang_code" in (request.url_rule.arguments if request.url_rule else ())
    ):
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
