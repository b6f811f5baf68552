"""A reviewer prepares and issues a footage preservation request, records a referral and sets
a reminder, in kk with JavaScript and in ru without; every page passes axe-core."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal import clock
from portal.auth import access
from portal.auth.demo import DEMO_PASSWORD
from portal.db import session
from portal.models import Complaint, User
from tests.support.browser import check_page, sign_in, unused_code

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
    sign_in(page, username, DEMO_PASSWORD, unused_code(live_server, username), words["sign_in"])

    base = f"{live_server.url}/{lang}/review/complaints/{complaint_id}"
    page.goto(f"{base}/casework")
    check_page(page, twin)
    page.goto(f"{base}/footage-request")
    check_page(page, twin)
    page.locator('input[name="zones"]').first.check()
    page.get_by_role("button", name=words["check"]).click()
    page.wait_for_selector("section.letter")
    check_page(page, twin)
    page.get_by_role("button", name=words["issue"]).click()
    page.wait_for_selector("article.letter")
    assert page.locator('article.letter[lang="kk"]').count() == 1
    check_page(page, twin)

    page.goto(f"{base}/referrals")
    check_page(page, twin)
    page.get_by_role("button", name=words["record"]).click()
    page.wait_for_selector("table")
    check_page(page, twin)

    page.goto(f"{base}/reminder")
    page.locator('input[name="remind_on"]').fill(clock.today().isoformat())
    page.get_by_role("button", name=words["remind"]).click()
    page.wait_for_selector("h1")
    check_page(page, twin)
