"""Roles and scope, enforced in one place: every staff URL refuses whoever should not reach it."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Blueprint
from sqlalchemy import select

from portal import files
from portal.auth import access
from portal.clock import now as clock_now
from portal.db import session
from portal.models import Complaint, Letter, LetterKind, Recipient, Referral, Region, Role, User
from portal.reference import ensure_regions
from tests import factories
from tests.support.staff import clock as clock
from tests.support.staff import csrf, make_staff, sign_in

#: Who reaches each staff page today (a new page must be added here, with its roles).
EXPECTED: dict[str, set[Role] | str] = {
    "auth.login": "anyone",
    "auth.logout": "anyone",
    "auth.second_step": "half-way",
    "auth.enrol": "half-way",
    "review.home": set(Role),
    "review.search": {Role.REVIEWER, Role.COORDINATOR},
    "review.export": {Role.REVIEWER, Role.COORDINATOR},
    "review.save_search": {Role.REVIEWER, Role.COORDINATOR},
    "review.delete_search": {Role.REVIEWER, Role.COORDINATOR},
    "review.statistics": {Role.REVIEWER, Role.COORDINATOR, Role.ANALYST},
    "review.statistics_csv": {Role.REVIEWER, Role.COORDINATOR, Role.ANALYST},
    "review.complaint": {Role.REVIEWER, Role.COORDINATOR},
    "review.attachment": {Role.REVIEWER, Role.COORDINATOR},
    "review.change_status": {Role.REVIEWER, Role.COORDINATOR},
    "review.assign": {Role.REVIEWER, Role.COORDINATOR},
    "review.take": {Role.REVIEWER, Role.COORDINATOR},
    "review.add_tag": {Role.REVIEWER, Role.COORDINATOR},
    "review.remove_tag": {Role.REVIEWER, Role.COORDINATOR},
    "review.add_note": {Role.REVIEWER, Role.COORDINATOR},
    "review.send_message": {Role.REVIEWER, Role.COORDINATOR},
    "review.reveal_contact": {Role.REVIEWER, Role.COORDINATOR},
    "admin.home": {Role.ADMIN},
    "admin.audit_log": {Role.ADMIN},
    "casework.overview": {Role.REVIEWER, Role.COORDINATOR},
    "casework.footage_request": {Role.REVIEWER, Role.COORDINATOR},
    "casework.referrals_page": {Role.REVIEWER, Role.COORDINATOR},
    "casework.referral": {Role.REVIEWER, Role.COORDINATOR},
    "casework.referral_letter": {Role.REVIEWER, Role.COORDINATOR},
    "casework.reminder": {Role.REVIEWER, Role.COORDINATOR},
    "casework.letter": {Role.REVIEWER, Role.COORDINATOR},
    "casework.letter_download": {Role.REVIEWER, Role.COORDINATOR},
}
#: Sample values for URL parameters: ids of rows the ``accounts`` and ``samples`` fixtures
#: make (a complaint in Almaty, the walking reviewer's region, with an attachment, a referral
#: and a letter); a saved search that need not exist.
SAMPLE_VALUES = {
    "complaint_id": 1,
    "attachment_id": 1,
    "referral_id": 1,
    "letter_id": 1,
    "search_id": 1,
}
#: Parameters whose sample rows the fixtures do not make.
NO_ROW = ("<int:search_id>",)
ACCOUNTS = {
    Role.REVIEWER: ("walk.reviewer", (Role.REVIEWER,), ["almaty"]),
    Role.COORDINATOR: ("walk.coordinator", (Role.COORDINATOR,), []),
    Role.ANALYST: ("walk.analyst", (Role.ANALYST,), []),
    Role.ADMIN: ("walk.admin", (Role.ADMIN,), []),
}


def staff_rules(app):
    """Every rule of the URL map that is a staff page, with the method to try."""
    for rule in app.url_map.iter_rules():
        segments = [part for part in rule.rule.split("/") if part]
        staff = rule.endpoint.split(".")[0] in access.STAFF_BLUEPRINTS or any(
            part in access.STAFF_PATHS for part in segments[:2]
        )
        if staff:
            method = "GET" if "GET" in rule.methods else "POST"
            yield rule, method


def visit(client, rule, method: str, lang: str = "ru", values=None):
    path = rule.rule.replace("<lang:lang_code>", lang)
    for name, value in {**SAMPLE_VALUES, **(values or {})}.items():
        path = path.replace(f"<int:{name}>", str(value))
    assert "<" not in path, f"give {rule.rule} sample values in this test"
    if method == "GET":
        return client.get(path)
    return client.post(path, data={"csrf_token": csrf(client, f"/{lang}/follow-up")})


def test_every_staff_page_is_listed_here_with_its_roles(app):
    found = {rule.endpoint for rule, _ in staff_rules(app)}
    assert found == set(EXPECTED)


@pytest.fixture
def accounts(app):
    with app.app_context():
        ensure_regions(session)
        almaty = session.scalars(select(Region).where(Region.slug == "almaty")).one()
        complaint = factories.complaint(
            session, facility=factories.facility(session, region=almaty)
        )
        stored = files.store(files.CleanFile(b"%PDF-1.4 sample", "application/pdf", "pdf"))
        attachment = factories.attachment(
            session,
            complaint=complaint,
            storage_name=stored.storage_name,
            media_type="application/pdf",
        )
        session.commit()
        assert complaint.id == SAMPLE_VALUES["complaint_id"]
        assert attachment.id == SAMPLE_VALUES["attachment_id"]
        return {
            role: make_staff(session, name, *roles, regions=regions)
            for role, (name, roles, regions) in ACCOUNTS.items()
        }


@pytest.fixture
def samples(app, accounts) -> dict[str, int]:
    """Rows behind the URL parameters: a complaint in Almaty with a referral and a letter."""
    with app.app_context():
        complaint = session.get(Complaint, SAMPLE_VALUES["complaint_id"])
        referral = Referral(
            complaint_id=complaint.id, recipient=Recipient.PROSECUTOR, sent_on=date(2026, 12, 1)
        )
        session.add(referral)
        session.flush()
        letter = Letter(
            complaint_id=complaint.id,
            kind=LetterKind.FOOTAGE,
            addressee="—",
            body_kk="—",
            body_ru="—",
            issued_at=clock_now(),
        )
        session.add(letter)
        session.commit()
        return {"complaint_id": complaint.id, "referral_id": referral.id, "letter_id": letter.id}


def test_anonymous_visitors_are_sent_to_sign_in_from_every_staff_page(app):
    client = app.test_client()
    for rule, method in staff_rules(app):
        response = visit(client, rule, method)
        if EXPECTED[rule.endpoint] == "anyone":
            assert response.status_code in (200, 303), rule.rule
            continue
        assert response.status_code == 303, rule.rule
        assert response.headers["Location"].endswith("/ru/review/login"), rule.rule


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_pages_declared_for_it(app, samples, accounts, clock, role):
    client = app.test_client()
    sign_in(client, accounts[role], clock, lang="ru")
    for rule, method in staff_rules(app):
        expected = EXPECTED[rule.endpoint]
        if isinstance(expected, str) or rule.endpoint == "auth.logout":
            continue
        response = visit(client, rule, method, values=samples)
        if role in expected and method == "POST":  # reached: refused for its empty form, or done
            assert response.status_code in (200, 303, 400, 404, 422), rule.rule
            assert "/review/login" not in response.headers.get("Location", ""), rule.rule
            assert response.headers["Cache-Control"] == "no-store"
        elif role in expected:
            has_row = not any(name in rule.rule for name in NO_ROW)
            assert response.status_code in ({200} if has_row else {200, 303, 404}), rule.rule
            assert response.headers["Cache-Control"] == "no-store"
        else:
            assert response.status_code == 403, rule.rule


def test_an_endpoint_that_declares_no_roles_is_refused_to_everyone(app_factory, clock):
    app = app_factory()
    forgotten = Blueprint("review_extra", __name__, url_prefix="/<lang:lang_code>/review")
    forgotten.add_url_rule("/forgotten", "forgotten", lambda: "complaints!")
    app.register_blueprint(forgotten)
    with app.app_context():
        ensure_regions(session)
        coordinator = make_staff(session, "all.seeing", Role.COORDINATOR)
    client = app.test_client()
    assert client.get("/kk/review/forgotten").status_code == 403
    sign_in(client, coordinator, clock)
    assert client.get("/kk/review/forgotten").status_code == 403


# --- scope ---------------------------------------------------------------------------------


@pytest.fixture
def spread(app):
    """Complaints in Almaty, in Astana, and two with no region (one assigned to the reviewer)."""
    with app.app_context():
        ensure_regions(session)
        reviewer = make_staff(session, "scoped.reviewer", Role.REVIEWER, regions=["almaty"])
        other = make_staff(session, "other.reviewer", Role.REVIEWER, regions=["astana"])
        regions = {r.slug: r for r in session.scalars(select(Region)).all()}
        made = {}
        for name, region, assignee in (
            ("almaty", regions["almaty"], None),
            ("astana", regions["astana"], None),
            ("unknown-mine", None, reviewer.id),
            ("unknown-theirs", None, other.id),
        ):
            complaint = factories.complaint(session, assignee_id=assignee)
            complaint.facility, complaint.region = None, region
            made[name] = complaint
        session.commit()
        return {name: complaint.id for name, complaint in made.items()} | {
            "reviewer": reviewer.id,
            "almaty_id": regions["almaty"].id,
        }


def _visible(user: User) -> set[int]:
    return set(session.scalars(select(Complaint.id).where(access.complaint_filter(user))))


def test_scope_follows_the_roles(app, spread):
    with app.app_context():
        reviewer = session.get(User, spread["reviewer"])
        assert _visible(reviewer) == {spread["almaty"], spread["unknown-mine"]}
        scope = access.scope_for(reviewer)
        assert scope.regions == {spread["almaty_id"]} and not scope.include_unknown_region
        assert scope.unknown_region_assignee == reviewer.id

        coordinator = make_staff(session, "coord.scope", Role.COORDINATOR)
        coordinator = session.get(User, coordinator.id)
        everything = {
            spread[name] for name in ("almaty", "astana", "unknown-mine", "unknown-theirs")
        }
        assert _visible(coordinator) == everything
        assert access.scope_for(coordinator).regions is None

        for roles in ((Role.ANALYST,), (Role.ADMIN,)):
            blind = session.get(User, make_staff(session, f"blind.{roles[0]}", *roles).id)
            assert _visible(blind) == set() and access.scope_for(blind) is None

        reviewing_admin = make_staff(
            session, "admin.reviews", Role.ADMIN, Role.REVIEWER, regions=["astana"]
        )
        reviewing_admin = session.get(User, reviewing_admin.id)
        assert _visible(reviewing_admin) == {spread["astana"]}
        for complaint in session.scalars(select(Complaint)):
            assert access.may_read(reviewer, complaint) == (complaint.id in _visible(reviewer))


def test_a_disabled_account_sees_nothing(app, spread):
    with app.app_context():
        reviewer = session.get(User, spread["reviewer"])
        reviewer.is_active = False
        assert _visible(reviewer) == set() and access.scope_for(reviewer) is None
