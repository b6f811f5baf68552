"""Factories: build valid rows of every model with sensible defaults, overridable by keyword.

Each factory adds the object to the session and flushes, so ids are set; the
test decides when to commit.
"""

from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import (
    Attachment,
    AuditEvent,
    Authority,
    Category,
    Complaint,
    ComplaintCategory,
    ComplaintTag,
    CoverageSnapshot,
    DatasetFact,
    Facility,
    FacilityAlias,
    FacilityType,
    IndexAction,
    IndexTask,
    Message,
    MessageDirection,
    Note,
    Region,
    RegionKind,
    Relation,
    Role,
    Source,
    Status,
    StatusChange,
    User,
    ZoneCoverage,
    ZoneType,
)

_sequence = itertools.count(1)


def _add(db: Session, obj):
    db.add(obj)
    db.flush()
    return obj


def region(db: Session, **values) -> Region:
    """An existing reference region when one is loaded, else a new one."""
    if not values:
        found = db.scalars(select(Region).order_by(Region.id).limit(1)).first()
        if found is not None:
            return found
    n = next(_sequence)
    defaults = dict(
        slug=f"region-{n}",
        kind=RegionKind.OBLAST,
        name_kk=f"Облыс {n}",
        name_kk_latn=f"Oblys {n}",
        name_ru=f"Область {n}",
        name_en=f"Region {n}",
    )
    return _add(db, Region(**{**defaults, **values}))


def facility(db: Session, **values) -> Facility:
    n = next(_sequence)
    kind = values.pop("type", FacilityType.IVS)
    authority = (
        Authority.KUIS if kind in (FacilityType.COLONY, FacilityType.SIZO) else Authority.POLICE
    )
    defaults = dict(
        slug=f"facility-{n}",
        type=kind,
        authority=authority,
        name_kk=f"№ {n} уақытша ұстау изоляторы",
        name_ru=f"ИВС № {n}",
        name_en=f"IVS No. {n}",
    )
    values.setdefault("region", values.pop("region", None) or region(db))
    return _add(db, Facility(**{**defaults, **values}))


def alias(db: Session, **values) -> FacilityAlias:
    values.setdefault("facility", values.get("facility") or facility(db))
    defaults = dict(name=f"Старое название {next(_sequence)}", lang="ru", is_former=True)
    return _add(db, FacilityAlias(**{**defaults, **values}))


def snapshot(
    db: Session, zones: dict[ZoneType, tuple[int, int]] | None = None, **values
) -> CoverageSnapshot:
    """A coverage snapshot; ``zones`` maps a zone type to (zones_total, zones_covered)."""
    values.setdefault("facility", values.get("facility") or facility(db))
    defaults = dict(as_of=date(2026, 9, 30), source=Source.OFFICIAL, source_note="Test")
    snap = CoverageSnapshot(**{**defaults, **values})
    for zone_type, (total, covered) in (zones or {ZoneType.CELLS: (10, 7)}).items():
        snap.zones.append(
            ZoneCoverage(
                zone_type=zone_type,
                zones_total=total,
                zones_covered=covered,
                cameras_installed=covered * 2,
                cameras_working=covered * 2 - 1 if covered else 0,
                retention_days=30,
            )
        )
    return _add(db, snap)


def complaint(db: Session, categories=(Category.PHYSICAL_VIOLENCE,), **values) -> Complaint:
    n = next(_sequence)
    values.setdefault("facility", values.get("facility") or facility(db))
    defaults = dict(
        reference=f"T-{n:06d}",
        incident_date=date(2026, 5, 17),
        narrative="Сотрудники избили задержанного в коридоре.",
        relation=Relation.RELATIVE,
        language="ru",
        status=Status.NEW,
    )
    item = Complaint(**{**defaults, **values})
    item.region = item.region or item.facility.region if item.facility else item.region
    item.categories = [ComplaintCategory(category=c) for c in categories]
    return _add(db, item)


def user(db: Session, **values) -> User:
    n = next(_sequence)
    defaults = dict(
        username=f"reviewer{n}", role=Role.REVIEWER, password_hash="$argon2id$not-a-real-hash"
    )
    return _add(db, User(**{**defaults, **values}))


def tag(db: Session, **values) -> ComplaintTag:
    values.setdefault("complaint", values.get("complaint") or complaint(db))
    return _add(db, ComplaintTag(**{"tag": "urgent", **values}))


def status_change(db: Session, **values) -> StatusChange:
    values.setdefault("complaint", values.get("complaint") or complaint(db))
    return _add(
        db, StatusChange(**{"old_status": Status.NEW, "new_status": Status.IN_REVIEW, **values})
    )


def message(db: Session, **values) -> Message:
    values.setdefault("complaint", values.get("complaint") or complaint(db))
    defaults = dict(direction=MessageDirection.TO_COMPLAINANT, body="Уточните, пожалуйста, дату.")
    return _add(db, Message(**{**defaults, **values}))


def note(db: Session, **values) -> Note:
    values.setdefault("complaint", values.get("complaint") or complaint(db))
    return _add(db, Note(**{"body": "Запросить запись до перезаписи.", **values}))


def attachment(db: Session, **values) -> Attachment:
    n = next(_sequence)
    values.setdefault("complaint", values.get("complaint") or complaint(db))
    defaults = dict(
        storage_name=f"{n:032x}", media_type="image/jpeg", size_bytes=1024, sha256="0" * 64
    )
    return _add(db, Attachment(**{**defaults, **values}))


def audit_event(db: Session, **values) -> AuditEvent:
    return _add(
        db,
        AuditEvent(
            **{"action": "complaint.view", "object_type": "complaint", "object_id": 1, **values}
        ),
    )


def index_task(db: Session, **values) -> IndexTask:
    values.setdefault("complaint_id", values.get("complaint_id") or complaint(db).id)
    return _add(db, IndexTask(**{"action": IndexAction.UPSERT, **values}))


def dataset_fact(db: Session, **values) -> DatasetFact:
    return _add(db, DatasetFact(**{"key": "demo_data", "value": "{}", **values}))


def named_region(db: Session, slug: str) -> Region:
    """A reference region by slug (load them with the ``regions`` fixture first)."""
    return db.scalars(select(Region).where(Region.slug == slug)).one()


def astana_sizo(db: Session) -> Facility:
    """Pre-trial detention centre No. 1 in Astana, with its name from the Nur-Sultan years."""
    sizo = facility(
        db,
        slug="astana-sizo-1",
        type=FacilityType.SIZO,
        region=named_region(db, "astana"),
        name_kk="№ 1 тергеу изоляторы (Астана)",
        name_ru="Следственный изолятор № 1 (Астана)",
        name_en="Pre-trial detention centre No. 1 (Astana)",
    )
    alias(db, facility=sizo, name="СИЗО № 1 (Нур-Султан)", lang="ru")
    return sizo


def karaganda_colony(db: Session) -> Facility:
    """The correctional colony No. 7 in Karaganda region."""
    return facility(
        db,
        slug="karaganda-colony-7",
        type=FacilityType.COLONY,
        region=named_region(db, "karaganda"),
        name_kk="№ 7 түзеу колониясы (Қарағанды)",
        name_ru="Исправительная колония № 7 (Караганда)",
        name_en="Correctional colony No. 7 (Karaganda)",
    )
