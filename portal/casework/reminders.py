"""A follow-up reminder per case: the day a reviewer wants to look at it again.

:func:`reminders_due` is what the queue shows: the reminders due on or before
today of the complaints the user may read.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import audit, clock
from portal.auth import access
from portal.models import CaseReminder, Complaint, User


def reminder_for(db: Session, complaint_id: int) -> CaseReminder | None:
    """The case's reminder, if one is set."""
    return db.get(CaseReminder, complaint_id)


def set_reminder(db: Session, complaint: Complaint, on: date, actor: User) -> CaseReminder:
    """Set (or move) the case's reminder to ``on``; audited."""
    reminder = reminder_for(db, complaint.id)
    if reminder is None:
        reminder = CaseReminder(complaint_id=complaint.id, remind_on=on)
        db.add(reminder)
    reminder.remind_on, reminder.set_by_id, reminder.set_at = on, actor.id, clock.now()
    db.flush()
    audit.record("reminder.set", ("complaint", complaint.id), {"on": on.isoformat()}, actor=actor)
    return reminder


def clear_reminder(db: Session, complaint: Complaint, actor: User) -> bool:
    """Remove the case's reminder; audited. False when there was none."""
    reminder = reminder_for(db, complaint.id)
    if reminder is not None:
        db.delete(reminder)
        db.flush()
    audit.record(
        "reminder.cleared", ("complaint", complaint.id), {"had": reminder is not None}, actor=actor
    )
    return reminder is not None


def reminders_due(db: Session, user: User, today: date, limit: int = 200) -> list[CaseReminder]:
    """Reminders due on or before ``today`` of the complaints ``user`` may read, oldest first."""
    query = (
        select(CaseReminder)
        .join(Complaint, Complaint.id == CaseReminder.complaint_id)
        .where(CaseReminder.remind_on <= today, access.complaint_filter(user))
        .order_by(CaseReminder.remind_on, CaseReminder.complaint_id)
        .limit(limit)
    )
    return list(db.scalars(query))


def due_complaint_ids(db: Session, user: User, today: date) -> set[int]:
    """Ids of the complaints ``user`` may read whose reminder is due."""
    return {reminder.complaint_id for reminder in reminders_due(db, user, today, limit=10_000)}
