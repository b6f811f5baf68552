"""Complaint statistics as published: every count, for every page and file, suppressed once.

Pages, CSV, JSON, the API and feeds all read their complaint counts from one
:class:`ComplaintStatistics`, built by :func:`complaint_statistics` with a
single call of :func:`~portal.stats.suppression.suppress`. A count hidden on
one page therefore cannot be recovered from another page or file.

What is counted: complaints received, by the date they were received
(``created_at``, taken in UTC), whatever their later status, up to the end of
the last complete month or quarter (:mod:`portal.stats.schedule`). Dimensions:

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
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.caching import published_period, version
from portal.models import Complaint, Facility, Region
from portal.stats.counting import (
    ALL,
    CATEGORIES,
    LEVELS,
    Node,
    all_places,
    leaf_counts,
    period_order,
    quarter_range,
    relations_among,
    sum_up,
)
from portal.stats.schedule import Publication, fingerprint, publication
from portal.stats.suppression import determined, suppress

__all__ = [
    "ALL",
    "CATEGORIES",
    "LEVELS",
    "ComplaintStatistics",
    "cached_complaint_statistics",
    "clear_cache",
    "complaint_statistics",
    "published_statistics",
]

#: A rebuild happens at least this often, for changes the data version cannot see.
MAX_AGE_SECONDS = 300.0
#: The data version is asked for at most this often (new complaints show up within it).
RECHECK_SECONDS = 5.0

#: "all", a year ("2025" or 2025) or a quarter ("2025-Q3")
Period = str | int
_PERIOD = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


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

    #: The UTC date of the latest complaint counted; None when there are none (never published).
    as_of: date | None
    #: The end of the period counted ("as of" on every page and file); None: every complaint.
    period_end: date | None
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
        periods = period_order(self.quarters)
        for level, ident in all_places(self.region_ids, self.facility_regions):
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


def complaint_statistics(db: Session, published: Publication | None = None) -> ComplaintStatistics:
    """Compute and suppress every complaint count the portal may publish, in one pass.

    Two grouped queries (complaints, and complaint categories, by facility,
    region and quarter), aggregation in Python, then one call of ``suppress``
    over all places, periods and categories together. Works on SQLite and
    PostgreSQL. With ``published``, only complaints received before its cutoff
    count; without, every complaint does. Views use :func:`published_statistics`.
    """
    before = published.cutoff if published else None
    region_ids = tuple(db.scalars(select(Region.id).order_by(Region.id)))
    facility_regions = dict(db.execute(select(Facility.id, Facility.region_id)).all())
    latest = select(func.max(Complaint.created_at))
    last = db.scalar(latest.where(Complaint.created_at < before) if before else latest)
    leaves = leaf_counts(db, facility_regions, before)
    present = sorted({node[3] for node in leaves})
    quarters = tuple(quarter_range(present[0], present[-1]) if present else ())
    places = all_places(region_ids, facility_regions)
    nodes, relations = relations_among(
        sum_up(leaves, facility_regions), places, period_order(quarters), facility_regions
    )
    return ComplaintStatistics(
        as_of=last.astimezone(UTC).date() if last else None,
        period_end=published.period_end if published else None,
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


def data_version(db: Session, published: Publication) -> tuple[Any, ...]:
    """A cheap fingerprint of what ``published`` statistics depend on, in two small queries.

    The counted complaints (:func:`portal.stats.schedule.fingerprint`: how many,
    their latest ``updated_at``) and the count and highest id of facilities.
    Complaints received after the period's end change nothing. Edits that leave
    this fingerprint unchanged (a facility moved to another region) are picked
    up by the rebuild every :data:`MAX_AGE_SECONDS`.
    """
    facilities = db.execute(select(func.count(Facility.id), func.max(Facility.id))).one()
    return (*fingerprint(db, published), *facilities)


def cached_complaint_statistics(
    db: Session,
    max_age: float = MAX_AGE_SECONDS,
    recheck: float = RECHECK_SECONDS,
    version: Any = None,
    published: Publication | None = None,
) -> ComplaintStatistics:
    """The statistics for ``db``'s database as ``published`` (default: as of now), rebuilt
    only when their data version changed.

    Cached in this process, per database engine. Web requests use
    :func:`published_statistics`, which passes the request's own versions, so
    the statistics always match the ETag of the page they appear on. Without a
    version, the version query here runs at most once per ``recheck`` seconds
    (and whenever the period has changed). A rebuild happens when the version
    changed or the statistics are older than ``max_age``. One thread rebuilds
    while the others wait for its result.
    """
    bind = db.get_bind()
    engine: Engine = getattr(bind, "engine", bind)
    published = published or publication()
    if version is None:
        entry = _cache.get(engine)
        now = time.monotonic()
        if (
            entry
            and entry.version[0] == published
            and now - entry.checked < recheck
            and now - entry.built < max_age
        ):
            return entry.statistics
        version = data_version(db, published)
    key = (published, version)

    def fresh() -> ComplaintStatistics | None:
        entry = _cache.get(engine)
        now = time.monotonic()
        if entry and entry.version == key and now - entry.built < max_age:
            entry.checked = now
            return entry.statistics
        return None

    if (found := fresh()) is not None:
        return found
    with _lock:
        if (found := fresh()) is not None:
            return found
        statistics = complaint_statistics(db, published)
        now = time.monotonic()
        _cache[engine] = _Entry(key, now, now, statistics)
        return statistics


def published_statistics(db: Session) -> ComplaintStatistics:
    """The statistics a web request publishes: as of its period, keyed by its data versions."""
    return cached_complaint_statistics(
        db, version=version(("coverage", "complaints")).digest, published=published_period()
    )


def clear_cache() -> None:
    """Forget every cached statistics object (tests, or after a bulk import)."""
    with _lock:
        _cache.clear()
