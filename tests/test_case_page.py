"""The case page: every detail, the workflow, assignment, tags, notes, messages, contact, files.

Scope is the point: a reviewer of another region gets 404 on the page, on every
action and on every download, exactly as for an id that does not exist.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal import files
from portal.complaints import receipts
from portal.complaints.crypto import encrypt_contact
from portal.db import session
from portal.models import (
    AuditEvent,
    Category,
    ClosingReason,
    Complaint,
    DatePrecision,
    IndexTask,
    Message,
    MessageDirection,
    Region,
    Role,
    Status,
    StatusChange,
)
from portal.reference import ensure_regions
from portal.review import cases
from portal.search.filters import Filters, Scope
from portal.search.service import search
from tests import factories
from tests.support.staff import clock as clock
from tests.support.staff import csrf, make_staff, sign_in

CODE = "4021837465019283"
NARRATIVE = "Сотрудники избили задержанного в коридоре. <script>alert(1)</script>"
CONTACT = "+7 701 555 12 34, Telegram @witness"
ACTIONS = ("status", "assign", "take", "tags", "tags/remove", "notes", "messages", "contact")


@pytest.fixture
def case(app):
    """A complaint in Almaty with everything, one in Astana, and the staff around them."""
    with app.app_context():
        ensure_regions(session)
        regions = {r.slug: r for r in session.scalars(select(Region))}
        staff = {
            "reviewer": make_staff(session, "case.reviewer", Role.REVIEWER, regions=["almaty"]),
            "colleague": make_staff(session, "case.colleague", Role.REVIEWER, regions=["almaty"]),
            "outsider": make_staff(session, "case.outsider", Role.REVIEWER, regions=["astana"]),
            "coordinator": make_staff(session, "case.coordinator", Role.COORDINATOR),
            "analyst": make_staff(session, "case.analyst", Role.ANALYST),
            "admin": make_staff(session, "case.admin", Role.ADMIN),
        }
        almaty = factories.facility(session, region=regions["almaty"])
        astana = factories.facility(session, region=regions["astana"])
        main = factories.complaint(
            session,
            facility=almaty,
            narrative=NARRATIVE,
            place_text="Дежурная часть, второй этаж",
            incident_date=date(2026, 5, 1),
            incident_date_precision=DatePrecision.MONTH,
            categories=(Category.PHYSICAL_VIOLENCE, Category.CAMERA_ISSUE),
            external_ref="NGO-77",
            import_source="kazbureau",
            receipt_hash=receipts.hash_code(CODE),
            receipt_lookup=receipts.lookup_digests(CODE)[0],
        )
        main.contact_encrypted, main.contact_key_id = encrypt_contact(CONTACT)
        main.status_changes.append(StatusChange(old_status=None, new_status=Status.NEW))
        stored = files.store(files.CleanFile(b"\xff\xd8\xff fake jpeg", "image/jpeg", "jpg"))
        attachment = factories.attachment(
            session,
            complaint=main,
            storage_name=stored.storage_name,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
        )
        sibling = factories.complaint(session, facility=almaty)
        elsewhere = factories.complaint(session, facility=astana)
        foreign = factories.attachment(session, complaint=elsewhere)
        session.commit()
        return {
            "staff": staff,
            "main": main.id,
            "reference": main.reference,
            "sibling": sibling.id,
            "sibling_reference": sibling.reference,
            "elsewhere": elsewhere.id,
            "elsewhere_reference": elsewhere.reference,
            "attachment": attachment.id,
            "foreign_attachment": foreign.id,
        }


def signed_in(app, case, who: str, clock, lang: str = "ru"):
    client = app.test_client()
    sign_in(client, case["staff"][who], clock, lang=lang)
    return client


def page(case, key: str = "main", lang: str = "ru") -> str:
    return f"/{lang}/review/complaints/{case[key]}"


def post(client, case, action: str, data: dict | None = None, key: str = "main", lang="ru"):
    token = csrf(client, f"/{lang}/follow-up")
    return client.post(
        f"{page(case, key, lang)}/{action}", data={"csrf_token": token, **(data or {})}
    )


def events(action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ("Жалоба", "май 2026", "Алматы", "Физическое насилие", "Родственник", "Новая")),
        ("kk", ("Шағым", "2026 ж. мамыр", "Алматы", "Физикалық зорлық-зомбылық", "Туысы", "Жаңа")),
    ],
)
def test_the_page_shows_every_detail_and_the_view_is_audited(app, case, clock, lang, words):
    client = signed_in(app, case, "reviewer", clock, lang)
    response = client.get(page(case, lang=lang))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True).replace("\xa0", " ").replace("\u202f", " ")
    for word in (*words, case["reference"], "NGO-77", "Дежурная часть, второй этаж"):
        assert word in html, word
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert f"/attachments/{case['attachment']}" in html
    assert CONTACT not in html and "+7 701" not in html
    with app.app_context():
        viewed = events("complaint.viewed")
        assert [(e.object_type, e.object_id, e.detail) for e in viewed] == [
            ("complaint", case["main"], None)
        ]
        assert viewed[0].actor_id == case["staff"]["reviewer"].id


def test_another_region_is_a_404_for_the_page_every_action_and_every_download(app, case, clock):
    client = signed_in(app, case, "outsider", clock)
    assert client.get(page(case)).status_code == 404
    assert client.get("/ru/review/complaints/999999").status_code == 404
    for action in ACTIONS:
        data = {"status": "in_review", "tag": "x", "body": "Вопрос", "reason": "Нужно для дела"}
        assert post(client, case, action, data).status_code == 404, action
    attachment = f"{page(case)}/attachments/{case['attachment']}"
    assert client.get(attachment).status_code == 404
    with app.app_context():
        complaint = session.get(Complaint, case["main"])
        assert complaint.status == Status.NEW and complaint.tags == [] and complaint.notes == []
        assert events("complaint.viewed") == [] and events("attachment.downloaded") == []
    # and the reviewer of Almaty cannot reach Astana's complaint or its file through theirs
    client = signed_in(app, case, "reviewer", clock)
    assert client.get(page(case, "elsewhere")).status_code == 404
    foreign = f"{page(case)}/attachments/{case['foreign_attachment']}"
    assert client.get(foreign).status_code == 404


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_analysts_and_administrators_without_a_reviewing_role_are_refused(app, case, clock, who):
    client = signed_in(app, case, who, clock)
    assert client.get(page(case)).status_code == 403
    assert client.get(f"{page(case)}/attachments/{case['attachment']}").status_code == 403
    for action in ACTIONS:
        assert post(client, case, action, {"reason": "Нужно для дела"}).status_code == 403
    with app.app_context():
        assert events("complaint.viewed") == [] and events("complaint.contact_revealed") == []


# --- the workflow -------------------------------------------------------------------------------


def test_the_workflow_keeps_its_history_and_refuses_what_it_does_not_allow(app, case, clock):
    client = signed_in(app, case, "reviewer", clock)
    refused = post(client, case, "status", {"status": "referred"})
    assert refused.status_code == 422
    assert "Такой переход статуса невозможен" in refused.get_data(as_text=True)
    for step in ("in_review", "referred"):
        assert post(client, case, "status", {"status": step}).status_code == 303
    no_reason = post(client, case, "status", {"status": "closed"})
    assert no_reason.status_code == 422
    assert "Укажите, почему жалоба закрыта" in no_reason.get_data(as_text=True)
    done = post(client, case, "status", {"status": "closed", "closing_reason": "resolved"})
    assert done.status_code == 303 and done.headers["Location"].endswith("#workflow")
    html = client.get(page(case)).get_data(as_text=True)
    assert "Статус изменён" in html
    assert html.count("case.reviewer") >= 3 and "Вопрос решён" in html
    with app.app_context():
        complaint = session.get(Complaint, case["main"])
        assert (complaint.status, complaint.closing_reason) == (
            Status.CLOSED,
            ClosingReason.RESOLVED,
        )
        steps = [(s.old_status, s.new_status, s.closing_reason) for s in complaint.status_changes]
        assert steps[1:] == [
            (Status.NEW, Status.IN_REVIEW, None),
            (Status.IN_REVIEW, Status.REFERRED, None),
            (Status.REFERRED, Status.CLOSED, ClosingReason.RESOLVED),
        ]
        assert {s.actor_id for s in complaint.status_changes[1:]} == {case["staff"]["reviewer"].id}
        changed = events("complaint.status_changed")
        assert [json.loads(e.detail) for e in changed][-1] == {
            "from": "referred",
            "to": "closed",
            "reason": "resolved",
        }
    reopened = post(client, case, "status", {"status": "in_review"})
    assert reopened.status_code == 303
    with app.app_context():
        complaint = session.get(Complaint, case["main"])
        assert complaint.status == Status.IN_REVIEW and complaint.closing_reason is None


def test_status_and_assignee_filters_follow_every_change(app, case, clock):
    client = signed_in(app, case, "coordinator", clock)
    reviewer = case["staff"]["reviewer"].id

    def found(status: str, assignee: int | None) -> list[int]:
        filters = Filters(statuses=(status,), assignees=(assignee,))
        with app.app_context():
            return [hit.id for hit in search("", filters=filters, scope=Scope()).hits]

    assert post(client, case, "status", {"status": "in_review"}).status_code == 303
    assert found("in_review", None) == [case["main"]]
    assert post(client, case, "assign", {"assignee": str(reviewer)}).status_code == 303
    assert found("in_review", reviewer) == [case["main"]] and found("in_review", None) == []
    closing = {"status": "closed", "closing_reason": "withdrawn"}
    assert post(client, case, "status", closing).status_code == 303
    assert found("closed", reviewer) == [case["main"]] and found("in_review", reviewer) == []
    with app.app_context():
        assert session.scalars(select(IndexTask)).all() == []  # nothing left behind


def test_closing_as_a_duplicate_links_a_complaint_the_user_can_see(app, case, clock):
    client = signed_in(app, case, "reviewer", clock)
    closing = {"status": "closed", "closing_reason": "duplicate"}
    for reference, message in (
        ("", "Укажите номер жалобы"),
        (case["elsewhere_reference"], "Нет доступной вам жалобы с таким номером"),
        (case["reference"], "не может быть повторной для самой себя"),
    ):
        response = post(client, case, "status", {**closing, "duplicate_of": reference})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    target = f"  {case['sibling_reference'].lower()} "
    assert post(client, case, "status", {**closing, "duplicate_of": target}).status_code == 303
    html = client.get(page(case)).get_data(as_text=True)
    assert f'href="/ru/review/complaints/{case["sibling"]}">{case["sibling_reference"]}' in html
    original = client.get(page(case, "sibling")).get_data(as_text=True)
    assert f'href="/ru/review/complaints/{case["main"]}">{case["reference"]}' in original
    chained = post(
        client, case, "status", {**closing, "duplicate_of": case["reference"]}, key="sibling"
    )
    assert chained.status_code == 422
    with app.app_context():
        complaint = session.get(Complaint, case["main"])
        assert complaint.duplicate_of_id == case["sibling"]
        assert complaint.closing_reason == ClosingReason.DUPLICATE


# --- assignment, tags, notes ------------------------------------------------------------------


def test_coordinators_assign_within_scope_and_reviewers_take_unassigned(app, case, clock):
    coordinator = signed_in(app, case, "coordinator", clock)
    outsider = case["staff"]["outsider"].id
    wrong = post(coordinator, case, "assign", {"assignee": str(outsider)})
    assert wrong.status_code == 422
    assert "не входит регион этой жалобы" in wrong.get_data(as_text=True)
    html = coordinator.get(page(case)).get_data(as_text=True)
    assert "case.colleague</option>" in html and "case.outsider</option>" not in html

    reviewer = signed_in(app, case, "reviewer", clock)
    assert post(reviewer, case, "assign", {"assignee": ""}).status_code == 422  # not theirs
    assert post(reviewer, case, "take").status_code == 303
    colleague = signed_in(app, case, "colleague", clock)
    assert post(colleague, case, "take").status_code == 422
    colleague_id = str(case["staff"]["colleague"].id)
    assert post(coordinator, case, "assign", {"assignee": colleague_id}).status_code == 303
    with app.app_context():
        assert session.get(Complaint, case["main"]).assignee_id == int(colleague_id)
        details = [json.loads(e.detail) for e in events("complaint.assigned")]
        assert details == [
            {"from": None, "to": case["staff"]["reviewer"].id},
            {"from": case["staff"]["reviewer"].id, "to": int(colleague_id)},
        ]


def test_tags_are_normalised_and_bounded_and_notes_stay_internal(app, case, clock):
    client = signed_in(app, case, "reviewer", clock)
    assert post(client, case, "tags", {"tag": "  Камера  ӨШІРУЛІ! "}).status_code == 303
    again = post(client, case, "tags", {"tag": "камера-өшірулі"})
    assert again.status_code == 422 and "уже есть эта метка" in again.get_data(as_text=True)
    too_long = post(client, case, "tags", {"tag": "x" * 40})
    assert too_long.status_code == 422
    assert post(client, case, "notes", {"note": "Запросить запись у прокурора."}).status_code == 303
    long_note = post(client, case, "notes", {"note": "я" * (cases.NOTE_MAX + 1)})
    assert long_note.status_code == 422
    html = client.get(page(case)).get_data(as_text=True)
    assert "камера-өшірулі" in html and "Запросить запись у прокурора." in html
    assert post(client, case, "tags/remove", {"tag": "камера-өшірулі"}).status_code == 303
    assert post(client, case, "tags/remove", {"tag": "нет-такой"}).status_code == 422
    with app.app_context():
        complaint = session.get(Complaint, case["main"])
        assert complaint.tags == [] and [n.body for n in complaint.notes] == [
            "Запросить запись у прокурора."
        ]
    assert cases.normalise_tag("Foo   bar/baz") == "foo-bar-baz"
    assert cases.normalise_tag(" !!! ") is None


# --- the contact and the files -------------------------------------------------------------------


def test_the_contact_needs_a_stated_reason_and_its_reveal_is_audited(app, case, clock):
    client = signed_in(app, case, "reviewer", clock)
    assert CONTACT not in client.get(page(case)).get_data(as_text=True)
    for reason in ("", "коротко"):
        refused = post(client, case, "contact", {"reason": reason})
        assert refused.status_code == 422 and CONTACT not in refused.get_data(as_text=True)
    reason = "Заявитель просил перезвонить по поводу записи"
    shown = post(client, case, "contact", {"reason": reason})
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    assert CONTACT in shown.get_data(as_text=True)
    assert CONTACT not in client.get(page(case)).get_data(as_text=True)
    with app.app_context():
        revealed = events("complaint.contact_revealed")
        assert len(revealed) == 1 and json.loads(revealed[0].detail) == {"reason": reason}


def test_attachments_are_downloaded_never_shown_inline(app, case, clock):
    client = signed_in(app, case, "coordinator", clock)
    response = client.get(f"{page(case)}/attachments/{case['attachment']}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{case["reference"]}-{case["attachment"]}.jpg"'
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.data == b"\xff\xd8\xff fake jpeg"
    with app.app_context():
        downloaded = events("attachment.downloaded")
        assert [(e.object_type, e.object_id) for e in downloaded] == [
            ("attachment", case["attachment"])
        ]
        assert json.loads(downloaded[0].detail) == {"complaint": case["main"]}


# --- messages with the complainant ---------------------------------------------------------------


def test_a_question_and_its_answer_go_round_through_the_receipt(app, case, clock):
    reviewer = signed_in(app, case, "reviewer", clock)
    question = "Камера қай жерде тұрды? <b>нақтылаңыз</b>"
    assert post(reviewer, case, "messages", {"body": question}, lang="kk").status_code == 303
    assert "әлі оқылмады" in reviewer.get(page(case, lang="kk")).get_data(as_text=True)

    citizen = app.test_client()
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', citizen.get("/kk/follow-up").get_data(as_text=True)
    ).group(1)
    assert (
        citizen.post("/kk/follow-up", data={"csrf_token": token, "code": CODE}).status_code == 303
    )
    seen = citizen.get("/kk/follow-up").get_data(as_text=True)
    assert "Шағымдар жөніндегі маманның сұрағы" in seen
    assert "Камера қай жерде тұрды? нақтылаңыз" in seen  # cleaned of markup when written
    answer = citizen.post(
        "/kk/follow-up/reply",
        data={"csrf_token": token, "body": "Есіктің үстінде."},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303

    html = reviewer.get(page(case, lang="kk")).get_data(as_text=True)
    assert "Есіктің үстінде." in html and "шағым беруші оқыды" in html
    assert 'class="flag flag-new"' in html  # the answer was new
    again = reviewer.get(page(case, lang="kk")).get_data(as_text=True)
    assert 'class="flag flag-new"' not in again  # and is read now
    with app.app_context():
        messages = session.scalars(select(Message).order_by(Message.id)).all()
        assert [m.direction for m in messages] == [
            MessageDirection.TO_COMPLAINANT,
            MessageDirection.FROM_COMPLAINANT,
        ]
        assert all(m.read_at is not None for m in messages)
        assert messages[0].author_id == case["staff"]["reviewer"].id


def test_a_complaint_without_receipt_cannot_be_written_to(app, case, clock):
    client = signed_in(app, case, "reviewer", clock)
    html = client.get(page(case, "sibling")).get_data(as_text=True)
    assert "нет кода квитанции" in html and "/messages" not in html
    assert "Смены статуса не записаны" in html  # and no empty list for its history
    assert post(client, case, "messages", {"body": "Вопрос"}, key="sibling").status_code == 422


def test_the_audit_trail_never_holds_content(app, case, clock):
    client = signed_in(app, case, "reviewer", clock)
    post(client, case, "notes", {"note": "Секретная заметка о свидетеле"})
    post(client, case, "messages", {"body": "Секретный вопрос заявителю"})
    post(client, case, "tags", {"tag": "секретная-метка"})
    post(client, case, "contact", {"reason": "Нужно уточнить дату происшествия"})
    client.get(f"{page(case)}/attachments/{case['attachment']}")
    with app.app_context():
        session.expire_all()
        stored = " ".join(
            f"{e.action} {e.detail or ''}" for e in session.scalars(select(AuditEvent))
        )
    for secret in ("Секретная", "Секретный", "секретная-метка", CONTACT, "избили", "+7 701"):
        assert secret not in stored
    for action in (
        "complaint.note_added",
        "complaint.message_sent",
        "complaint.tag_added",
        "complaint.contact_revealed",
        "attachment.downloaded",
    ):
        assert action in stored


def test_the_case_page_is_valid_html_in_every_state(app, case, clock):
    from tests.conftest import require
    from tests.support import nu

    require(nu.java() is not None, "java not found (apt-get install openjdk-17-jre-headless)")
    require(nu.jar() is not None, "vnu.jar not found (pip install -r requirements-dev.txt)")
    client = signed_in(app, case, "reviewer", clock, "kk")
    post(client, case, "messages", {"body": "Сұрақ"}, lang="kk")
    post(client, case, "tags", {"tag": "камера"}, lang="kk")
    post(client, case, "notes", {"note": "Ішкі жазба"}, lang="kk")
    pages = {
        "plain": client.get(page(case, lang="kk")).get_data(as_text=True),
        "refused": post(client, case, "status", {"status": "closed"}, lang="kk").get_data(
            as_text=True
        ),
        "contact": post(
            client, case, "contact", {"reason": "Куәгермен байланысу керек"}, lang="kk"
        ).get_data(as_text=True),
    }
    coordinator = signed_in(app, case, "coordinator", clock, "ru")
    pages["coordinator"] = coordinator.get(page(case)).get_data(as_text=True)
    checked = nu.check(pages)
    problems = [f"{name}: {m}" for name, found in checked.items() for m in found]
    assert problems == [], "\n".join(problems)
