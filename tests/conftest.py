"""Fixtures: apps on SQLite and on a real PostgreSQL server, a CLI runner, a live server.

Every test that asks for ``app`` runs twice, once per database backend. The
schema is migrated once per backend and session; each test then gets a copy
(a copied SQLite file, or a PostgreSQL database created from a template), so
tests never see each other's rows and may commit freely.

PostgreSQL and Chromium tests skip with a reason when their binaries are
missing on a developer's machine; with ``CI=true`` a missing binary fails.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

# The app reads PORTAL_* variables at creation; keep tests away from ./instance.
_SCRATCH = Path(tempfile.mkdtemp(prefix="portal-tests-"))
os.environ["PORTAL_INSTANCE_PATH"] = str(_SCRATCH / "instance")
os.environ["PORTAL_SECRET_KEY"] = "test-secret-key"
os.environ["PORTAL_CONTACT_KEY"] = "test-contact-key"
os.environ.pop("PORTAL_DATABASE_URL", None)
os.environ.pop("PORTAL_ENV", None)
os.umask(0o077)  # as the portal runs (portal/instance.py): test copies of databases stay private
for _name in ("PORTAL_BASE_URL", "PORTAL_ALLOWED_HOSTS", "PORTAL_FEED_TAG_AUTHORITY"):
    os.environ.pop(_name, None)  # the development defaults: localhost and 127.0.0.1 allowed

import portal.models  # noqa: E402,F401
from portal import create_app  # noqa: E402
from portal.db import make_engine, upgrade_schema  # noqa: E402
from portal.models.base import Base  # noqa: E402
from portal.search.searchers import close_pools  # noqa: E402
from tests import factories  # noqa: E402
from tests.support.postgres import PostgresServer  # noqa: E402

BACKENDS = ("sqlite", "postgresql")
TABLES = [table.name for table in Base.metadata.sorted_tables]
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(available: bool, reason: str) -> None:
    """Skip when something a test needs is missing, but fail in CI, where it must be there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: missing tools are failures, not skips)")
    pytest.skip(reason)


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_SCRATCH, ignore_errors=True)


class ServerLikeClient(FlaskClient):
    """Flask's test client, closing each response as a WSGI server does once it is sent.

    Work the portal does after the response (the search-index catch-up, registered
    with ``call_on_close``) then happens before the test reads the index, as it would
    after a real server has sent the page.
    """

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


# --- databases ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, empty SQLite database file to copy for each test."""
    path = tmp_path_factory.mktemp("sqlite") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server in a temporary folder, with a migrated template database."""
    require(
        PostgresServer.available(), f"PostgreSQL binaries not found in {PostgresServer.bin_dir}"
    )
    server = PostgresServer()
    server.start()
    try:
        engine = make_engine(server.url(server.create_database("portal_template")))
        upgrade_schema(engine)
        engine.dispose()
        server.create_database("portal_test", template="portal_template")
        yield server
    finally:
        server.stop()


@pytest.fixture
def new_database_url(request, tmp_path) -> Callable[[str], str]:
    """Return a function that makes a fresh migrated empty database on a backend.

    On PostgreSQL the first database of a test is the shared ``portal_test``,
    emptied; creating a database from the template costs about 0.4 s, so only a
    test that needs a second one pays for it.
    """
    counter = itertools.count()

    def make(backend: str) -> str:
        number = next(counter)
        if backend == "sqlite":
            target = tmp_path / f"portal-{number}.sqlite3"
            shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
            return f"sqlite:///{target}"
        server: PostgresServer = request.getfixturevalue("postgres")
        if number == 0:
            server.empty_database("portal_test", TABLES)
            return server.url("portal_test")
        return server.url(server.create_database(template="portal_template"))

    return make


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend of this run of the test."""
    return request.param


@pytest.fixture
def app_factory(backend, new_database_url, tmp_path) -> Iterator[Callable[..., Flask]]:
    """Return a function that builds an app with its own fresh database on this backend."""
    apps: list[Flask] = []

    def make(**overrides) -> Flask:
        folder = tmp_path / f"instance-{len(apps)}"
        settings = {
            "TESTING": True,
            "DATABASE_URL": new_database_url(backend),
            "INSTANCE_PATH": str(folder),
            "INDEX_DIR": str(folder / "index"),
            "RATELIMIT_ENABLED": False,
            # A closed response has been indexed (the background indexer's first attempt).
            "SEARCH_INDEX_WAIT": 10.0,
        }
        settings.update(overrides)
        application = create_app(settings)
        application.test_client_class = ServerLikeClient
        apps.append(application)
        return application

    yield make
    close_pools()  # the searchers each process keeps open across requests
    for application in apps:
        application.extensions["portal.db"].engine.dispose()


@pytest.fixture
def app(app_factory) -> Flask:
    """An app with a fresh, migrated, empty database (no regions loaded)."""
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The app's session, inside an application context."""
    from portal.db import session

    with app.app_context():
        yield session


@pytest.fixture
def regions(db):
    """The 20 reference regions, loaded."""
    from portal.reference import ensure_regions

    ensure_regions(db)
    db.commit()
    return db


# --- a place to report about ---------------------------------------------------------------


@pytest.fixture
def place(regions) -> dict:
    """A facility in the first region, and a region where it is not."""
    db = regions
    region = factories.region(db)
    facility = factories.facility(db, region=region)
    other_region = factories.region(db, slug="elsewhere", name_kk="Басқа", name_ru="Другой")
    db.commit()
    return {"facility_id": facility.id, "region_id": region.id, "other_region_id": other_region.id}


@pytest.fixture
def regions_free_place():
    """Build an app with overrides and a facility in it (for tests needing special config)."""

    def make(app_factory, **overrides):
        app = app_factory(**overrides)
        from portal.db import session
        from portal.reference import ensure_regions

        with app.app_context():
            ensure_regions(session)
            facility = factories.facility(session, region=factories.region(session))
            session.commit()
            place = {"facility_id": facility.id, "region_id": facility.region_id}
        return app, place

    return make
