"""Catch-up: bring the index up to date with the outbox, never losing a complaint.

A citizen's complaint is committed to the database before the receipt is
shown; indexing it happens afterwards, here. When the index folder is missing
it is created; when it is locked, unreadable or the disk refuses the write,
the queued work simply stays in the outbox with a failed attempt counted, and
the next catch-up (after the web request, or ``flask --app wsgi search
catch-up`` from a timer) tries again. Only the exception's class name is ever
recorded or logged, never complaint text.

Why the order of steps matters: the write lock is taken *before* the tasks and
the complaints are read, so every writer writes what the database held after
the previous writer committed, and a slow catch-up can never overwrite a newer
entry with an older one. Tasks are removed only after the index has committed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from whoosh.index import FileIndex, LockError
from whoosh.writing import IndexWriter

from portal.models import IndexAction
from portal.search import outbox, store
from portal.search.schema import load_documents

logger = logging.getLogger(__name__)

#: Tasks per index writer (and per database round trip).
BATCH_SIZE = 500
#: How long a web request waits for the index lock, in seconds.
QUIET_TIMEOUT = 0.5
#: Most tasks a web request works off; a backlog is left to ``search catch-up``.
QUIET_LIMIT = 50


@dataclass(frozen=True)
class CatchUpResult:
    """What one catch-up did.

    ``done``: tasks worked off and removed from the outbox; ``failed``: tasks
    whose attempt failed and that stay queued; ``pending``: tasks queued
    afterwards; ``error``: the class name of the index error that stopped the
    run, or None.
    """

    done: int = 0
    failed: int = 0
    pending: int = 0
    error: str | None = None


def _write(writer: IndexWriter, actions: dict[int, IndexAction], documents: dict) -> None:
    """Apply one batch: write current documents, remove deleted complaints."""
    for complaint_id, action in actions.items():
        document = documents.get(complaint_id)
        if action is IndexAction.DELETE or document is None:
            writer.delete_by_term("id", str(complaint_id))
        else:
            writer.update_document(**document)


def _open(db: Session, folder: Path, timeout: float) -> FileIndex:
    """Open the index, creating it when missing, with every complaint queued for it.

    A new index must not silently hold only what happened to be queued: every
    complaint is queued first (committed before the index exists, so a crash
    in between only repeats work). The rebuild lock keeps this from racing a
    rebuild's swap and another catch-up's creation.
    """
    if not store.has_index(folder):
        with store.held(store.rebuild_lock(folder), timeout):
            if not store.has_index(folder):
                queued = outbox.enqueue_all(db)
                db.commit()
                store.create_index(folder).close()
                logger.info("created a missing search index; %d complaints queued", queued)
    return store.open_index(folder)


def _batch_size(limit: int | None, done: int) -> int:
    return BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - done)


def _fail(db: Session, size: int, error: Exception) -> int:
    """Count a failed attempt on the batch that could not be written; returns its size."""
    failed = outbox.mark_failed(db, [task.id for task in outbox.next_batch(db, size)], error)
    db.commit()
    # A lock held by another writer is routine (the background indexer retries); the rest is not.
    level = logging.INFO if isinstance(error, LockError) else logging.WARNING
    logger.log(level, "search index catch-up failed: %s", type(error).__name__)
    return failed


def _work_batch(db: Session, ix: FileIndex, size: int, timeout: float) -> int:
    """Write the oldest ``size`` tasks with one writer, then remove them; returns how many.

    The lock is taken before anything is read from the database (see the module
    docstring). Any failure throws the writer's work away and releases the lock.
    """
    writer = store.writer(ix, timeout=timeout, compound=False)
    try:
        # Read in a transaction begun now, under the lock: a snapshot taken before it (SQLite
        # keeps one from a transaction's first read) could hold data older than the last writer's.
        db.commit()
        tasks = outbox.next_batch(db, size)
        if not tasks:
            writer.cancel()
            return 0
        actions = outbox.final_actions(tasks)
        upserts = [cid for cid, action in actions.items() if action is IndexAction.UPSERT]
        _write(writer, actions, load_documents(db, upserts))
        writer.commit()
    except BaseException:
        store.abandon(writer)
        raise
    outbox.remove(db, [task.id for task in tasks])
    db.commit()
    return len(tasks)


def catch_up(
    db: Session, index_dir: str | Path, *, limit: int | None = None, timeout: float = 2.0
) -> CatchUpResult:
    """Work the outbox off into the index at ``index_dir``, oldest task first.

    Each batch gets one index writer (waiting up to ``timeout`` seconds for the
    lock) and one database commit after the index commit. Several tasks for one
    complaint become one write. ``limit`` caps the number of tasks handled. A
    missing index is created, with every complaint queued for it.

    Index problems never raise: they come back in the result, and the tasks
    stay queued with ``attempts`` raised and ``last_error`` set. Database errors
    do raise. Commits ``db``: call it after the caller's own commit.
    """
    folder = Path(index_dir)
    done = failed = 0
    error: str | None = None
    ix: FileIndex | None = None
    try:
        while (size := _batch_size(limit, done)) > 0:
            if not outbox.has_pending(db) and (ix is not None or store.has_index(folder)):
                break
            try:
                if ix is None:
                    ix = _open(db, folder, timeout)
                count = _work_batch(db, ix, size, timeout)
            except SQLAlchemyError:
                raise
            except Exception as problem:  # noqa: BLE001 - any index failure leaves the work queued
                failed += _fail(db, size, problem)
                error = type(problem).__name__
                break
            done += count
            if count < size:
                break
    finally:
        if ix is not None:
            ix.close()
    return CatchUpResult(done=done, failed=failed, pending=outbox.pending_count(db), error=error)


def catch_up_quietly(bind: Session | Engine, index_dir: str | Path) -> None:
    """Index what a web request just committed, without ever failing anything.

    ``bind`` is the database (an engine, or a session whose engine is used).
    Runs in its own session, so a caller's session is untouched whatever
    happens; waits at most :data:`QUIET_TIMEOUT` for the index lock and handles
    at most :data:`QUIET_LIMIT` tasks. Failures are logged by exception class
    only; the work stays queued for the next try.
    """
    engine = bind.get_bind() if isinstance(bind, Session) else bind
    try:
        with Session(bind=engine, expire_on_commit=False) as own:
            result = catch_up(own, index_dir, limit=QUIET_LIMIT, timeout=QUIET_TIMEOUT)
        if result.error is not None:
            logger.info("%d index task(s) left queued after %s", result.pending, result.error)
    except Exception as problem:  # noqa: BLE001 - the complaint is stored; indexing can wait
        logger.warning("search index catch-up failed: %s", type(problem).__name__)
