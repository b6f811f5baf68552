"""The data model holds what PRODUCT.md describes and refuses what would be a lie."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from portal.models import (
    Category,
    Complaint,
    ComplaintCategory,
    CoverageSnapshot,
    Facility,
    Message,
    Region,
    Source,
    ZoneCoverage,
    ZoneType,
)
from tests import factories


def test_every_model_has_a_factory_that_round_trips(db):
    """A complaint with everything attached survives a commit and comes back whole."""
    complaint = factories.complaint(db, categories=(Category.TORTURE, Category.CAMERA_ISSUE))
    reviewer = factories.user(db)
    reviewer.regions.append(complaint.region)
    factories.alias(db, facility=complaint.facility, name="Нур-Султан ИВС")
    factories.snapshot(db, facility=complaint.facility)
    factories.tag(db, complaint=complaint)
    factories.status_change(db, complaint=complaint, actor_id=reviewer.id)
    message = factories.message(db, complaint=complaint, author_id=reviewer.id)
    factories.note(db, complaint=complaint, author_id=reviewer.id)
    factories.attachment(db, complaint=complaint, message=message)
    factories.audit_event(db, actor=reviewer, object_id=complaint.id)
    factories.index_task(db, complaint_id=complaint.id)
    factories.dataset_fact(db)
    db.commit()
    db.expunge_all()

    stored = db.scalars(select(Complaint)).one()
    assert set(stored.category_values) == {Category.TORTURE, Category.CAMERA_ISSUE}
    assert stored.facility.aliases[0].name == "Нур-Султан ИВС"
    assert stored.facility.snapshots[0].zones[0].blind_spots == 3
    assert [change.new_status.value for change in stored.status_changes] == ["in_review"]
    assert stored.messages[0].attachments[0].media_type == "image/jpeg"
    assert stored.notes and stored.tags
    assert stored.created_at.tzinfo is not None


def test_deleting_a_complaint_removes_everything_attached(db):
    complaint = factories.complaint(db)
    factories.message(db, complaint=complaint)
    factories.note(db, complaint=complaint)
    factories.attachment(db, complaint=complaint)
    factories.index_task(db, complaint_id=complaint.id)
    db.commit()
    db.execute(delete(Complaint))
    db.commit()
    assert db.scalar(select(func.count(Message.id))) == 0
    assert db.scalar(select(func.count(ComplaintCategory.complaint_id))) == 0


@pytest.mark.parametrize(
    ("total", "covered", "installed", "working"),
    [(5, 6, 1, 1), (5, -1, 1, 1), (-1, 0, 0, 0), (5, 5, 2, 3)],
    ids=["covered-above-total", "covered-negative", "total-negative", "working-above-installed"],
)
def test_impossible_coverage_figures_are_refused(db, total, covered, installed, working):
    snap = factories.snapshot(db)
    db.commit()
    db.add(
        ZoneCoverage(
            snapshot=snap,
            zone_type=ZoneType.MEDICAL,
            zones_total=total,
            zones_covered=covered,
            cameras_installed=installed,
            cameras_working=working,
        )
    )
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_a_snapshot_is_never_overwritten_by_another_for_the_same_date_and_source(db):
    snap = factories.snapshot(db)
    db.commit()
    db.add(CoverageSnapshot(facility_id=snap.facility_id, as_of=snap.as_of, source=Source.OFFICIAL))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()
    factories.snapshot(db, facility=db.get(Facility, snap.facility_id), source=Source.INDEPENDENT)
    db.commit()
    assert db.scalar(select(func.count(CoverageSnapshot.id))) == 2


def test_unknown_enum_values_are_refused_by_the_database(db, backend):
    """The CHECK constraints hold even for raw SQL that bypasses the ORM."""
    from sqlalchemy import text

    facility = factories.facility(db)
    db.commit()
    with pytest.raises(IntegrityError):
        db.execute(text("UPDATE facilities SET type = 'hotel' WHERE id = :id"), {"id": facility.id})
        db.commit()
    db.rollback()


def test_foreign_keys_are_enforced(db):
    db.add(
        ZoneCoverage(snapshot_id=999_999, zone_type=ZoneType.CELLS, zones_total=1, zones_covered=1)
    )
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_region_and_facility_names_follow_the_language(db):
    facility = factories.facility(
        db, name_kk="№ 3 тергеу изоляторы", name_ru="СИЗО № 3", name_en="SIZO No. 3"
    )
    assert [facility.name(lang) for lang in ("kk", "ru", "en")] == [
        "№ 3 тергеу изоляторы",
        "СИЗО № 3",
        "SIZO No. 3",
    ]
    assert facility.region.name("xx") == facility.region.name_en


def test_regions_reference_list_loads_once(regions):
    from portal.reference import ensure_regions

    assert regions.scalar(select(func.count(Region.id))) == 20
    assert ensure_regions(regions) == 0
    astana = regions.scalars(select(Region).where(Region.slug == "astana")).one()
    assert "Нур-Султан" in astana.former_names
    assert astana.name_kk_latn == "Astana"


def test_complaint_dates_may_be_approximate(db):
    from portal.models import DatePrecision

    item = factories.complaint(
        db,
        incident_date=date(2025, 3, 1),
        incident_date_precision=DatePrecision.MONTH,
        facility=None,
        region=factories.region(db),
        place_text="Автозак по дороге в ИВС",
    )
    db.commit()
    assert item.facility_id is None and item.incident_date_precision is DatePrecision.MONTH
