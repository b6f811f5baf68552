"""Write a whole demo data set into the database: facilities, coverage, complaints, and the label.

Rows go in with bulk INSERTs and ids assigned here, so that the big tables
never become ORM objects; on PostgreSQL the id sequences are moved past them
afterwards, so that the portal's own inserts do not collide.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from portal.demo import complaints as complaint_rows
from portal.demo.common import BATCH, GENERATOR_VERSION, TODAY, batches, stream
from portal.demo.coverage import plan_coverage
from portal.demo.facilities import alias_rows, plan_facilities
from portal.models import (
    Complaint,
    ComplaintCategory,
    CoverageSnapshot,
    DatasetFact,
    Facility,
    FacilityAlias,
    Region,
    StatusChange,
    ZoneCoverage,
)
from portal.reference import ensure_regions
from portal.stats.dataset import DEMO_FACT


class DemoDataExists(RuntimeError):
    """Raised when the database already holds demo data: generating twice would mix sets."""


def _next_id(db: Session, model: Any) -> int:
    return (db.scalar(select(func.max(model.id))) or 0) + 1


def _insert(db: Session, model: Any, rows: list[dict[str, Any]]) -> int:
    for chunk in batches(rows, BATCH):
        db.execute(insert(model), chunk)
    return len(rows)


def _move_sequences(db: Session) -> None:
    """On PostgreSQL, set each id sequence to the highest id now in its table."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for model in (Facility, FacilityAlias, CoverageSnapshot, ZoneCoverage, Complaint):
        table = model.__table__.name
        db.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def has_demo_data(db: Session) -> bool:
    """True when demo data was generated into this database before."""
    if db.get(DatasetFact, DEMO_FACT) is not None:
        return True
    return db.scalar(select(Facility.id).where(Facility.is_demo).limit(1)) is not None


def generate(db: Session, *, facilities: int, complaints: int, seed: int) -> dict[str, Any]:
    """Generate a reproducible demo data set and return what was written.

    The same ``seed`` and sizes always give the same rows. Every row is marked
    ``is_demo`` and a ``DatasetFact("demo_data")`` records the seed and sizes,
    so that the portal shows a demo banner. Regions are loaded first if
    missing. No search-index work is queued: run ``search rebuild`` after.

    Does not commit: the caller owns the transaction. Raises
    :class:`DemoDataExists` when the database already holds demo data.
    """
    started = time.perf_counter()
    ensure_regions(db)
    if has_demo_data(db):
        raise DemoDataExists("the database already holds demo data")
    regions = list(db.scalars(select(Region).order_by(Region.id)))
    taken = set(db.scalars(select(Facility.slug)))

    plans = plan_facilities(
        stream(seed, "facilities"), regions, facilities, _next_id(db, Facility), taken
    )
    counts: dict[str, Any] = {"facilities": _insert(db, Facility, [p.row() for p in plans])}
    counts["aliases"] = _insert(db, FacilityAlias, alias_rows(plans, _next_id(db, FacilityAlias)))

    coverage = plan_coverage(
        stream(seed, "coverage"), plans, _next_id(db, CoverageSnapshot), _next_id(db, ZoneCoverage)
    )
    counts["snapshots"] = _insert(db, CoverageSnapshot, coverage.snapshots)
    counts["zones"] = _insert(db, ZoneCoverage, coverage.zones)

    rng = stream(seed, "complaints")
    specs = complaint_rows.draw_specs(rng, complaints, plans, regions)
    references = set(db.scalars(select(Complaint.reference).where(Complaint.reference.like("D-%"))))
    complaint_rows.settle(rng, specs, _next_id(db, Complaint), references)
    counts["complaints"] = counts["categories"] = 0
    for batch, categories in complaint_rows.rows(stream(seed, "narratives"), specs):
        db.execute(insert(Complaint), batch)
        db.execute(insert(ComplaintCategory), categories)
        counts["complaints"] += len(batch)
        counts["categories"] += len(categories)
    counts["status_changes"] = 0
    for changes in complaint_rows.status_rows(specs):
        db.execute(insert(StatusChange), changes)
        counts["status_changes"] += len(changes)

    _move_sequences(db)
    db.merge(
        DatasetFact(
            key=DEMO_FACT,
            value=json.dumps(
                {
                    "generator": "portal.demo",
                    "version": GENERATOR_VERSION,
                    "seed": seed,
                    "facilities": facilities,
                    "complaints": complaints,
                    "today": TODAY.isoformat(),
                },
                sort_keys=True,
            ),
        )
    )
    db.flush()
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts
