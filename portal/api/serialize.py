"""The JSON shapes of the API: figures, regions, facilities, snapshots (see the OpenAPI schemas).

Dates are ISO 8601 strings, shares numbers from 0 to 1 with 4 decimals
(null without zones), coverage counts exact.
"""

from __future__ import annotations

from typing import Any

from portal.caching import coverage_version
from portal.models import FacilityType
from portal.opendata.datasets import share
from portal.opendata.files import LICENCE
from portal.security.hosts import external_url
from portal.stats.coverage import (
    CoverageData,
    FacilityInfo,
    Figures,
    RegionInfo,
    Snapshot,
)
from portal.stats.dataset import is_demo_dataset
from portal.stats.facility import ZoneRow
from portal.text import to_kk_latin

LANGS = ("kk", "ru", "en")


def meta() -> dict[str, Any]:
    """Facts every answer carries: the coverage data version, the demo flag, the licence."""
    return {
        "data_version": coverage_version().digest,
        "demo": is_demo_dataset(),
        "licence": LICENCE["id"],
    }


def figures(value: Figures) -> dict[str, Any]:
    """The figures of one facility or snapshot (no facility count)."""
    return {
        "zones_total": value.zones_total,
        "zones_covered": value.zones_covered,
        "blind_spots": value.blind_spots,
        "cameras_installed": value.cameras_installed,
        "cameras_working": value.cameras_working,
        "share": share(value.share),
    }


def group_figures(value: Figures) -> dict[str, Any]:
    """Summed figures of a group, with how many facilities have an official figure."""
    return {"facilities_reporting": value.facilities, **figures(value)}


def zone(row: ZoneRow) -> dict[str, Any]:
    """One zone type of a facility's latest official figure."""
    return {
        "zone_type": row.zone_type.value,
        "zones_total": row.zones_total,
        "zones_covered": row.zones_covered,
        "blind_spots": row.blind_spots,
        "cameras_installed": row.cameras_installed,
        "cameras_working": row.cameras_working,
        "share": share(row.share),
        "retention_days": row.retention_days,
    }


def snapshot(value: Snapshot) -> dict[str, Any]:
    """A snapshot's totals over its zone types."""
    return {
        "snapshot_id": value.id,
        "as_of": value.as_of.isoformat(),
        "source": value.source.value,
        "source_note": value.source_note,
        "is_demo": value.is_demo,
        **figures(value.figures),
    }


def region_names(region: RegionInfo) -> dict[str, str]:
    """A region's names in Kazakh (Cyrillic and Latin), Russian and English."""
    return {
        "kk": region.names["kk"],
        "kk_latn": region.name_kk_latn,
        "ru": region.names["ru"],
        "en": region.names["en"],
    }


def facility_names(info: FacilityInfo) -> dict[str, str]:
    """A facility's names; the Kazakh Latin one is transliterated from the Cyrillic."""
    return {
        "kk": info.names["kk"],
        "kk_latn": to_kk_latin(info.names["kk"]),
        "ru": info.names["ru"],
        "en": info.names["en"],
    }


def pages(slug_endpoint: str, **values: str) -> dict[str, str]:
    """Absolute addresses of a public page in each language (on the configured base URL)."""
    return {lang: external_url(slug_endpoint, lang_code=lang, **values) for lang in LANGS}


def overview(data: CoverageData, facilities: list[FacilityInfo]) -> dict[str, Any]:
    """Totals, per facility type, per zone type and trend of a group of facilities."""
    present = {info.type for info in facilities}
    return {
        "as_of": data.dates[-1].isoformat() if data.dates else None,
        "facilities": len(facilities),
        "facilities_without_figures": sum(1 for f in facilities if data.latest(f.id) is None),
        "facilities_stalled": sum(1 for f in facilities if data.is_stalled(f.id)),
        "facilities_slipping": sum(1 for f in facilities if data.is_slipping(f.id)),
        "totals": group_figures(data.total(facilities)),
        "by_facility_type": [
            {
                "facility_type": kind.value,
                **group_figures(data.total(f for f in facilities if f.type is kind)),
            }
            for kind in FacilityType
            if kind in present
        ],
        "by_zone_type": [
            {"zone_type": zone_type.value, **group_figures(value)}
            for zone_type, value in data.by_zone_type(facilities).items()
        ],
        "trend": [
            {"as_of": day.isoformat(), **group_figures(value)}
            for day, value in data.trend(facilities)
        ],
    }


def region_summary(data: CoverageData, region: RegionInfo) -> dict[str, Any]:
    """A region with its names and current totals."""
    facilities = data.select(region_id=region.id)
    return {
        "slug": region.slug,
        "kind": region.kind,
        "names": region_names(region),
        "former_names": region.former_names,
        "facilities": len(facilities),
        "totals": group_figures(data.total(facilities)),
        "url": external_url("api.region", slug=region.slug),
    }


def facility_summary(data: CoverageData, info: FacilityInfo) -> dict[str, Any]:
    """A facility with its names and its latest official figure (or null)."""
    latest = data.latest(info.id)
    return {
        "slug": info.slug,
        "type": info.type.value,
        "authority": info.authority.value,
        "region": data.regions[info.region_id].slug,
        "names": facility_names(info),
        "is_demo": info.is_demo,
        "latest_official": snapshot(latest) if latest else None,
        "url": external_url("api.facility", slug=info.slug),
    }
