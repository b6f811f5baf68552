"""A reviewer and a coordinator sign in with password and one-time code, in kk and ru.

Every page passes axe-core (no serious or critical violations) and loads nothing from
another host; with JavaScript off, the page's HTML is checked in a twin page (as in
test_citizen.py), since axe-core itself is a script.
"""

from __future__ import annotations

import pytest

from portal import clock
from portal.auth import accounts, totp
from portal.auth.demo import DEMO_PASSWORD
from portal.db import session
from portal.models import Role
from portal.search import rebuild
from tests.support.browser import check_page, unused_code

pytestmark = pytest.mark.browser

WORDS = {
    "kk": {
        "sign_in": "Кіру",
        "code": "Бір реттік код",
        "workspace": "Жұмыс кеңістігі",
        "sign_out": "Шығу",
        "confirm": "Растау және кіру",
        "saved": "Сақтап алдым, жалғастыру",
    },
    "ru": {
        "sign_in": "Войти",
        "code": "Одноразовый код",
        "workspace": "Рабочее место",
        "sign_out": "Выйти",
        "confirm": "Подтвердить и войти",
        "saved": "Я их сохранил(а), продолжить",
    },
}


@pytest.mark.parametrize(
    ("lang", "username", "javascript"),
    [("kk", "demo-reviewer", True), ("ru", "demo-coordinator", False)],
    ids=["kk-js", "ru-no-js"],
)
def test_staff_sign_in_with_password_and_one_time_code(
    open_page, live_server, lang, username, javascript
):
    words = WORDS[lang]
    twin = None if javascript else open_page(f"/{lang}/about")
    page = open_page(f"/{lang}/review/login", javascript=javascript)
    assert page.locator("html").get_attribute("lang") == lang
    check_page(page, twin)

    page.locator('input[autocomplete="username"]').fill(username)
    page.locator('input[autocomplete="current-password"]').fill("not the demo password")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector("#error-summary")
    check_page(page, twin)

    page.locator('input[autocomplete="username"]').fill(username)
    page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector('input[autocomplete="one-time-code"]')
    assert page.get_by_role("heading", name=words["code"]).is_visible()
    check_page(page, twin)

    code = unused_code(live_server, username)
    page.locator('input[autocomplete="one-time-code"]').fill(code)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector("h1")
    assert page.get_by_role("heading", name=words["workspace"]).is_visible()
    assert username in page.content()
    check_page(page, twin)

    # The search page, with facets, results and a deadline sort (the queue is on the workspace).
    with live_server.app.app_context():
        rebuild(session, live_server.app.config["INDEX_DIR"])
    page.goto(f"{live_server.url}/{lang}/review/search?q=камера&sort=deadline")
    page.wait_for_selector("h1")
    assert page.locator("#results").count() == 1
    check_page(page, twin)
    page.goto(f"{live_server.url}/{lang}/review/")
    page.wait_for_selector("h1")

    page.locator("main").get_by_role("button", name=words["sign_out"]).click()
    page.wait_for_selector('input[autocomplete="current-password"]')
    page.goto(f"{live_server.url}/{lang}/review/")
    assert page.url.endswith(f"/{lang}/review/login")


def test_first_sign_in_sets_up_the_second_factor(open_page, live_server):
    with live_server.app.app_context():
        enrolment = accounts.create_user(
            "browser.enrol", [Role.COORDINATOR], [], "a browser's own long passphrase"
        )
        secret = enrolment.secret
    words = WORDS["kk"]
    page = open_page("/kk/review/login")
    page.locator('input[autocomplete="username"]').fill("browser.enrol")
    page.locator('input[autocomplete="current-password"]').fill("a browser's own long passphrase")
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector("img.qr-code")
    check_page(page)
    page.locator('input[autocomplete="one-time-code"]').fill(totp.current_code(secret, clock.now()))
    page.get_by_role("button", name=words["confirm"]).click()
    page.wait_for_selector(".recovery-codes")
    assert page.locator(".recovery-codes li").count() == 10
    check_page(page)
    page.get_by_role("link", name=words["saved"]).click()
    assert page.get_by_role("heading", name=words["workspace"]).is_visible()


def test_the_analyst_reads_statistics_in_kk_and_ru(open_page, live_server):
    """The statistics page passes axe in both languages, with its date filter in error too."""
    words = WORDS["ru"]
    page = open_page("/ru/review/login")
    page.locator('input[autocomplete="username"]').fill("demo-analyst")
    page.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector('input[autocomplete="one-time-code"]')
    code = unused_code(live_server, "demo-analyst")
    page.locator('input[autocomplete="one-time-code"]').fill(code)
    page.get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_selector("h1")
    page.get_by_role("link", name="Статистика").click()
    page.wait_for_selector("#by-category")
    assert page.get_by_role("heading", name="Статистика жалоб").is_visible()
    check_page(page)
    for lang in ("kk", "ru"):
        page.goto(f"{live_server.url}/{lang}/review/statistics?since=2026-03-05&until=2026-03-01")
        page.wait_for_selector("#error-summary")
        assert page.locator("html").get_attribute("lang") == lang
        check_page(page)
