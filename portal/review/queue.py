"""The reviewer's queue: complaints in their scope that nobody has taken up yet.

The queue holds the complaints still **new** and the open ones (in review or
referred) that have **no assignee**, newest first, each with its footage
deadline; closed, duplicate and unfounded ones never wait in it. Scope comes
from :func:`portal.auth.access.complaint_filter` alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.auth import access
from portal.db import session
from portal.models import Complaint, Status, User
from portal.review.finder import Row, rows_for

#: Rows per page of the queue, and the deepest page.
QUEUE_PER_PAGE = 25
QUEUE_MAX_PAGE = 400
#: Statuses a complaint can wait in the queue with (when nobody is assigned).
OPEN = (Status.NEW, Status.IN_REVIEW, Status.REFERRED)


@dataclass
class Queue:
    """One page of the queue and how many complaints wait in all."""

    total: int
    page: int
    pages: int
    rows: list[Row]


def waiting(user: User):
    """The condition of the queue: in scope, and new, or open with nobody assigned."""
    return (
        access.complaint_filter(user)
        & Complaint.status.in_(OPEN)
        & or_(Complaint.status == Status.NEW, Complaint.assignee_id.is_(None))
    )


def queue_page(user: User, page: int) -> Queue:
    """Page ``page`` (clamped to the pages there are) of ``user``'s queue, newest first."""
    total = session.scalar(select(func.count(Complaint.id)).where(waiting(user))) or 0
    pages = max(1, min(QUEUE_MAX_PAGE, -(-total // QUEUE_PER_PAGE)))
    page = max(1, min(page, pages))
    ids = list(
        session.scalars(
            select(Complaint.id)
            .where(waiting(user))
            .order_by(Complaint.created_at.desc(), Complaint.id.desc())
            .limit(QUEUE_PER_PAGE)
            .offset((page - 1) * QUEUE_PER_PAGE)
        )
    )
    return Queue(total=total, page=page, pages=pages, rows=rows_for(ids, user))
