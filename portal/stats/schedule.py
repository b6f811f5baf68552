"""The publication schedule of complaint statistics: counts as of the end of the last closed period.

Published complaint counts do not follow every new complaint: comparing two
downloads a day apart would tell that a complaint about one facility arrived
that day. They are computed as of the end of the last complete month (or
quarter, ``PORTAL_COMPLAINT_STATS_PERIOD``): only complaints received before
that moment count, so a complaint filed today changes nothing until its
period has closed, and then it appears together with everything else received
in that period.

Periods close at midnight UTC, the same day boundary by which counts are sorted
into quarters and years (:mod:`portal.stats.complaints`), so a closed quarter's
count never changes because of a complaint received later. In Kazakhstan
(UTC+5) that is 05:00 on the first day of the next period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal import clock
from portal.models import Complaint

#: Publication periods; the first is the default.
PERIODS = ("month", "quarter")


@dataclass(frozen=True)
class Publication:
    """What the published complaint statistics count: complaints received before ``cutoff``."""

    #: "month" or "quarter".
    period: str
    #: The last day (UTC) of the last complete period: what "as of" says.
    period_end: date

    @property
    def cutoff(self) -> datetime:
        """The first moment not counted: midnight UTC after :attr:`period_end`."""
        return datetime.combine(self.period_end + timedelta(days=1), time(0), UTC)


def period_end(day: date, period: str = "month") -> date:
    """The last day of the last month (or quarter) that ended before ``day``."""
    if period not in PERIODS:
        raise ValueError(f"not a publication period: {period!r} (use month or quarter)")
    first = day.replace(day=1)
    if period == "quarter":
        first = first.replace(month=(day.month - 1) // 3 * 3 + 1)
    return first - timedelta(days=1)


def publication(moment: datetime | None = None, period: str | None = None) -> Publication:
    """The statistics to publish at ``moment`` (default: now) for ``period`` (default: config)."""
    period = period or current_app.config["COMPLAINT_STATS_PERIOD"]
    moment = clock.now() if moment is None else moment
    return Publication(period, period_end(moment.astimezone(UTC).date(), period))


class Fingerprint(NamedTuple):
    """What changes when the counted complaints change (see :func:`fingerprint`)."""

    period: str
    period_end: date
    counted: int
    last_update: datetime | None


def fingerprint(db: Session, published: Publication) -> Fingerprint:
    """A cheap fingerprint of the complaints that ``published`` counts, in one SQL statement.

    Their number (one removed) and their latest ``updated_at`` (indexed): a
    counted complaint moved to another facility or region, or given other
    categories (the model touches ``updated_at`` then). Complaints received
    after the cutoff change neither.
    """
    later = Complaint.created_at >= published.cutoff
    every, received_later, last_update = db.execute(
        select(
            # All minus the few received later: cheaper than counting an index range.
            select(func.count()).select_from(Complaint).scalar_subquery(),
            select(func.count()).select_from(Complaint).where(later).scalar_subquery(),
            select(func.max(Complaint.updated_at)).where(~later).scalar_subquery(),
        )
    ).one()
    return Fingerprint(published.period, published.period_end, every - received_later, last_update)
