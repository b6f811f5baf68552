"""Retention: ``purge-expired`` deletes exactly the complaints closed longer ago than promised.

The privacy page promises that a closed report is deleted ``PORTAL_RETENTION_DAYS``
days after closing. Each test checks the three places a complaint lives: its
database rows, its attachment files on disk and its entry in the search index.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from whoosh import index as whoosh_index

from portal import clock
from portal.demo import generate
from portal.files import CleanFile, attachments_folder, store
from portal.models import (
    ClosingReason,
    Complaint,
    IndexTask,
    Message,
    MessageDirection,
    Status,
    StatusChange,
)
from portal.retention import cli as retention_cli
from portal.retention.purge import FINAL_STATUSES
from portal.search import catch_up
from tests import factories

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DAYS = 365


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def retention(app, fixed_clock):
    app.config["RETENTION_DAYS"] = DAYS
    return app


def indexed_ids(app) -> set[int]:
    ix = whoosh_index.open_dir(app.config["INDEX_DIR"])
    try:
        with ix.searcher() as searcher:
            return {int(fields["id"]) for fields in searcher.all_stored_fields()}
    finally:
        ix.close()


def stored_file(db, complaint: Complaint) -> Path:
    name = store(CleanFile(b"\xff\xd8a photo", "image/jpeg", "jpg")).storage_name
    factories.attachment(db, complaint=complaint, storage_name=name)
    return attachments_folder() / name


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def test_on_demo_data_exactly_the_expired_complaints_leave_database_disk_and_index(
    retention, db, runner
):
    generate(db, seed=7, facilities=40, complaints=300)
    db.commit()
    complaints = db.scalars(select(Complaint)).all()
    expired = {c.id for c in complaints if c.status in FINAL_STATUSES and c.updated_at < ago(DAYS)}
    kept = {c.id for c in complaints} - expired
    closed_kept = {c.id for c in complaints if c.status in FINAL_STATUSES} - expired
    assert expired and closed_kept  # both sides of the line are exercised
    files_of = {
        complaint_id: stored_file(db, db.get(Complaint, complaint_id))
        for complaint_id in (min(expired), max(expired), min(kept), max(closed_kept))
    }
    db.commit()
    catch_up(db, retention.config["INDEX_DIR"])
    assert indexed_ids(retention) == expired | kept

    result = runner.invoke(args=["purge-expired"])

    assert result.exit_code == 0, result.output
    assert f"Removed {len(expired)} complaints closed before 2025-12-01" in result.output
    db.expire_all()
    assert set(db.scalars(select(Complaint.id))) == kept
    assert db.scalar(select(func.count()).select_from(StatusChange)) is not None
    for complaint_id, path in files_of.items():
        assert path.exists() == (complaint_id in kept), complaint_id
    assert indexed_ids(retention) == kept
    assert db.scalar(select(func.count()).select_from(IndexTask)) == 0


def test_a_complaint_expires_from_its_latest_closing_step(retention, db, runner):
    def closed(days_ago: float, *, status=Status.CLOSED, updated: float = 0) -> Complaint:
        complaint = factories.complaint(db, status=status, updated_at=ago(updated))
        factories.status_change(db, complaint=complaint, new_status=Status.CLOSED, at=ago(days_ago))
        return complaint

    long_ago = closed(DAYS + 10)  # a message after closing does not restart the clock
    recent = closed(DAYS - 10, updated=DAYS + 400)
    reopened = closed(DAYS + 10, status=Status.IN_REVIEW)
    factories.status_change(db, complaint=reopened, new_status=Status.IN_REVIEW, at=ago(DAYS + 5))
    closed_twice = closed(DAYS + 50)
    factories.status_change(
        db,
        complaint=closed_twice,
        old_status=Status.CLOSED,
        new_status=Status.CLOSED,
        closing_reason=ClosingReason.UNFOUNDED,
        at=ago(DAYS - 1),
    )
    never_closed = factories.complaint(db, status=Status.REFERRED, updated_at=ago(DAYS * 3))
    duplicate = factories.complaint(
        db, status=Status.CLOSED, closing_reason=ClosingReason.DUPLICATE, updated_at=ago(DAYS + 1)
    )
    db.add(
        Message(complaint=long_ago, direction=MessageDirection.FROM_COMPLAINANT, body="Спасибо.")
    )
    db.commit()

    dry = runner.invoke(args=["purge-expired", "--dry-run"])
    assert dry.exit_code == 0 and "Would remove 2 complaints" in dry.output
    assert db.scalar(select(func.count()).select_from(Complaint)) == 6

    result = runner.invoke(args=["purge-expired"])

    assert result.exit_code == 0, result.output
    db.expire_all()
    left = set(db.scalars(select(Complaint.id)))
    assert left == {recent.id, reopened.id, closed_twice.id, never_closed.id}
    assert long_ago.id not in left and duplicate.id not in left
    again = runner.invoke(args=["purge-expired"])
    assert again.exit_code == 0 and "Removed 0 complaints" in again.output


def test_a_locked_index_fails_the_command_and_keeps_the_removal_queued(
    retention, db, runner, monkeypatch
):
    gone = factories.complaint(db, status=Status.CLOSED, updated_at=ago(DAYS * 2))
    stays = factories.complaint(db, status=Status.CLOSED, updated_at=ago(1))
    db.commit()
    folder = retention.config["INDEX_DIR"]
    catch_up(db, folder)
    monkeypatch.setattr(retention_cli, "INDEX_WAIT", 0.2)
    ix = whoosh_index.open_dir(folder)
    holder = ix.writer()  # another process writing the index
    try:
        result = runner.invoke(args=["purge-expired"])
    finally:
        holder.cancel()
        ix.close()

    assert result.exit_code != 0
    assert "search catch-up" in result.output
    db.expire_all()
    assert set(db.scalars(select(Complaint.id))) == {stays.id}  # the rows are gone already
    assert db.scalar(select(func.count()).select_from(IndexTask)) == 1
    assert gone.id in indexed_ids(retention)  # until the index can be written
    catch_up(db, folder)
    assert indexed_ids(retention) == {stays.id}


def test_orphaned_files_are_swept_by_the_purge(retention, db, runner):
    with retention.app_context():
        orphan = store(CleanFile(b"\xff\xd8left by a crash", "image/jpeg", "jpg")).storage_name
    path = attachments_folder() / orphan
    old = (NOW - timedelta(hours=2)).timestamp()
    os.utime(path, (old, old))
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 attachment files no complaint refers to" in result.output
    assert not path.exists()
