"""A citizen reports an incident with a photo, keeps the receipt and follows up, in kk and ru.

Run with JavaScript on and off (Tor Browser "Safest"); every page must pass axe-core
without serious or critical violations and load nothing from another host.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests.support.browser import check_page

pytestmark = pytest.mark.browser

WORDS = {
    "kk": {
        "send": "Шағымды жіберу",
        "received": "Шағымыңыз қабылданды",
        "code": "Түбіртек коды",
        "open": "Шағымымды ашу",
        "status": "Жаңа",
        "leave": "Бұл беттен шығу",
    },
    "ru": {
        "send": "Отправить обращение",
        "received": "Ваше обращение получено",
        "code": "Код квитанции",
        "open": "Открыть моё обращение",
        "status": "Новая",
        "leave": "Покинуть страницу",
    },
}


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_report_keep_the_receipt_and_follow_up(open_page, live_server, lang, javascript):
    words = WORDS[lang]
    twin = None if javascript else open_page(f"/{lang}/about")
    page = open_page(f"/{lang}/report", javascript=javascript)
    assert page.locator("html").get_attribute("lang") == lang
    check_page(page, twin)

    # an empty form comes back with a summary of what to fix, still accessible
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_selector("#error-summary")
    check_page(page, twin)

    region = page.locator("#facility optgroup[data-region]").first.get_attribute("data-region")
    page.select_option("#region", region)
    facility = page.locator(f'#facility optgroup[data-region="{region}"] option').first
    page.select_option("#facility", facility.get_attribute("value"))
    if javascript:  # the list shows only the chosen region's facilities
        assert page.locator("#facility optgroup").count() == 1
    page.check("#date_kind-0")
    page.fill("#incident_date", "2026-01-05")
    page.check("#categories-0")
    page.check("#categories-9")
    page.fill("#narrative", "Мені тергеу бөлмесінде ұрды; бейнекамера сөндірулі болды. 2026")
    page.check("#camera_present-0")
    page.check("#relation-1")
    page.check("#consent")
    page.set_input_files(
        "#attachments", files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_selector("#receipt-code")
    assert words["received"] in page.locator("h1").inner_text()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    assert page.locator("#copy-code").is_visible() is javascript
    check_page(page, twin)

    with page.expect_download() as download:
        page.locator("form[action$='/report/receipt'] button").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert code in saved

    page.goto(f"{live_server.url}/{lang}/follow-up")
    check_page(page, twin)
    page.get_by_label(words["code"]).fill(code.replace(" ", "-"))
    page.get_by_role("button", name=words["open"]).click()
    page.wait_for_selector(".facts")
    assert words["status"] in page.locator(".facts").inner_text()
    check_page(page, twin)

    page.fill("#body", "Тағы бір дерек / ещё одна деталь.")
    page.locator("form[action$='/follow-up/reply'] button[type=submit]").click()
    page.wait_for_selector(".notice")
    assert "Тағы бір дерек" in page.locator(".messages").inner_text()

    page.get_by_role("button", name=words["leave"]).click()
    page.wait_for_selector("input[name=code]")
    assert page.locator(".facts").count() == 0
