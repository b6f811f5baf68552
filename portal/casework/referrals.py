"""Referrals: a case sent to a prosecutor, the Ombudsman / NPM or another body, and its answer.

A referral is overdue when its response was due before today and none has come.
:func:`overdue_referrals` and :func:`overdue_complaint_ids` are what the queue
shows; both read only the complaints the user may see
(:func:`portal.auth.access.complaint_filter`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from portal import audit
from portal.auth import access
from portal.models import Complaint, Recipient, Referral, User

#: Longest outcome kept, and longest name of a body.
OUTCOME_MAX = 2000
NAME_MAX = 300


def is_overdue(referral: Referral, today: date) -> bool:
    """True when the response was due before ``today`` and has not come."""
    return (
        referral.response_due is not None
        and referral.response_on is None
        and referral.response_due < today
    )


def _overdue(today: date) -> Select:
    return select(Referral).where(
        Referral.response_due.is_not(None),
        Referral.response_due < today,
        Referral.response_on.is_(None),
    )


def overdue_referrals(db: Session, user: User, today: date, limit: int = 200) -> list[Referral]:
    """The overdue referrals of the complaints ``user`` may read, the longest overdue first."""
    query = (
        _overdue(today)
        .join(Complaint, Complaint.id == Referral.complaint_id)
        .where(access.complaint_filter(user))
        .order_by(Referral.response_due, Referral.id)
        .limit(limit)
    )
    return list(db.scalars(query))


def overdue_complaint_ids(
    db: Session, user: User, today: date, among: Iterable[int] | None = None
) -> set[int]:
    """Ids of the complaints ``user`` may read that have an overdue referral (within ``among``)."""
    query = (
        select(Referral.complaint_id)
        .where(Referral.id.in_(_overdue(today).with_only_columns(Referral.id)))
        .join(Complaint, Complaint.id == Referral.complaint_id)
        .where(access.complaint_filter(user))
    )
    if among is not None:
        query = query.where(Referral.complaint_id.in_(sorted(set(among))))
    return set(db.scalars(query.distinct()))


def for_complaint(db: Session, complaint_id: int) -> list[Referral]:
    """A case's referrals, oldest first."""
    query = select(Referral).where(Referral.complaint_id == complaint_id)
    return list(db.scalars(query.order_by(Referral.sent_on, Referral.id)))


@dataclass(frozen=True)
class ReferralInput:
    """What a reviewer says about a referral."""

    recipient: Recipient
    recipient_name: str | None
    sent_on: date
    response_due: date | None
    response_on: date | None = None
    outcome: str | None = None


def _clean(text: str | None, limit: int) -> str | None:
    text = (text or "").strip()
    return text[:limit] or None


def add(db: Session, complaint: Complaint, given: ReferralInput, actor: User) -> Referral:
    """Record that the case was sent to a body; audited."""
    referral = Referral(
        complaint_id=complaint.id,
        recipient=given.recipient,
        recipient_name=_clean(given.recipient_name, NAME_MAX),
        sent_on=given.sent_on,
        response_due=given.response_due,
        response_on=given.response_on,
        outcome=_clean(given.outcome, OUTCOME_MAX),
        created_by_id=actor.id,
    )
    db.add(referral)
    db.flush()
    audit.record(
        "referral.added",
        ("complaint", complaint.id),
        {"referral": referral.id, "recipient": given.recipient.value},
        actor=actor,
    )
    return referral


def update(db: Session, referral: Referral, given: ReferralInput, actor: User) -> Referral:
    """Change a referral (its dates, the response and its outcome); audited with what changed."""
    changed = []
    values = {
        "recipient": given.recipient,
        "recipient_name": _clean(given.recipient_name, NAME_MAX),
        "sent_on": given.sent_on,
        "response_due": given.response_due,
        "response_on": given.response_on,
        "outcome": _clean(given.outcome, OUTCOME_MAX),
    }
    for name, value in values.items():
        if getattr(referral, name) != value:
            setattr(referral, name, value)
            changed.append(name)
    db.flush()
    audit.record(
        "referral.updated",
        ("complaint", referral.complaint_id),
        {"referral": referral.id, "changed": changed},
        actor=actor,
    )
    return referral
