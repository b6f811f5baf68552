"""/healthz tells monitoring whether the database, the search index and its backlog are well.

It says states only. The exact figures (documents in the index, index work
waiting) grow with every complaint, so publishing them would let anyone count
complaints as they arrive; ``flask --app wsgi status`` prints them for staff.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlalchemy import func, select
from whoosh import index

from portal.models import IndexTask
from portal.search import store
from tests import factories


def _index_with(app, documents: int) -> None:
    """A readable index of the portal's schema holding ``documents`` documents."""
    ix = store.create_index(Path(app.config["INDEX_DIR"]))
    with ix.writer() as writer:
        for number in range(documents):
            writer.add_document(id=str(number + 1))
    ix.close()


def _add_documents(app, count: int) -> None:
    ix = index.open_dir(app.config["INDEX_DIR"])
    with ix.writer() as writer:
        for number in range(count):
            writer.add_document(id=f"extra-{number}")
    ix.close()


def _waiting(db) -> int:
    return db.scalar(select(func.count(IndexTask.id)))


def test_health_reports_database_and_missing_index(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "degraded",
        "database": "ok",
        "index": "missing",
        "backlog": "ok",
    }


def test_health_reads_the_index_and_the_backlog(app, client, db):
    factories.index_task(db)
    factories.index_task(db)
    db.commit()
    _index_with(app, documents=1)

    body = client.get("/healthz").json
    assert body == {"status": "ok", "database": "ok", "index": "ok", "backlog": "ok"}


def test_status_prints_the_figures_health_leaves_out(app, db, runner):
    factories.index_task(db)
    factories.index_task(db)
    db.commit()
    _index_with(app, documents=1)

    result = runner.invoke(args=["status"])
    assert result.exit_code == 0, result.output
    assert "database:        ok" in result.output
    assert "search index:    ready, 1 documents" in result.output
    alert = app.config["INDEX_BACKLOG_ALERT"]
    assert f"index work:      {_waiting(db)} waiting (alert above {alert})" in result.output
    assert "status:          ok" in result.output


def test_status_exits_with_1_when_degraded(runner):
    result = runner.invoke(args=["status"])
    assert result.exit_code == 1
    assert "search index:    missing" in result.output
    assert "status:          degraded" in result.output


def test_health_reports_an_unreadable_index(app, client):
    folder = Path(app.config["INDEX_DIR"])
    folder.mkdir(parents=True)
    (folder / "_MAIN_1.toc").write_bytes(b"not an index")
    body = client.get("/healthz").json
    assert body["index"] == "unreadable"
    assert body["status"] == "degraded"


def test_health_is_503_when_the_database_is_gone(app_factory, tmp_path):
    broken = app_factory(DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/nothing/x.sqlite3")
    shutil.rmtree(tmp_path / "missing-dir")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "error"
    assert response.json["backlog"] == "unknown"
    assert response.json["status"] == "degraded"

    result = broken.test_cli_runner().invoke(args=["status"])
    assert result.exit_code == 1
    assert "database:        error (" in result.output


def test_health_is_degraded_when_index_work_piles_up(app, client, db):
    _index_with(app, documents=0)
    for _ in range(3):
        factories.index_task(db)
    db.commit()
    waiting = _waiting(db)

    app.config["INDEX_BACKLOG_ALERT"] = waiting  # exactly at the threshold: still ok
    assert client.get("/healthz").json["status"] == "ok"

    app.config["INDEX_BACKLOG_ALERT"] = waiting - 1  # one over it
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
    assert response.json["backlog"] == "over"


def test_filing_complaints_changes_no_number_in_health(app, client, db):
    """Complaints filed, index work queued, documents indexed: /healthz reads the same."""
    _index_with(app, documents=2)
    factories.index_task(db)
    db.commit()
    before = client.get("/healthz")
    assert not re.search(r"\d", before.get_data(as_text=True)), "a number in /healthz"

    for _ in range(5):
        factories.index_task(db)  # a complaint, and index work for it
    db.commit()
    _add_documents(app, 7)
    after = client.get("/healthz")

    assert _waiting(db) > 5
    assert after.get_data() == before.get_data()
    assert not re.search(r"\d", after.get_data(as_text=True))
