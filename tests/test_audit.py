"""The audit trail: one record() for every action, read and filtered by administrators only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import audit
from portal.db import session
from portal.models import AuditEvent, Role
from portal.reference import ensure_regions
from tests.support.staff import clock as clock
from tests.support.staff import make_staff, post_password, sign_in


def test_record_keeps_who_what_and_when_and_refuses_content(db, clock):
    event = audit.record("sign_in", object=("user", 7), detail={"roles": ["reviewer"]}, actor=None)
    db.commit()
    assert (event.at, event.object_type, event.object_id) == (clock.moment, "user", 7)
    for forbidden in ("narrative", "contact", "query", "Body"):
        with pytest.raises(audit.AuditError):
            audit.record("sign_in", detail={forbidden: "Сотрудники избили задержанного"})
    with pytest.raises(audit.AuditError):
        audit.record("complaint.deleted_quietly")


def test_nobody_changes_or_deletes_an_event_through_the_application(db):
    event = audit.record("sign_out", actor=None)
    db.commit()
    event.action = "sign_in"
    with pytest.raises(audit.AuditError):
        db.commit()
    db.rollback()
    db.delete(db.get(AuditEvent, event.id))
    with pytest.raises(audit.AuditError):
        db.commit()


@pytest.fixture
def staff(app):
    with app.app_context():
        ensure_regions(session)
        return {
            "admin": make_staff(session, "audit.admin", Role.ADMIN),
            "reviewer": make_staff(session, "audit.reviewer", Role.REVIEWER, regions=["abai"]),
        }


def test_administrators_read_and_filter_the_log_in_their_language(app, staff, clock):
    client = app.test_client()
    post_password(client, "audit.reviewer", "a wrong password for sure")
    clock.advance(seconds=1)
    sign_in(client, staff["admin"], clock, lang="ru")
    html = client.get("/ru/admin/audit").get_data(as_text=True)
    assert "audit.reviewer" in html and "audit.admin" in html
    assert "a wrong password for sure" not in html
    only_failures = client.get("/ru/admin/audit?action=sign_in.failed").get_data(as_text=True)
    assert "audit.reviewer" in only_failures and "audit.admin</td>" not in only_failures
    by_person = client.get("/ru/admin/audit?actor=audit.admin").get_data(as_text=True)
    assert "audit.admin" in by_person
    nobody = client.get("/ru/admin/audit?actor=no.such.person")
    assert nobody.status_code == 200
    assert client.get("/ru/admin/audit?since=2026-13-45").status_code == 422
    assert client.get("/ru/admin/audit?action=" + "x" * 5000).status_code == 422
    assert client.get("/ru/admin/audit?page=999999999").status_code == 200


def test_reviewers_cannot_read_the_log(app, staff, clock):
    client = app.test_client()
    sign_in(client, staff["reviewer"], clock)
    assert client.get("/kk/admin/audit").status_code == 403


def test_signing_in_and_out_leaves_events_with_the_person(app, staff, clock):
    client = app.test_client()
    sign_in(client, staff["reviewer"], clock)
    client.post(
        "/kk/review/logout",
        data={"csrf_token": _token(client)},
    )
    with app.app_context():
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [e.action for e in events][-2:] == ["sign_in", "sign_out"]
        assert {e.actor_id for e in events[-2:]} == {staff["reviewer"].id}


def _token(client) -> str:
    html = client.get("/kk/follow-up").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
