"""Is the portal well? One measurement, told two ways: states to the world, figures to staff.

``/healthz`` (:mod:`portal.site`) is public, so it says only ``ok`` or
``degraded`` and the state of each part: the database answers or not, the
search index opens or is missing or unreadable, the index backlog is under the
alert threshold or over it. It publishes no number: the index's document count
and the outbox length grow with every complaint, and a public count that moves
one by one would let anyone watch complaints arrive, outside the suppression
every published complaint count goes through. Even the backlog check does not
count: it asks whether a row exists past ``INDEX_BACKLOG_ALERT``.

``flask --app wsgi status`` (:mod:`portal.cli`) prints the exact figures for
the people who run the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select, text

from portal.db import session
from portal.models import IndexTask
from portal.search import index_status


@dataclass(frozen=True)
class Health:
    """The state of the database, the search index and the index backlog."""

    #: None when the database answers, else the name of the error.
    database_error: str | None
    #: "ready", "missing", "unreadable" or "outdated" (see :func:`portal.search.index_status`).
    index_state: str
    #: Whether more index work waits than ``INDEX_BACKLOG_ALERT``; None without a database.
    backlog_over: bool | None
    #: Exact figures, measured only for staff (``exact=True``): never published.
    documents: int | None = None
    pending: int | None = None

    @property
    def database_ok(self) -> bool:
        """True when the database answered."""
        return self.database_error is None

    @property
    def ok(self) -> bool:
        """True when the database answers, the index opens and the backlog is under the alert."""
        return self.database_ok and self.index_state == "ready" and self.backlog_over is False

    def public(self) -> dict[str, str]:
        """What ``/healthz`` says: states only, no number that grows with complaints."""
        backlog = {None: "unknown", False: "ok", True: "over"}[self.backlog_over]
        return {
            "status": "ok" if self.ok else "degraded",
            "database": "ok" if self.database_ok else "error",
            "index": "ok" if self.index_state == "ready" else self.index_state,
            "backlog": backlog,
        }


def measure(*, exact: bool = False) -> Health:
    """Check the database, the index and the backlog; with ``exact``, count them too.

    Never raises for a failing database or index: that is what it reports.
    """
    alert = current_app.config["INDEX_BACKLOG_ALERT"]
    index: dict[str, Any] = index_status(current_app.config["INDEX_DIR"])
    pending = None
    try:
        session.execute(text("SELECT 1"))
        if exact:
            pending = session.scalar(select(func.count(IndexTask.id))) or 0
            over = pending > alert
        else:
            beyond = select(IndexTask.id).order_by(IndexTask.id).offset(alert).limit(1)
            over = session.scalar(beyond) is not None
        error = None
    except Exception as failure:  # noqa: BLE001 - report, never raise, from the health check
        session.rollback()
        error, over = type(failure).__name__, None
    return Health(
        database_error=error,
        index_state=index["state"],
        backlog_over=over,
        documents=index.get("documents") if exact else None,
        pending=pending,
    )
