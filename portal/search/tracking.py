"""Index work queues itself: every change the index reflects adds its outbox row at commit.

No caller has to remember the index. The search package listens to the
application's sessions: whatever a flush writes about a complaint — the
complaint itself, its categories, tags, status steps or messages — is noted,
and when the transaction commits, one outbox row per complaint is added to that
same transaction (``DELETE`` for a complaint that was deleted, else
``UPSERT``). A rollback forgets the notes with the changes. An outbox row added
by hand in the same transaction (:func:`portal.search.outbox.enqueue`) counts as
done, so a complaint is never queued twice by one commit.

After a commit that queued work, during a web request, the process's
background indexer is poked once the response has been sent (``call_on_close``),
never inside it: the citizen gets the receipt without waiting for Whoosh, and
the indexer retries while another process holds the index
(:mod:`portal.search.indexer`). Outside requests (commands), the work waits
for ``flask --app wsgi search catch-up``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, after_this_request, current_app, g, has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from portal.models import (
    Complaint,
    ComplaintCategory,
    ComplaintTag,
    IndexAction,
    IndexTask,
    Message,
    StatusChange,
)
from portal.search.indexer import after_response

#: Rows whose changes the index reflects, each pointing at its complaint.
TRACKED_CHILDREN = (ComplaintCategory, ComplaintTag, StatusChange, Message)
#: ``session.info`` keys: complaints changed by this transaction; work committed by it.
_CHANGED = "portal.search.changed"
_QUEUED = "portal.search.queued"
_COMMITTED_WORK = "portal.search.committed_work"


def _note(db: Session, complaint_id: int | None, action: IndexAction) -> None:
    if complaint_id is None:
        return
    changed: dict[int, IndexAction] = db.info.setdefault(_CHANGED, {})
    if changed.get(complaint_id) is not IndexAction.DELETE:  # a deletion stays a deletion
        changed[complaint_id] = action


def _after_flush(db: Session, _context: Any) -> None:
    """Note every complaint the flush wrote about (ids are known by now)."""
    for obj in db.deleted:
        if isinstance(obj, Complaint):
            _note(db, obj.id, IndexAction.DELETE)
        elif isinstance(obj, TRACKED_CHILDREN):
            _note(db, obj.complaint_id, IndexAction.UPSERT)
    for obj in (*db.new, *db.dirty):
        if isinstance(obj, IndexTask):  # queued by hand (enqueue, a factory): counts as done
            db.info.setdefault(_QUEUED, set()).add(obj.complaint_id)
        elif isinstance(obj, Complaint):
            if obj in db.new or db.is_modified(obj, include_collections=False):
                _note(db, obj.id, IndexAction.UPSERT)
        elif isinstance(obj, TRACKED_CHILDREN):
            _note(db, obj.complaint_id, IndexAction.UPSERT)


def _before_commit(db: Session) -> None:
    """Add the outbox rows for everything noted and not queued by hand, in this transaction."""
    db.flush()  # changes not flushed yet would otherwise be written after this hook
    changed: dict[int, IndexAction] = db.info.pop(_CHANGED, {})
    queued: set[int] = db.info.pop(_QUEUED, set())
    rows = [
        IndexTask(complaint_id=complaint_id, action=action)
        for complaint_id, action in sorted(changed.items())
        if complaint_id not in queued
    ]
    db.add_all(rows)
    if rows or queued:
        db.info[_COMMITTED_WORK] = True


def _forget(db: Session, *_args: Any) -> None:
    for key in (_CHANGED, _QUEUED, _COMMITTED_WORK):
        db.info.pop(key, None)


def _after_commit(db: Session) -> None:
    """Once work is committed during a request, catch up after the response is sent."""
    committed_work = db.info.pop(_COMMITTED_WORK, False)
    _forget(db)  # the rows this hook's commit flushed are done with
    if not committed_work or not has_request_context():
        return
    if g.get("_index_catch_up_scheduled"):
        return
    g._index_catch_up_scheduled = True
    engine: Engine = db.get_bind()
    index_dir = Path(current_app.config["INDEX_DIR"])
    wait = float(current_app.config.get("SEARCH_INDEX_WAIT", 0.0))

    @after_this_request
    def _later(response: Response) -> Response:
        response.call_on_close(lambda: after_response(engine, index_dir, wait))
        return response


def track(sessions: sessionmaker) -> None:
    """Queue index work for every change made through sessions from ``sessions``."""
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_commit", _after_commit)
    event.listen(sessions, "after_soft_rollback", _forget)
