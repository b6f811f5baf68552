"""Demo follow-ups: `make run` prints receipts of demo complaints a reviewer asked about."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.auth import access
from portal.auth.demo import DemoRefused
from portal.auth.demo_follow_up import ANSWERS, QUESTIONS, ensure_follow_ups
from portal.db import session
from portal.models import (
    Complaint,
    DatasetFact,
    Message,
    MessageDirection,
    Status,
    StatusChange,
    User,
)
from tests.support.staff import csrf

RECEIPT = re.compile(r"(D-\w{6}) +(kk|ru) +(\w+) +DEMO receipt: (\d{4} \d{4} \d{4} \d{4})")
DEMO_DATA = ["demo-data", "--facilities", "60", "--complaints", "400", "--seed", "5"]


def _demo(app) -> str:
    runner = app.test_cli_runner()
    result = runner.invoke(args=DEMO_DATA)
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["demo-staff"])
    assert result.exit_code == 0, result.output
    return result.output


def _counts() -> tuple[int, ...]:
    tables = [
        select(func.count()).select_from(t) for t in (Message, StatusChange, DatasetFact, User)
    ]
    receipts = select(func.count()).where(Complaint.receipt_lookup.is_not(None))
    return tuple(session.scalar(query) for query in (*tables, receipts))


def _open(client, lang: str, code: str) -> str:
    token = csrf(client, f"/{lang}/follow-up")
    response = client.post(f"/{lang}/follow-up", data={"csrf_token": token, "code": code})
    assert response.status_code == 303, code
    return client.get(f"/{lang}/follow-up").get_data(as_text=True)


def test_make_run_prints_receipts_that_open_the_reviewers_questions(app):
    output = _demo(app)
    found = RECEIPT.findall(output)
    assert [language for _, language, _, _ in found] == ["kk", "ru", "ru"]
    assert "answered by the complainant" in output and "awaiting an answer" in output
    assert output.index("DEMO staff accounts") < output.index("DEMO receipt")
    with app.app_context():
        reviewer = session.scalars(select(User).where(User.username == "demo-reviewer")).one()
        for reference, language, region, _code in found:
            complaint = session.scalars(
                select(Complaint).where(Complaint.reference == reference)
            ).one()
            assert complaint.is_demo and complaint.language == language
            assert complaint.region.slug == region in ("almaty", "karaganda")
            assert access.may_read(reviewer, complaint)
            assert complaint.assignee_id == reviewer.id
            assert complaint.status == Status.IN_REVIEW
            questions = [
                m for m in complaint.messages if m.direction == MessageDirection.TO_COMPLAINANT
            ]
            assert [(m.author_id, m.body) for m in questions] == [
                (reviewer.id, QUESTIONS[language])
            ]
            assert all(m.created_at <= complaint.updated_at for m in complaint.messages)
    for number, (_reference, language, _region, code) in enumerate(found):
        html = _open(app.test_client(), language, code)
        assert QUESTIONS[language].split("! ")[1] in html
        assert (ANSWERS[language].split(". ")[1] in html) is (number == 0)


def test_running_twice_adds_nothing_and_prints_the_same_receipts(app):
    first = _demo(app)
    with app.app_context():
        before = _counts()
    again = app.test_cli_runner().invoke(args=["demo-staff"]).output
    assert again == first
    with app.app_context():
        assert _counts() == before
        assert len(ensure_follow_ups()) == 3
        assert _counts() == before


def test_receipts_are_the_instances_own(app_factory):
    codes = []
    for key in ("first instance key", "second instance key"):
        app = app_factory(CONTACT_KEY=key)
        codes.append({code for *_, code in RECEIPT.findall(_demo(app))})
        assert len(codes[-1]) == 3
    assert codes[0].isdisjoint(codes[1])


def test_a_new_key_gets_the_demo_complaints_new_receipts(app_factory):
    app = app_factory(CONTACT_KEY="old key")
    old = RECEIPT.findall(_demo(app))
    app.config["CONTACT_KEY"] = "new key,old key"
    new = RECEIPT.findall(app.test_cli_runner().invoke(args=["demo-staff"]).output)
    assert [row[:3] for row in new] == [row[:3] for row in old]
    assert {row[3] for row in new}.isdisjoint(row[3] for row in old)
    assert "Статус" in _open(app.test_client(), "ru", new[1][3])


def test_refused_in_production_and_never_made_outside_demo_data(app_factory):
    production = app_factory(PORTAL_ENV="production")
    runner = production.test_cli_runner()
    assert runner.invoke(args=DEMO_DATA).exit_code == 0
    output = runner.invoke(args=["demo-staff"]).output
    assert "PORTAL_ENV=production" in output and "DEMO receipt" not in output
    with production.app_context():
        with pytest.raises(DemoRefused):
            ensure_follow_ups()
        assert session.scalar(select(func.count()).select_from(Message)) == 0
        assert (
            session.scalar(select(Complaint.id).where(Complaint.receipt_lookup.is_not(None)))
            is None
        )

    plain = app_factory()  # real complaints only, no demo_data fact
    with plain.app_context():
        with pytest.raises(DemoRefused):
            ensure_follow_ups()
        assert session.get(DatasetFact, "demo_follow_up") is None
