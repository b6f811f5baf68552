"""One unit of work: index work queues itself at commit, files never outlive a failed commit.

A reviewer's status change, tag or message, a retention purge or an import
must reach the search index without anyone remembering to queue it; and the
index is written after the citizen's response has been sent, never inside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import files
from portal.models import (
    Category,
    Complaint,
    ComplaintCategory,
    ComplaintTag,
    Facility,
    IndexAction,
    IndexTask,
    Message,
    MessageDirection,
    Status,
    StatusChange,
)
from portal.search import enqueue
from portal.unit_of_work import unit_of_work
from tests import factories
from tests.test_complaints import answers, open_form, receipt_code


def queued(db) -> list[tuple[int, IndexAction]]:
    """The outbox, oldest first, as (complaint id, action)."""
    db.expire_all()
    rows = db.execute(select(IndexTask.complaint_id, IndexTask.action).order_by(IndexTask.id))
    return [tuple(row) for row in rows]


@pytest.fixture
def existing(db) -> Complaint:
    """A complaint already committed, its own index work done (outbox empty)."""
    complaint = factories.complaint(db)
    db.commit()
    db.query(IndexTask).delete()
    db.commit()
    return complaint


@pytest.mark.parametrize(
    "change",
    [
        "status",
        "category",
        "tag",
        "message",
        "status step",
    ],
)
def test_every_change_the_index_reflects_queues_itself(db, existing, change):
    if change == "status":
        existing.status = Status.IN_REVIEW
    elif change == "category":
        db.add(ComplaintCategory(complaint=existing, category=Category.TORTURE))
    elif change == "tag":
        db.add(ComplaintTag(complaint=existing, tag="footage"))
    elif change == "message":
        db.add(
            Message(
                complaint=existing,
                direction=MessageDirection.FROM_COMPLAINANT,
                body="Камера висела над дверью.",
            )
        )
    else:
        db.add(StatusChange(complaint=existing, old_status=Status.NEW, new_status=Status.REFERRED))
    db.commit()
    assert queued(db) == [(existing.id, IndexAction.UPSERT)]


def test_a_deleted_complaint_queues_its_removal(db, existing):
    complaint_id = existing.id
    db.delete(existing)
    db.commit()
    assert queued(db) == [(complaint_id, IndexAction.DELETE)]


def test_several_changes_in_one_commit_queue_one_row_per_complaint(db, existing):
    other = factories.complaint(db)
    existing.status = Status.IN_REVIEW
    db.add(ComplaintTag(complaint=existing, tag="footage"))
    existing.narrative = "Исправленный текст."
    db.commit()
    assert sorted(queued(db)) == [(existing.id, IndexAction.UPSERT), (other.id, IndexAction.UPSERT)]


def test_work_queued_by_hand_is_not_queued_twice(db, existing):
    existing.status = Status.CLOSED
    enqueue(db, existing.id)
    db.commit()
    assert queued(db) == [(existing.id, IndexAction.UPSERT)]


def test_changes_the_index_does_not_show_queue_nothing(db, existing):
    facility = db.scalars(select(Facility)).first()
    facility.name_en = "Renamed"
    db.commit()
    assert queued(db) == []


def test_a_rollback_queues_nothing(db, existing):
    existing.status = Status.IN_REVIEW
    db.flush()
    db.rollback()
    db.commit()  # a later commit must not pick up notes of the rolled-back work
    assert queued(db) == []


def test_the_index_is_written_after_the_response_never_inside_it(app, client, db, place):
    data = {**open_form(client), **answers(place)}
    response = client.post(
        "/kk/report", data=data, content_type="multipart/form-data", buffered=False
    )
    assert receipt_code(response)
    index = Path(app.config["INDEX_DIR"])
    assert len(queued(db)) == 1 and not index.exists()  # the receipt came first
    response.close()  # the server has sent the page
    assert queued(db) == [] and any(index.iterdir())


# --- files ----------------------------------------------------------------------------------


def clean(data: bytes = b"\xff\xd8\xff photo") -> files.CleanFile:
    return files.CleanFile(data, "image/jpeg", "jpg")


def stored_names(app) -> list[str]:
    folder = Path(app.instance_path) / "attachments"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_unit_of_work_commits_its_rows_with_its_files(app, db, existing):
    with app.test_request_context(), unit_of_work([clean(), clean(b"\xff\xd8\xff two")]) as done:
        existing.status = Status.IN_REVIEW
    assert len(done) == 2 and stored_names(app) == sorted(item.storage_name for item in done)
    assert db.get(Complaint, existing.id).status is Status.IN_REVIEW


def test_a_failed_unit_of_work_keeps_neither_rows_nor_files(app, db, existing):
    with pytest.raises(RuntimeError), app.test_request_context(), unit_of_work([clean()]):
        existing.status = Status.CLOSED
        raise RuntimeError("the database went away")
    assert stored_names(app) == []
    db.expire_all()
    assert db.get(Complaint, existing.id).status is Status.NEW
    assert queued(db) == []


def test_a_failed_commit_removes_the_files_and_lets_the_caller_see_why(app, db, existing):
    with pytest.raises(IntegrityError), app.test_request_context(), unit_of_work([clean()]):
        db.add(Complaint(reference=existing.reference, narrative="дубликат"))
    assert stored_names(app) == []
