"""The open datasets as tables: column lists and rows, built from the database.

Each builder returns a :class:`Table` whose rows hold plain Python values
(int, str, bool, date, float, None) in the order of the dataset's columns.
Coverage figures are published exactly; shares are rounded to 4 decimals.
Complaint counts come only from :mod:`portal.stats.complaints`, already
suppressed: a hidden count is None here and never a number from 1 to 9.

Builders need an application context (they read the data versions from
:data:`flask.g`); :mod:`portal.opendata.files` caches each one per version of
the data it uses (:attr:`DatasetInfo.uses`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.caching import complaints_version
from portal.db import session
from portal.models import (
    CoverageSnapshot,
    Facility,
    FacilityAlias,
    FacilityType,
    Region,
    ZoneCoverage,
)
from portal.opendata.columns import (
    COMPLAINT_STATISTICS,
    COVERAGE_NATIONAL,
    COVERAGE_REGIONS,
    COVERAGE_SNAPSHOTS,
    FACILITIES,
    DatasetInfo,
)
from portal.stats.complaints import published_statistics
from portal.stats.coverage import CoverageData, Figures, coverage_data
from portal.text import to_kk_latin

Row = list[Any]


@dataclass(frozen=True)
class Table:
    """A built dataset: what it is, its column names, its rows, and extra facts for JSON."""

    info: DatasetInfo
    rows: list[Row]
    #: Extra top-level facts for the JSON file (e.g. the date complaint counts run to).
    extra: dict[str, Any]

    @property
    def columns(self) -> list[str]:
        """The column names, in file order."""
        return [column.name for column in self.info.columns]


def share(value: float | None) -> float | None:
    """A share from 0 to 1 as published: rounded to 4 decimals (None stays None)."""
    return None if value is None else round(value, 4)


def _group_row(figures: Figures) -> Row:
    return [
        figures.facilities,
        figures.zones_total,
        figures.zones_covered,
        figures.blind_spots,
        figures.cameras_installed,
        figures.cameras_working,
        share(figures.share),
    ]


def facilities_rows() -> list[Row]:
    """Every facility with its names, former names and latest official coverage."""
    data = coverage_data()
    former: dict[int, list[str]] = {}
    other: dict[int, list[str]] = {}
    for facility_id, name, is_former in session.execute(
        select(FacilityAlias.facility_id, FacilityAlias.name, FacilityAlias.is_former).order_by(
            FacilityAlias.facility_id, FacilityAlias.id
        )
    ):
        (former if is_former else other).setdefault(facility_id, []).append(name)
    rows = []
    for row in session.execute(
        select(
            Facility.id,
            Facility.slug,
            Region.slug,
            Facility.type,
            Facility.authority,
            Facility.name_kk,
            Facility.name_ru,
            Facility.name_en,
            Facility.is_demo,
        )
        .join(Region, Region.id == Facility.region_id)
        .order_by(Facility.id)
    ):
        ident, slug, region_slug, kind, authority, name_kk, name_ru, name_en, is_demo = row
        latest = data.latest(ident)
        rows.append(
            [
                ident,
                slug,
                region_slug,
                kind.value,
                authority.value,
                name_kk,
                to_kk_latin(name_kk),
                name_ru,
                name_en,
                "; ".join(former.get(ident, ())) or None,
                "; ".join(other.get(ident, ())) or None,
                bool(is_demo),
                latest.as_of if latest else None,
                share(latest.figures.share) if latest else None,
            ]
        )
    return rows


def coverage_snapshot_rows() -> list[Row]:
    """Every snapshot × zone type, with one SQL query (no ORM objects: ~32k rows in the demo)."""
    query = (
        select(
            CoverageSnapshot.id,
            Facility.slug,
            Region.slug,
            CoverageSnapshot.as_of,
            CoverageSnapshot.source,
            CoverageSnapshot.source_note,
            ZoneCoverage.zone_type,
            ZoneCoverage.zones_total,
            ZoneCoverage.zones_covered,
            ZoneCoverage.cameras_installed,
            ZoneCoverage.cameras_working,
            ZoneCoverage.retention_days,
            CoverageSnapshot.is_demo,
        )
        .join(ZoneCoverage, ZoneCoverage.snapshot_id == CoverageSnapshot.id)
        .join(Facility, Facility.id == CoverageSnapshot.facility_id)
        .join(Region, Region.id == Facility.region_id)
        .order_by(
            CoverageSnapshot.facility_id,
            CoverageSnapshot.as_of,
            CoverageSnapshot.id,
            ZoneCoverage.id,
        )
    )
    return [
        [
            snapshot_id,
            facility_slug,
            region_slug,
            as_of,
            source.value,
            source_note,
            zone_type.value,
            total,
            covered,
            total - covered,
            installed,
            working,
            retention,
            bool(is_demo),
        ]
        for (
            snapshot_id,
            facility_slug,
            region_slug,
            as_of,
            source,
            source_note,
            zone_type,
            total,
            covered,
            installed,
            working,
            retention,
            is_demo,
        ) in session.execute(query)
    ]


def coverage_region_rows() -> list[Row]:
    """Per region and official reporting date: the carried-forward totals of its facilities."""
    data = coverage_data()
    rows = []
    for region in sorted(data.regions.values(), key=lambda r: r.id):
        facilities = data.select(region_id=region.id)
        for day in data.dates:
            rows.append([region.slug, day, *_group_row(data.total(facilities, on=day))])
    return rows


def _types_present(data: CoverageData) -> list[FacilityType]:
    present = {info.type for info in data.facilities.values()}
    return [kind for kind in FacilityType if kind in present]


def coverage_national_rows() -> list[Row]:
    """Per official reporting date: national totals, then totals per facility type."""
    data = coverage_data()
    groups = [("all", data.select())]
    groups += [(kind.value, data.select(kind=kind)) for kind in _types_present(data)]
    return [
        [day, name, *_group_row(data.total(facilities, on=day))]
        for day in data.dates
        for name, facilities in groups
    ]


def complaint_statistics_table() -> tuple[list[Row], date | None]:
    """Complaints received, from the statistics module only, with slugs instead of ids.

    Returns the rows and the end of the period they count ("as of").
    """
    stats = published_statistics(session)
    regions = dict(session.execute(select(Region.id, Region.slug)).all())
    facilities = dict(session.execute(select(Facility.id, Facility.slug)).all())
    rows = [
        [
            row["level"],
            regions.get(row["region_id"]) if row["region_id"] is not None else None,
            facilities.get(row["facility_id"]) if row["facility_id"] is not None else None,
            row["period"],
            row["category"],
            row["count"],
            row["count"] is None,
            stats.period_end,
        ]
        for row in stats.rows()
    ]
    return rows, stats.period_end


def _complaints() -> Table:
    rows, as_of = complaint_statistics_table()
    extra = {
        "complaints_as_of": as_of,
        "complaint_statistics_version": complaints_version().digest,
    }
    return Table(COMPLAINT_STATISTICS, rows, extra)


BUILDERS: dict[str, Callable[[], Table]] = {
    FACILITIES.name: lambda: Table(FACILITIES, facilities_rows(), {}),
    COVERAGE_SNAPSHOTS.name: lambda: Table(COVERAGE_SNAPSHOTS, coverage_snapshot_rows(), {}),
    COVERAGE_REGIONS.name: lambda: Table(COVERAGE_REGIONS, coverage_region_rows(), {}),
    COVERAGE_NATIONAL.name: lambda: Table(COVERAGE_NATIONAL, coverage_national_rows(), {}),
    COMPLAINT_STATISTICS.name: _complaints,
}


def build(name: str) -> Table:
    """Build one dataset afresh from the database (prefer the cached :func:`files.table`)."""
    return BUILDERS[name]()
