"""The index folder on disk: open it, create it when missing, report its state, lock it.

Two locks keep writers apart. Whoosh's own write lock (``MAIN_WRITELOCK`` in the
index folder) lets one writer at a time change an index. The rebuild lock, a
file next to the folder, is held by ``search rebuild`` for its whole run; a
catch-up needs it only to create a missing index, so that it never creates one
in the instant a rebuild has moved the old folder away and not yet moved the
new one in.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.util.filelock import FileLock, LockBase, try_for
from whoosh.writing import IndexWriter

from portal.search.schema import SCHEMA, signature, signature_of

INDEX_NAME = "MAIN"
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"


class Codec(W3Codec):
    """Whoosh's codec without per-block length statistics.

    Whoosh looks every posting's field length up, one call each, to note the
    shortest and longest document of each posting block; only its own
    top-N skipping reads them, which the search service does not use (it
    scores from the per-document lengths, still written). Without them a
    rebuild writes its postings about 40 % faster. Segments written with it
    name this class in the index's table of contents.
    """

    length_stats = False


def writer(ix: FileIndex, **options) -> IndexWriter:
    """A writer of ``ix`` with the portal's codec (``options`` as for ``ix.writer``)."""
    return ix.writer(codec=Codec(), **options)


class SchemaMismatch(Exception):
    """The index on disk was made by another schema or analyzer: run ``search rebuild``."""


def is_current(schema) -> bool:
    """True when an index's schema is this code's (same fields, version and analyzer)."""
    return sorted(schema.names()) == sorted(SCHEMA.names()) and signature_of(schema) == signature()


def private_lock(path: str | Path) -> LockBase:
    """Whoosh's file lock at ``path``, its file made owner read/write only (0600).

    Whoosh creates lock files with mode 0777 less the umask: 0700, executable.
    Made here first with 0600, the file keeps that mode when Whoosh opens it.
    """
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    return FileLock(str(path))


class _PrivateStorage(FileStorage):
    """A file storage whose lock files are 0600, like every other file of the index."""

    def lock(self, name):
        return private_lock(self._fpath(name))


class _ClosingStorage(_PrivateStorage):
    """A file storage that remembers the files it opened, so a failed open can close them.

    Whoosh leaves its table-of-contents file open when it cannot parse it.
    """

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.opened: list = []

    def open_file(self, name, *args, **kwargs):
        handle = super().open_file(name, *args, **kwargs)
        self.opened.append(handle)
        return handle

    def close_all(self) -> None:
        for handle in self.opened:
            handle.close()


def has_index(folder: Path) -> bool:
    """True when ``folder`` holds an index's table of contents (readable or not)."""
    return folder.is_dir() and any(folder.glob(f"_{INDEX_NAME}_*.toc"))


def index_status(folder: str | Path) -> dict[str, Any]:
    """Whether the index at ``folder`` opens, and how many documents it holds.

    ``state`` is ``ready``, ``missing``, ``unreadable``, or ``outdated`` (made by
    another schema version or analyzer: ``search rebuild`` replaces it).
    """
    folder = Path(folder)
    if not folder.is_dir() or not any(folder.glob("*.toc")):
        return {"ok": False, "state": "missing"}
    storage = _ClosingStorage(str(folder))
    try:
        ix = storage.open_index(INDEX_NAME)
        try:
            if not is_current(ix.schema):
                return {"ok": False, "state": "outdated", "documents": ix.doc_count()}
            return {"ok": True, "state": "ready", "documents": ix.doc_count()}
        finally:
            ix.close()
    except Exception as error:  # noqa: BLE001 - any failure means "not usable", reported as such
        storage.close_all()
        return {"ok": False, "state": "unreadable", "error": type(error).__name__}


def rebuild_lock_path(folder: Path) -> Path:
    """The rebuild lock file, next to the index folder (on the same file system)."""
    return folder.parent / f"{folder.name}.rebuild-lock"


@contextlib.contextmanager
def held(lock: LockBase, timeout: float) -> Iterator[None]:
    """Hold ``lock`` for the block, waiting up to ``timeout`` seconds; LockError if busy."""
    if not try_for(lock.acquire, timeout=timeout, delay=0.05):
        raise LockError(lock.filename)
    try:
        yield
    finally:
        lock.release()


def rebuild_lock(folder: Path) -> LockBase:
    """The lock ``search rebuild`` holds for its whole run."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    return private_lock(rebuild_lock_path(folder))


def write_lock(folder: Path) -> LockBase:
    """Whoosh's write lock of the index in ``folder`` (the folder must exist)."""
    return _PrivateStorage(str(folder)).lock(WRITE_LOCK)


def create_index(folder: Path) -> FileIndex:
    """Create an empty index with :data:`SCHEMA` in ``folder`` (made if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    return _PrivateStorage(str(folder)).create_index(SCHEMA, indexname=INDEX_NAME)


def open_index(folder: Path) -> FileIndex:
    """Open the index in ``folder``.

    Raises :class:`SchemaMismatch` for an index of another schema, and whatever
    Whoosh or the file system raise for a missing or unreadable one.
    """
    storage = _ClosingStorage(str(folder))
    try:
        ix = storage.open_index(INDEX_NAME)
        current = is_current(ix.schema)
    except Exception:
        storage.close_all()
        raise
    if not current:
        ix.close()
        raise SchemaMismatch(INDEX_NAME)
    return ix


def abandon(writer: IndexWriter) -> None:
    """Throw a writer's uncommitted work away and make sure its lock is released.

    Used after a failure, when the writer may be half-closed: a failed
    ``cancel`` must not keep the index locked for every later catch-up.
    """
    with contextlib.suppress(Exception):
        writer.cancel()
    lock = getattr(writer, "writelock", None)
    if lock is not None and lock.fd is not None:
        with contextlib.suppress(Exception):
            lock.release()
