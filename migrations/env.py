"""Alembic environment: migrates the portal's database.

``flask --app wsgi init-db`` passes its own connection in
``config.attributes["connection"]``. Run bare (``alembic revision --autogenerate``
through ``make migration``), it builds the app to find the database URL.
"""

from alembic import context

import portal.models  # noqa: F401  (registers every table on the metadata)
from portal.models._columns import UTCDateTime
from portal.models.base import Base

target_metadata = Base.metadata


def _render_item(type_, obj, autogen_context):
    """Write our column types as plain SQLAlchemy types, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=_render_item,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from portal import create_app
    from portal.db import make_engine

    app = create_app()
    with make_engine(app.config["DATABASE_URL"]).connect() as fresh:
        _run(fresh)
        fresh.commit()


if context.is_offline_mode():
    raise SystemExit("Offline SQL generation is not supported; run against a database.")
run_migrations_online()
