"""The portal's one clock: the current moment, and today's date in Kazakhstan.

Everything that depends on the time of day (the date a complaint is received,
the receipt resubmission window, follow-up sessions, the publication schedule
of complaint statistics) asks :func:`now`, so a test that replaces it moves
every clock of the portal at once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

#: Kazakhstan's time zone (one zone, UTC+5, since 1 March 2024).
KAZAKHSTAN = timezone(timedelta(hours=5), "UTC+5")


def now() -> datetime:
    """The current moment, timezone-aware, in UTC (tests replace this to move the clock)."""
    return datetime.now(UTC)


def kazakhstan_date(moment: datetime) -> date:
    """The calendar date in Kazakhstan at ``moment`` (a timezone-aware datetime)."""
    return moment.astimezone(KAZAKHSTAN).date()


def today() -> date:
    """Today's date in Kazakhstan, where incidents happen and readers live."""
    return kazakhstan_date(now())
