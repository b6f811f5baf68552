"""The portal on a new SQLite database with generated demo data, for tests that serve pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from portal import create_app
from portal.db import make_engine, upgrade_schema


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

    url = f"sqlite:///{folder / 'portal.sqlite3'}"
    engine = make_engine(url)
    upgrade_schema(engine)
    engine.dispose()
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(folder),
            "INDEX_DIR": str(folder / "index"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        generate(session, facilities=facilities, complaints=complaints, seed=seed)
        session.commit()
        if demo_staff:
            ensure_demo_staff()  # the demo staff accounts of `make run`
    return app
