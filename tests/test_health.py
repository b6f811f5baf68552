"""/healthz tells monitoring whether the database and the search index work."""

from __future__ import annotations

from pathlib import Path

from tests import factories


def test_health_reports_database_and_missing_index(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["database"]["ok"] is True
    assert body["index"] == {"ok": False, "state": "missing", "pending": 0}
    assert body["status"] == "degraded"


def test_health_counts_pending_index_work_and_reads_the_index(app, client, db):
    from whoosh import fields, index

    factories.index_task(db)
    factories.index_task(db)
    db.commit()
    folder = Path(app.config["INDEX_DIR"])
    folder.mkdir(parents=True)
    ix = index.create_in(str(folder), fields.Schema(id=fields.ID(stored=True)))
    with ix.writer() as writer:
        writer.add_document(id="1")
    ix.close()

    body = client.get("/healthz").json
    assert body["status"] == "ok"
    assert body["index"] == {"ok": True, "state": "ready", "documents": 1, "pending": 2}


def test_health_reports_an_unreadable_index(app, client):
    folder = Path(app.config["INDEX_DIR"])
    folder.mkdir(parents=True)
    (folder / "_MAIN_1.toc").write_bytes(b"not an index")
    body = client.get("/healthz").json
    assert body["index"]["ok"] is False and body["index"]["state"] == "unreadable"


def test_health_is_503_when_the_database_is_gone(app_factory, tmp_path):
    broken = app_factory(DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/nothing/x.sqlite3")
    import shutil

    shutil.rmtree(tmp_path / "missing-dir")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"]["ok"] is False


def test_health_is_degraded_when_index_work_piles_up(app, client, db):
    from whoosh import fields, index

    folder = Path(app.config["INDEX_DIR"])
    folder.mkdir(parents=True)
    index.create_in(str(folder), fields.Schema(id=fields.ID(stored=True))).close()
    app.config["INDEX_BACKLOG_ALERT"] = 2
    for _ in range(2):
        factories.index_task(db)
    db.commit()
    assert client.get("/healthz").json["status"] == "ok"
    factories.index_task(db)
    db.commit()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded"
