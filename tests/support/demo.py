"""A portal on a freshly migrated database, empty or with demo data, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal import create_app
from portal.db import make_engine, upgrade_schema


def migrated_portal(folder: Path, url: str | None = None, config: dict | None = None) -> Flask:
    """The portal on a database brought to the latest schema, its files in ``folder``.

    ``url`` defaults to a SQLite database in ``folder``; the instance folder is
    ``folder`` and the index ``folder/index`` unless ``config`` says otherwise.
    """
    url = url or f"sqlite:///{folder / 'portal.sqlite3'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder),
            "INDEX_DIR": str(folder / "index"),
            **(config or {}),
        }
    )


def demo_portal(
    folder: Path, *, facilities: int, complaints: int, seed: int, demo_staff: bool = False
) -> Flask:
    """The portal on SQLite in ``folder`` with demo data (and the demo staff accounts if asked).

    Rate limits are off: a test walks many pages from one address. Dispose of the
    engine when done: ``app.extensions["portal.db"].engine.dispose()``.
    """
    from portal.auth.demo import ensure_demo_staff
    from portal.db import session
    from portal.demo import generate

    app = migrated_portal(folder, config={"RATELIMIT_ENABLED": False})
    with app.app_context():
        generate(session, facilities=facilities, complaints=complaints, seed=seed)
        session.commit()
        if demo_staff:
            ensure_demo_staff()  # the demo staff accounts of `make run`
    return app
