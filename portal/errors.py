"""Error pages: translated HTML for people, JSON under ``/api/`` for programs.

No error ever shows a traceback or a stack of internals; a 500 also rolls back
the request's session so that nothing half-written is committed later.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

#: Title and explanation for each status code the portal answers with.
MESSAGES = {
    400: (
        _l("The request could not be understood"),
        _l(
            "Something in the request was wrong or has expired. "
            "Go back, reload the page and try again."
        ),
    ),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. It may have moved; start again from the home page."),
    ),
    405: (
        _l("This action is not allowed here"),
        _l("This address does not accept this kind of request."),
    ),
    413: (
        _l("What you sent is too large"),
        _l(
            "The files or the text you sent are larger than we can accept. "
            "Send fewer or smaller files, or a shorter text."
        ),
    ),
    429: (
        _l("Too many requests"),
        _l(
            "You have sent many requests in a short time. "
            "Wait a few minutes and try again; nothing you sent before is lost."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been recorded. Please try again later."),
    ),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(error: HTTPException):
    """Answer ``error`` as JSON or as a translated page, with its status code."""
    code = error.code or 500
    title, explanation = MESSAGES.get(code, (error.name, error.description))
    # An exception may bring its own wording (portal.security.hosts.UnknownHost, too many fields…).
    title = getattr(error, "title", None) or title
    explanation = getattr(error, "explanation", None) or explanation
    if _wants_json():
        body = {"error": {"code": code, "title": str(title), "message": str(explanation)}}
        response = jsonify(body)
    else:
        response = render_template(
            "errors/error.html", code=code, title=title, explanation=explanation
        )
    return response, code


def _internal_error(error: InternalServerError):
    log.exception("Unhandled error", exc_info=error.original_exception)
    db_session = g.get("db_session")
    if db_session is not None:
        try:
            db_session.rollback()
        except Exception:
            log.exception("Rollback after an error failed")
    return render_error(error)


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(InternalServerError, _internal_error)
