"""The statistics page: counts in the user's scope, small counts hidden for analysts, no content."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.auth import access
from portal.db import session
from portal.models import (
    AuditEvent,
    Category,
    Message,
    MessageDirection,
    Note,
    Region,
    Role,
    Status,
    StatusChange,
    User,
)
from portal.reference import ensure_regions
from portal.review import counts
from tests import factories
from tests.conftest import require
from tests.support import nu
from tests.support.staff import clock as clock
from tests.support.staff import make_staff, sign_in

SECRET = "ZZSECRET"  # in every narrative, place, message, note, tag and reference


@pytest.fixture
def world(app):
    """12 complaints in Almaty (one facility), 3 in Astana, 1 with no region; staff of each role."""
    with app.app_context():
        ensure_regions(session)
        regions = {r.slug: r for r in session.scalars(select(Region)).all()}
        almaty = factories.facility(session, region=regions["almaty"], name_ru="ИВС Алматы")
        astana = factories.facility(session, region=regions["astana"], name_ru="ИВС Астаны")
        start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
        made = []
        for n in range(16):
            place = almaty if n < 12 else astana if n < 15 else None
            complaint = factories.complaint(
                session,
                facility=place or almaty,
                narrative=f"{SECRET} narrative {n}",
                place_text=f"{SECRET} place {n}",
                reference=f"{SECRET[:6]}{n:02d}",
                created_at=start + timedelta(days=n),
                categories=(Category.TORTURE,) if n % 2 else (Category.EXTORTION, Category.OTHER),
                status=Status.NEW if n < 10 else Status.IN_REVIEW,
            )
            if place is None:
                complaint.facility, complaint.region = None, None
            made.append(complaint)
        for n, complaint in enumerate(made[:4]):  # answered after 1, 2, 3 and 4 days
            factories.message(
                session,
                complaint=complaint,
                body=f"{SECRET} question",
                created_at=complaint.created_at + timedelta(days=n + 1),
            )
            factories.message(
                session,
                complaint=complaint,
                direction=MessageDirection.FROM_COMPLAINANT,
                body=f"{SECRET} answer",
                created_at=complaint.created_at + timedelta(hours=1),  # not a response
            )
        session.add(
            StatusChange(
                complaint=made[10],
                old_status=Status.NEW,
                new_status=Status.IN_REVIEW,
                at=made[10].created_at + timedelta(days=10),
            )
        )
        session.add(StatusChange(complaint=made[11], old_status=None, new_status=Status.NEW))
        session.add(Note(complaint=made[0], body=f"{SECRET} note"))
        factories.tag(session, complaint=made[1], tag=f"{SECRET}tag")
        session.commit()
        staff = {
            Role.REVIEWER: make_staff(session, "stats.reviewer", Role.REVIEWER, regions=["almaty"]),
            Role.COORDINATOR: make_staff(session, "stats.coordinator", Role.COORDINATOR),
            Role.ANALYST: make_staff(session, "stats.analyst", Role.ANALYST),
            Role.ADMIN: make_staff(session, "stats.admin", Role.ADMIN),
        }
        return {"staff": staff, "regions": {slug: r.id for slug, r in regions.items()}}


def _compute(user_id: int, *, suppressed: bool) -> counts.Statistics:
    user = session.get(User, user_id)
    return counts.compute(access.statistics_filter(user), suppressed=suppressed)


def _rows(found: counts.Statistics, table: str) -> dict:
    return dict(found.tables[table].rows)


def test_a_reviewer_counts_only_their_regions_exactly(app, world):
    with app.app_context():
        found = _compute(world["staff"][Role.REVIEWER].id, suppressed=False)
        assert found.total == 12
        assert _rows(found, "region") == {world["regions"]["almaty"]: 12}
        assert sum(_rows(found, "facility").values()) == 12
        assert _rows(found, "status") == {Status.NEW: 10, Status.IN_REVIEW: 2}
        assert _rows(found, "category") == {Category.EXTORTION: 6, Category.TORTURE: 6} | {
            Category.OTHER: 6
        }
        assert sum(_rows(found, "month").values()) == 12
        # answered: four by a message after 1-4 days, one by a status change after 10 days
        assert (found.response.responded, found.response.awaiting) == (5, 7)
        assert found.response.median_days == pytest.approx(3.0)
        assert found.response.p90_days == pytest.approx(10.0)


def test_a_coordinator_and_an_analyst_count_every_region(app, world):
    with app.app_context():
        coordinator = _compute(world["staff"][Role.COORDINATOR].id, suppressed=False)
        assert coordinator.total == 16
        assert _rows(coordinator, "region") == {
            world["regions"]["almaty"]: 12,
            world["regions"]["astana"]: 3,
            None: 1,
        }
        analyst = _compute(world["staff"][Role.ANALYST].id, suppressed=True)
        regions = _rows(analyst, "region")
        assert analyst.total == 16
        # 3 and 1 are hidden, and Almaty too, or 16 - 12 would tell that they add up to 4
        assert regions == {world["regions"]["almaty"]: None, world["regions"]["astana"]: None} | {
            None: None
        }
        assert all(value is None or value == 0 or value >= 10 for value in regions.values())
        assert analyst.response.median_days is None  # fewer than ten answered
        admin = _compute(world["staff"][Role.ADMIN].id, suppressed=True)
        assert admin.total is None or admin.total == 0


def test_the_page_shows_the_reviewers_scope_and_no_content(app, world, clock):
    client = app.test_client()
    sign_in(client, world["staff"][Role.REVIEWER], clock, lang="ru")
    response = client.get("/ru/review/statistics")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ИВС Алматы" in html and "ИВС Астаны" not in html
    assert "Астана" not in html and "Регион неизвестен" not in html
    assert "март 2026" in html  # months in words, by Babel
    assert SECRET not in html and SECRET[:6] not in html
    assert "/review/complaints" not in html
    assert "&lt;10" not in html  # a reviewer may open these complaints: exact counts


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.COORDINATOR, Role.ANALYST])
def test_no_narrative_or_reference_ever_appears_for_any_role(app, world, clock, role):
    client = app.test_client()
    sign_in(client, world["staff"][role], clock, lang="kk")
    for path in ("/kk/review/statistics", "/kk/review/statistics.csv", "/en/review/statistics"):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert SECRET not in text and SECRET[:6] not in text, path


def test_an_analyst_sees_small_counts_hidden(app, world, clock):
    client = app.test_client()
    sign_in(client, world["staff"][Role.ANALYST], clock, lang="kk")
    html = client.get("/kk/review/statistics").get_data(as_text=True)
    assert "&lt;10" in html and "ИВС Астаны" not in html  # kk names
    assert "2026\u202fж. наурыз" in html  # as Babel writes it
    rows = client.get("/kk/review/statistics.csv").get_data(as_text=True).splitlines()
    assert rows[0].lstrip("\ufeff") == "table,group,facility,complaints"
    assert "all,,,16" in rows
    region_rows = [row for row in rows if row.startswith("region,")]
    assert region_rows and all(row.endswith(",<10") for row in region_rows)


def test_the_admin_is_refused_and_anonymous_visitors_sent_to_sign_in(app, world, clock):
    client = app.test_client()
    response = client.get("/ru/review/statistics")
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    sign_in(client, world["staff"][Role.ADMIN], clock, lang="ru")
    assert client.get("/ru/review/statistics").status_code == 403
    assert client.get("/ru/review/statistics.csv").status_code == 403


def test_date_filters_count_the_range_and_bad_dates_get_a_message(app, world, clock):
    client = app.test_client()
    sign_in(client, world["staff"][Role.COORDINATOR], clock, lang="en")
    response = client.get("/en/review/statistics.csv?since=2026-03-02&until=2026-03-04")
    assert "all,,,3" in response.get_data(as_text=True).splitlines()
    for query, message in (
        ("since=yesterday", "Not a valid date value"),
        ("since=1900-01-01", "between the years 2000 and 2100"),
        ("since=2026-03-05&until=2026-03-04", "earlier than the first one"),
        ("until=" + "9" * 5000, "Not a valid date value"),
    ):
        response = client.get(f"/en/review/statistics?{query}")
        assert response.status_code == 422, query
        assert message in response.get_data(as_text=True), query
    ru = client.get("/ru/review/statistics?since=2026-03-05&until=2026-03-04")
    assert ru.status_code == 422 and "раньше первой" in ru.get_data(as_text=True)


def test_views_and_downloads_are_audited_with_their_filters_only(app, world, clock):
    client = app.test_client()
    analyst = world["staff"][Role.ANALYST]
    sign_in(client, analyst, clock, lang="ru")
    client.get("/ru/review/statistics")
    client.get("/ru/review/statistics.csv?since=2026-03-01")
    with app.app_context():
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("statistics.%")).order_by(AuditEvent.id)
        ).all()
        assert [(e.action, e.actor_id) for e in events] == [
            ("statistics.viewed", analyst.id),
            ("statistics.exported", analyst.id),
        ]
        assert events[0].detail is None
        assert json.loads(events[1].detail) == {"since": "2026-03-01"}


def test_the_statistics_link_shows_for_the_roles_that_reach_it(app, world, clock):
    for role, shown in ((Role.ANALYST, True), (Role.ADMIN, False)):
        client = app.test_client()
        sign_in(client, world["staff"][role], clock, lang="ru")
        html = client.get("/ru/review/").get_data(as_text=True)
        assert ('href="/ru/review/statistics"' in html) is shown


def test_an_empty_scope_shows_no_complaints_yet(app, clock):
    with app.app_context():
        ensure_regions(session)
        analyst = make_staff(session, "lonely.analyst", Role.ANALYST)
    client = app.test_client()
    sign_in(client, analyst, clock, lang="kk")
    response = client.get("/kk/review/statistics")
    assert response.status_code == 200
    with app.app_context():
        assert session.scalar(select(Message.id)) is None


def test_the_page_is_valid_html_in_every_language_with_and_without_errors(app, world, clock):
    require(nu.java() is not None, "java not found (apt-get install openjdk-17-jre-headless)")
    require(nu.jar() is not None, "vnu.jar not found (pip install -r requirements-dev.txt)")
    pages = {}
    for role, lang in ((Role.ANALYST, "kk"), (Role.REVIEWER, "ru"), (Role.COORDINATOR, "en")):
        client = app.test_client()
        sign_in(client, world["staff"][role], clock, lang=lang)
        pages[f"{lang}.ok"] = client.get(f"/{lang}/review/statistics").get_data(as_text=True)
        pages[f"{lang}.error"] = client.get(
            f"/{lang}/review/statistics?since=2026-03-05&until=2026-03-04"
        ).get_data(as_text=True)
    checked = nu.check(pages)
    assert [f"{name}: {message}" for name, found in checked.items() for message in found] == []
