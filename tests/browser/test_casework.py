"""A reviewer prepares and issues a footage preservation request, records a referral and sets
a reminder, in kk with JavaScript and in ru without; every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import clock
from portal.auth import access
from portal.auth.demo import DEMO_PASSWORD
from portal.db import session
from portal.models import Complaint, User
from tests.support.browser import serious_accessibility_violations, unused_code

pytestmark = pytest.mark.browser

WORDS = {
    "kk": {
        "sign_in": "Кіру",
        "check": "Хатты тексеру",
        "issue": "Хатты шығару",
        "record": "Жолдауды тіркеу",
        "remind": "Еске салуды қою",
    },
    "ru": {
        "sign_in": "Войти",
        "check": "Проверить письмо",
        "issue": "Выпустить письмо",
        "record": "Записать",
        "remind": "Установить напоминание",
    },
}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


def _check(page, twin=None) -> None:
    assert page.requests.foreign() == [], page.url
    checked = page
    if twin is not None:
        twin.set_content(_SCRIPT.sub("", page.content()))
        checked = twin
    assert serious_accessibility_violations(checked) == [], page.url


def _complaint(live_server, username: str) -> int:
    with live_server.app.app_context():
        user = session.scalars(select(User).where(User.username == username)).one()
        complaint = session.scalars(
            select(Complaint)
            .where(access.complaint_filter(user), Complaint.facility_id.is_not(None))
            .where(Complaint.incident_date.is_not(None))
            .order_by(Complaint.id)
        ).first()
        return complaint.id


@pytest.mark.parametrize(
    ("lang", "username", "javascript"),
    [("kk", "demo-reviewer", True), ("ru", "demo-coordinator", False)],
    ids=["kk-js", "ru-no-js"],
)
def test_footage_request_referral_and_reminder(open_page, live_server, lang, username, javascript):
    words = WORDS[lang]
    complaint_id = _complaint(live_server, username)
    twin = None if javascript else open_page(f"/{lang}/about")
    page = open_page(f"/{lang}/review/login", javascript=javascript)
    page.locator('input[autocomplete="username"]').fill(username)
    page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector('input[autocomplete="one-time-code"]')
    page.locator('input[autocomplete="one-time-code"]').fill(unused_code(live_server, username))
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector("h1")

    base = f"{live_server.url}/{lang}/review/complaints/{complaint_id}"
    page.goto(f"{base}/casework")
    _check(page, twin)
    page.goto(f"{base}/footage-request")
    _check(page, twin)
    page.locator('input[name="zones"]').first.check()
    page.get_by_role("button", name=words["check"]).click()
    page.wait_for_selector("section.letter")
    _check(page, twin)
    page.get_by_role("button", name=words["issue"]).click()
    page.wait_for_selector("article.letter")
    assert page.locator('article.letter[lang="kk"]').count() == 1
    _check(page, twin)

    page.goto(f"{base}/referrals")
    _check(page, twin)
    page.get_by_role("button", name=words["record"]).click()
    page.wait_for_selector("table")
    _check(page, twin)

    page.goto(f"{base}/reminder")
    page.locator('input[name="remind_on"]').fill(clock.today().isoformat())
    page.get_by_role("button", name=words["remind"]).click()
    page.wait_for_selector("h1")
    _check(page, twin)
