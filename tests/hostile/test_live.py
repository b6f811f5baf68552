"""The probe that once held every worker for minutes, run against a live threaded server.

Eight parallel reports with four text fields of about 5.5 MB each (within one
address's hourly allowance) took 34 s and 1.5 GB each and held every thread for
about five minutes. Now each is refused from its headers, and the site answers
other visitors meanwhile. The bounds are generous for a busy CI machine; the
measured figures are in docs/PERFORMANCE.md (``bench/hostile_text.py``).
"""

from __future__ import annotations

import resource
import shutil
import threading
from collections.abc import Iterator

import pytest

from portal import create_app
from tests.support.browser import LiveServer
from tests.support.probe import Answer, report_form, send

PARALLEL = 8
#: Seconds a refusal or a page may take here (measured: well under one second).
BOUND = 5.0
PROBE = b"&".join(
    name.encode() + b"=" + b"a" * 5_500_000
    for name in ("narrative", "place_text", "contact", "incident_date")
)


@pytest.fixture(scope="module")
def live(sqlite_template, tmp_path_factory) -> Iterator[str]:
    """The portal with rate limits on, as in production, served by threads on 127.0.0.1."""
    from portal.db import session
    from portal.reference import ensure_regions

    folder = tmp_path_factory.mktemp("hostile-live")
    shutil.copyfile(sqlite_template, folder / "portal.sqlite3")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
            "INSTANCE_PATH": str(folder),
            "INDEX_DIR": str(folder / "index"),
            "RATELIMIT_ENABLED": True,
        }
    )
    with app.app_context():
        ensure_regions(session)
        session.commit()
    server = LiveServer(app).start()
    yield server.url
    server.stop()
    app.extensions["portal.db"].engine.dispose()


def test_eight_oversized_reports_are_refused_while_pages_keep_answering(live):
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    answers: list[Answer | BaseException] = []

    forms = [report_form(live) for _ in range(PARALLEL)]  # genuine visitors: CSRF passes

    def probe(cookie: dict[str, str], tokens: bytes) -> None:
        try:
            answers.append(
                send(
                    live,
                    "/kk/report",
                    method="POST",
                    headers={"Content-Type": "application/x-www-form-urlencoded", **cookie},
                    body=tokens + PROBE,
                    timeout=BOUND,
                )
            )
        except BaseException as error:  # noqa: BLE001 - recorded and asserted below
            answers.append(error)

    probes = [threading.Thread(target=probe, args=form) for form in forms]
    for thread in probes:
        thread.start()
    page = send(live, "/kk/", timeout=BOUND)  # another visitor, meanwhile
    for thread in probes:
        thread.join(timeout=2 * BOUND)

    assert page.status == 200 and "<html" in page.text
    assert not any(thread.is_alive() for thread in probes)
    assert [getattr(answer, "status", answer) for answer in answers] == [413] * PARALLEL
    growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert growth_mib < 200  # once: 1.5 GB per request
