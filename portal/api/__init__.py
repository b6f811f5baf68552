"""The public JSON API, version 1: coverage figures and complaint statistics for programs.

Read-only and open to any origin. Every answer is cacheable (ETag and 304);
a bad parameter is a 400 and an unknown slug a 404, both as JSON saying what
was wrong. The API is described by the OpenAPI 3.1 document at
``/api/v1/openapi.json`` (:mod:`portal.api.openapi`).

Modules: ``blueprint.py`` (the blueprint, JSON errors, page sizes), ``views.py``
(the routes), ``serialize.py`` (figures as JSON), ``openapi.py`` (the document).
"""

from __future__ import annotations

from flask import Flask

from portal.api import views  # noqa: F401  (registers the routes on the blueprint)
from portal.api.blueprint import ApiError, bp

__all__ = ["ApiError", "bp", "init_app"]


def init_app(app: Flask) -> None:
    """Serve the API under ``/api/v1``."""
    app.register_blueprint(bp)
