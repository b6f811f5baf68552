"""Staff accounts for tests: create one, sign it in through the real pages, move the clock."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from portal import clock as portal_clock
from portal.auth import accounts, totp
from portal.models import Role

PASSWORD = "correct horse battery staple"


@dataclass
class Staff:
    """A created account: its id, name and TOTP secret."""

    id: int
    username: str
    secret: str


def make_staff(db, username: str, *roles: Role, regions=(), enrolled: bool = True) -> Staff:
    """Create an account through the accounts service (as ``create-user`` does)."""
    enrolment = accounts.create_user(username, roles or (Role.REVIEWER,), regions, PASSWORD)
    user = enrolment.user
    if enrolled:
        user.totp_confirmed_at = portal_clock.now()
        db.commit()
    return Staff(user.id, user.username, enrolment.secret)


def csrf(client, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post_password(client, username: str, password: str = PASSWORD, lang: str = "kk"):
    """Send the first sign-in step."""
    token = csrf(client, f"/{lang}/review/login")
    return client.post(
        f"/{lang}/review/login",
        data={"csrf_token": token, "username": username, "password": password},
    )


def post_code(client, code: str, lang: str = "kk", step: str = "code"):
    """Send the second sign-in step (``step`` is ``code`` or ``enrol``)."""
    token = csrf(client, f"/{lang}/review/login/{step}")
    return client.post(f"/{lang}/review/login/{step}", data={"csrf_token": token, "code": code})


def sign_in(client, staff: Staff, clock: Clock | None = None, lang: str = "kk"):
    """Sign ``staff`` in with password and the current code; return the last response."""
    response = post_password(client, staff.username, lang=lang)
    assert response.status_code == 303, response.get_data(as_text=True)
    moment = clock.moment if clock else portal_clock.now()
    response = post_code(client, totp.current_code(staff.secret, moment), lang=lang)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response


class Clock:
    """Replaces ``portal.clock.now`` with a clock that tests move by hand."""

    def __init__(self, monkeypatch) -> None:
        self.moment = datetime(2026, 12, 14, 9, 0, 15, tzinfo=UTC)
        monkeypatch.setattr(portal_clock, "now", lambda: self.moment)

    def advance(self, **delta) -> None:
        """Move the clock forward."""
        self.moment += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A clock the test moves by hand."""
    return Clock(monkeypatch)
