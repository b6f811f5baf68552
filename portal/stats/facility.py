"""One facility's full coverage history, zone type by zone type (read on demand, it is small)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.db import session
from portal.models import CoverageSnapshot, Source, ZoneCoverage, ZoneType


@dataclass(frozen=True)
class ZoneRow:
    zone_type: ZoneType
    zones_total: int
    zones_covered: int
    cameras_installed: int
    cameras_working: int
    retention_days: int | None

    @property
    def blind_spots(self) -> int:
        """Zones of this type without camera coverage."""
        return self.zones_total - self.zones_covered

    @property
    def share(self) -> float | None:
        """The share of zones covered (None when there are no zones)."""
        return self.zones_covered / self.zones_total if self.zones_total else None


@dataclass(frozen=True)
class FacilityDetails:
    """Zone figures of the latest official snapshot, and per zone type the share on every date."""

    latest: list[ZoneRow]
    latest_as_of: date | None
    zone_history: dict[ZoneType, list[tuple[date, float | None]]]


def facility_details(facility_id: int) -> FacilityDetails:
    """Load the per-zone figures of one facility's official snapshots."""
    rows = session.execute(
        select(CoverageSnapshot.as_of, ZoneCoverage)
        .join(ZoneCoverage, ZoneCoverage.snapshot_id == CoverageSnapshot.id)
        .where(
            CoverageSnapshot.facility_id == facility_id, CoverageSnapshot.source == Source.OFFICIAL
        )
        .order_by(CoverageSnapshot.as_of, ZoneCoverage.id)
    ).all()
    history: dict[ZoneType, list[tuple[date, float | None]]] = {}
    latest_as_of = rows[-1][0] if rows else None
    latest: list[ZoneRow] = []
    for as_of, zone in rows:
        row = ZoneRow(
            zone.zone_type,
            zone.zones_total,
            zone.zones_covered,
            zone.cameras_installed,
            zone.cameras_working,
            zone.retention_days,
        )
        history.setdefault(zone.zone_type, []).append((as_of, row.share))
        if as_of == latest_as_of:
            latest.append(row)
    order = list(ZoneType)
    latest.sort(key=lambda row: order.index(row.zone_type))
    return FacilityDetails(
        latest, latest_as_of, {zone: history[zone] for zone in ZoneType if zone in history}
    )
