"""When the recordings of an incident will be overwritten, so reviewers ask in time.

Custody cameras record in a loop: a facility keeps its recordings for a number
of days (``retention_days`` in its coverage figures, per zone type) and then
records over them. A request to preserve the footage of an incident only helps
before that day. For an incident on day *D* in zones kept *R* days, the last
day the recordings still exist is *D + R*: the **deadline**.

- The retention is the one in force on the incident's day (the facility's
  latest figures dated on or before it, else its earliest ones), the shortest
  of the named zones (all zones when none is named) and of the sources, since
  the footage that goes first decides.
- Where the facility's figures say nothing, a conservative default
  (``PORTAL_FOOTAGE_RETENTION_DAYS``, 30 days) is used and the deadline says so.
- An incident known only by its month counts from the month's first day: the
  earliest day it may have happened, so the deadline is never late.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal.models import CoverageSnapshot, DatePrecision, ZoneType

#: Days before the deadline from which a case is flagged in the queue.
NEAR_DAYS = 7


class FootageState(enum.StrEnum):
    """Where a case stands against its footage deadline."""

    UNKNOWN = "unknown"  # no incident date: nobody can tell
    OPEN = "open"  # more than NEAR_DAYS days left
    NEAR = "near"  # NEAR_DAYS days or fewer left, the deadline day included
    PAST = "past"  # the recordings have probably been overwritten


@dataclass(frozen=True)
class FootageDeadline:
    """The last day an incident's recordings should still exist, and what that means today."""

    deadline: date | None
    retention_days: int | None
    assumed: bool  # the retention is the configured default, not the facility's figure
    state: FootageState
    days_left: int | None  # 0 on the deadline day, negative after it


def retention_for(
    db: Session, facility_id: int | None, on: date, zones: Iterable[ZoneType] = ()
) -> int | None:
    """The facility's recording retention on day ``on`` for ``zones`` (all when empty), or None."""
    if facility_id is None:
        return None
    return retention_in(_snapshots(db, [facility_id]).get(facility_id, []), on, zones)


def _snapshots(db: Session, facility_ids: Iterable[int]) -> dict[int, list[CoverageSnapshot]]:
    """Every snapshot of these facilities with its zones, oldest first, in one query."""
    found: dict[int, list[CoverageSnapshot]] = {}
    wanted = sorted(set(facility_ids))
    if not wanted:
        return found
    for snapshot in db.scalars(
        select(CoverageSnapshot)
        .where(CoverageSnapshot.facility_id.in_(wanted))
        .options(selectinload(CoverageSnapshot.zones))
        .order_by(CoverageSnapshot.as_of)
    ):
        found.setdefault(snapshot.facility_id, []).append(snapshot)
    return found


def retention_in(
    snapshots: list[CoverageSnapshot], on: date, zones: Iterable[ZoneType] = ()
) -> int | None:
    """The retention in force on ``on`` among one facility's ``snapshots`` (oldest first)."""
    if not snapshots:
        return None
    before = [snapshot for snapshot in snapshots if snapshot.as_of <= on]
    in_force = before[-1].as_of if before else snapshots[0].as_of
    wanted = set(zones)
    days = [
        zone.retention_days
        for snapshot in snapshots
        if snapshot.as_of == in_force
        for zone in snapshot.zones
        if zone.retention_days is not None and (not wanted or zone.zone_type in wanted)
    ]
    return min(days) if days else None


def deadline_for(
    incident: date | None,
    precision: DatePrecision,
    retention_days: int | None,
    default_days: int,
    today: date,
) -> FootageDeadline:
    """The footage deadline of an incident, and its state on ``today``."""
    assumed = retention_days is None
    days = default_days if retention_days is None else retention_days
    if incident is None:
        return FootageDeadline(None, days, assumed, FootageState.UNKNOWN, None)
    first_day = incident.replace(day=1) if precision == DatePrecision.MONTH else incident
    deadline = first_day + timedelta(days=days)
    left = (deadline - today).days
    if left < 0:
        state = FootageState.PAST
    elif left <= NEAR_DAYS:
        state = FootageState.NEAR
    else:
        state = FootageState.OPEN
    return FootageDeadline(deadline, days, assumed, state, left)


def complaint_deadline(
    db: Session, complaint, default_days: int, today: date, zones: Iterable[ZoneType] = ()
) -> FootageDeadline:
    """The footage deadline of a complaint (its facility's figures, else the default)."""
    incident = complaint.incident_date
    retention = (
        retention_for(db, complaint.facility_id, incident, zones) if incident is not None else None
    )
    return deadline_for(incident, complaint.incident_date_precision, retention, default_days, today)


def complaint_deadlines(
    db: Session, complaints: Iterable, default_days: int, today: date
) -> dict[int, FootageDeadline]:
    """The footage deadline of many complaints (by id), as :func:`complaint_deadline` gives each.

    The facilities' figures are read in one query, so a queue or an export of
    thousands of complaints costs one query, not one per complaint.
    """
    complaints = list(complaints)
    snapshots = _snapshots(
        db, (c.facility_id for c in complaints if c.facility_id and c.incident_date)
    )
    found = {}
    for complaint in complaints:
        incident = complaint.incident_date
        retention = None
        if incident is not None and complaint.facility_id is not None:
            retention = retention_in(snapshots.get(complaint.facility_id, []), incident)
        found[complaint.id] = deadline_for(
            incident, complaint.incident_date_precision, retention, default_days, today
        )
    return found
