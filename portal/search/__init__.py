"""The Whoosh search index of complaints: derived from the database, always rebuildable.

The facade the rest of the portal uses:

- :func:`enqueue` queues index work in the caller's transaction (the outbox);
- :func:`catch_up` / :func:`catch_up_quietly` write queued work into the index
  after the commit, so a missing, locked or broken index never loses or blocks
  a complaint;
- :func:`rebuild` makes a complete new index from the database;
- :func:`index_status` tells the health check whether the index opens;
- :func:`search` answers a reviewer's query within a scope, with filters,
  facet counts and snippets (:mod:`portal.search.service`; the query language
  and its speed in docs/SEARCH.md);
- :func:`init_app` makes every change the index reflects queue itself at commit,
  with the process's background indexer poked after the response
  (:mod:`portal.search.tracking`, :mod:`portal.search.indexer`), and registers
  ``flask --app wsgi search catch-up|rebuild|query``.
"""

from __future__ import annotations

from flask import Flask

from portal.db import session_factory
from portal.search import tracking
from portal.search.cli import search_command
from portal.search.filters import Filters, Scope
from portal.search.outbox import enqueue
from portal.search.rebuilder import rebuild
from portal.search.schema import SCHEMA
from portal.search.service import Hit, SearchResult, search
from portal.search.store import index_status
from portal.search.writer import CatchUpResult, catch_up, catch_up_quietly

__all__ = [
    "SCHEMA",
    "CatchUpResult",
    "Filters",
    "Hit",
    "Scope",
    "SearchResult",
    "catch_up",
    "catch_up_quietly",
    "enqueue",
    "index_status",
    "init_app",
    "rebuild",
    "search",
]


def init_app(app: Flask) -> None:
    """Queue index work for every change made through ``app``'s sessions; add the commands."""
    tracking.track(session_factory(app))
    app.cli.add_command(search_command)
