"""Rebuild: a complete new index from the database, swapped in when it is ready.

The database is the source of truth, so whatever happened to the index (a
lost folder, broken files, a schema change) ``flask --app wsgi search rebuild``
makes a correct one. Reviewers keep searching the old index while the new one
is built in a sibling folder; the swap is two renames.

Consistency with the outbox: the rebuild holds the old index's write lock for
its whole run, so no catch-up writes into an index about to be thrown away
(their tasks stay queued). It notes which tasks are queued *before* it reads
any complaint; those are covered by what it reads and are removed at the end.
Tasks queued while it runs stay pending for the next catch-up.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Complaint
from portal.search import outbox, store
from portal.search.schema import iter_documents

#: Below this many complaints one process is as fast as two.
PARALLEL_FROM = 5000
#: Documents per writer. With two writer processes each pools the postings of 10,000
#: documents in memory (under ``limitmb``); measured at 100,000 demo complaints: 20,000 a
#: chunk ≈ 1,250 docs/s (ten segments), 40,000 ≈ 800, one writer for all ≈ 400-640.
CHUNK = 20_000
#: How long a rebuild waits for a running catch-up to release the index, in seconds.
LOCK_TIMEOUT = 30.0


class RebuildIncomplete(Exception):
    """The new index holds fewer documents than were written; the old index was kept."""


def _remove_leftovers(folder: Path) -> None:
    """Delete the temporary folders of an earlier rebuild that did not finish."""
    for pattern in (f"{folder.name}.new-*", f"{folder.name}.old-*"):
        for path in folder.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)


def _write_chunk(ix, documents: list[dict], procs: int) -> None:
    """Write one chunk of documents with one writer (its own segments, no merge)."""
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    writer = store.writer(ix, limitmb=256, compound=False, **options)
    try:
        for document in documents:
            writer.add_document(**document)
        writer.commit(merge=False)
    except BaseException:
        store.abandon(writer)
        raise


def _build(db: Session, target: Path, procs: int) -> int:
    """Write every complaint's document into a new index in ``target``; returns the count.

    Documents go in by chunks of :data:`CHUNK`, one writer each: a writer's pool
    of postings then fits in memory, where one writer for 100,000 documents
    spills sorted runs to disk and merges them back in Python, half as fast or
    worse. Each chunk adds its own segments (no merge).
    """
    ix = store.create_index(target)
    count = 0
    try:
        chunk: list[dict] = []
        for document in iter_documents(db):
            chunk.append(document)
            if len(chunk) == CHUNK:
                _write_chunk(ix, chunk, procs)
                count += len(chunk)
                chunk = []
        if chunk:
            _write_chunk(ix, chunk, procs)
            count += len(chunk)
    finally:
        ix.close()
    ix = store.open_index(target)
    try:
        if ix.doc_count() != count:  # the parallel writer drops a slow worker's segment silently
            raise RebuildIncomplete(target.name)
    finally:
        ix.close()
    return count


def _swap(folder: Path, fresh: Path, retired: Path | None) -> None:
    """Move the old index away and the new one in; put the old one back if that fails."""
    if retired is not None:
        folder.rename(retired)
    try:
        fresh.rename(folder)
    except BaseException:
        if retired is not None:
            retired.rename(folder)
        raise


def _default_procs(db: Session) -> int:
    """Two writer processes for a large index on a machine with two cores or more."""
    big = (db.scalar(select(func.count(Complaint.id))) or 0) >= PARALLEL_FROM
    return 2 if big and (os.cpu_count() or 1) >= 2 else 1


def rebuild(
    db: Session,
    index_dir: str | Path,
    *,
    procs: int | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> int:
    """Build the whole index anew from the database and swap it into place.

    Returns the number of documents. Raises ``LockError`` when another rebuild
    runs or a catch-up holds the index longer than ``lock_timeout``; any error
    leaves the old index in place and the queued tasks untouched. ``procs``
    chooses the number of writer processes (default: 2 for large indexes).
    Commits ``db``.
    """
    folder = Path(index_dir).absolute()
    with store.held(store.rebuild_lock(folder), timeout=2.0):
        _remove_leftovers(folder)
        token = secrets.token_hex(4)
        fresh = folder.parent / f"{folder.name}.new-{token}"
        retired = folder.parent / f"{folder.name}.old-{token}"
        old_lock = store.write_lock(folder) if folder.is_dir() else None
        guard = store.held(old_lock, lock_timeout) if old_lock else contextlib.nullcontext()
        try:
            with guard:
                covered = outbox.all_ids(db)
                count = _build(db, fresh, procs or _default_procs(db))
                _swap(folder, fresh, retired if old_lock is not None else None)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        shutil.rmtree(retired, ignore_errors=True)
        outbox.remove(db, covered)
        db.commit()
    return count
