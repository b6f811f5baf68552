"""Coverage figures for the public pages, computed from the latest official snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, select
from sqlalchemy.exc import SQLAlchemyError

from portal.db import session
from portal.models import (
    CoverageSnapshot,
    DatasetFact,
    Facility,
    FacilityType,
    Region,
    Source,
    ZoneCoverage,
)

DEMO_FACT = "demo_data"


@dataclass
class Coverage:
    """Summed coverage figures for a group of facilities."""

    facilities: int = 0
    zones_total: int = 0
    zones_covered: int = 0
    cameras_installed: int = 0
    cameras_working: int = 0
    as_of: date | None = None

    @property
    def blind_spots(self) -> int:
        return self.zones_total - self.zones_covered

    @property
    def share_covered(self) -> float | None:
        return self.zones_covered / self.zones_total if self.zones_total else None

    def add(self, other: Coverage) -> None:
        self.facilities += other.facilities
        self.zones_total += other.zones_total
        self.zones_covered += other.zones_covered
        self.cameras_installed += other.cameras_installed
        self.cameras_working += other.cameras_working
        if other.as_of and (self.as_of is None or other.as_of > self.as_of):
            self.as_of = other.as_of


@dataclass
class NationalSummary:
    total: Coverage
    by_type: dict[FacilityType, Coverage]
    by_region: list[tuple[Region, Coverage]] = field(default_factory=list)
    facilities_without_figures: int = 0


def _latest_official():
    """Subquery: the date of each facility's latest official snapshot."""
    return (
        select(CoverageSnapshot.facility_id, func.max(CoverageSnapshot.as_of).label("as_of"))
        .where(CoverageSnapshot.source == Source.OFFICIAL)
        .group_by(CoverageSnapshot.facility_id)
        .subquery()
    )


def national_summary() -> NationalSummary:
    """Coverage now, nationally, by facility type and by region, in one query."""
    latest = _latest_official()
    rows = session.execute(
        select(
            Facility.region_id,
            Facility.type,
            func.count(func.distinct(Facility.id)),
            func.sum(ZoneCoverage.zones_total),
            func.sum(ZoneCoverage.zones_covered),
            func.sum(ZoneCoverage.cameras_installed),
            func.sum(ZoneCoverage.cameras_working),
            func.max(CoverageSnapshot.as_of),
        )
        .join(CoverageSnapshot, CoverageSnapshot.facility_id == Facility.id)
        .join(
            latest,
            and_(
                latest.c.facility_id == CoverageSnapshot.facility_id,
                latest.c.as_of == CoverageSnapshot.as_of,
            ),
        )
        .join(ZoneCoverage, ZoneCoverage.snapshot_id == CoverageSnapshot.id)
        .where(CoverageSnapshot.source == Source.OFFICIAL)
        .group_by(Facility.region_id, Facility.type)
    ).all()

    total = Coverage()
    by_type = {kind: Coverage() for kind in FacilityType}
    by_region_id: dict[int, Coverage] = {}
    for region_id, kind, *figures in rows:
        group = Coverage(*(int(value or 0) for value in figures[:5]), as_of=figures[5])
        total.add(group)
        by_type[kind].add(group)
        by_region_id.setdefault(region_id, Coverage()).add(group)

    regions = session.scalars(select(Region).order_by(Region.id)).all()
    all_facilities = session.scalar(select(func.count(Facility.id))) or 0
    return NationalSummary(
        total=total,
        by_type=by_type,
        by_region=[(region, by_region_id.get(region.id, Coverage())) for region in regions],
        facilities_without_figures=all_facilities - total.facilities,
    )


def is_demo_dataset() -> bool:
    """True when the database holds generated demonstration data.

    Called by every page's layout, error pages included: when the database
    itself is failing, the error page must still render, so a failure here
    counts as "no demo data" (such a page shows no data at all).
    """
    try:
        return session.get(DatasetFact, DEMO_FACT) is not None
    except SQLAlchemyError:
        session.rollback()
        return False
