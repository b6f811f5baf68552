"""What needs a reviewer's attention today, beside the queue: overdue referrals, due reminders.

Both lists come from :mod:`portal.casework` and so read only the complaints the
user may see (:func:`portal.auth.access.complaint_filter`); this module adds the
complaints' references, read in one query, for the workspace to link to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal import clock
from portal.casework import referrals, reminders
from portal.db import session
from portal.models import CaseReminder, Complaint, Referral, User

#: The most items of each kind the workspace lists (the longest overdue first).
LIMIT = 50


@dataclass
class Attention:
    """Overdue referrals and due reminders, with the references of their complaints."""

    today: date
    overdue: list[Referral] = field(default_factory=list)
    due: list[CaseReminder] = field(default_factory=list)
    references: dict[int, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due)


def needs_attention(user: User, today: date | None = None) -> Attention:
    """The overdue referrals and due reminders of the complaints ``user`` may read."""
    today = today or clock.today()
    found = Attention(
        today=today,
        overdue=referrals.overdue_referrals(session, user, today, limit=LIMIT),
        due=reminders.reminders_due(session, user, today, limit=LIMIT),
    )
    ids = {item.complaint_id for item in found.overdue} | {item.complaint_id for item in found.due}
    if ids:
        rows = session.execute(
            select(Complaint.id, Complaint.reference).where(Complaint.id.in_(sorted(ids)))
        )
        found.references = dict(rows.all())
    return found
