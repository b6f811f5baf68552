"""The public JSON API, version 1: coverage figures and complaint statistics for programs.

Read-only and open to any origin. Every answer is cacheable (ETag and 304);
a bad parameter is a 400 and an unknown slug a 404, both as JSON saying what
was wrong. The API is described by the OpenAPI 3.1 document at
``/api/v1/openapi.json`` (:mod:`portal.api.openapi`).
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


class ApiError(Exception):
    """A request the API cannot answer: a bad parameter (400) or an unknown slug (404)."""

    TITLES = {400: "Bad request", 404: "Not found"}

    def __init__(self, code: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.parameter = parameter


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    body: dict = {
        "code": error.code,
        "title": ApiError.TITLES.get(error.code, "Error"),
        "message": error.message,
    }
    if error.parameter:
        body["parameter"] = error.parameter
    return jsonify({"error": body}), error.code


@bp.after_request
def _open_to_all(response: Response) -> Response:
    """Any web page may read the API: it is public, read-only and uses no cookies."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


from portal.api import views  # noqa: E402,F401  (registers the routes)

__all__ = ["ApiError", "bp"]
