"""A citizen comes back with the receipt code: status, history, questions, answers, files."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from portal.complaints import receipts, services
from portal.models import Attachment, Message, MessageDirection, Status
from tests import factories

CODE = "4021837465019283"


def jpeg() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def complaint(db):
    """A complaint with receipt ``CODE``, two status steps and a reviewer's question."""
    item = factories.complaint(
        db,
        receipt_hash=receipts.hash_code(CODE),
        receipt_lookup=receipts.lookup_digests(CODE)[0],
        status=Status.IN_REVIEW,
    )
    factories.status_change(db, complaint=item, old_status=None, new_status=Status.NEW)
    factories.status_change(db, complaint=item, old_status=Status.NEW, new_status=Status.IN_REVIEW)
    factories.message(db, complaint=item, body="Камера қай жерде тұрды? <b>нақтылаңыз</b>")
    db.commit()
    return item


def csrf(client, lang="kk") -> str:
    html = client.get(f"/{lang}/follow-up").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def enter(client, code, lang="kk", token=None):
    return client.post(
        f"/{lang}/follow-up", data={"csrf_token": token or csrf(client, lang), "code": code}
    )


@pytest.mark.parametrize(
    ("lang", "status", "question"),
    [("kk", "Қаралуда", "Шағымдарды қараушының сұрағы"), ("ru", "На рассмотрении", "Вопрос")],
)
def test_the_right_code_shows_status_history_and_questions(
    client, complaint, lang, status, question
):
    response = enter(client, "4021 8374-6501 9283", lang)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/{lang}/follow-up")
    page = client.get(f"/{lang}/follow-up")
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert status in html and question in html
    assert html.count('<li><time datetime="') == 2  # the status history
    assert "Камера қай жерде тұрды? &lt;b&gt;нақтылаңыз&lt;/b&gt;" in html  # escaped on output
    assert CODE not in html


def test_every_wrong_code_gets_the_same_answer(client, complaint):
    token = csrf(client, "ru")
    answers = set()
    for wrong in ("4021837465019284", "0000 0000 0000 0000", "12", "abc-def", "٤٠٢١٨٣٧٤٦٥٠١٩٢٨٤"):
        response = enter(client, wrong, "ru", token)
        assert response.status_code == 422
        assert response.headers["Cache-Control"] == "no-store"
        answers.add(response.get_data(as_text=True))
    assert len(answers) == 1
    html = answers.pop()
    assert "Такой код не найден" in html and 'value=""' in html  # the code is never echoed
    assert client.get("/ru/follow-up").get_data(as_text=True).count("Такой код не найден") == 0


def test_a_reply_with_a_message_and_a_file(client, db, complaint):
    token = csrf(client)
    enter(client, CODE, token=token)
    response = client.post(
        "/kk/follow-up/reply",
        data={
            "csrf_token": token,
            "body": "Камера есіктің үстінде еді.\r\nБірақ шамы жанбады.",
            "attachments": [(jpeg(), "door.jpg")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    db.expire_all()
    message = db.scalars(
        select(Message).where(Message.direction == MessageDirection.FROM_COMPLAINANT)
    ).one()
    assert message.body == "Камера есіктің үстінде еді.\nБірақ шамы жанбады."
    assert message.complaint_id == complaint.id
    attachment = db.scalars(select(Attachment)).one()
    assert attachment.message_id == message.id and attachment.complaint_id == complaint.id
    html = client.get("/kk/follow-up").get_data(as_text=True)
    assert "Хабарламаңыз жіберілді" in html and "Бірақ шамы жанбады" in html


def test_an_empty_reply_is_refused_at_the_field(client, db, complaint):
    token = csrf(client, "ru")
    enter(client, CODE, "ru", token)
    response = client.post(
        "/ru/follow-up/reply",
        data={"csrf_token": token, "body": "  "},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Напишите сообщение" in response.get_data(as_text=True)
    db.expire_all()
    assert db.scalars(select(Message).where(Message.direction == "from_complainant")).all() == []


def test_a_reply_needs_the_session(client, db, complaint):
    token = csrf(client)
    response = client.post(
        "/kk/follow-up/reply",
        data={"csrf_token": token, "body": "hello there"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    db.expire_all()
    assert len(db.scalars(select(Message)).all()) == 1  # only the reviewer's question


def test_the_session_expires_after_30_minutes(client, complaint, monkeypatch):
    enter(client, CODE)
    assert "Қаралуда" in client.get("/kk/follow-up").get_data(as_text=True)
    later = services.now() + timedelta(minutes=31)
    monkeypatch.setattr(services, "now", lambda: later)
    html = client.get("/kk/follow-up").get_data(as_text=True)
    assert "Қаралуда" not in html and 'name="code"' in html


def test_the_session_keeps_only_the_id_and_expiry(client, complaint):
    enter(client, CODE)
    with client.session_transaction() as state:
        assert set(state["follow_up"]) == {"id", "until"}
        assert CODE not in repr(dict(state))


def test_leaving_forgets_the_complaint(client, complaint):
    token = csrf(client, "ru")
    enter(client, CODE, "ru", token)
    response = client.post("/ru/follow-up/leave", data={"csrf_token": token})
    assert response.status_code == 303
    html = client.get("/ru/follow-up").get_data(as_text=True)
    assert "Вы покинули страницу своего обращения" in html and 'name="code"' in html
    assert "На рассмотрении" not in html


def test_code_attempts_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True)
    client = app.test_client()
    token = csrf(client, "ru")
    for _ in range(10):
        assert enter(client, "1111 2222 3333 4444", "ru", token).status_code == 422
    refused = enter(client, "1111 2222 3333 4444", "ru", token)
    assert refused.status_code == 429
    assert "Слишком много запросов" in refused.get_data(as_text=True)
    assert client.get("/ru/follow-up").status_code == 200  # reading the page is not limited
