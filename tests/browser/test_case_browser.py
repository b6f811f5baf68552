"""A reviewer (kk) and a coordinator (ru) open a case, are refused a closing without reason,
and move it to review.

Every state of the page passes axe-core (no serious or critical violations), loads nothing
from another host, and works without JavaScript (the ru run has it off; its HTML is then
checked in a twin page, as in test_staff.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.demo import DEMO_PASSWORD
from portal.db import session
from portal.models import Complaint, Region, Status
from tests.support.browser import check_page, sign_in, unused_code

pytestmark = pytest.mark.browser

WORDS = {
    "kk": {"sign_in": "Кіру", "change": "Мәртебесін өзгерту", "send": "Жіберу"},
    "ru": {"sign_in": "Войти", "change": "Изменить статус", "send": "Отправить"},
}


def _new_almaty_complaint(live_server, skip: int) -> int:
    with live_server.app.app_context():
        almaty = session.scalars(select(Region).where(Region.slug == "almaty")).one()
        found = session.scalars(
            select(Complaint.id)
            .where(Complaint.region_id == almaty.id, Complaint.status == Status.NEW)
            .order_by(Complaint.id)
        ).all()
        return found[skip]


@pytest.mark.parametrize(
    ("lang", "javascript", "skip", "username"),
    [("kk", True, 0, "demo-reviewer"), ("ru", False, 1, "demo-coordinator")],
    ids=["kk-js", "ru-no-js"],
)
def test_a_reviewer_works_a_case(open_page, live_server, lang, javascript, skip, username):
    words = WORDS[lang]
    twin = None if javascript else open_page(f"/{lang}/about")
    page = open_page(f"/{lang}/review/login", javascript=javascript)
    sign_in(page, username, DEMO_PASSWORD, unused_code(live_server, username), words["sign_in"])

    complaint_id = _new_almaty_complaint(live_server, skip)
    page.goto(f"{live_server.url}/{lang}/review/complaints/{complaint_id}")
    page.wait_for_selector("h1")
    check_page(page, twin)

    page.locator("#status").select_option("closed")
    page.get_by_role("button", name=words["change"]).click()
    page.wait_for_selector("#error-summary")
    check_page(page, twin)

    page.locator("#status").select_option("in_review")
    page.get_by_role("button", name=words["change"]).click()
    page.wait_for_selector(".notice")
    check_page(page, twin)
    with live_server.app.app_context():
        assert session.get(Complaint, complaint_id).status == Status.IN_REVIEW
