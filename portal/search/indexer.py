"""Indexing outside the request: one background thread per process works the outbox off.

After a web request commits index work, the response is sent first; then the
request only pokes this process's indexer (:func:`after_response`), which
runs :func:`portal.search.writer.catch_up` in its own thread and its own
database session. Catch-ups of one process are thus serialised, and a citizen's
request never pays for Whoosh segment merges.

Several worker processes share one index, and Whoosh lets one writer at a
time hold its lock. When another process (or ``search rebuild``) holds it, the
indexer does not give up as the old after-response catch-up did: it retries
with a growing pause (:data:`BACKOFF`) for up to :data:`RETRY_FOR` seconds, so
the complaint becomes searchable as soon as the lock is free, and no lock
error ever reaches a user. Whatever is still queued after that (a broken
index, a rebuild that takes minutes) stays in the outbox for the next poke or
``flask --app wsgi search catch-up``; nothing is lost, since the outbox is only
emptied after the index has committed.

Tests and scripts that must see the index updated when the response is closed
set ``SEARCH_INDEX_WAIT`` (seconds): the request then also waits for the
indexer's first attempt after its poke. In production it is 0.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.search.writer import catch_up

logger = logging.getLogger(__name__)

#: Pauses between attempts while another writer holds the index lock, in seconds.
BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.8, 1.0)
#: How long one poke keeps retrying a locked index before leaving the work queued.
RETRY_FOR = 30.0
#: How long one attempt waits for the lock before pausing.
LOCK_WAIT = 0.25
#: Most tasks one attempt writes (the lock is released between attempts).
ROUND = 2000
#: A thread with nothing to do for this long ends (the next poke starts another).
IDLE_EXIT = 60.0


class Indexer:
    """The background indexer of one database and index folder in this process."""

    def __init__(self, engine: Engine, folder: Path) -> None:
        self.engine = engine
        self.folder = folder
        self._changed = threading.Condition()
        self._poked = 0
        self._tried = 0
        self._thread: threading.Thread | None = None

    def poke(self) -> int:
        """Ask for a catch-up; returns a ticket for :meth:`wait`. Never blocks on the index."""
        with self._changed:
            self._poked += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=f"search-indexer-{self.folder.name}", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()
            return self._poked

    def wait(self, ticket: int, timeout: float) -> bool:
        """Wait until an attempt that started after ``ticket``'s poke has been made."""
        with self._changed:
            return self._changed.wait_for(lambda: self._tried >= ticket, timeout)

    def _run(self) -> None:
        while True:
            with self._changed:
                if not self._changed.wait_for(lambda: self._poked > self._tried, IDLE_EXIT):
                    self._thread = None  # idle: end; the next poke starts another thread
                    return
                ticket = self._poked
            try:
                self._work(ticket)
            except Exception as problem:  # noqa: BLE001 - the thread must survive anything
                logger.warning("search indexer failed: %s", type(problem).__name__)
                self._done(ticket)

    def _done(self, ticket: int) -> None:
        with self._changed:
            self._tried = max(self._tried, ticket)
            self._changed.notify_all()

    def _work(self, ticket: int) -> None:
        """Catch up until nothing is queued, retrying while the index is locked."""
        deadline = time.monotonic() + RETRY_FOR
        pauses = iter(BACKOFF)
        first = True
        while True:
            with Session(bind=self.engine, expire_on_commit=False) as db:
                result = catch_up(db, self.folder, limit=ROUND, timeout=LOCK_WAIT)
            if first:
                self._done(ticket)  # a waiting request may go on: its work was tried
                first = False
            if result.error is None:
                if result.pending == 0 or result.done == 0:
                    return
                pauses = iter(BACKOFF)  # more work than one round: go on
                continue
            if result.error != "LockError" or time.monotonic() >= deadline:
                logger.info(
                    "search indexer left %d task(s) queued: %s", result.pending, result.error
                )
                return
            time.sleep(next(pauses, BACKOFF[-1]))


_indexers: dict[tuple[int, int, str], Indexer] = {}
_indexers_lock = threading.Lock()


def indexer_for(engine: Engine, folder: str | Path) -> Indexer:
    """This process's indexer of ``engine``'s database and the index at ``folder``."""
    path = Path(folder).absolute()
    key = (os.getpid(), id(engine), str(path))
    with _indexers_lock:
        found = _indexers.get(key)
        if found is None or found.engine is not engine:
            found = _indexers[key] = Indexer(engine, path)
        return found


def after_response(engine: Engine, folder: str | Path, wait: float = 0.0) -> None:
    """Poke the indexer once a response has been sent; wait up to ``wait`` seconds if asked."""
    try:
        indexer = indexer_for(engine, folder)
        ticket = indexer.poke()
        if wait > 0:
            indexer.wait(ticket, wait)
    except Exception as problem:  # noqa: BLE001 - the complaint is stored; indexing can wait
        logger.warning("search indexer could not be poked: %s", type(problem).__name__)
