"""Benchmark: how long `demo-data` takes at a given size, the database size, and page speed on it.

Usage: .venv/bin/python bench/demo_data.py [--complaints 100000] [--facilities 300]
       [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.db import make_engine, session
from portal.demo import generate
from portal.reference import ensure_regions
from tests.support.demo import migrated_portal

#: Pages and files measured, cold (first request after a data change) and warm.
PAGES = [
    "/ru/",
    "/ru/regions/karaganda",
    "/ru/facilities",
    "/ru/facilities?q=караганда&sort=coverage",
    "/ru/facilities/karaganda-colony-12",
    "/open-data/coverage-snapshots.csv",
    "/open-data/complaint-statistics.csv",
    "/api/v1/national",
    "/feed.atom?lang=ru",
]


def database_size(app, folder: Path) -> int:
    """Bytes used by the database (the SQLite file, or pg_database_size)."""
    from sqlalchemy import text

    url = app.config["DATABASE_URL"]
    with app.app_context():
        if url.startswith("sqlite"):
            # Fold the write-ahead log into the file first, so that the size is the data's.
            session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            return sum(path.stat().st_size for path in folder.glob("portal.sqlite3*"))
        return session.scalar(text("SELECT pg_database_size(current_database())"))


def after_a_new_complaint(app, client, repeat: int) -> None:
    """A complaint is filed: the next requests of pages and files, and the version queries.

    The complaint is received now, after the end of the published period, so it
    must change no page: every page stays warm.
    """
    from datetime import date

    from sqlalchemy import select

    from portal import caching, clock
    from portal.models import Complaint, Facility, Relation, Status

    with app.app_context():
        facility = session.scalars(select(Facility).order_by(Facility.id)).first()
        session.add(
            Complaint(
                reference="BENCH-NEW",
                facility=facility,
                region_id=facility.region_id,
                incident_date=date(2026, 1, 5),
                narrative="bench",
                relation=Relation.SELF,
                language="ru",
                status=Status.NEW,
                created_at=clock.now(),
            )
        )
        session.commit()
    for path in PAGES:
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, path
        print(f"after a complaint  {path:<36} {(time.perf_counter() - started) * 1000:7.1f} ms")
    with app.test_request_context("/"):
        for name, measure in caching.VERSIONS.items():
            timings = []
            for _ in range(repeat):
                for key in ("coverage_version", "complaints_version", "published_period"):
                    caching.g.pop(key, None)
                started = time.perf_counter()
                measure()
                timings.append((time.perf_counter() - started) * 1000)
            print(f"{name} version query  p50 {statistics.median(timings):6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--facilities", type=int, default=300)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--page-requests", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as scratch:
        folder = Path(scratch)
        server = None
        if args.backend == "postgresql":
            from tests.support.postgres import PostgresServer

            server = PostgresServer()
            server.start()
            url = server.url(server.create_database("bench"))
        else:
            url = f"sqlite:///{folder / 'portal.sqlite3'}"
        try:
            app = migrated_portal(folder, url)
            with app.app_context():
                ensure_regions(session)
                session.commit()
                started = time.perf_counter()
                counts = generate(
                    session, facilities=args.facilities, complaints=args.complaints, seed=2026
                )
                session.commit()
                elapsed = time.perf_counter() - started
            if args.backend == "postgresql":  # as autovacuum soon would: plans and visibility map
                from sqlalchemy import text

                with make_engine(url).connect() as connection:
                    connection.execution_options(isolation_level="AUTOCOMMIT")
                    connection.execute(text("VACUUM ANALYZE"))
            size = database_size(app, folder)

            client = app.test_client()
            print(f"backend            {args.backend}")
            print(f"generated          {counts}")
            print(f"demo-data time     {elapsed:.1f} s")
            print(f"database size      {size / 1_048_576:.1f} MiB")
            for path in PAGES:
                started = time.perf_counter()
                response = client.get(path)  # cold: builds the per-data-version caches
                cold = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, path
                timings = []
                for _ in range(args.page_requests):
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                timings.sort()
                p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
                median = statistics.median(timings)
                print(
                    f"{path:<36} cold {cold:7.1f} ms, warm p50 {median:6.1f} ms,"
                    f" p95 {p95:6.1f} ms, {len(response.data) / 1024:8.1f} KiB"
                )
            after_a_new_complaint(app, client, args.page_requests)
            app.extensions["portal.db"].engine.dispose()
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
