"""The Whoosh search index of complaints: derived from the database, always rebuildable.

This module answers what the health check needs to know; the writer and the
reviewers' queries build on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh import index


def index_status(folder: str | Path) -> dict[str, Any]:
    """Whether the index at ``folder`` opens, and how many documents it holds."""
    folder = Path(folder)
    if not folder.is_dir() or not index.exists_in(str(folder)):
        return {"ok": False, "state": "missing"}
    try:
        ix = index.open_dir(str(folder))
        try:
            return {"ok": True, "state": "ready", "documents": ix.doc_count()}
        finally:
            ix.close()
    except Exception as error:  # noqa: BLE001 - any failure means "not usable", reported as such
        return {"ok": False, "state": "unreadable", "error": type(error).__name__}
