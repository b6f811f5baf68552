"""The migrations build exactly the schema the models describe, on both backends."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import portal.models  # noqa: F401
from portal.db import alembic_config, engine
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
