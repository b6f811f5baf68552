"""Footage preservation requests, referral letters, referrals and reminders, in use."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.casework import letters, referrals, reminders
from portal.casework.deidentify import REMOVED_MARK, DetailKind
from portal.db import session
from portal.models import (
    AuditEvent,
    CaseReminder,
    Complaint,
    DatePrecision,
    Letter,
    Referral,
    Role,
    User,
    ZoneType,
)
from portal.reference import ensure_regions
from tests import factories
from tests.conftest import require
from tests.support import nu
from tests.support.staff import clock as clock
from tests.support.staff import csrf, make_staff, sign_in

#: Today, in Kazakhstan, on the tests' clock (2026-12-14 09:00 UTC).
TODAY = date(2026, 12, 14)
NARRATIVE = (
    "Моего сына Данияра Серикова избили в камере № 12 около 23:40. Следователь Петров И.И. "
    "сказал, что Данияр сам упал. Даниярға врача не дали. Потом ДАНИЯРА перевели, а "
    "Серикову угрожали. Звоните +7 701 234 56 78."
)
BLNS = Path(__file__).resolve().parents[2] / "shared" / "qa-data" / "blns.txt"


@pytest.fixture
def case(app):
    """A reviewer for Almaty, a coordinator, an analyst, an admin; a complaint in Almaty and
    one in Astana, each at a facility keeping its cell recordings 30 days."""
    with app.app_context():
        ensure_regions(session)
        made = {}
        for name, slug in (("almaty", "almaty"), ("astana", "astana")):
            region = factories.named_region(session, slug)
            facility = factories.facility(
                session,
                region=region,
                name_kk=f"№ 3 уақытша ұстау изоляторы ({slug})",
                name_ru=f"ИВС № 3 ({slug})",
            )
            factories.snapshot(
                session, facility=facility, zones={ZoneType.CELLS: (10, 7)}, as_of=date(2026, 1, 1)
            )
            complaint = factories.complaint(
                session, facility=facility, narrative=NARRATIVE, incident_date=date(2026, 12, 1)
            )
            made[name] = complaint.id
        session.commit()
        staff = {
            "reviewer": make_staff(session, "letters.reviewer", Role.REVIEWER, regions=["almaty"]),
            "coordinator": make_staff(session, "letters.coordinator", Role.COORDINATOR),
            "analyst": make_staff(session, "letters.analyst", Role.ANALYST),
            "admin": make_staff(session, "letters.admin", Role.ADMIN),
        }
        return {"complaints": made, "staff": staff}


def signed_in(app, case, clock, who: str = "reviewer", lang: str = "ru"):
    client = app.test_client()
    sign_in(client, case["staff"][who], clock, lang=lang)
    return client


def base(case, name: str = "almaty", lang: str = "ru") -> str:
    return f"/{lang}/review/complaints/{case['complaints'][name]}"


def actions(action: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def post_letter(client, url: str, excerpt: str, remove, zones=("cells",), action="issue", **extra):
    data = {
        "csrf_token": csrf(client, url),
        "excerpt": excerpt,
        "digest": extra.pop("digest", letters.excerpt_digest(excerpt)),
        "remove": [str(number) for number in remove],
        "zones": list(zones),
        "action": action,
    }
    return client.post(url, data=data)


def only_letter() -> Letter:
    return session.scalars(select(Letter)).one()


# --- the footage deadline and the request ---------------------------------------------------


@pytest.mark.parametrize(
    ("incident", "deadline_ru", "deadline_kk", "state"),
    [
        (date(2026, 12, 1), "31 декабря 2026 года", "2026 жылғы 31 желтоқсан", "inside"),
        (date(2026, 11, 18), "18 декабря 2026 года", "2026 жылғы 18 желтоқсан", "near"),
        (date(2026, 11, 14), "14 декабря 2026 года", "2026 жылғы 14 желтоқсан", "edge"),
        (date(2026, 11, 1), "1 декабря 2026 года", "2026 жылғы 1 желтоқсан", "past"),
    ],
)
def test_the_request_is_right_inside_at_the_edge_of_and_past_the_window(
    app, case, clock, incident, deadline_ru, deadline_kk, state
):
    with app.app_context():
        session.get(Complaint, case["complaints"]["almaty"]).incident_date = incident
        session.commit()
    client = signed_in(app, case, clock)
    url = base(case) + "/footage-request"
    page = client.get(url).get_data(as_text=True)
    assert client.get(url).status_code == 200
    if state == "past":
        assert "Срок истёк" in page and "вероятно, уже перезаписаны" in page
    elif state == "edge":
        assert "Последний день" in page and "Отправьте запрос сегодня" in page
    elif state == "near":
        assert (
            "Срок близко" in page and "Осталось дней, чтобы добиться сохранения записи: 4" in page
        )
    else:
        assert "Осталось дней" in page
    excerpt = letters.default_excerpt(NARRATIVE)
    preview = post_letter(client, url, excerpt, range(20), action="preview")
    assert preview.status_code == 200
    assert deadline_ru in preview.get_data(as_text=True)
    assert post_letter(client, url, excerpt, range(20)).status_code == 303
    with app.app_context():
        letter = only_letter()
        assert deadline_ru in letter.body_ru and deadline_kk in letter.body_kk
        past_ru = "Если записи сохранились полностью или частично" in letter.body_ru
        past_kk = "Жазбалар толық немесе ішінара сақталса" in letter.body_kk
        assert past_ru == past_kk == (state == "past")
        assert ("будут перезаписаны" in letter.body_ru) == (state != "past")


def test_the_letter_names_facility_zones_and_day_in_kazakh_and_russian(app, case, clock):
    client = signed_in(app, case, clock, lang="en")  # the interface's language does not matter
    url = base(case, lang="en") + "/footage-request"
    excerpt = letters.default_excerpt(NARRATIVE)
    response = post_letter(client, url, excerpt, range(20), zones=("cells", "corridors"))
    assert response.status_code == 303
    with app.app_context():
        letter = only_letter()
        kk, ru = letter.body_kk, letter.body_ru
        assert "«№ 3 уақытша ұстау изоляторы (almaty)» мекемесінің басшысына" in kk
        assert "заңдылықтың сақталуын қадағалайтын прокурорға" in kk
        assert "камералар мен тұрғын үй-жайлар" in kk and "дәліздер мен баспалдақтар" in kk
        assert "оқиға болған уақыт: 2026 жылғы 1 желтоқсан." in kk
        assert "2026 жылғы 14 желтоқсан" in kk  # dated the day it is issued
        assert "Начальнику учреждения «ИВС № 3 (almaty)»" in ru
        assert "Прокурору, осуществляющему надзор" in ru
        assert "камеры и жилые помещения" in ru and "коридоры и лестничные клетки" in ru
        assert "события произошли 1 декабря 2026 года." in ru
        assert "от 14 декабря 2026 года" in ru
        assert "хранятся 30 дней" in ru  # the facility's own figure for the cells
        complaint = session.get(Complaint, case["complaints"]["almaty"])
        assert f"№ {complaint.reference}/1" in ru and letter.issued_by_id is not None
        assert "ИВС № 3 (almaty)" in letter.addressee


def test_an_incident_known_by_its_month_asks_for_the_whole_month(app, case, clock):
    with app.app_context():
        complaint = session.get(Complaint, case["complaints"]["almaty"])
        complaint.incident_date, complaint.incident_date_precision = (
            date(2026, 11, 1),
            DatePrecision.MONTH,
        )
        session.commit()
    client = signed_in(app, case, clock)
    excerpt = letters.default_excerpt(NARRATIVE)
    assert post_letter(client, base(case) + "/footage-request", excerpt, []).status_code == 303
    with app.app_context():
        letter = only_letter()
        assert "2026 жылғы 1–30 қараша аралығы" in letter.body_kk
        assert "в период с 1 по 30 ноября 2026 года" in letter.body_ru
        assert "за период с 1 по 30 ноября 2026 года" in letter.body_ru


def test_without_a_facility_or_a_date_no_request_can_be_issued(app, case, clock):
    with app.app_context():
        complaint = session.get(Complaint, case["complaints"]["almaty"])
        complaint.incident_date = None
        session.commit()
    client = signed_in(app, case, clock)
    url = base(case) + "/footage-request"
    page = client.get(url)
    assert page.status_code == 200 and "Дата происшествия неизвестна" in page.get_data(as_text=True)
    response = post_letter(client, url, letters.default_excerpt(NARRATIVE), [])
    assert response.status_code == 200
    with app.app_context():
        assert session.scalar(select(func.count()).select_from(Letter)) == 0


def test_no_zone_chosen_is_a_clear_error(app, case, clock):
    client = signed_in(app, case, clock)
    url = base(case) + "/footage-request"
    response = post_letter(client, url, letters.default_excerpt(NARRATIVE), [], zones=())
    assert response.status_code == 422
    assert "Выберите хотя бы одну зону" in response.get_data(as_text=True)


# --- de-identification -----------------------------------------------------------------------

REMOVED_FORMS = ("Данияр", "Данияра", "Даниярға", "ДАНИЯРА", "Серикова", "Серикову", "23:40")


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"[\w:+]+", text)}


def test_a_removed_detail_never_reaches_the_issued_letter(app, case, clock):
    client = signed_in(app, case, clock)
    url = base(case) + "/footage-request"
    excerpt = letters.default_excerpt(NARRATIVE)
    packet = letters.make_packet(excerpt)
    kept = [n for n, d in enumerate(packet.details) if d.kind == DetailKind.CELL]
    removed = [n for n in range(len(packet.details)) if n not in kept]
    assert kept and removed
    page = client.get(url).get_data(as_text=True)
    assert '<mark class="detail detail-removed">Данияра Серикова<sup>1</sup></mark>' in page
    assert post_letter(client, url, excerpt, removed).status_code == 303
    with app.app_context():
        letter = only_letter()
        complaint = session.get(Complaint, case["complaints"]["almaty"])
        assert complaint.narrative == NARRATIVE  # the complaint itself is intact
        letter_id = letter.id
        bodies = [letter.body_kk, letter.body_ru, letter.addressee]
    printed = client.get(f"{base(case)}/letters/{letter_id}").get_data(as_text=True)
    downloaded = client.get(f"{base(case)}/letters/{letter_id}/download").get_data(as_text=True)
    for text in (*bodies, printed, downloaded):
        words = _words(text)
        for form in REMOVED_FORMS:  # every occurrence, every case form, any letter case
            assert form.casefold() not in words, form
        assert "петров" not in words and "701" not in text
        assert "камере № 12" in text or text is bodies[2]  # the kept detail stays
    assert REMOVED_MARK in bodies[1]


def test_an_edited_excerpt_offers_its_details_again_before_issuing(app, case, clock):
    client = signed_in(app, case, clock)
    url = base(case) + "/footage-request"
    old = letters.default_excerpt(NARRATIVE)
    edited = old + " Айгерим Нурланова видела это."
    response = post_letter(client, url, edited, [], digest=letters.excerpt_digest(old))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Айгерим Нурланова" in page and 'name="remove"' in page
    with app.app_context():
        assert session.scalar(select(func.count()).select_from(Letter)) == 0
    # the details of the new text are all ticked: issuing now removes them
    packet = letters.make_packet(edited)
    assert post_letter(client, url, edited, range(len(packet.details))).status_code == 303
    with app.app_context():
        assert "Нурланова" not in only_letter().body_ru


# --- referrals ---------------------------------------------------------------------------------


def _referral(client, url: str, **values):
    data = {"csrf_token": csrf(client, url), "recipient": "prosecutor", "sent_on": "2026-11-01"}
    return client.post(url, data={**data, **values})


def test_an_overdue_referral_is_detected_and_shown(app, case, clock):
    client = signed_in(app, case, clock)
    url = base(case) + "/referrals"
    assert _referral(client, url, response_due="2026-12-01").status_code == 303
    assert (
        _referral(client, url, recipient="ombudsman", response_due="2026-12-20").status_code == 303
    )
    coordinator = signed_in(app, case, clock, "coordinator")
    other = base(case, "astana") + "/referrals"
    assert _referral(coordinator, other, response_due="2026-12-02").status_code == 303
    with app.app_context():
        reviewer = session.get(User, case["staff"]["reviewer"].id)
        found = referrals.overdue_referrals(session, reviewer, TODAY)
        assert [r.response_due for r in found] == [date(2026, 12, 1)]  # Astana's is out of scope
        almaty, astana = case["complaints"]["almaty"], case["complaints"]["astana"]
        assert referrals.overdue_complaint_ids(session, reviewer, TODAY) == {almaty}
        boss = session.get(User, case["staff"]["coordinator"].id)
        assert referrals.overdue_complaint_ids(session, boss, TODAY) == {almaty, astana}
        assert referrals.overdue_complaint_ids(session, boss, TODAY, among=[astana]) == {astana}
        assert referrals.overdue_referrals(session, reviewer, date(2026, 12, 1)) == []  # due day
        overdue_id = found[0].id
    assert "Просрочено" in client.get(base(case) + "/casework").get_data(as_text=True)
    answered = _referral(
        client,
        f"{url}/{overdue_id}",
        response_due="2026-12-01",
        response_on="2026-12-10",
        outcome="Проверка начата.",
    )
    assert answered.status_code == 303
    with app.app_context():
        reviewer = session.get(User, case["staff"]["reviewer"].id)
        assert referrals.overdue_referrals(session, reviewer, TODAY) == []
        assert session.get(Referral, overdue_id).outcome == "Проверка начата."


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sent_on": "2026-13-45"}, "Введите дату в виде день.месяц.год"),
        ({"sent_on": ""}, "Укажите дату отправки"),
        ({"sent_on": "2027-01-01"}, "Дата не может быть в будущем"),
        ({"response_due": "2026-10-01"}, "не может наступить раньше дня отправки"),
        ({"recipient": "other", "recipient_name": ""}, "Укажите название органа"),
        ({"recipient": "mayor"}, "Выберите, куда направлено дело"),
        ({"outcome": "я" * 5000}, "Текст слишком длинный"),
    ],
)
def test_bad_referral_input_gets_a_clear_message(app, case, clock, values, message):
    client = signed_in(app, case, clock)
    response = _referral(client, base(case) + "/referrals", **values)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert session.scalar(select(func.count()).select_from(Referral)) == 0


def test_a_referral_letter_goes_to_the_named_body(app, case, clock):
    client = signed_in(app, case, clock)
    url = base(case) + "/referrals"
    name = "Прокуратура Медеуского района"
    assert _referral(client, url, recipient_name=name, response_due="2027-01-10").status_code == 303
    with app.app_context():
        referral_id = session.scalars(select(Referral.id)).one()
    excerpt = letters.default_excerpt(NARRATIVE)
    letter_url = f"{url}/{referral_id}/letter"
    assert post_letter(client, letter_url, excerpt, range(20), zones=()).status_code == 303
    with app.app_context():
        letter = only_letter()
        assert letter.referral_id == referral_id and letter.kind.value == "referral"
        assert (
            "В прокуратуру\n" + name in letter.body_ru
            and "Прокуратураға\n" + name in letter.body_kk
        )
        assert "10 января 2027 года" in letter.body_ru and "Данияр" not in letter.body_ru


# --- reminders -------------------------------------------------------------------------------


def test_a_reminder_is_due_on_its_day_and_can_be_cleared(app, case, clock):
    client = signed_in(app, case, clock)
    url = base(case) + "/reminder"
    refused = client.post(url, data={"csrf_token": csrf(client, url), "remind_on": "2026-12-01"})
    assert refused.status_code == 422 and "Выберите сегодняшний или более поздний день" in (
        refused.get_data(as_text=True)
    )
    token = csrf(client, url)
    assert (
        client.post(url, data={"csrf_token": token, "remind_on": "16.12.2026"}).status_code == 303
    )
    coordinator = signed_in(app, case, clock, "coordinator")
    other = base(case, "astana") + "/reminder"
    response = coordinator.post(
        other, data={"csrf_token": csrf(coordinator, other), "remind_on": "2026-12-14"}
    )
    assert response.status_code == 303
    with app.app_context():
        reviewer = session.get(User, case["staff"]["reviewer"].id)
        assert reminders.reminders_due(session, reviewer, TODAY) == []  # Astana's is not theirs
        due = reminders.reminders_due(session, reviewer, date(2026, 12, 16))
        assert [r.complaint_id for r in due] == [case["complaints"]["almaty"]]
    clock.advance(days=2)
    client = signed_in(app, case, clock)
    assert "Пора" in client.get(base(case) + "/casework").get_data(as_text=True)
    cleared = client.post(url, data={"csrf_token": csrf(client, url), "action": "clear"})
    assert cleared.status_code == 303
    with app.app_context():
        reviewer = session.get(User, case["staff"]["reviewer"].id)
        assert reminders.reminders_due(session, reviewer, date(2026, 12, 16)) == []


# --- scope, roles, audit -----------------------------------------------------------------------


PAGES = ("/casework", "/footage-request", "/referrals", "/reminder")


def test_a_reviewer_never_reaches_another_regions_case(app, case, clock):
    coordinator = signed_in(app, case, clock, "coordinator")
    other = base(case, "astana")
    excerpt = letters.default_excerpt(NARRATIVE)
    assert (
        post_letter(coordinator, other + "/footage-request", excerpt, range(20)).status_code == 303
    )
    assert _referral(coordinator, other + "/referrals").status_code == 303
    with app.app_context():
        letter_id = session.scalars(select(Letter.id)).one()
        referral_id = session.scalars(select(Referral.id)).one()
    client = signed_in(app, case, clock)
    for page in PAGES:
        assert client.get(other + page).status_code == 404, page
        assert coordinator.get(other + page).status_code == 200, page
    for page in (
        f"/letters/{letter_id}",
        f"/letters/{letter_id}/download",
        f"/referrals/{referral_id}",
        f"/referrals/{referral_id}/letter",
    ):
        assert client.get(other + page).status_code == 404, page
        assert client.get(base(case) + page).status_code == 404, page  # not this case's
    token = csrf(client, base(case) + "/referrals")
    assert client.post(other + "/referrals", data={"csrf_token": token}).status_code == 404
    assert client.get("/ru/review/complaints/999999/casework").status_code == 404
    for who in ("analyst", "admin"):
        refused = signed_in(app, case, clock, who)
        for page in PAGES:
            assert refused.get(base(case) + page).status_code == 403, (who, page)


def test_every_action_leaves_its_audit_row_and_no_content(app, case, clock):
    client = signed_in(app, case, clock)
    excerpt = letters.default_excerpt(NARRATIVE)
    post_letter(client, base(case) + "/footage-request", excerpt, range(20))
    _referral(client, base(case) + "/referrals", response_due="2026-12-01")
    url = base(case) + "/reminder"
    client.post(url, data={"csrf_token": csrf(client, url), "remind_on": "2026-12-20"})
    client.post(url, data={"csrf_token": csrf(client, url), "action": "clear"})
    with app.app_context():
        letter_id = session.scalars(select(Letter.id)).one()
        referral_id = session.scalars(select(Referral.id)).one()
    client.get(f"{base(case)}/letters/{letter_id}")
    client.get(f"{base(case)}/letters/{letter_id}/download")
    answer = {"response_due": "2026-12-01", "response_on": "2026-12-02"}
    _referral(client, f"{base(case)}/referrals/{referral_id}", **answer)
    with app.app_context():
        reviewer = case["staff"]["reviewer"].id
        complaint = case["complaints"]["almaty"]
        for action in (
            "letter.issued",
            "letter.viewed",
            "letter.downloaded",
            "referral.added",
            "referral.updated",
            "reminder.set",
            "reminder.cleared",
        ):
            (event,) = actions(action)
            assert (event.actor_id, event.object_type, event.object_id) == (
                reviewer,
                "complaint",
                complaint,
            ), action
            detail = event.detail or ""
            assert "Данияр" not in detail and "Серик" not in detail and "избили" not in detail
        issued = json.loads(actions("letter.issued")[0].detail)
        assert issued["letter"] == letter_id and issued["kind"] == "footage"
        assert issued["removed"] > 0 and issued["kept"] == 0
        updated = json.loads(actions("referral.updated")[0].detail)
        assert updated["changed"] == ["response_on"]
        assert actions("casework.viewed")  # each page shown (the forms) is a view of the case


def test_a_letter_downloads_as_an_attachment_and_prints_alone(app, case, clock):
    client = signed_in(app, case, clock)
    excerpt = letters.default_excerpt(NARRATIVE)
    post_letter(client, base(case) + "/footage-request", excerpt, range(20))
    with app.app_context():
        letter_id = session.scalars(select(Letter.id)).one()
        reference = session.get(Complaint, case["complaints"]["almaty"]).reference
    response = client.get(f"{base(case)}/letters/{letter_id}/download")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="letter-{reference}-{letter_id}.txt"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert text.index("БЕЙНЕЖАЗБАНЫ САҚТАУ") < text.index("ЗАПРОС")
    page = client.get(f"{base(case)}/letters/{letter_id}").get_data(as_text=True)
    assert (
        '<article class="letter" lang="kk"' in page and '<article class="letter" lang="ru"' in page
    )
    assert 'class="no-print"' in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the web layer, not the database
def test_hostile_strings_in_a_referral_and_an_excerpt_never_break_the_pages(
    backend, app, case, clock
):
    require(BLNS.exists(), f"{BLNS} not found (shared/ must sit beside the repo)")
    lines = BLNS.read_bytes().decode("utf-8").split("\n")
    strings = [line for line in lines if line.strip() and not line.startswith("#")][::7]
    client = signed_in(app, case, clock)
    url = base(case) + "/referrals"
    for hostile in strings:
        response = _referral(client, url, recipient="other", recipient_name=hostile[:300])
        assert response.status_code in (303, 422), hostile
        preview = post_letter(client, base(case) + "/footage-request", hostile, [], action="x")
        assert preview.status_code in (200, 422), hostile
        assert "<script>alert" not in preview.get_data(as_text=True)
    assert client.get(url).status_code == 200


def test_letters_referrals_and_reminders_leave_with_their_complaint(app, case, clock):
    client = signed_in(app, case, clock)
    post_letter(client, base(case) + "/footage-request", letters.default_excerpt(NARRATIVE), [])
    _referral(client, base(case) + "/referrals")
    url = base(case) + "/reminder"
    client.post(url, data={"csrf_token": csrf(client, url), "remind_on": "2026-12-20"})
    with app.app_context():
        session.delete(session.get(Complaint, case["complaints"]["almaty"]))  # as purge-expired
        session.commit()
        for model in (Letter, Referral, CaseReminder):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the markup, not the database
def test_every_case_work_page_is_valid_html(backend, app, case, clock):
    require(nu.java() is not None and nu.jar() is not None, "the Nu HTML Checker needs Java")
    client = signed_in(app, case, clock, lang="kk")
    pages: dict[str, str] = {}
    excerpt = letters.default_excerpt(NARRATIVE)
    kk = base(case, lang="kk")
    pages["preview"] = post_letter(client, kk + "/footage-request", excerpt, [1], action="x").text
    pages["zones-error"] = post_letter(client, kk + "/footage-request", excerpt, [], zones=()).text
    post_letter(client, kk + "/footage-request", excerpt, range(20))
    pages["referral-error"] = _referral(client, kk + "/referrals", sent_on="x").text
    _referral(client, kk + "/referrals", response_due="2026-12-01")
    pages["reminder-error"] = client.post(
        kk + "/reminder", data={"csrf_token": csrf(client, kk + "/reminder"), "remind_on": "1"}
    ).text
    with app.app_context():
        letter_id = session.scalars(select(Letter.id)).one()
        referral_id = session.scalars(select(Referral.id)).one()
    for lang in ("kk", "ru"):
        here = base(case, lang=lang)
        for name in (
            "casework",
            "footage-request",
            "referrals",
            "reminder",
            f"referrals/{referral_id}",
            f"referrals/{referral_id}/letter",
            f"letters/{letter_id}",
        ):
            response = client.get(f"{here}/{name}")
            assert response.status_code == 200, name
            pages[f"{lang}-{name.replace('/', '-')}"] = response.text
    problems = {name: found for name, found in nu.check(pages).items() if found}
    assert problems == {}, "\n".join(f"{n}: {m}" for n, ms in problems.items() for m in ms)
