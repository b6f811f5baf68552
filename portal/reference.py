"""Reference data shipped with the portal: the 20 regions (17 oblasts and 3 cities).

The list is real, not demo data; ``init-db`` loads it and keeps it up to date.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Region, RegionKind

REGIONS_CSV = Path(__file__).parent / "data" / "regions.csv"


def read_regions(path: Path = REGIONS_CSV) -> list[dict[str, str | None]]:
    """The rows of the regions file, with empty cells as None."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or None) for key, value in row.items()} for row in csv.DictReader(handle)
        ]


def ensure_regions(db: Session) -> int:
    """Insert missing regions and refresh the names of known ones; returns how many were added.

    Does not commit: the caller owns the transaction.
    """
    known = {region.slug: region for region in db.scalars(select(Region))}
    added = 0
    for row in read_regions():
        region = known.get(row["slug"])
        if region is None:
            region = Region(slug=row["slug"])
            db.add(region)
            added += 1
        region.kind = RegionKind(row["kind"])
        for column in (
            "name_kk",
            "name_kk_latn",
            "name_ru",
            "name_en",
            "centre_kk",
            "centre_ru",
            "centre_en",
            "former_names",
        ):
            setattr(region, column, row[column])
    db.flush()
    return added
