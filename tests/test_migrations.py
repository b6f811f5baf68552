"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

import portal.models  # noqa: F401
from portal.db import alembic_config, engine, make_engine
from portal.models.base import Base


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_the_newest_migration(app):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with app.app_context(), engine().connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head


def test_init_db_is_repeatable_and_loads_regions(runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and "20" in first.output
    assert second.exit_code == 0 and "0 regions added" in second.output


def test_upgrading_to_case_numbers_keeps_every_complaints_rows(tmp_path):
    """0003 adds columns in place: copying the table on SQLite would cascade-delete children."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0002")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO regions (id, slug, kind, name_kk, name_kk_latn, name_ru, name_en) "
                "VALUES (1, 'r', 'oblast', 'a', 'a', 'a', 'a')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO complaints (id, reference, region_id, incident_date_precision, "
                "narrative, camera_present, camera_working, out_of_view, relation, language, "
                "status, is_demo, created_at, updated_at) VALUES (1, 'R1', 1, 'day', 'text', "
                "'no', 'no', 'no', 'self', 'ru', 'new', 0, '2026-01-01', '2026-01-01')"
            )
        )
        connection.execute(text("INSERT INTO complaint_categories VALUES (1, 'other')"))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM complaint_categories")).scalar() == 1
    engine.dispose()


def test_duplicate_and_unfounded_become_closing_reasons_of_closed(tmp_path):
    """0005 turns the old statuses into closed + reason, keeps every row and queues the index."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0004")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO regions (id, slug, kind, name_kk, name_kk_latn, name_ru, name_en) "
                "VALUES (1, 'r', 'oblast', 'a', 'a', 'a', 'a')"
            )
        )
        for ident, status in ((1, "duplicate"), (2, "unfounded"), (3, "in_review")):
            connection.execute(
                text(
                    "INSERT INTO complaints (id, reference, region_id, incident_date_precision, "
                    "narrative, camera_present, camera_working, out_of_view, relation, language, "
                    "status, is_demo, created_at, updated_at) VALUES (:id, :ref, 1, 'day', 'text', "
                    "'no', 'no', 'no', 'self', 'ru', :status, 0, '2026-01-01', '2026-01-01')"
                ),
                {"id": ident, "ref": f"R{ident}", "status": status},
            )
            connection.execute(
                text("INSERT INTO complaint_categories VALUES (:id, 'other')"), {"id": ident}
            )
        connection.execute(
            text(
                "INSERT INTO status_changes (complaint_id, old_status, new_status, at) "
                "VALUES (1, 'new', 'duplicate', '2026-01-02')"
            )
        )
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0005")
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, status, closing_reason FROM complaints ORDER BY id")
        ).all()
        assert [tuple(row) for row in rows] == [
            (1, "closed", "duplicate"),
            (2, "closed", "unfounded"),
            (3, "in_review", None),
        ]
        step = connection.execute(
            text("SELECT old_status, new_status, closing_reason FROM status_changes")
        ).one()
        assert tuple(step) == ("new", "closed", "duplicate")
        queued = connection.execute(text("SELECT complaint_id FROM index_outbox")).scalars()
        assert sorted(queued) == [1, 2]
        assert connection.execute(text("SELECT count(*) FROM complaint_categories")).scalar() == 3
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0004")
    with engine.connect() as connection:
        statuses = connection.execute(text("SELECT status FROM complaints ORDER BY id")).scalars()
        assert list(statuses) == ["duplicate", "unfounded", "in_review"]
    engine.dispose()
