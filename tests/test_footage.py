"""The footage deadline: the last day an incident's recordings should still exist."""

from __future__ import annotations

from datetime import date

import pytest

from portal.casework.footage import (
    NEAR_DAYS,
    FootageState,
    complaint_deadline,
    deadline_for,
    retention_for,
)
from portal.models import DatePrecision, Source, ZoneType
from tests import factories

INCIDENT = date(2026, 11, 1)
DEFAULT = 30


@pytest.mark.parametrize(
    ("today", "state", "left"),
    [
        (date(2026, 11, 2), FootageState.OPEN, 29),  # well inside the window
        (date(2026, 11, 23), FootageState.OPEN, NEAR_DAYS + 1),
        (date(2026, 11, 24), FootageState.NEAR, NEAR_DAYS),  # flagged from here
        (date(2026, 12, 1), FootageState.NEAR, 0),  # the deadline day: the last chance
        (date(2026, 12, 2), FootageState.PAST, -1),  # overwritten
        (date(2027, 3, 1), FootageState.PAST, -90),
    ],
)
def test_inside_at_the_edge_of_and_past_the_retention_window(today, state, left):
    found = deadline_for(INCIDENT, DatePrecision.DAY, 30, DEFAULT, today)
    assert found.deadline == date(2026, 12, 1)
    assert (found.state, found.days_left, found.assumed) == (state, left, False)


def test_an_incident_known_by_its_month_counts_from_the_first_day():
    found = deadline_for(date(2026, 11, 1), DatePrecision.MONTH, 10, DEFAULT, date(2026, 11, 5))
    assert found.deadline == date(2026, 11, 11)


def test_unknown_retention_takes_the_conservative_default_and_says_so():
    found = deadline_for(INCIDENT, DatePrecision.DAY, None, 14, date(2026, 11, 2))
    assert (found.deadline, found.assumed, found.retention_days) == (date(2026, 11, 15), True, 14)


def test_no_incident_date_no_deadline():
    found = deadline_for(None, DatePrecision.DAY, 30, DEFAULT, date(2026, 11, 2))
    assert (found.deadline, found.state, found.days_left) == (None, FootageState.UNKNOWN, None)


def _retention(snapshot, days: dict[ZoneType, int | None]) -> None:
    for zone in snapshot.zones:
        zone.retention_days = days.get(zone.zone_type, zone.retention_days)


def test_the_retention_in_force_on_the_incident_day_of_the_zones_named(db):
    zones = {ZoneType.CELLS: (10, 8), ZoneType.CORRIDORS: (4, 4), ZoneType.MEDICAL: (2, 1)}
    facility = factories.facility(db)
    early = factories.snapshot(db, facility=facility, zones=zones, as_of=date(2026, 3, 31))
    late = factories.snapshot(db, facility=facility, zones=zones, as_of=date(2026, 9, 30))
    check = factories.snapshot(
        db, facility=facility, zones=zones, as_of=date(2026, 9, 30), source=Source.INDEPENDENT
    )
    _retention(early, {ZoneType.CELLS: 15, ZoneType.CORRIDORS: 20, ZoneType.MEDICAL: None})
    _retention(late, {ZoneType.CELLS: 60, ZoneType.CORRIDORS: 90, ZoneType.MEDICAL: 45})
    _retention(check, {ZoneType.CELLS: 60, ZoneType.CORRIDORS: 40, ZoneType.MEDICAL: None})
    db.commit()

    in_summer = date(2026, 7, 1)
    assert retention_for(db, facility.id, in_summer) == 15  # the shortest goes first
    assert retention_for(db, facility.id, in_summer, [ZoneType.CORRIDORS]) == 20
    assert retention_for(db, facility.id, in_summer, [ZoneType.MEDICAL]) is None  # not known
    in_autumn = date(2026, 10, 5)
    assert retention_for(db, facility.id, in_autumn, [ZoneType.CORRIDORS]) == 40  # monitors'
    assert retention_for(db, facility.id, in_autumn, [ZoneType.MEDICAL]) == 45
    assert retention_for(db, facility.id, date(2025, 1, 1)) == 15  # before any: the earliest
    assert retention_for(db, None, in_summer) is None


def test_a_complaint_gets_its_facilitys_deadline_else_the_default(db):
    facility = factories.facility(db)
    snapshot = factories.snapshot(db, facility=facility, as_of=date(2026, 6, 30))
    _retention(snapshot, {ZoneType.CELLS: 21})
    known = factories.complaint(db, facility=facility, incident_date=date(2026, 11, 1))
    unknown = factories.complaint(db, incident_date=date(2026, 11, 1))
    db.commit()
    today = date(2026, 11, 10)
    assert complaint_deadline(db, known, DEFAULT, today).deadline == date(2026, 11, 22)
    fallback = complaint_deadline(db, unknown, DEFAULT, today)
    assert fallback.deadline == date(2026, 12, 1) and fallback.assumed
