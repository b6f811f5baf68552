"""Searchers kept open across requests, one per thread, refreshed when the index changes.

Opening an index reads its table of contents and every segment's headers; a
searcher kept open answers the next query without that. Whoosh readers move
a shared file position as they read, so each thread of a process keeps its
own searcher (``threading.local``); what never changes per segment is shared
through one :class:`portal.search.segments.SegmentCache` per index folder.

Before each query the folder is looked at (one ``stat`` and one directory
listing). A new generation (a catch-up committed) refreshes the searcher:
segments that did not change keep their open readers, the others are opened.
Whoosh's own ``Searcher.refresh()`` is not used: in whoosh-reloaded 2.7.5 it
keeps the segments a merge has replaced, so every merged document is found
twice (``tests/test_search_service.py`` shows it). Another folder (``search
rebuild`` swapped one in) opens the new index. When the folder is missing,
unreadable or of another schema, a thread that still holds a searcher keeps
answering from that last good index; one that has none gets
:class:`Unavailable` ("search is catching up").
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

from portal.search import store
from portal.search.segments import SegmentCache

logger = logging.getLogger(__name__)


class Unavailable(Exception):
    """No index can be searched right now (missing, being rebuilt, or outdated)."""


def _key(segment) -> tuple[str, int]:
    """A segment and its deletions: a reader is reused only if both are unchanged."""
    return segment.segment_id(), segment.deleted_count() if segment.has_deletions() else 0


def _close_quietly(reader: IndexReader) -> None:
    with contextlib.suppress(Exception):  # its files may be gone already
        reader.close()


class _Held:
    """One thread's open index, searcher and where they came from."""

    def __init__(self, ix: FileIndex, identity: int) -> None:
        self.ix = ix
        self.identity = identity
        self.generation = -1
        self.searcher: Searcher | None = None
        self.refresh()

    def _leaves(self) -> list[SegmentReader]:
        if self.searcher is None:
            return []
        return [
            reader
            for reader, _offset in self.searcher.reader().leaf_readers()
            if reader.segment() is not None  # an index without segments has an empty reader
        ]

    def refresh(self) -> None:
        """Read the newest table of contents; reopen only the segments that changed."""
        toc = self.ix._read_toc()
        if toc.generation == self.generation:
            return
        reusable = {_key(reader.segment()): reader for reader in self._leaves()}
        opened: list[SegmentReader] = []
        readers = []
        try:
            for segment in toc.segments:
                reader = reusable.pop(_key(segment), None)
                if reader is None:
                    reader = SegmentReader(
                        self.ix.storage, toc.schema, segment, generation=toc.generation
                    )
                    opened.append(reader)
                readers.append(reader)
        except BaseException:
            for reader in opened:
                _close_quietly(reader)
            raise
        if not readers:
            top: IndexReader = EmptyReader(toc.schema)
        elif len(readers) == 1:
            top = readers[0]
        else:
            top = MultiReader(readers, generation=toc.generation)
        self.searcher = Searcher(top, fromindex=self.ix)
        self.generation = toc.generation
        for reader in reusable.values():  # replaced by a merge, or deletions added
            _close_quietly(reader)

    def close(self) -> None:
        """Close every reader and the index."""
        for reader in self._leaves():
            _close_quietly(reader)
        self.searcher = None
        with contextlib.suppress(Exception):
            self.ix.close()


class SearcherPool:
    """The searchers of one index folder in this process."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).absolute()
        self.cache = SegmentCache()
        self._local = threading.local()
        self._all: set[_Held] = set()
        self._lock = threading.Lock()

    def _identity(self) -> int | None:
        """The folder's inode: a rebuild swaps in another folder under the same name."""
        try:
            return os.stat(self.folder).st_ino
        except OSError:
            return None

    def _keep(self, held: _Held | None) -> None:
        old: _Held | None = getattr(self._local, "held", None)
        self._local.held = held
        with self._lock:
            if old is not None:
                self._all.discard(old)
            if held is not None:
                self._all.add(held)
        if old is not None and old is not held:
            old.close()

    def searcher(self) -> Searcher:
        """This thread's searcher of the newest readable index; raises :class:`Unavailable`."""
        held: _Held | None = getattr(self._local, "held", None)
        identity = self._identity()
        try:
            if identity is None or not store.has_index(self.folder):
                raise Unavailable("missing")
            if held is None or held.identity != identity:
                ix = store.open_index(self.folder)
                try:
                    fresh = _Held(ix, identity)
                except BaseException:
                    ix.close()
                    raise
                self._keep(fresh)
                held = fresh
            elif held.ix.latest_generation() != held.generation:
                held.refresh()
        except Exception as problem:
            if held is None or held.searcher is None:
                raise Unavailable(type(problem).__name__) from problem
            logger.info("search keeps the last good index: %s", type(problem).__name__)
        assert held.searcher is not None
        return held.searcher

    def forget(self) -> None:
        """Drop this thread's searcher (after it failed), so the next query opens anew."""
        self._keep(None)

    def close(self) -> None:
        """Close every thread's searcher (at shutdown, or between tests)."""
        with self._lock:
            everything, self._all = self._all, set()
        for held in everything:
            held.close()
        self._local = threading.local()


_pools: dict[str, SearcherPool] = {}
_pools_lock = threading.Lock()


def pool_for(folder: str | Path) -> SearcherPool:
    """The process's searcher pool of ``folder`` (made on first use, again after a fork)."""
    key = f"{os.getpid()}:{Path(folder).absolute()}"
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = SearcherPool(folder)
        return pool


def close_pools() -> None:
    """Close every searcher this process holds."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()
