"""The outbox: index work queued in the database, in the complaint's own transaction.

A complaint and the note that its index entry must be written are committed
together, so the database always knows what the index still lacks. Whatever
happens to the index afterwards, the work is only removed from the outbox once
the index has committed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session

from portal.models import Complaint, IndexAction, IndexTask
from portal.models._columns import Timestamp, utcnow

#: Ids per DELETE/UPDATE statement: well under every backend's parameter limit.
_CHUNK = 500


@dataclass(frozen=True)
class Task:
    """One row of the outbox, as read for a batch."""

    id: int
    complaint_id: int
    action: IndexAction


def enqueue(db: Session, complaint_id: int, action: IndexAction = IndexAction.UPSERT) -> None:
    """Queue the index entry of a complaint to be written (or removed) after the commit.

    Adds a row to the caller's transaction and does not commit: the caller's one
    commit stores the complaint and its index work together. Changes made through
    the application's sessions queue themselves (:mod:`portal.search.tracking`);
    this is for work the database does not show, such as re-indexing unchanged rows.
    """
    db.add(IndexTask(complaint_id=complaint_id, action=IndexAction(action)))


def enqueue_all(db: Session) -> int:
    """Queue every complaint that has no queued work yet; returns how many were queued.

    Used when the index has to be created from nothing, so that it does not
    silently hold only the complaints that happened to be queued. One
    INSERT … SELECT, cheap even for 100,000 complaints. The caller commits.
    """
    columns = IndexTask.__table__.c
    rows = (
        select(
            Complaint.id,
            literal(IndexAction.UPSERT, columns.action.type),
            literal(utcnow(), Timestamp),
            literal(0),
        )
        .where(~exists().where(IndexTask.complaint_id == Complaint.id))
        .order_by(Complaint.id)
    )
    statement = insert(IndexTask).from_select(
        ["complaint_id", "action", "enqueued_at", "attempts"], rows
    )
    return db.execute(statement).rowcount


def next_batch(db: Session, size: int) -> list[Task]:
    """The oldest ``size`` tasks, in the order they were queued."""
    rows = db.execute(
        select(IndexTask.id, IndexTask.complaint_id, IndexTask.action)
        .order_by(IndexTask.id)
        .limit(size)
    )
    return [Task(*row) for row in rows]


def has_pending(db: Session) -> bool:
    """True when any index work is queued (cheaper than counting)."""
    return db.scalar(select(IndexTask.id).limit(1)) is not None


def pending_count(db: Session) -> int:
    """How many tasks are queued."""
    return db.scalar(select(func.count(IndexTask.id))) or 0


def all_ids(db: Session) -> list[int]:
    """The ids of every task queued right now (the work a rebuild will cover)."""
    return list(db.scalars(select(IndexTask.id).order_by(IndexTask.id)))


def final_actions(tasks: Iterable[Task]) -> dict[int, IndexAction]:
    """One action per complaint: the latest queued wins, so repeated edits write once."""
    actions: dict[int, IndexAction] = {}
    for task in sorted(tasks, key=lambda item: item.id):
        actions[task.complaint_id] = task.action
    return actions


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def remove(db: Session, ids: Sequence[int]) -> None:
    """Delete finished tasks (the caller commits). Tasks already gone are ignored."""
    for chunk in _chunks(ids):
        db.execute(delete(IndexTask).where(IndexTask.id.in_(chunk)))


def mark_failed(db: Session, ids: Sequence[int], error: BaseException) -> int:
    """Count a failed attempt on tasks that stay queued; returns how many were marked.

    Only the exception's class name is kept: messages may quote paths or data.
    """
    name = type(error).__name__
    for chunk in _chunks(ids):
        db.execute(
            update(IndexTask)
            .where(IndexTask.id.in_(chunk))
            .values(attempts=IndexTask.attempts + 1, last_error=name)
        )
    return len(ids)
