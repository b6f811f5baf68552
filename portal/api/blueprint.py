"""What every route of the JSON API shares: the blueprint, JSON errors, open CORS, page sizes.

The routes (:mod:`portal.api.views`) and the OpenAPI document
(:mod:`portal.api.openapi`) both import from here, so neither imports the other
for its limits.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Page sizes (default, largest): facilities, and rows of complaint statistics.
FACILITIES_PER_PAGE = (50, 200)
STATISTICS_PER_PAGE = (200, 1000)


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
