"""Complaint statistics as published: every count, for every page and file, suppressed once.

Pages, CSV, JSON, the API and feeds all read their complaint counts from one
:class:`ComplaintStatistics`, built by :func:`complaint_statistics` with a
single call of :func:`~portal.stats.suppression.suppress`. A count hidden on
one page therefore cannot be recovered from another page or file.

What is counted: complaints received, by the date they were received
(``created_at``, taken in UTC), whatever their later status. Dimensions:

- geography: the country; each region; each facility (in its facility's
  region); per region an "unknown place" bucket for complaints naming the
  region but no facility; and a national "unknown region" bucket for
  complaints naming neither, so that every total is the exact sum of its parts;
- period: all time, each calendar year, each quarter ("2025-Q3"), from the
  first quarter with a complaint to the last;
- category: ``"all"`` (complaints) and each :class:`~portal.models.Category`
  (complaints having that category). A complaint may have several categories,
  so categories do not add up to "all"; each is a separate slice.

Relations given to ``suppress``: country = regions + unknown region; region =
its facilities + its unknown place (for every period and category); all time =
years; year = its quarters (for every place and category).

Zero counts are left out of the structure given to ``suppress`` and read back
as 0. This changes nothing: a zero is never hidden (primary suppression hides
1-9, and secondary suppression only ever picks a non-zero part or a total,
which is non-zero whenever one of its parts is hidden), and a shown zero is
a known constant that adds no unknown and no information to any relation.
:func:`rows` still lists every zero explicitly.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import String, func, literal_column, select, type_coerce
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.models import Category, Complaint, ComplaintCategory, Facility, Region
from portal.stats.suppression import determined, suppress

ALL = "all"
#: The category slices, in the order files list them: "all" first, then each category.
CATEGORIES: tuple[str, ...] = (ALL, *(c.value for c in Category))
#: Levels of geography, as they appear in :meth:`ComplaintStatistics.rows`.
LEVELS = ("national", "region", "facility", "unknown_place", "unknown_region")
#: A rebuild happens at least this often, for changes the data version cannot see.
MAX_AGE_SECONDS = 300.0
#: The data version is asked for at most this often (new complaints show up within it).
RECHECK_SECONDS = 5.0

#: (category, level, region or facility id, period)
Node = tuple[str, str, int | None, str]
#: "all", a year ("2025" or 2025) or a quarter ("2025-Q3")
Period = str | int
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")


def _quarter_range(first: str, last: str) -> list[str]:
    """Every quarter key from ``first`` to ``last``, both included."""
    year, quarter = int(first[:4]), int(first[-1])
    keys = []
    while (key := f"{year}-Q{quarter}") <= last:
        keys.append(key)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return keys


def _normalise(period: Period, category: str) -> tuple[str, str]:
    """Period and category as stored keys; ValueError for anything malformed."""
    period = str(period)
    if period != ALL and not _PERIOD.match(period):
        raise ValueError(f"not a period: {period!r} (use 'all', '2025' or '2025-Q3')")
    category = str(category)  # a Category is a StrEnum: str() gives its value
    if category not in CATEGORIES:
        raise ValueError(f"not a complaint category: {category!r}")
    return period, category


@dataclass(frozen=True, eq=False)
class ComplaintStatistics:
    """Every publishable complaint count, already suppressed; read-only and shared between threads.

    Accessors return the count to publish, or None when it must be shown as
    "<10" (see :func:`~portal.stats.suppression.display`). A place, period or
    category without complaints gives 0; a facility created after the
    statistics were built gives 0 too (any complaint would have rebuilt them).
    """

    #: The UTC date of the latest complaint counted; None when there are none.
    as_of: date | None
    #: Every region, in id order.
    region_ids: tuple[int, ...]
    #: facility id -> region id, for every facility that existed when built.
    facility_regions: Mapping[int, int]
    #: The quarter keys covered, first to last complaint, without gaps.
    quarters: tuple[str, ...]
    #: Suppressed counts of every non-zero node; a node not here is a shown 0.
    _published: Mapping[Node, int | None]
    #: The relations (total, parts) given to ``suppress``, among non-zero counts.
    relations: tuple[tuple[Node, tuple[Node, ...]], ...]

    def _get(self, level: str, ident: int | None, period: Period, category: str) -> int | None:
        period, category = _normalise(period, category)
        return self._published.get((category, level, ident, period), 0)

    def national(self, period: Period = ALL, category: str = ALL) -> int | None:
        """Complaints received in the whole country (None: hidden, show "<10")."""
        return self._get("national", None, period, category)

    def region(self, region_id: int, period: Period = ALL, category: str = ALL) -> int | None:
        """Complaints received about places in one region, known facility or not."""
        return self._get("region", region_id, period, category)

    def facility(self, facility_id: int, period: Period = ALL, category: str = ALL) -> int | None:
        """Complaints received about one facility."""
        return self._get("facility", facility_id, period, category)

    def unknown_place(
        self, region_id: int, period: Period = ALL, category: str = ALL
    ) -> int | None:
        """Complaints naming a region but no facility on the list."""
        return self._get("unknown_place", region_id, period, category)

    def unknown_region(self, period: Period = ALL, category: str = ALL) -> int | None:
        """Complaints naming neither a facility nor a region (counted only nationally)."""
        return self._get("unknown_region", None, period, category)

    def periods(self) -> list[str]:
        """Every quarter key covered, sorted ("2024-Q1", …): first to last complaint."""
        return list(self.quarters)

    def years(self) -> list[str]:
        """Every calendar year covered, sorted ("2024", …)."""
        return sorted({quarter[:4] for quarter in self.quarters})

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every count as a plain dict for open data, zeros included; ``count`` None = "<10".

        Keys: level, region_id, facility_id, period ("all", "2025" or
        "2025-Q3"), category ("all" or a category value), count. Ordered by
        place (country, unknown region, then each region with its unknown
        place and facilities), then period, then category.
        """
        periods = _period_order(self.quarters)
        for level, ident in _places(self.region_ids, self.facility_regions):
            region_id = self.facility_regions[ident] if level == "facility" else ident
            facility_id = ident if level == "facility" else None
            for period in periods:
                for category in CATEGORIES:
                    yield {
                        "level": level,
                        "region_id": region_id,
                        "facility_id": facility_id,
                        "period": period,
                        "category": category,
                        "count": self._published.get((category, level, ident, period), 0),
                    }

    def hidden_nodes(self) -> list[Node]:
        """Every suppressed count, as (category, level, id, period)."""
        return [node for node, value in self._published.items() if value is None]

    def audit(self) -> set[Node]:
        """Hidden counts that the published ones would reveal; always empty (a self-check)."""
        return determined(self.hidden_nodes(), self.relations)


# --- building ------------------------------------------------------------------------------


def _places(
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


def _period_order(quarters: tuple[str, ...]) -> list[str]:
    """The period keys in file order: all time, then each year followed by its quarters."""
    order = [ALL]
    for year in sorted({quarter[:4] for quarter in quarters}):
        order.append(year)
        order.extend(q for q in quarters if q.startswith(year))
    return order


def _quarter_sql(dialect: str) -> Any:
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


def _quarter(moment: datetime | str) -> str:
    """The quarter key of a UTC datetime, or a quarter key from SQL checked."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC)
        return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"
    if not _QUARTER.match(moment):
        raise ValueError(f"unexpected quarter from the database: {moment!r}")
    return moment


def _leaf_counts(db: Session, facility_regions: Mapping[int, int]) -> dict[Node, int]:
    """Counts per (category, leaf place, quarter), from two grouped queries.

    Leaf places are facilities, each region's unknown place, and the unknown
    region. A complaint's facility decides its region; without a facility its
    own region_id does.
    """
    quarter = _quarter_sql(db.get_bind().dialect.name)
    when = quarter if quarter is not None else Complaint.created_at
    place = (Complaint.facility_id, Complaint.region_id, when)
    category = type_coerce(ComplaintCategory.category, String())
    everything = select(*place, func.count()).group_by(*place)
    by_category = (
        select(*place, category, func.count())
        .join(ComplaintCategory, ComplaintCategory.complaint_id == Complaint.id)
        .group_by(*place, category)
    )
    leaves: dict[Node, int] = defaultdict(int)

    def leaf(facility_id: int | None, region_id: int | None) -> tuple[str, int | None]:
        if facility_id is not None and facility_id in facility_regions:
            return "facility", facility_id
        if region_id is not None:
            return "unknown_place", region_id
        return "unknown_region", None

    connection = db.connection()
    for facility_id, region_id, moment, count in connection.execute(everything):
        leaves[(ALL, *leaf(facility_id, region_id), _quarter(moment))] += count
    for facility_id, region_id, moment, name, count in connection.execute(by_category):
        leaves[(name, *leaf(facility_id, region_id), _quarter(moment))] += count
    return leaves


def _totals(leaves: Mapping[Node, int], facility_regions: Mapping[int, int]) -> dict[Node, int]:
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


def _relations(
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


def complaint_statistics(db: Session) -> ComplaintStatistics:
    """Compute and suppress every complaint count the portal may publish, in one pass.

    Two grouped queries (complaints, and complaint categories, by facility,
    region and quarter), aggregation in Python, then one call of ``suppress``
    over all places, periods and categories together. Works on SQLite and
    PostgreSQL. Prefer :func:`cached_complaint_statistics` in views.
    """
    region_ids = tuple(db.scalars(select(Region.id).order_by(Region.id)))
    facility_regions = dict(db.execute(select(Facility.id, Facility.region_id)).all())
    last = db.scalar(select(func.max(Complaint.created_at)))
    leaves = _leaf_counts(db, facility_regions)
    present = sorted({node[3] for node in leaves})
    quarters = tuple(_quarter_range(present[0], present[-1]) if present else ())
    places = _places(region_ids, facility_regions)
    nodes, relations = _relations(
        _totals(leaves, facility_regions), places, _period_order(quarters), facility_regions
    )
    return ComplaintStatistics(
        as_of=last.astimezone(UTC).date() if last else None,
        region_ids=region_ids,
        facility_regions=MappingProxyType(facility_regions),
        quarters=quarters,
        _published=MappingProxyType(suppress(nodes, relations)),
        relations=tuple(relations),
    )


# --- cache ---------------------------------------------------------------------------------


@dataclass(eq=False)
class _Entry:
    version: tuple[Any, ...]
    built: float
    checked: float
    statistics: ComplaintStatistics


_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary[Engine, _Entry] = weakref.WeakKeyDictionary()


def data_version(db: Session) -> tuple[Any, ...]:
    """A cheap fingerprint of what the statistics depend on, in one SQL statement.

    Count, highest id and latest ``created_at`` of complaints, the count of
    category links, and the count and highest id of facilities: all served by
    indexes or table counts. ``max(updated_at)`` is left out on purpose: it has
    no index, and at 100,000 complaints it costs ~60 ms per call. Edits that
    leave this fingerprint unchanged (a complaint moved to another facility,
    one category swapped for another, a facility moved to another region) are
    picked up by the rebuild every :data:`MAX_AGE_SECONDS`.
    """
    row = db.execute(
        select(
            select(func.count()).select_from(Complaint).scalar_subquery(),
            select(func.max(Complaint.id)).scalar_subquery(),
            select(func.max(Complaint.created_at)).scalar_subquery(),
            select(func.count()).select_from(ComplaintCategory).scalar_subquery(),
            select(func.count()).select_from(Facility).scalar_subquery(),
            select(func.max(Facility.id)).scalar_subquery(),
        )
    ).one()
    return tuple(row)


def cached_complaint_statistics(
    db: Session,
    max_age: float = MAX_AGE_SECONDS,
    recheck: float = RECHECK_SECONDS,
    version: Any = None,
) -> ComplaintStatistics:
    """The statistics for ``db``'s database, rebuilt only when its data version changed.

    Cached in this process, per database engine. Web requests pass the
    request's own data version (:func:`portal.caching.data_version`), so the
    statistics always match the ETag of the page they appear on. Without it,
    the version query here (~2 ms on SQLite, ~30 ms on PostgreSQL at 100,000
    complaints) runs at most once per ``recheck`` seconds. A rebuild happens
    when the version changed or the statistics are older than ``max_age``.
    One thread rebuilds while the others wait for its result.
    """
    bind = db.get_bind()
    engine: Engine = getattr(bind, "engine", bind)
    if version is None:
        entry = _cache.get(engine)
        now = time.monotonic()
        if entry and now - entry.checked < recheck and now - entry.built < max_age:
            return entry.statistics
        version = data_version(db)

    def fresh() -> ComplaintStatistics | None:
        entry = _cache.get(engine)
        now = time.monotonic()
        if entry and entry.version == version and now - entry.built < max_age:
            entry.checked = now
            return entry.statistics
        return None

    if (found := fresh()) is not None:
        return found
    with _lock:
        if (found := fresh()) is not None:
            return found
        statistics = complaint_statistics(db)
        now = time.monotonic()
        _cache[engine] = _Entry(version, now, now, statistics)
        return statistics


def clear_cache() -> None:
    """Forget every cached statistics object (tests, or after a bulk import)."""
    with _lock:
        _cache.clear()
