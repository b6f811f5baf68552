"""The Whoosh search index of complaints: derived from the database, always rebuildable.

This module answers what the health check needs to know; the writer and the
reviewers' queries build on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage


class _ClosingStorage(FileStorage):
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


def index_status(folder: str | Path) -> dict[str, Any]:
    """Whether the index at ``folder`` opens, and how many documents it holds."""
    folder = Path(folder)
    if not folder.is_dir() or not any(folder.glob("*.toc")):
        return {"ok": False, "state": "missing"}
    storage = _ClosingStorage(str(folder))
    try:
        ix = storage.open_index()
        try:
            return {"ok": True, "state": "ready", "documents": ix.doc_count()}
        finally:
            ix.close()
    except Exception as error:  # noqa: BLE001 - any failure means "not usable", reported as such
        storage.close_all()
        return {"ok": False, "state": "unreadable", "error": type(error).__name__}
