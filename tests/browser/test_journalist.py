"""A journalist follows the figures down to a facility and takes the data away, in kk and ru."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.browser import serious_accessibility_violations

pytestmark = pytest.mark.browser

#: A public page must transfer under this many bytes, CSS and scripts included.
PAGE_BUDGET = 100 * 1024


def _check(page) -> None:
    assert serious_accessibility_violations(page) == [], page.url
    assert page.requests.foreign() == [], page.url
    assert page.requests.transferred() < PAGE_BUDGET, (page.url, page.requests.transferred())
    page.requests.finished.clear()  # the next page is measured on its own


@pytest.mark.parametrize(
    ("lang", "download"), [("kk", "CSV жүктеп алу"), ("ru", "Скачать CSV"), ("en", "Download CSV")]
)
def test_national_to_region_to_facility_to_csv(open_page, live_server, lang, download):
    page = open_page(f"/{lang}/")
    _check(page)
    # the region map is made of links; follow the first region in the ranking table
    page.locator("[aria-labelledby=by-region] tbody a").first.click()
    page.wait_for_url(f"{live_server.url}/{lang}/regions/*")
    _check(page)
    page.locator("[aria-labelledby=facilities] tbody a").first.click()
    page.wait_for_url(f"{live_server.url}/{lang}/facilities/*")
    _check(page)
    assert page.locator("figure svg").count() >= 1
    with page.expect_download() as download_info:
        page.get_by_role("link", name=download).first.click()
    path = download_info.value.path()
    content = Path(path).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # opens as UTF-8 in spreadsheets
    assert b"facility_slug" in content.splitlines()[0]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/regions/almaty",
        "/facilities",
        "/facilities?status=slipping",
        "/facilities?region=atlantis&band=%3Cb%3E&page=abc",
        "/open-data",
        "/methodology",
        "/about",
        "/privacy",
        "/report",
        "/follow-up",
        "/no-such-page",
    ],
)
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_public_pages_are_accessible_small_and_local(open_page, lang, path):
    page = open_page(f"/{lang}{path}")
    assert page.locator("html").get_attribute("lang") == lang
    _check(page)


def test_region_tiles_are_keyboard_links(open_page, live_server):
    page = open_page("/ru/")
    tile = page.locator("#region-map svg a").first
    tile.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/ru/regions/*")


def test_filters_work_without_javascript(open_page, live_server):
    page = open_page("/ru/facilities", javascript=False)
    page.get_by_label("Название").fill("Нур-Султан")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**/ru/facilities?q=*")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    assert all("Астана" in rows.nth(i).inner_text() for i in range(rows.count()))
