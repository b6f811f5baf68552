"""Database glue: one engine per app, one session per request or CLI command.

Shaped like a Flask extension (``init_app``). Views and services import
:data:`session`, a proxy to the current application context's session, and
commit once at their boundary; models never commit. The schema is owned by
Alembic (``migrations/``): ``flask --app wsgi init-db`` (:mod:`portal.cli`)
creates or upgrades it. The models' base class is in :mod:`portal.models.base`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.local import LocalProxy

from portal.config import PROJECT_ROOT


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Write-ahead logging and enforced foreign keys for every SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the settings this project relies on."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass(frozen=True)
class _Database:
    engine: Engine
    sessions: sessionmaker[Session]


def engine() -> Engine:
    """The current application's engine."""
    return current_app.extensions["portal.db"].engine


def session_factory(app: Flask) -> sessionmaker[Session]:
    """``app``'s session factory: listeners registered on it see every session it opens."""
    return app.extensions["portal.db"].sessions


def get_session() -> Session:
    """Return the session of the current application context, opening it once."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["portal.db"].sessions()
    return g.db_session


session: Session = LocalProxy(get_session)  # type: ignore[assignment]


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def alembic_config(connection=None) -> AlembicConfig:
    """An Alembic configuration for ``migrations/``, optionally bound to a connection."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["connection"] = connection
    return config


def upgrade_schema(bind: Engine) -> None:
    """Create the schema, or upgrade it to the newest migration."""
    with bind.begin() as connection:
        command.upgrade(alembic_config(connection), "head")


def schema_exists(bind: Engine) -> bool:
    """True when the database already has the portal's tables."""
    return inspect(bind).has_table("facilities")


def init_app(app: Flask) -> None:
    """Attach the engine and session factory to ``app``, and close each context's session."""
    bind = make_engine(app.config["DATABASE_URL"])
    app.extensions["portal.db"] = _Database(bind, sessionmaker(bind=bind, expire_on_commit=False))
    app.teardown_appcontext(_close_session)
