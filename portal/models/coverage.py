"""Video coverage of a facility, zone type by zone type, as of a date and from a source.

Snapshots are never overwritten: a new figure is a new snapshot, because the
history is what the public follows.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models._columns import Timestamp, enum_column, utcnow
from portal.models.base import Base
from portal.models.geo import Facility


class ZoneType(enum.StrEnum):
    """Parts of a facility whose video coverage is counted, in display order."""

    CELLS = "cells"
    CORRIDORS = "corridors"
    INTERROGATION = "interrogation"
    DUTY_INTAKE = "duty_intake"
    EXERCISE_YARDS = "exercise_yards"
    MEDICAL = "medical"
    VISITING = "visiting"
    DISCIPLINARY = "disciplinary"
    TRANSPORT = "transport"
    PERIMETER = "perimeter"
    BODYCAMS = "bodycams"


class Source(enum.StrEnum):
    """Where a figure comes from."""

    OFFICIAL = "official"  # reported by КУИС, the Interior Ministry or prosecutors
    INDEPENDENT = "independent"  # checked during a monitoring visit


class CoverageSnapshot(Base):
    """A facility's coverage figures as of one date, from one source."""

    __tablename__ = "coverage_snapshots"
    __table_args__ = (UniqueConstraint("facility_id", "as_of", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    as_of: Mapped[date] = mapped_column(Date, index=True)
    source: Mapped[Source] = mapped_column(enum_column(Source))
    #: Where the figure was published or who checked it, e.g. "КУИС, отчёт за III квартал".
    source_note: Mapped[str | None] = mapped_column(String(500))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    facility: Mapped[Facility] = relationship(back_populates="snapshots")
    zones: Mapped[list[ZoneCoverage]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", order_by="ZoneCoverage.id"
    )

    @property
    def zones_total(self) -> int:
        return sum(zone.zones_total for zone in self.zones)

    @property
    def zones_covered(self) -> int:
        return sum(zone.zones_covered for zone in self.zones)


class ZoneCoverage(Base):
    """Figures for one zone type within a snapshot."""

    __tablename__ = "zone_coverage"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "zone_type"),
        CheckConstraint("zones_total >= 0", name="zones_total_not_negative"),
        CheckConstraint(
            "zones_covered >= 0 AND zones_covered <= zones_total", name="covered_within_total"
        ),
        CheckConstraint(
            "cameras_working >= 0 AND cameras_working <= cameras_installed",
            name="working_within_installed",
        ),
        CheckConstraint(
            "retention_days IS NULL OR retention_days >= 0", name="retention_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("coverage_snapshots.id", ondelete="CASCADE"), index=True
    )
    zone_type: Mapped[ZoneType] = mapped_column(enum_column(ZoneType))
    zones_total: Mapped[int] = mapped_column(Integer)
    zones_covered: Mapped[int] = mapped_column(Integer)
    cameras_installed: Mapped[int] = mapped_column(Integer, default=0)
    cameras_working: Mapped[int] = mapped_column(Integer, default=0)
    #: How many days recordings are kept before they are overwritten.
    retention_days: Mapped[int | None] = mapped_column(Integer)

    snapshot: Mapped[CoverageSnapshot] = relationship(back_populates="zones")

    @property
    def blind_spots(self) -> int:
        """Zones of this type still out of camera view."""
        return self.zones_total - self.zones_covered
