"""Counting complaints for publication: leaf counts from SQL, totals, and their relations.

The building blocks of :func:`portal.stats.complaints.complaint_statistics`:
two grouped queries give the count of every leaf place (facility, a region's
unknown place, the unknown region) per quarter and category; :func:`totals`
sums them up the geography and the periods; :func:`relations` lists every
"total = sum of parts" the suppression must respect. Quarters are taken from
the date a complaint was received, in UTC.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, func, literal_column, select, type_coerce
from sqlalchemy.orm import Session

from portal.models import Category, Complaint, ComplaintCategory

ALL = "all"
#: The category slices, in the order files list them: "all" first, then each category.
CATEGORIES: tuple[str, ...] = (ALL, *(c.value for c in Category))
#: Levels of geography, as they appear in :meth:`ComplaintStatistics.rows`.
LEVELS = ("national", "region", "facility", "unknown_place", "unknown_region")

#: (category, level, region or facility id, period)
Node = tuple[str, str, int | None, str]
_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter key from ``first`` to ``last``, both included."""
    year, quarter = int(first[:4]), int(first[-1])
    keys = []
    while (key := f"{year}-Q{quarter}") <= last:
        keys.append(key)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return keys


def all_places(
    region_ids: tuple[int, ...], facility_regions: Mapping[int, int]
) -> list[tuple[str, int | None]]:
    """Every place as (level, id): country, unknown region, then each region with its own."""
    by_region: dict[int, list[int]] = defaultdict(list)
    for facility_id, region_id in sorted(facility_regions.items()):
        by_region[region_id].append(facility_id)
    places: list[tuple[str, int | None]] = [("national", None), ("unknown_region", None)]
    for region_id in region_ids:
        places += [("region", region_id), ("unknown_place", region_id)]
        places += [("facility", facility_id) for facility_id in by_region[region_id]]
    return places


def period_order(quarters: tuple[str, ...]) -> list[str]:
    """The period keys in file order: all time, then each year followed by its quarters."""
    order = [ALL]
    for year in sorted({quarter[:4] for quarter in quarters}):
        order.append(year)
        order.extend(q for q in quarters if q.startswith(year))
    return order


def quarter_sql(dialect: str) -> Any:
    """SQL for the quarter key ("2025-Q3") of created_at in UTC; None: Python must do it.

    Literal SQL, not bound parameters: PostgreSQL would otherwise see the
    SELECT and GROUP BY expressions as different.
    """
    column = f"{Complaint.__tablename__}.created_at"
    if dialect == "sqlite":  # stored as naive UTC text, "YYYY-MM-DD HH:MM:SS.ffffff"
        return literal_column(
            f"substr({column}, 1, 4) || '-Q' || ((substr({column}, 6, 2) + 2) / 3)"
        )
    if dialect == "postgresql":
        return literal_column(f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-"Q"Q')""")
    return None


def quarter_key(moment: datetime | str) -> str:
    """The quarter key of a UTC datetime, or a quarter key from SQL checked."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
        return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"
    if not _QUARTER.match(moment):
        raise ValueError(f"unexpected quarter from the database: {moment!r}")
    return moment


def leaf_counts(
    db: Session, facility_regions: Mapping[int, int], before: datetime | None = None
) -> dict[Node, int]:
    """Counts per (category, leaf place, quarter), from two grouped queries.

    Leaf places are facilities, each region's unknown place, and the unknown
    region. A complaint's facility decides its region; without a facility its
    own region_id does. With ``before``, only complaints received before that
    moment are counted.
    """
    quarter = quarter_sql(db.get_bind().dialect.name)
    when = quarter if quarter is not None else Complaint.created_at
    place = (Complaint.facility_id, Complaint.region_id, when)
    category = type_coerce(ComplaintCategory.category, String())
    everything = select(*place, func.count()).group_by(*place)
    by_category = (
        select(*place, category, func.count())
        .join(ComplaintCategory, ComplaintCategory.complaint_id == Complaint.id)
        .group_by(*place, category)
    )
    if before is not None:
        everything = everything.where(Complaint.created_at < before)
        by_category = by_category.where(Complaint.created_at < before)
    leaves: dict[Node, int] = defaultdict(int)

    def leaf(facility_id: int | None, region_id: int | None) -> tuple[str, int | None]:
        if facility_id is not None and facility_id in facility_regions:
            return "facility", facility_id
        if region_id is not None:
            return "unknown_place", region_id
        return "unknown_region", None

    connection = db.connection()
    for facility_id, region_id, moment, count in connection.execute(everything):
        leaves[(ALL, *leaf(facility_id, region_id), quarter_key(moment))] += count
    for facility_id, region_id, moment, name, count in connection.execute(by_category):
        leaves[(name, *leaf(facility_id, region_id), quarter_key(moment))] += count
    return leaves


def sum_up(leaves: Mapping[Node, int], facility_regions: Mapping[int, int]) -> dict[Node, int]:
    """Every non-zero count: leaves summed up the geography, then up the periods."""
    by_quarter: dict[Node, int] = defaultdict(int)
    for (category, level, ident, quarter), count in leaves.items():
        by_quarter[(category, level, ident, quarter)] += count
        if level == "facility":
            by_quarter[(category, "region", facility_regions[ident], quarter)] += count
        elif level == "unknown_place":
            by_quarter[(category, "region", ident, quarter)] += count
        by_quarter[(category, "national", None, quarter)] += count
    totals: dict[Node, int] = defaultdict(int, by_quarter)
    for (category, level, ident, quarter), count in by_quarter.items():
        totals[(category, level, ident, quarter[:4])] += count
        totals[(category, level, ident, ALL)] += count
    return totals


def relations_among(
    totals: Mapping[Node, int],
    places: list[tuple[str, int | None]],
    periods: list[str],
    facility_regions: Mapping[int, int],
) -> tuple[dict[Node, int], list[tuple[Node, tuple[Node, ...]]]]:
    """The non-zero nodes in a stable order, and every relation among them (zeros left out)."""
    members: dict[tuple[str, int | None], list[tuple[str, int | None]]] = defaultdict(list)
    for level, ident in places:
        if level in ("region", "unknown_region"):
            members[("national", None)].append((level, ident))
        elif level == "unknown_place":
            members[("region", ident)].append((level, ident))
        elif level == "facility":
            members[("region", facility_regions[ident])].append((level, ident))
    years = {period: [q for q in periods if q.startswith(period + "-Q")] for period in periods}
    years[ALL] = [period for period in periods if len(period) == 4]
    nodes: dict[Node, int] = {}
    relations: list[tuple[Node, tuple[Node, ...]]] = []
    for category in CATEGORIES:
        for place in places:
            for period in periods:
                node = (category, *place, period)
                if node not in totals:
                    continue
                nodes[node] = totals[node]
                parts = [(category, *place, p) for p in years.get(period, ())]
                if parts:
                    relations.append((node, tuple(p for p in parts if p in totals)))
                kids = [(category, *kid, period) for kid in members.get(place, ())]
                if kids:
                    relations.append((node, tuple(k for k in kids if k in totals)))
    return nodes, relations
