"""The reviewers' workspace (blueprint ``review``, under ``/LANG/review/``).

``views.py`` (the workspace: who you are, what needs attention today, the
queue), ``search_views.py`` (search with facets, the CSV export, saved
searches); below them ``queue.py``, ``attention.py``, ``search_form.py`` (the
search form, bounded and checked), ``finder.py`` (a page or every result, rows
read through the scope), ``export.py`` (the CSV) and ``saved.py``;
``statistics.py`` (counts only, for analysts, reviewers and coordinators). The
case page of one complaint (``GET /LANG/review/complaints/<id>``, ``case.py``)
with its actions (``case_actions.py``: status, assignment, tags, notes,
messages to the complainant, contact reveal) and attachment downloads; the case
work itself, one audited unit of work per action, is in ``cases.py``. Footage
requests, letters, referrals and reminders are in :mod:`portal.casework`.
Every view declares its roles with
:func:`portal.auth.access.allow` and reads complaints only through
:func:`portal.auth.access.complaint_filter` / :func:`~portal.auth.access.scope_for`.
"""

from __future__ import annotations

from flask import Flask

from portal.review import case, case_actions, search_views, statistics
from portal.review.views import bp

__all__ = ["bp", "case", "case_actions", "init_app", "search_views", "statistics"]


def init_app(app: Flask) -> None:
    """Register the reviewers' pages."""
    app.register_blueprint(bp)
