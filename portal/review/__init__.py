"""The reviewers' workspace (blueprint ``review``, under ``/LANG/review/``).

``views.py`` (the workspace: who you are, the queue), ``search_views.py``
(search with facets, the CSV export, saved searches); below them
``queue.py``, ``search_form.py`` (the search form, bounded and checked),
``finder.py`` (a page or every result, rows read through the scope),
``export.py`` (the CSV) and ``saved.py``; ``statistics.py`` (counts only, for
analysts, reviewers and coordinators). Every view declares its roles with
:func:`portal.auth.access.allow` and reads complaints only through
:func:`portal.auth.access.complaint_filter` / :func:`~portal.auth.access.scope_for`.
"""

from __future__ import annotations

from flask import Flask

from portal.review import search_views, statistics
from portal.review.views import bp

__all__ = ["bp", "init_app", "search_views", "statistics"]


def init_app(app: Flask) -> None:
    """Register the reviewers' pages."""
    app.register_blueprint(bp)
