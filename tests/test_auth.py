"""Staff sign-in: password, then a one-time code; throttling; sessions kept on the server."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.auth import passwords, totp
from portal.db import session
from portal.models import AuditEvent, RecoveryCode, Role, StaffSession, User
from portal.reference import ensure_regions
from tests import factories
from tests.support.staff import (
    PASSWORD,
    make_staff,
    post_code,
    post_password,
    sign_in,
)
from tests.support.staff import clock as clock


@pytest.fixture
def reviewer(app):
    """An enrolled reviewer for one region (made in an app context of its own: two browsers
    in one test must not share the ``g`` that holds a CSRF token)."""
    with app.app_context():
        ensure_regions(session)
        return make_staff(session, "rev.one", Role.REVIEWER, regions=["almaty"])


def page(response) -> str:
    return response.get_data(as_text=True)


# --- passwords ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("short but ok?", True),  # 13 characters
        ("fourteen chars", False),
        ("x" * 128, True),  # one character repeated
        ("тау-кен жолы 2026 ж.", False),  # any script, no composition rules
        ("passwordpassword", True),  # a common password, twice
        ("1qaz2wsx3edc4rfv", True),  # in the shipped list
        ("Rev.One", True),  # too short anyway
        ("a" * 64 + "b" * 65, True),  # 129 characters
    ],
)
def test_password_rules_are_length_and_the_common_list_only(password, refused):
    assert (passwords.problem(password, "someone") is not None) is refused


def test_a_password_equal_to_the_user_name_is_refused():
    assert passwords.problem("maria.ivanova.kz", "Maria.Ivanova.KZ") is not None


def test_passwords_are_hashed_with_argon2id_and_at_least_46_mib():
    stored = passwords.hash_password(PASSWORD)
    found = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
    assert found and int(found.group(1)) >= 46 * 1024
    assert passwords.verify(stored, PASSWORD) and not passwords.verify(stored, PASSWORD + "!")


def test_an_unknown_user_costs_the_same_argon2_check_as_a_known_one(monkeypatch):
    checked = []
    real = passwords._hasher

    class Counting:
        def verify(self, stored, given):
            checked.append(stored)
            return real.verify(stored, given)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    assert passwords.verify(None, PASSWORD) is False
    assert passwords.verify(real.hash("another long password"), PASSWORD) is False
    assert len(checked) == 2 and all(h.startswith("$argon2id$v=19$m=47104") for h in checked)


# --- signing in ----------------------------------------------------------------------------


def test_the_forms_name_their_fields_for_password_managers(client, reviewer):
    html = page(client.get("/kk/review/login"))
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    post_password(client, reviewer.username)
    html = page(client.get("/kk/review/login/code"))
    assert 'autocomplete="one-time-code"' in html


def test_password_and_code_sign_in_and_show_who_you_are(client, reviewer, clock):
    response = sign_in(client, reviewer, clock, lang="ru")
    assert response.headers["Location"].endswith("/ru/review/")
    html = page(client.get("/ru/review/"))
    assert "rev.one" in html and "Алматы" in html
    assert client.get("/ru/review/").headers["Cache-Control"] == "no-store"


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(client, reviewer):
    unknown = post_password(client, "nobody.here", PASSWORD)
    wrong = post_password(client, reviewer.username, "not the right password")
    assert unknown.status_code == wrong.status_code == 422

    def message(response):
        return re.search(r'<div class="error-summary".*?</div>', page(response), re.S).group(0)

    assert message(unknown) == message(wrong)
    assert PASSWORD not in page(unknown) and "not the right password" not in page(wrong)


def test_the_sixth_attempt_in_a_minute_is_refused_even_with_the_right_password(
    client, db, reviewer, clock
):
    for _ in range(5):
        clock.advance(seconds=5)
        assert post_password(client, reviewer.username, "wrong password, again").status_code == 422
    assert post_password(client, reviewer.username).status_code == 422
    clock.advance(seconds=61)
    response = sign_in(client, reviewer, clock, lang="en")
    # the owner is told at this sign-in: five wrong passwords and the refused sixth attempt
    html = page(client.get(response.headers["Location"]))
    assert "6 attempts to sign in to your account failed" in html
    failures = db.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.failed")).all()
    assert [event.object_id for event in failures] == [reviewer.id] * 6


def test_code_guesses_count_towards_the_same_throttle(client, reviewer, clock):
    post_password(client, reviewer.username)
    right = totp.current_code(reviewer.secret, clock.moment)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert post_code(client, wrong).status_code == 422
    assert post_code(client, right).status_code == 422  # throttled: even the right code


def test_a_replayed_code_is_refused(client, reviewer, clock):
    sign_in(client, reviewer, clock)
    client.post("/kk/review/logout", data={"csrf_token": _token(client)})
    post_password(client, reviewer.username)
    code = totp.current_code(reviewer.secret, clock.moment)
    assert post_code(client, code).status_code == 422
    clock.advance(seconds=30)  # the next code works
    assert post_code(client, totp.current_code(reviewer.secret, clock.moment)).status_code == 303


def test_the_second_step_needs_the_first(client, reviewer):
    assert client.get("/kk/review/login/code").headers["Location"].endswith("/kk/review/login")
    assert client.get("/kk/review/").headers["Location"].endswith("/kk/review/login")


def _token(client) -> str:
    html = page(client.get("/kk/follow-up"))  # a form for everyone, signed in or not
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


# --- sessions ------------------------------------------------------------------------------


def _staff_cookie(client) -> str:
    return client.get_cookie("staff").value


def test_the_staff_cookie_is_separate_strict_and_holds_only_a_token(client, reviewer, clock):
    response = sign_in(client, reviewer, clock)
    header = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("staff="))
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Path=/" in header
    assert client.get_cookie("session") is not None  # the public session (CSRF) is its own


def test_a_session_after_logout_is_refused(app, client, db, reviewer, clock):
    sign_in(client, reviewer, clock)
    copied = _staff_cookie(client)
    client.post("/kk/review/logout", data={"csrf_token": _token(client)})
    assert db.scalars(select(StaffSession)).all() == []
    thief = app.test_client()
    thief.set_cookie("staff", copied)
    assert thief.get("/kk/review/").status_code == 303


def test_disabling_a_user_ends_all_their_sessions(app, client, reviewer, clock):
    sign_in(client, reviewer, clock)
    other = app.test_client()
    clock.advance(seconds=30)
    sign_in(other, reviewer, clock)
    assert client.get("/kk/review/").status_code == 200
    result = app.test_cli_runner().invoke(args=["disable-user", "rev.one"])
    assert result.exit_code == 0 and "2 session(s) ended" in result.output
    assert client.get("/kk/review/").status_code == 303
    assert other.get("/kk/review/").status_code == 303
    clock.advance(seconds=30)
    assert post_password(client, reviewer.username).status_code == 422


def test_sessions_end_after_30_minutes_idle_or_12_hours(client, reviewer, clock):
    sign_in(client, reviewer, clock)
    clock.advance(minutes=29)
    assert client.get("/kk/review/").status_code == 200
    clock.advance(minutes=30, seconds=1)
    assert client.get("/kk/review/").status_code == 303
    clock.advance(seconds=30)
    sign_in(client, reviewer, clock)
    for _ in range(12 * 3):  # busy all day
        clock.advance(minutes=20)
        status = client.get("/kk/review/").status_code
    assert status == 303


# --- enrolment and recovery ----------------------------------------------------------------


def test_first_sign_in_enrols_with_a_qr_code_and_shows_ten_recovery_codes_once(
    app, client, db, regions, clock
):
    new = make_staff(regions, "new.person", Role.COORDINATOR, enrolled=False)
    post_password(client, new.username)
    assert client.get("/kk/review/login/code").headers["Location"].endswith("/login/enrol")
    html = page(client.get("/kk/review/login/enrol"))
    assert 'src="data:image/svg+xml' in html and totp.grouped_secret(new.secret) in html
    response = post_code(client, totp.current_code(new.secret, clock.moment), step="enrol")
    codes = re.findall(r"<code>([A-Z2-9]{4}(?:-[A-Z2-9]{4}){3})</code>", page(response))
    assert response.status_code == 200 and len(set(codes)) == 10
    stored = db.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert db.get(User, new.id).totp_confirmed_at is not None
    # a recovery code signs in once
    client.post("/kk/review/logout", data={"csrf_token": _token(client)})
    clock.advance(seconds=30)
    post_password(client, new.username)
    assert post_code(client, codes[0].lower()).status_code == 303
    client.post("/kk/review/logout", data={"csrf_token": _token(client)})
    post_password(client, new.username)
    assert post_code(client, codes[0]).status_code == 422


def test_resetting_the_second_factor_ends_sessions_and_asks_to_enrol_again(
    app, client, db, reviewer, clock
):
    sign_in(client, reviewer, clock)
    result = app.test_cli_runner().invoke(args=["reset-second-factor", "rev.one"])
    assert result.exit_code == 0 and "otpauth://totp/" in result.output
    assert client.get("/kk/review/").status_code == 303
    post_password(client, reviewer.username)
    assert client.get("/kk/review/login/code").headers["Location"].endswith("/login/enrol")
    old = totp.current_code(reviewer.secret, clock.moment)
    new_secret = re.search(r"secret=([A-Z2-7]+)", result.output).group(1)
    assert new_secret != reviewer.secret
    assert post_code(client, old, step="enrol").status_code == 422


def test_an_administrator_without_a_reviewing_role_lands_on_administration(client, regions, clock):
    admin = make_staff(regions, "the.admin", Role.ADMIN)
    response = sign_in(client, admin, clock, lang="en")
    assert response.headers["Location"].endswith("/en/admin/")


def test_an_inactive_factory_user_cannot_sign_in(client, db, regions):
    factories.user(db, username="ghost.user", is_active=False)
    db.commit()
    assert post_password(client, "ghost.user").status_code == 422
