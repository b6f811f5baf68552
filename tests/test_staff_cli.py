"""Operators' commands for staff accounts, and the demo staff accounts of ``make run``."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from portal.auth import passwords
from portal.auth.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from portal.db import session
from portal.models import AuditEvent, DatasetFact, User
from portal.reference import ensure_regions
from tests.support.staff import post_code, post_password

GOOD = "a long and unusual passphrase"


@pytest.fixture
def with_regions(app):
    with app.app_context():
        ensure_regions(session)
        session.commit()
    return app


def test_create_user_reads_the_password_from_standard_input_and_prints_the_uri_once(
    with_regions, runner
):
    result = runner.invoke(
        args=[
            "create-user",
            "Aigerim.N",
            "--role",
            "reviewer",
            "--region",
            "almaty",
            "--region",
            "abai",
        ],
        input=GOOD + "\n",
    )
    assert result.exit_code == 0, result.output
    uri = re.search(r"otpauth://totp/\S+", result.output).group(0)
    assert "issuer=Ashyq%20Baqylau" in uri and GOOD not in result.output
    with with_regions.app_context():
        user = session.scalars(select(User).where(User.username == "aigerim.n")).one()
        assert sorted(r.slug for r in user.regions) == ["abai", "almaty"]
        assert passwords.verify(user.password_hash, GOOD)
        assert user.totp_secret_encrypted and pyotp.parse_uri(uri).secret.encode() not in (
            user.totp_secret_encrypted
        )
        created = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.created"))
        assert created.one().object_id == user.id


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--role", "reviewer"], GOOD, "at least one region"),
        (["--role", "reviewer", "--region", "atlantis"], GOOD, "Unknown region: atlantis"),
        (["--role", "analyst", "--region", "abai"], GOOD, "Only a reviewer has regions"),
        (["--role", "analyst", "--role", "reviewer"], GOOD, "Give one role"),
        (["--role", "coordinator"], "short", "at least 14"),
        (["--role", "coordinator"], "passwordpassword", "common passwords"),
    ],
)
def test_create_user_refuses_with_a_clear_reason(with_regions, runner, args, password, message):
    result = runner.invoke(args=["create-user", "someone", *args], input=password + "\n")
    assert result.exit_code != 0 and message in result.output


def test_an_administrator_may_also_review(with_regions, runner):
    result = runner.invoke(
        args=["create-user", "boss", "--role", "admin", "--role", "coordinator"],
        input=GOOD + "\n",
    )
    assert result.exit_code == 0 and "admin, coordinator" in result.output
    again = runner.invoke(args=["create-user", "BOSS", "--role", "admin"], input=GOOD + "\n")
    assert again.exit_code != 0 and "already an account" in again.output


def test_commands_on_a_missing_account_say_so(with_regions, runner):
    for command in ("disable-user", "reset-second-factor"):
        result = runner.invoke(args=[command, "nobody"])
        assert result.exit_code != 0 and "no account named nobody" in result.output


# --- demo staff ----------------------------------------------------------------------------


def _mark_demo(app) -> None:
    with app.app_context():
        ensure_regions(session)
        session.add(DatasetFact(key="demo_data", value="{}"))
        session.commit()


def test_demo_staff_exist_only_on_demo_data_and_sign_in_with_the_printed_secrets(app, runner):
    with app.app_context():
        ensure_regions(session)
        session.commit()
    refused = runner.invoke(args=["demo-staff"])
    assert refused.exit_code == 0 and "no demo data" in refused.output
    assert runner.invoke(args=["demo-code", "demo-reviewer"]).exit_code != 0
    _mark_demo(app)
    result = runner.invoke(args=["demo-staff"])
    assert "DEMO" in result.output and DEMO_PASSWORD in result.output
    for name in DEMO_ACCOUNTS:
        assert re.search(rf"{name} .*DEMO TOTP secret: [A-Z2-7]{{32}}", result.output)
    assert "demo-reviewer     reviewer (almaty, karaganda)" in result.output
    assert runner.invoke(args=["demo-staff"]).output == result.output  # made once
    code = runner.invoke(args=["demo-code", "demo-reviewer"]).output.strip()
    assert re.fullmatch(r"[0-9]{6}", code)
    client = app.test_client()
    assert post_password(client, "demo-reviewer", DEMO_PASSWORD).status_code == 303
    assert post_code(client, code).status_code == 303
    assert runner.invoke(args=["demo-code", "rev.one"]).exit_code != 0


def test_demo_staff_are_refused_in_production(app_factory):
    app = app_factory(PORTAL_ENV="production")
    _mark_demo(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-staff"])
    assert "PORTAL_ENV=production" in result.output
    assert runner.invoke(args=["demo-code", "demo-admin"]).exit_code != 0
    with app.app_context():
        assert session.scalars(select(User)).all() == []
