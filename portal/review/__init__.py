"""The reviewers' workspace (blueprint ``review``, under ``/LANG/review/``).

Today: the signed-in landing page (``GET /LANG/review/``: who you are, your role
and regions, sign-out) and the statistics page (:mod:`portal.review.statistics`,
``/LANG/review/statistics``: counts only, for analysts, reviewers and coordinators).
The queue, search, case pages, footage requests and referrals come here next;
every view declares its roles with :func:`portal.auth.access.allow` and reads
complaints only through :func:`portal.auth.access.complaint_filter` /
:func:`~portal.auth.access.scope_for`.
"""

from __future__ import annotations

from flask import Flask

from portal.review import statistics  # noqa: F401  (registers its pages on bp)
from portal.review.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the reviewers' pages."""
    app.register_blueprint(bp)
