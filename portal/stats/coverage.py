"""Coverage figures for the public pages: loaded once per coverage version, then kept in memory.

A few thousand snapshot totals (one row per facility, date and source) are
enough to answer every public question: the national, regional and per-type
picture on any date, the trend, each facility's band and whether it stalls or
slips back, and the gap between official figures and independent checks. The
figure of a group on a date is the sum of each facility's latest official
snapshot on or before that date (a facility that reported nothing new keeps
its last figure).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from portal.caching import VersionedCache, coverage_version
from portal.db import session
from portal.models import (
    Authority,
    CoverageSnapshot,
    Facility,
    FacilityAlias,
    FacilityType,
    Region,
    Source,
    ZoneCoverage,
    ZoneType,
)
from portal.text import search_key

#: Coverage bands, lowest first: (key, lower bound inclusive). "full" is exactly 100 %.
BANDS = (("lt50", 0.0), ("50-70", 0.5), ("70-85", 0.7), ("85-99", 0.85), ("full", 1.0))
#: A change smaller than this (half a percentage point) is no change.
EPSILON = 0.005
#: How many official snapshots back "stalled" and "slipping back" look (a year of quarters).
LOOKBACK = 4


@dataclass
class Figures:
    """Coverage figures of one facility or of a group, summed."""

    zones_total: int = 0
    zones_covered: int = 0
    cameras_installed: int = 0
    cameras_working: int = 0
    facilities: int = 0

    @property
    def blind_spots(self) -> int:
        return self.zones_total - self.zones_covered

    @property
    def share(self) -> float | None:
        return self.zones_covered / self.zones_total if self.zones_total else None

    @property
    def broken_cameras(self) -> int:
        return self.cameras_installed - self.cameras_working

    def add(self, other: Figures) -> Figures:
        self.zones_total += other.zones_total
        self.zones_covered += other.zones_covered
        self.cameras_installed += other.cameras_installed
        self.cameras_working += other.cameras_working
        self.facilities += other.facilities
        return self


@dataclass(frozen=True)
class Snapshot:
    id: int
    facility_id: int
    as_of: date
    source: Source
    source_note: str | None
    is_demo: bool
    figures: Figures


@dataclass(frozen=True)
class RegionInfo:
    id: int
    slug: str
    kind: str
    names: dict[str, str]
    name_kk_latn: str
    former_names: str | None

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class FacilityInfo:
    id: int
    slug: str
    type: FacilityType
    authority: Authority
    region_id: int
    names: dict[str, str]
    aliases: tuple[tuple[str, bool], ...]  # (name, is_former)
    is_demo: bool
    search: str = field(repr=False)

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["en"]


@dataclass(frozen=True)
class Ledger:
    """The latest official figure beside the latest independent check of one facility."""

    official: Snapshot
    independent: Snapshot

    @property
    def gap(self) -> float | None:
        """Official share minus verified share (positive: the official figure is higher)."""
        if self.official.figures.share is None or self.independent.figures.share is None:
            return None
        return self.official.figures.share - self.independent.figures.share


def band(share: float | None) -> str | None:
    """The coverage band of a share, or None without figures."""
    if share is None:
        return None
    if share >= 1.0:
        return "full"
    return next(key for key, bound in reversed(BANDS[:-1]) if share >= bound)


class CoverageData:
    """Everything the public coverage pages need, held in memory for one data version."""

    def __init__(self, regions, facilities, snapshots, latest_zones) -> None:
        self.regions: dict[int, RegionInfo] = regions
        self.regions_by_slug = {region.slug: region for region in regions.values()}
        self.facilities: dict[int, FacilityInfo] = facilities
        self.facilities_by_slug = {info.slug: info for info in facilities.values()}
        self.history: dict[int, list[Snapshot]] = defaultdict(list)
        for snapshot in snapshots:
            self.history[snapshot.facility_id].append(snapshot)
        self.latest_zones: dict[int, list[tuple[ZoneType, Figures]]] = latest_zones
        self.dates = sorted({s.as_of for s in snapshots if s.source is Source.OFFICIAL})

    # --- one facility -------------------------------------------------------------------

    def official(self, facility_id: int) -> list[Snapshot]:
        return [s for s in self.history.get(facility_id, ()) if s.source is Source.OFFICIAL]

    def latest(
        self, facility_id: int, source: Source = Source.OFFICIAL, on: date | None = None
    ) -> Snapshot | None:
        """The facility's newest snapshot from ``source`` on or before ``on``."""
        found = None
        for snapshot in self.history.get(facility_id, ()):
            if snapshot.source is source and (on is None or snapshot.as_of <= on):
                found = snapshot
        return found

    def ledger(self, facility_id: int) -> Ledger | None:
        independent = self.latest(facility_id, Source.INDEPENDENT)
        official = self.latest(facility_id)
        return Ledger(official, independent) if independent and official else None

    def is_slipping(self, facility_id: int) -> bool:
        """True when the latest official share is below the facility's own earlier best."""
        shares = [s.figures.share for s in self.official(facility_id)]
        if len(shares) < 2 or None in shares:
            return False
        return shares[-1] < max(shares[:-1]) - EPSILON

    def is_stalled(self, facility_id: int) -> bool:
        """True when coverage is short of full and has not moved for a year of reports."""
        shares = [s.figures.share for s in self.official(facility_id)[-(LOOKBACK + 1) :]]
        if len(shares) < LOOKBACK + 1 or None in shares or shares[-1] >= 1.0:
            return False
        return max(shares) - min(shares) < EPSILON

    # --- groups ---------------------------------------------------------------------------

    def select(
        self, region_id: int | None = None, kind: FacilityType | None = None
    ) -> list[FacilityInfo]:
        return [
            info
            for info in self.facilities.values()
            if (region_id is None or info.region_id == region_id)
            and (kind is None or info.type is kind)
        ]

    def total(self, facilities: Iterable[FacilityInfo], on: date | None = None) -> Figures:
        """Summed latest official figures of ``facilities`` on date ``on`` (default: now)."""
        result = Figures()
        for info in facilities:
            snapshot = self.latest(info.id, on=on)
            if snapshot is not None:
                result.add(snapshot.figures)
        return result

    def trend(self, facilities: Iterable[FacilityInfo]) -> list[tuple[date, Figures]]:
        """The group's figures on every official reporting date."""
        group = list(facilities)
        return [(day, self.total(group, on=day)) for day in self.dates]

    def by_zone_type(self, facilities: Iterable[FacilityInfo]) -> dict[ZoneType, Figures]:
        """Latest official figures per zone type, in display order, for types that exist."""
        result: dict[ZoneType, Figures] = {}
        for info in facilities:
            for zone_type, figures in self.latest_zones.get(info.id, ()):
                result.setdefault(zone_type, Figures()).add(figures)
        return {zone_type: result[zone_type] for zone_type in ZoneType if zone_type in result}

    def latest_updates(self, limit: int = 10) -> list[Snapshot]:
        """The newest snapshots of any source, newest first."""
        everything = [s for snapshots in self.history.values() for s in snapshots]
        everything.sort(key=lambda s: (s.as_of, s.id), reverse=True)
        return everything[:limit]


def _load() -> CoverageData:
    regions = {
        region.id: RegionInfo(
            id=region.id,
            slug=region.slug,
            kind=region.kind.value,
            names={"kk": region.name_kk, "ru": region.name_ru, "en": region.name_en},
            name_kk_latn=region.name_kk_latn,
            former_names=region.former_names,
        )
        for region in session.scalars(select(Region).order_by(Region.id))
    }
    aliases: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for facility_id, name, is_former in session.execute(
        select(FacilityAlias.facility_id, FacilityAlias.name, FacilityAlias.is_former)
    ):
        aliases[facility_id].append((name, is_former))
    facilities = {}
    for row in session.execute(select(Facility)).scalars():
        region = regions[row.region_id]
        facilities[row.id] = FacilityInfo(
            id=row.id,
            slug=row.slug,
            type=row.type,
            authority=row.authority,
            region_id=row.region_id,
            names={"kk": row.name_kk, "ru": row.name_ru, "en": row.name_en},
            aliases=tuple(aliases[row.id]),
            is_demo=row.is_demo,
            search=search_key(
                row.name_kk,
                row.name_ru,
                row.name_en,
                *(name for name, _ in aliases[row.id]),
                *region.names.values(),
                region.name_kk_latn,
                region.former_names,
            ),
        )
    sums = (
        func.sum(ZoneCoverage.zones_total),
        func.sum(ZoneCoverage.zones_covered),
        func.sum(ZoneCoverage.cameras_installed),
        func.sum(ZoneCoverage.cameras_working),
    )
    rows = session.execute(
        select(
            CoverageSnapshot.id,
            CoverageSnapshot.facility_id,
            CoverageSnapshot.as_of,
            CoverageSnapshot.source,
            CoverageSnapshot.source_note,
            CoverageSnapshot.is_demo,
            *sums,
        )
        .join(ZoneCoverage, ZoneCoverage.snapshot_id == CoverageSnapshot.id)
        .group_by(CoverageSnapshot.id)
        .order_by(CoverageSnapshot.facility_id, CoverageSnapshot.as_of, CoverageSnapshot.id)
    )
    snapshots = [
        Snapshot(
            id,
            facility_id,
            as_of,
            source,
            note,
            is_demo,
            Figures(int(t or 0), int(c or 0), int(i or 0), int(w or 0), facilities=1),
        )
        for id, facility_id, as_of, source, note, is_demo, t, c, i, w in rows
    ]
    latest_ids = {}
    for snapshot in snapshots:
        if snapshot.source is Source.OFFICIAL:
            latest_ids[snapshot.facility_id] = snapshot.id
    latest_zones: dict[int, list[tuple[ZoneType, Figures]]] = defaultdict(list)
    by_snapshot = {snapshot_id: facility_id for facility_id, snapshot_id in latest_ids.items()}
    for zone in (
        session.scalars(
            select(ZoneCoverage)
            .where(ZoneCoverage.snapshot_id.in_(list(by_snapshot)))
            .order_by(ZoneCoverage.id)
        )
        if by_snapshot
        else ()
    ):
        latest_zones[by_snapshot[zone.snapshot_id]].append(
            (
                zone.zone_type,
                Figures(
                    zone.zones_total,
                    zone.zones_covered,
                    zone.cameras_installed,
                    zone.cameras_working,
                    facilities=1,
                ),
            )
        )
    return CoverageData(regions, facilities, snapshots, latest_zones)


_cache: VersionedCache[CoverageData] = VersionedCache()


def coverage_data() -> CoverageData:
    """The coverage data of the current coverage version, loaded at most once per version.

    Complaints are no part of it: filing one never reloads the coverage figures.
    """
    return _cache.get(coverage_version().digest, _load)
