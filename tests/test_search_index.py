"""The search index is written after the commit, from the outbox, and never loses a complaint.

A citizen's complaint is acknowledged once it is in the database. Whether the
index folder is missing, locked, broken or the disk refuses the write, the
complaint stays stored and its index work stays queued until ``search
catch-up`` (or the next request) writes it; ``search rebuild`` makes the whole
index anew. The contact and the receipt never reach the index files.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index
from whoosh.qparser import QueryParser
from whoosh.writing import SegmentWriter

from portal.db import engine
from portal.models import Complaint, IndexAction, IndexTask
from portal.search import (
    SCHEMA,
    catch_up,
    catch_up_quietly,
    enqueue,
    index_status,
    rebuild,
)
from portal.search import rebuilder as rebuild_module
from portal.search import writer as writer_module
from tests import factories

FAST = 0.05  # seconds to wait for a lock the test holds on purpose


@pytest.fixture
def folder(app) -> Path:
    return Path(app.config["INDEX_DIR"])


def submit(db: Session, **values) -> Complaint:
    """What the complaint form does: store the complaint and its index work in one commit."""
    complaint = factories.complaint(db, **values)
    enqueue(db, complaint.id)
    db.commit()
    return complaint


def found(folder: Path, words: str, field: str = "narrative") -> set[int]:
    """Ids of the complaints the index finds for ``words`` in ``field``."""
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.searcher() as searcher:
            query = QueryParser(field, ix.schema).parse(words)
            return {int(hit["id"]) for hit in searcher.search(query, limit=None)}
    finally:
        ix.close()


def pending(db: Session) -> list[IndexTask]:
    db.expire_all()
    return list(db.scalars(select(IndexTask).order_by(IndexTask.id)))


def raw_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def test_a_submitted_complaint_reaches_the_index_after_catch_up(db, folder):
    complaint = submit(db, narrative="Конвоир ударил задержанного в автозаке.")

    result = catch_up(db, folder)

    assert (result.done, result.failed, result.pending, result.error) == (1, 0, 0, None)
    assert found(folder, "автозаке") == {complaint.id}
    assert found(folder, "physical_violence", field="categories") == {complaint.id}
    assert index_status(folder) == {"ok": True, "state": "ready", "documents": 1}


def test_enqueue_joins_the_callers_transaction(db):
    complaint = factories.complaint(db)
    db.commit()
    before = [task.id for task in pending(db)]  # the new complaint queued itself at commit
    enqueue(db, complaint.id)
    db.rollback()
    assert [task.id for task in pending(db)] == before


def test_repeated_work_on_one_complaint_is_one_document_and_limit_is_respected(db, folder):
    first = submit(db, narrative="первая версия")
    enqueue(db, first.id)
    first.narrative = "исправленная версия"
    enqueue(db, first.id)
    db.commit()
    second = submit(db)

    result = catch_up(db, folder, limit=3)

    assert (result.done, result.pending) == (3, 1)
    assert found(folder, "исправленная") == {first.id}
    assert found(folder, "первая") == set()
    assert catch_up(db, folder).done == 1
    assert index_status(folder)["documents"] == 2
    assert second.id in found(folder, "коридоре")


def test_a_delete_task_removes_the_document_but_not_the_complaint(db, folder):
    complaint = submit(db)
    catch_up(db, folder)
    enqueue(db, complaint.id, IndexAction.DELETE)
    db.commit()

    assert catch_up(db, folder).done == 1

    assert found(folder, "коридоре") == set()
    assert db.get(Complaint, complaint.id) is not None


def test_a_deleted_index_folder_loses_no_complaint(app, db, folder, client):
    earlier = submit(db)
    catch_up(db, folder)
    shutil.rmtree(folder)

    later = submit(db, narrative="Избиение в камере без камер.")

    assert {c.id for c in db.scalars(select(Complaint))} == {earlier.id, later.id}
    assert [task.complaint_id for task in pending(db)] == [later.id]
    assert client.get("/healthz").json["index"] == "missing"

    result = catch_up(db, folder)

    # The new index holds every complaint, not only the one that was queued.
    assert (result.done, result.failed, result.pending, result.error) == (2, 0, 0, None)
    assert found(folder, "коридоре") == {earlier.id}
    assert found(folder, "камере") == {later.id}


def test_an_index_folder_that_cannot_be_created_keeps_the_work(db, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index's parent folder should be")
    target = blocker / "index"
    complaint = submit(db)

    result = catch_up(db, target)

    assert (result.done, result.failed, result.pending) == (0, 1, 1)
    [task] = pending(db)
    assert (task.complaint_id, task.attempts) == (complaint.id, 1)
    assert task.last_error == result.error and result.error.endswith("Error")

    blocker.unlink()
    assert catch_up(db, target).pending == 0
    assert found(target, "коридоре") == {complaint.id}


def test_a_locked_index_keeps_the_work_queued_until_released(db, folder, monkeypatch):
    catch_up(db, folder)  # creates the (empty) index
    monkeypatch.setattr(writer_module, "QUIET_TIMEOUT", FAST)
    ix = whoosh_index.open_dir(str(folder))
    holder = ix.writer()
    try:
        complaint = submit(db)
        catch_up_quietly(db, folder)  # what the web request does: it must not fail
        result = catch_up(db, folder, timeout=FAST)

        assert (result.done, result.failed, result.pending) == (0, 1, 1)
        assert result.error == "LockError"
        [task] = pending(db)
        assert (task.attempts, task.last_error) == (2, "LockError")
        assert db.scalar(select(func.count(Complaint.id))) == 1  # the session still works
    finally:
        holder.cancel()
        ix.close()

    assert catch_up(db, folder).done == 1
    assert found(folder, "коридоре") == {complaint.id}


def test_a_failed_disk_write_releases_the_lock_and_keeps_the_work(db, folder, monkeypatch):
    complaint = submit(db)

    def disk_full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(SegmentWriter, "commit", disk_full)
    result = catch_up(db, folder)
    monkeypatch.undo()

    assert (result.done, result.failed, result.pending, result.error) == (0, 1, 1, "OSError")
    assert pending(db)[0].last_error == "OSError"
    assert catch_up(db, folder, timeout=0).done == 1  # the lock was released
    assert found(folder, "коридоре") == {complaint.id}


def test_catch_up_quietly_indexes_in_its_own_session(db, folder):
    complaint = submit(db)
    catch_up_quietly(db, folder)
    assert pending(db) == []
    assert found(folder, "коридоре") == {complaint.id}


def test_a_broken_index_is_reported_and_rebuild_fixes_it(db, folder):
    complaint = submit(db)
    catch_up(db, folder)
    for path in folder.iterdir():
        path.unlink()
    (folder / "_MAIN_3.toc").write_bytes(b"not an index")
    second = submit(db)

    assert index_status(folder)["state"] == "unreadable"
    result = catch_up(db, folder)
    assert (result.failed, result.pending) == (1, 1) and result.error

    assert rebuild(db, folder) == 2
    assert index_status(folder) == {"ok": True, "state": "ready", "documents": 2}
    assert found(folder, "коридоре") == {complaint.id, second.id}
    assert pending(db) == []


def test_an_index_of_another_schema_needs_a_rebuild(db, folder):
    from whoosh import fields

    folder.mkdir(parents=True)
    whoosh_index.create_in(str(folder), fields.Schema(id=fields.ID(stored=True))).close()
    submit(db)

    assert catch_up(db, folder).error == "SchemaMismatch"
    assert rebuild(db, folder) == 1
    assert whoosh_index.open_dir(str(folder)).schema.names() == SCHEMA.names()


def test_rebuild_swaps_in_a_new_index_and_keeps_work_queued_during_it(app, db, folder, monkeypatch):
    rebuild(db, folder)  # an empty index to start from
    before = submit(db, narrative="до перестройки")
    building = rebuild_module.iter_documents
    during: dict[str, object] = {}

    def a_complaint_arrives_while_building(session: Session):
        with Session(bind=engine()) as other:
            late = factories.complaint(other, narrative="во время перестройки")
            enqueue(other, late.id)
            other.commit()
            during["late"] = late.id
            during["catch_up"] = catch_up(other, folder, timeout=FAST)
        during["old index"] = index_status(folder)
        yield from building(session)

    monkeypatch.setattr(rebuild_module, "iter_documents", a_complaint_arrives_while_building)
    assert rebuild(db, folder) == 2

    # Reviewers kept the old index while the new one was built; catch-up was kept out.
    assert during["old index"] == {"ok": True, "state": "ready", "documents": 0}
    assert during["catch_up"].error == "LockError"
    # Work queued before the rebuild is covered by it; work queued during it stays.
    assert [task.complaint_id for task in pending(db)] == [during["late"]]
    assert found(folder, "перестройки") == {before.id, during["late"]}
    leftovers = [p.name for p in folder.parent.iterdir() if p.name.startswith(f"{folder.name}.")]
    assert leftovers == [f"{folder.name}.rebuild-lock"]
    assert catch_up(db, folder).done == 1


def test_contact_and_receipt_never_reach_the_index_files(db, folder):
    submit(
        db,
        narrative="Case 7731946: a number that must be in the index",
        contact_encrypted=b"canarycontact4417 +7 701 000 00 00",
        receipt_hash="$argon2id$v=19$canaryreceipthash",
        receipt_lookup="canaryreceiptlookup",
        place_text="ИВС 8842157",
    )
    catch_up(db, folder)
    rebuild(db, folder)
    data = raw_bytes(folder).lower()

    assert b"7731946" in data and b"8842157" in data  # the scan does see indexed terms
    for canary in (b"canarycontact4417", b"canaryreceipthash", b"canaryreceiptlookup"):
        assert canary not in data


def test_the_commands_catch_up_and_rebuild(db, folder, runner):
    submit(db)
    result = runner.invoke(args=["search", "catch-up"])
    assert result.exit_code == 0, result.output
    assert "done=1 failed=0 pending=0" in result.output

    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 complaints" in result.output


def test_catch_up_command_fails_only_when_nothing_could_be_written(db, folder, runner):
    runner.invoke(args=["search", "catch-up"])
    submit(db)
    ix = whoosh_index.open_dir(str(folder))
    holder = ix.writer()
    try:
        result = runner.invoke(args=["search", "catch-up", "--timeout", str(FAST)])
    finally:
        holder.cancel()
        ix.close()
    assert result.exit_code == 1
    assert "done=0 failed=1 pending=1" in result.output
    assert "LockError" in result.output


def test_status_shows_the_pending_work_go_to_zero(db, folder, client, runner):
    submit(db)
    assert "index work:      1 waiting" in runner.invoke(args=["status"]).output

    catch_up(db, folder)

    result = runner.invoke(args=["status"])
    assert "search index:    ready, 1 documents" in result.output
    assert "index work:      0 waiting" in result.output
    assert result.exit_code == 0
    assert client.get("/healthz").json == {
        "status": "ok",
        "database": "ok",
        "index": "ok",
        "backlog": "ok",
    }
