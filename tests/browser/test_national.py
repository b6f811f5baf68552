"""A visitor on a small phone opens the national page, switches language, needs no JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import serious_accessibility_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("kk", "Күзетпен ұстау орындарындағы бейнебақылау: ел бойынша шолу"),
        ("ru", "Видеонаблюдение в местах содержания под стражей: общая картина по стране"),
    ],
)
def test_national_page_is_accessible_and_stays_on_this_machine(open_page, lang, heading):
    page = open_page(f"/{lang}/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.get_by_role("heading", level=1).inner_text() == heading
    # real figures from the demo database, labelled as demo
    assert page.locator(".headline-figures .figure").count() == 3
    assert re.search(r"\d", page.locator(".headline-figures .figure").first.inner_text())
    assert page.locator(".demo-banner").is_visible()
    assert page.locator("[aria-labelledby=by-region] tbody tr").count() == 20
    assert page.locator("#region-map svg a").count() == 20
    assert serious_accessibility_violations(page) == []
    assert page.requests.foreign() == []


def test_language_switch_keeps_the_page_and_is_remembered(open_page, live_server):
    page = open_page("/kk/")
    page.get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{live_server.url}/ru/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.goto(live_server.url + "/")
    assert page.url == f"{live_server.url}/ru/"
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_url(f"{live_server.url}/kk/")
    assert page.requests.foreign() == []


def test_root_follows_the_browser_language(open_page, live_server):
    assert open_page("/", locale="ru-RU").url == f"{live_server.url}/ru/"
    assert open_page("/", locale="en-US").url == f"{live_server.url}/en/"
    assert open_page("/", locale="de-DE").url == f"{live_server.url}/kk/"


def test_everything_works_without_javascript(open_page, live_server):
    page = open_page("/ru/", javascript=False)
    assert page.locator(".headline-figures li").count() == 3
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Video coverage")
    assert page.requests.foreign() == []


def test_page_fits_a_360px_phone(open_page):
    page = open_page("/kk/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_keyboard_user_can_skip_to_the_content(open_page):
    page = open_page("/ru/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к основному содержанию")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
