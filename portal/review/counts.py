"""The numbers behind the statistics page: counts of complaints, never their content.

:func:`compute` counts the complaints a SQL condition keeps (the caller's scope,
:func:`portal.auth.access.statistics_filter`, and an optional received-date range)
by category, status, region, facility and month received (UTC, as the published
statistics), and measures the time to first response: from the moment a complaint
was received to the first message sent to the complainant or the first change of
its status, whichever came first (the filing step itself is not a response). Only
counts, ids of regions and facilities, and durations leave the database: no
narrative, place text, contact, attachment, reference or complaint id is read.

When ``suppressed`` is true (a statistics-only analyst), every count goes through
the published statistics' small-count rule (:func:`portal.stats.suppression.suppress`):
counts 1-9 become hidden, with secondary suppression over the relations the page
shows (all = sum of statuses = sum of regions = sum of months; a region = sum of its
facility rows; responded + awaiting = all), and the response times are hidden when
fewer than :data:`~portal.stats.suppression.THRESHOLD` complaints were answered.
"""

from __future__ import annotations

import math
import statistics as stats
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, func, literal_column, select

from portal.db import session
from portal.models import (
    Category,
    Complaint,
    ComplaintCategory,
    Message,
    MessageDirection,
    Status,
    StatusChange,
)
from portal.stats.suppression import THRESHOLD, suppress

#: Each table of the page, in page order.
TABLES = ("category", "status", "region", "facility", "month")
#: The share of answered complaints whose first response came no later than the "p90" figure.
P90 = 0.9


@dataclass(frozen=True)
class Table:
    """One table: rows of (key, count) in display order; a count is None when hidden.

    Keys: a :class:`Category` or :class:`Status`; a region id (None: region unknown);
    a (region id, facility id) pair (facility None: a place not in the list); a
    month as the date of its first day.
    """

    name: str
    rows: list[tuple[Hashable, int | None]]


@dataclass(frozen=True)
class ResponseTimes:
    """Time to first response, in days; None when hidden or when nobody was answered yet."""

    responded: int | None
    awaiting: int | None
    median_days: float | None = None
    p90_days: float | None = None


@dataclass(frozen=True)
class Statistics:
    """Everything the page and the CSV show."""

    total: int | None
    tables: dict[str, Table]
    response: ResponseTimes
    suppressed: bool
    region_ids: set[int] = field(default_factory=set)
    facility_ids: set[int] = field(default_factory=set)


def month_sql(dialect: str):
    """SQL for the month key ("2025-07") of ``created_at`` in UTC (literal: same in GROUP BY)."""
    column = f"{Complaint.__tablename__}.created_at"
    if dialect == "postgresql":
        return literal_column(f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')")
    return literal_column(f"substr({column}, 1, 7)")  # SQLite: naive UTC text


def _grouped(condition: ColumnElement[bool], *columns) -> dict:
    query = select(*columns, func.count(Complaint.id)).where(condition).group_by(*columns)
    return {
        (row[0] if len(columns) == 1 else tuple(row[:-1])): row[-1]
        for row in session.execute(query)
    }


def _by_category(condition: ColumnElement[bool]) -> dict[Category, int]:
    query = (
        select(ComplaintCategory.category, func.count(Complaint.id))
        .join(Complaint, Complaint.id == ComplaintCategory.complaint_id)
        .where(condition)
        .group_by(ComplaintCategory.category)
    )
    return dict(session.execute(query).all())


def _first_responses(condition: ColumnElement[bool]) -> list[float]:
    """Days from receipt to first response, for every answered complaint in ``condition``."""
    changed = (
        select(StatusChange.complaint_id, func.min(StatusChange.at).label("first"))
        .where(StatusChange.old_status.is_not(None))
        .group_by(StatusChange.complaint_id)
        .subquery()
    )
    asked = (
        select(Message.complaint_id, func.min(Message.created_at).label("first"))
        .where(Message.direction == MessageDirection.TO_COMPLAINANT)
        .group_by(Message.complaint_id)
        .subquery()
    )
    query = (
        select(Complaint.created_at, changed.c.first, asked.c.first)
        .outerjoin(changed, changed.c.complaint_id == Complaint.id)
        .outerjoin(asked, asked.c.complaint_id == Complaint.id)
        .where(condition, (changed.c.first.is_not(None)) | (asked.c.first.is_not(None)))
    )
    days = []
    for received, first_change, first_message in session.execute(query):
        first = min(_aware(moment) for moment in (first_change, first_message) if moment)
        days.append(max(0.0, (first - _aware(received)).total_seconds() / 86400))
    return days


def _aware(moment: datetime | str) -> datetime:
    """A stored UTC moment as an aware datetime, however the backend returned an aggregate."""
    if isinstance(moment, str):  # SQLite keeps naive UTC text
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with ``share`` of all at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _response(days: list[float], total: int) -> ResponseTimes:
    if not days:
        return ResponseTimes(0, total)
    return ResponseTimes(len(days), total - len(days), stats.median(days), percentile(days, P90))


def compute(condition: ColumnElement[bool], *, suppressed: bool) -> Statistics:
    """Count the complaints ``condition`` keeps, table by table; suppress small counts if asked."""
    dialect = session.get_bind().dialect.name
    total = session.scalar(select(func.count(Complaint.id)).where(condition)) or 0
    statuses = _grouped(condition, Complaint.status)
    regions = _grouped(condition, Complaint.region_id)
    facilities = _grouped(condition, Complaint.region_id, Complaint.facility_id)
    month = month_sql(dialect)
    months = {
        date(int(key[:4]), int(key[5:7]), 1): count
        for key, count in _grouped(condition, month).items()
        if key
    }
    categories = _by_category(condition)
    response = _response(_first_responses(condition), total)
    raw: dict[str, dict] = {
        "category": {c: categories[c] for c in Category if categories.get(c)},
        "status": {s: statuses[s] for s in Status if statuses.get(s)},
        "region": regions,
        "facility": facilities,
        "month": dict(sorted(months.items())),
    }
    found = Statistics(
        total=total,
        tables={name: Table(name, list(rows.items())) for name, rows in raw.items()},
        response=response,
        suppressed=suppressed,
        region_ids={key for key in regions if key is not None},
        facility_ids={key[1] for key in facilities if key[1] is not None},
    )
    return _suppressed(found, raw) if suppressed else found


def _suppressed(found: Statistics, raw: dict[str, dict]) -> Statistics:
    """The same statistics with small counts hidden, as the published ones are."""
    values: dict[Hashable, int] = {("all",): found.total or 0}
    for name, rows in raw.items():
        values.update({(name, key): count for key, count in rows.items()})
    response = found.response
    values[("responded",)] = response.responded or 0
    values[("awaiting",)] = response.awaiting or 0
    relations: list[tuple[Hashable, list[Hashable]]] = [
        (("all",), [("status", key) for key in raw["status"]]),
        (("all",), [("region", key) for key in raw["region"]]),
        (("all",), [("month", key) for key in raw["month"]]),
        (("all",), [("responded",), ("awaiting",)]),
    ]
    for region in raw["region"]:
        parts = [("facility", key) for key in raw["facility"] if key[0] == region]
        relations.append((("region", region), parts))
    shown = suppress(values, [(total, parts) for total, parts in relations if parts])
    answered = shown[("responded",)]
    times_shown = answered is not None and answered >= THRESHOLD
    return Statistics(
        total=shown[("all",)],
        tables={
            name: Table(name, [(key, shown[(name, key)]) for key in rows])
            for name, rows in raw.items()
        },
        response=ResponseTimes(
            answered,
            shown[("awaiting",)],
            response.median_days if times_shown else None,
            response.p90_days if times_shown else None,
        ),
        suppressed=True,
        region_ids=found.region_ids,
        facility_ids=found.facility_ids,
    )
