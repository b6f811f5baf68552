"""Deleting closed complaints past retention: rows, attachment files and index entries.

A complaint is *closed* in the final status, whatever its closing reason. It
was closed at its latest step into a final status in its history, or, for a
complaint without such a step (imported or generated ones), at its last
change. It expires ``RETENTION_DAYS`` days after that.

Complaints are deleted in batches, each in its own transaction: the rows
(categories, tags, history, messages, notes and attachment rows go with their
complaint), and the search index's outbox row that the commit adds for each
(:mod:`portal.search.tracking`). Attachment files are removed after their
batch commits: a crash in between leaves files that no complaint refers to,
which the sweep that ends every purge (and every start of the application)
removes. The index entries go when the outbox is worked off, right after the
purge (``purge-expired`` waits for the index and fails loudly, for cron to
report, when it cannot get it; the entries then stay queued for the next
catch-up). Running it twice, or two at once, removes nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from portal import clock
from portal.files import storage
from portal.models import Complaint, Status, StatusChange

#: Final statuses: a complaint in one of them is closed and counts towards retention.
FINAL_STATUSES = (Status.CLOSED,)
#: Complaints deleted per transaction.
BATCH = 200


@dataclass
class Purged:
    """What a purge removed (or, in a dry run, would remove)."""

    cutoff: datetime
    complaints: list[int] = field(default_factory=list)
    files: int = 0
    file_errors: int = 0


def closed_at():
    """SQL expression: when a complaint was closed (its latest final step, else its last change)."""
    latest_step = (
        select(func.max(StatusChange.at))
        .where(
            StatusChange.complaint_id == Complaint.id,
            StatusChange.new_status.in_(FINAL_STATUSES),
        )
        .correlate(Complaint)
        .scalar_subquery()
    )
    return func.coalesce(latest_step, Complaint.updated_at, type_=Complaint.updated_at.type)


def expired_ids(db: Session, cutoff: datetime) -> list[int]:
    """The ids of the closed complaints closed before ``cutoff``, oldest id first."""
    query = (
        select(Complaint.id)
        .where(Complaint.status.in_(FINAL_STATUSES), closed_at() < cutoff)
        .order_by(Complaint.id)
    )
    return list(db.scalars(query))


def purge_expired(
    db: Session, retention_days: int, *, now: datetime | None = None, dry_run: bool = False
) -> Purged:
    """Delete every complaint closed more than ``retention_days`` days before ``now``.

    Commits ``db`` once per batch. The attachment files of a batch are removed
    once it has committed; a file that cannot be removed is counted in
    ``file_errors`` and left to the sweep.
    """
    cutoff = (now or clock.now()) - timedelta(days=retention_days)
    result = Purged(cutoff)
    ids = expired_ids(db, cutoff)
    if dry_run:
        result.complaints = ids
        return result
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        complaints = db.scalars(
            select(Complaint)
            .where(Complaint.id.in_(batch), Complaint.status.in_(FINAL_STATUSES))
            .options(selectinload(Complaint.attachments))
        ).all()
        names = [attachment.storage_name for c in complaints for attachment in c.attachments]
        for complaint in complaints:
            db.delete(complaint)
        try:
            db.commit()
        except SQLAlchemyError:  # another purge deleted some of them meanwhile: next batch
            db.rollback()
            continue
        result.complaints += [complaint.id for complaint in complaints]
        for name in names:
            try:
                storage.remove(name)
                result.files += 1
            except (OSError, ValueError):
                result.file_errors += 1
    return result
