"""A reviewer's whole journey, in kk with JavaScript and in ru without.

A citizen files a complaint through the public form in a region the reviewer covers and
keeps the receipt code; the reviewer signs in with password and one-time code, finds the
complaint by searching (in Kazakh typed in ASCII, or in Russian in another word form),
opens it, moves it to review and asks the complainant a question; the citizen opens the
follow-up page with the receipt code and answers; the reviewer reloads the case page and
sees the answer, and that the question was read.

Every staff page on the way passes axe-core (no serious or critical violations) and loads
nothing from another host; with JavaScript off, the page's HTML is checked in a twin page
(as in test_staff.py), since axe-core itself is a script.
"""

from __future__ import annotations

import io
import re
import time

import pytest
from PIL import Image
from sqlalchemy import select

from portal import clock
from portal.auth import totp
from portal.complaints import receipts
from portal.db import session
from portal.models import Complaint, MessageDirection, Region, Role, Status
from portal.search import rebuild
from tests.support.browser import check_page
from tests.support.staff import PASSWORD, Staff, make_staff

pytestmark = pytest.mark.browser

JOURNEYS = {
    "kk": {
        "region": "karaganda",
        "narrative": (
            "Тергеу изоляторының дәлізінде күзетші мені дубинкамен ұрды. "
            "Ол жерде бейнекамера болған жоқ."
        ),
        "query": "dubinkamen urdy",  # Kazakh typed in plain ASCII
        "question": "Бұл қай күні, сағат нешеде болды?",
        "answer": "Қаңтардың бесінші күні, кешкі сағат сегізде.",
        "send_report": "Шағымды жіберу",
        "sign_in": "Кіру",
        "workspace": "Жұмыс кеңістігі",
        "search": "Іздеу",
        "change": "Мәртебесін өзгерту",
        "in_review": "Қаралуда",
        "code": "Түбіртек коды",
        "open": "Шағымымды ашу",
        "asked": "Шағымдар жөніндегі маманның сұрағы",
        "read": "шағым беруші оқыды",
        "from": "Шағым берушіден",
        "casework": "Бейнежазбаның сақталу мерзімі, хаттар, жолдаулар және еске салу",
    },
    "ru": {
        "region": "almaty",
        "narrative": (
            "В коридоре изолятора конвоир избил меня резиновой дубинкой. Камеры там не было."
        ),
        "query": "дубинка",  # another form of the word than the narrative's
        "question": "В какой день и в котором часу это было?",
        "answer": "Пятого января, около восьми вечера.",
        "send_report": "Отправить обращение",
        "sign_in": "Войти",
        "workspace": "Рабочее место",
        "search": "Поиск",
        "change": "Изменить статус",
        "in_review": "На рассмотрении",
        "code": "Код квитанции",
        "open": "Открыть моё обращение",
        "asked": "Вопрос специалиста по жалобам",
        "read": "прочитано заявителем",
        "from": "От заявителя",
        "casework": "Срок хранения видеозаписи, письма, направления и напоминание",
    },
}
#: How long the test waits for the background indexer (it takes at most 2 s).
INDEX_WAIT = 10.0


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "olive").save(buffer, "JPEG")
    return buffer.getvalue()


def _region_id(live_server, slug: str) -> str:
    with live_server.app.app_context():
        return str(session.scalars(select(Region.id).where(Region.slug == slug)).one())


def _complaint_of(live_server, code: str) -> Complaint:
    with live_server.app.app_context():
        lookups = receipts.lookup_digests(receipts.normalise_code(code))
        found = session.scalars(select(Complaint).where(Complaint.receipt_lookup.in_(lookups)))
        complaint = found.one()
        session.expunge(complaint)
        return complaint


def _file_a_complaint(page, live_server, journey: dict) -> str:
    """Fill the public report form; return the receipt code the page shows."""
    region = _region_id(live_server, journey["region"])
    page.select_option("#region", region)
    facility = page.locator(f'#facility optgroup[data-region="{region}"] option').first
    page.select_option("#facility", facility.get_attribute("value"))
    page.check("#date_kind-0")
    page.fill("#incident_date", clock.today().replace(day=1).isoformat())
    page.check("#categories-0")
    page.fill("#narrative", journey["narrative"])
    page.check("#camera_present-1")
    page.check("#relation-0")
    page.check("#consent")
    page.set_input_files(
        "#attachments", files=[{"name": "bruise.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.get_by_role("button", name=journey["send_report"]).click()
    page.wait_for_selector("#receipt-code")
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4} \d{4} \d{4} \d{4}", code)
    return code


def _reviewer(live_server, lang: str, region: str) -> Staff:
    """A reviewer of one region, of this run only (a one-time code is accepted once)."""
    with live_server.app.app_context():
        return make_staff(session, f"journey.{lang}", Role.REVIEWER, regions=[region])


def _sign_in(page, reviewer: Staff, journey: dict, twin) -> None:
    assert page.locator("html").get_attribute("lang") == page.url.split("/")[3]
    check_page(page, twin)
    page.locator('input[autocomplete="username"]').fill(reviewer.username)
    page.locator('input[autocomplete="current-password"]').fill(PASSWORD)
    page.get_by_role("button", name=journey["sign_in"]).click()
    page.wait_for_selector('input[autocomplete="one-time-code"]')
    check_page(page, twin)
    code = totp.current_code(reviewer.secret, clock.now())
    page.locator('input[autocomplete="one-time-code"]').fill(code)
    page.get_by_role("button", name=journey["sign_in"]).click()
    page.wait_for_selector("h1")
    assert page.get_by_role("heading", name=journey["workspace"]).is_visible()
    check_page(page, twin)


def _find(page, journey: dict, complaint_id: int, twin) -> None:
    """Search as a reviewer types it, newest first; ask again while the index catches up."""
    page.locator("#q").fill(journey["query"])
    page.locator("#sort").select_option("date")
    page.locator(".search-main").get_by_role("button", name=journey["search"]).click()
    page.wait_for_selector("h1")
    row = page.locator(f'#results a[href$="/review/complaints/{complaint_id}"]')
    deadline = time.monotonic() + INDEX_WAIT
    while row.count() == 0 and time.monotonic() < deadline:
        time.sleep(0.3)
        page.reload()
        page.wait_for_selector("h1")
    assert row.count() == 1, f"{journey['query']!r} did not find complaint {complaint_id}"
    assert page.locator("#q").input_value() == journey["query"]
    check_page(page, twin)
    row.click()
    page.wait_for_selector("#narrative-title")


@pytest.mark.parametrize(
    ("lang", "javascript"), [("kk", True), ("ru", False)], ids=["kk-js", "ru-no-js"]
)
def test_a_reviewer_finds_a_new_complaint_asks_and_reads_the_answer(
    open_page, live_server, lang, javascript
):
    journey = JOURNEYS[lang]
    with live_server.app.app_context():  # the index of the demo data (later complaints: live)
        rebuild(session, live_server.app.config["INDEX_DIR"])

    # 1. A citizen reports, and keeps the receipt code.
    citizen = open_page(f"/{lang}/report", javascript=javascript)
    code = _file_a_complaint(citizen, live_server, journey)
    complaint = _complaint_of(live_server, code)
    assert complaint.narrative == journey["narrative"] and complaint.status == Status.NEW

    # 2. The reviewer signs in, finds it, moves it to review and asks a question.
    twin = None if javascript else open_page(f"/{lang}/about")
    page = open_page(f"/{lang}/review/login", javascript=javascript)
    _sign_in(page, _reviewer(live_server, lang, journey["region"]), journey, twin)
    page.goto(f"{live_server.url}/{lang}/review/search")
    _find(page, journey, complaint.id, twin)
    assert journey["narrative"] in page.locator(".narrative").inner_text()
    check_page(page, twin)

    page.locator("#status").select_option("in_review")
    page.get_by_role("button", name=journey["change"]).click()
    page.wait_for_selector(".notice")
    assert journey["in_review"] in page.locator(".case-facts").inner_text()
    check_page(page, twin)

    page.locator("#body").fill(journey["question"])
    page.locator("form[action$='/messages'] button[type=submit]").click()
    page.wait_for_selector(".notice")
    thread = page.locator("ol.messages").first.inner_text()
    assert journey["question"] in thread and journey["read"] not in thread
    check_page(page, twin)

    page.get_by_role("link", name=journey["casework"]).click()
    page.wait_for_selector("h1")
    assert f"/review/complaints/{complaint.id}/casework" in page.url
    check_page(page, twin)

    # 3. The citizen opens the follow-up page with the code, reads the question, answers.
    citizen.goto(f"{live_server.url}/{lang}/follow-up")
    citizen.get_by_label(journey["code"]).fill(code)
    citizen.get_by_role("button", name=journey["open"]).click()
    citizen.wait_for_selector(".facts")
    assert journey["in_review"] in citizen.locator(".facts").inner_text()
    asked = citizen.locator(".messages .message-to_complainant")
    assert journey["asked"] in asked.inner_text() and journey["question"] in asked.inner_text()
    citizen.fill("#body", journey["answer"])
    citizen.locator("form[action$='/follow-up/reply'] button[type=submit]").click()
    citizen.wait_for_selector(".notice")
    assert journey["answer"] in citizen.locator(".messages").inner_text()

    # 4. The reviewer reloads the case page: the answer is there, the question was read.
    page.goto(f"{live_server.url}/{lang}/review/complaints/{complaint.id}")
    page.wait_for_selector("#narrative-title")
    answer = page.locator("ol.messages .message-from_complainant")
    assert journey["from"] in answer.inner_text() and journey["answer"] in answer.inner_text()
    question = page.locator("ol.messages .message-to_complainant")
    assert journey["read"] in question.inner_text()
    check_page(page, twin)
    with live_server.app.app_context():
        stored = session.get(Complaint, complaint.id)
        assert stored.status == Status.IN_REVIEW
        directions = [message.direction for message in stored.messages]
        assert directions == [MessageDirection.TO_COMPLAINANT, MessageDirection.FROM_COMPLAINANT]
        assert stored.messages[0].read_at is not None
