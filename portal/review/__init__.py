"""The reviewers' workspace (blueprint ``review``, under ``/LANG/review/``).

The signed-in landing page (``GET /LANG/review/``, ``views.py``), and the case
page of one complaint (``GET /LANG/review/complaints/<id>``, ``case.py``) with its
actions (``case_actions.py``: status, assignment, tags, notes, messages to the
complainant, contact reveal) and attachment downloads; the case work itself, one
audited unit of work per action, is in ``cases.py``. Footage requests and
referrals come here next; every view declares its roles with
:func:`portal.auth.access.allow` and reads complaints only through
:func:`portal.auth.access.complaint_filter` / :func:`~portal.auth.access.scope_for`.
"""

from __future__ import annotations

from flask import Flask

from portal.review import case, case_actions  # noqa: F401  (their routes join bp)
from portal.review.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the reviewers' pages."""
    app.register_blueprint(bp)
