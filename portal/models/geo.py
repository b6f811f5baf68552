"""Where custody happens: regions and facilities, with names in every language."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.models._columns import enum_column
from portal.models.base import Base

if TYPE_CHECKING:
    from portal.models.coverage import CoverageSnapshot


class RegionKind(enum.StrEnum):
    OBLAST = "oblast"
    CITY = "city"


class FacilityType(enum.StrEnum):
    """The five kinds of custody place, in the order the portal lists them."""

    COLONY = "colony"
    SIZO = "sizo"
    IVS = "ivs"
    SPECIAL_DETENTION = "special_detention"
    POLICE = "police"


class Authority(enum.StrEnum):
    """Who runs a facility: the penitentiary committee (КУИС) or the police (МВД)."""

    KUIS = "kuis"
    POLICE = "police"


class Region(Base):
    """One of the 17 oblasts and 3 cities of republican significance."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[RegionKind] = mapped_column(enum_column(RegionKind))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_kk_latn: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    centre_kk: Mapped[str | None] = mapped_column(String(200))
    centre_ru: Mapped[str | None] = mapped_column(String(200))
    centre_en: Mapped[str | None] = mapped_column(String(200))
    #: Former names as published in the reference list, for search.
    former_names: Mapped[str | None] = mapped_column(Text)

    facilities: Mapped[list[Facility]] = relationship(back_populates="region")

    def name(self, lang: str) -> str:
        """The region's name in ``lang`` (kk, ru or en)."""
        return getattr(self, f"name_{lang}", None) or self.name_en

    def __repr__(self) -> str:
        return f"<Region {self.slug}>"


class Facility(Base):
    """A custody place: a colony, SIZO, IVS, special detention centre or police station."""

    __tablename__ = "facilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    type: Mapped[FacilityType] = mapped_column(enum_column(FacilityType), index=True)
    authority: Mapped[Authority] = mapped_column(enum_column(Authority))
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    #: Generated demonstration data, labelled as such wherever it is shown.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)

    region: Mapped[Region] = relationship(back_populates="facilities")
    aliases: Mapped[list[FacilityAlias]] = relationship(
        back_populates="facility", cascade="all, delete-orphan"
    )
    snapshots: Mapped[list[CoverageSnapshot]] = relationship(
        back_populates="facility", cascade="all, delete-orphan"
    )

    def name(self, lang: str) -> str:
        """The facility's name in ``lang`` (kk, ru or en)."""
        return getattr(self, f"name_{lang}", None) or self.name_en

    def __repr__(self) -> str:
        return f"<Facility {self.slug}>"


class FacilityAlias(Base):
    """Another name of a facility: an old name, an abbreviation, a common name."""

    __tablename__ = "facility_aliases"
    __table_args__ = (UniqueConstraint("facility_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facilities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    #: kk, kk-Latn, ru or en; None when the name is the same in every language.
    lang: Mapped[str | None] = mapped_column(String(8))
    #: True for a name the facility no longer carries (a renamed city, a reorganisation).
    is_former: Mapped[bool] = mapped_column(Boolean, default=True)

    facility: Mapped[Facility] = relationship(back_populates="aliases")
