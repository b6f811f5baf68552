"""A citizen comes back with the receipt code: status, history, questions, answers, files."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zlib
from datetime import timedelta

import pytest
from itsdangerous import base64_decode
from PIL import Image
from sqlalchemy import delete, select

from portal.complaints import follow_sessions, receipts, services
from portal.models import (
    Attachment,
    Complaint,
    FollowUpSession,
    Message,
    MessageDirection,
    Status,
)
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
    [
        ("kk", "Қаралуда", "Шағымдар жөніндегі маманның сұрағы"),
        ("ru", "На рассмотрении", "Вопрос специалиста по жалобам"),
    ],
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


# --- follow-up sessions live on the server ---------------------------------------------------


class Clock:
    """Replaces ``services.now`` with a clock that tests move by hand."""

    def __init__(self, monkeypatch) -> None:
        self.moment = services.now()
        monkeypatch.setattr(services, "now", lambda: self.moment)

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def session_cookie(app, client) -> str:
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def copy_cookie(app, source, target) -> None:
    """Give ``target`` a copy of ``source``'s session cookie, as someone with the phone could."""
    target.set_cookie(app.config["SESSION_COOKIE_NAME"], session_cookie(app, source))


def cookie_payload(app, client) -> str:
    """What anyone can read in the session cookie without the secret key."""
    value = session_cookie(app, client)
    compressed = value.startswith(".")
    data = base64_decode(value.lstrip(".").split(".")[0])
    return (zlib.decompress(data) if compressed else data).decode("utf-8")


def cookie_token(client) -> str:
    with client.session_transaction() as state:
        return state["follow_up"]


def is_open(client, lang="kk") -> bool:
    html = client.get(f"/{lang}/follow-up").get_data(as_text=True)
    assert ("Қаралуда" in html) != ('name="code"' in html)
    return "Қаралуда" in html


def stored_sessions(db) -> list[FollowUpSession]:
    db.expire_all()
    return list(db.scalars(select(FollowUpSession)))


def test_a_cookie_copied_before_leaving_no_longer_opens_the_complaint(app, client, complaint):
    token = csrf(client)
    enter(client, CODE, token=token)
    copy = app.test_client()
    copy_cookie(app, client, copy)
    assert is_open(copy)
    assert client.post("/kk/follow-up/leave", data={"csrf_token": token}).status_code == 303
    assert not is_open(copy)
    assert not is_open(client)


def test_leaving_deletes_the_session_on_the_server(client, db, complaint):
    token = csrf(client)
    enter(client, CODE, token=token)
    assert len(stored_sessions(db)) == 1
    client.post("/kk/follow-up/leave", data={"csrf_token": token})
    assert stored_sessions(db) == []


def test_the_cookie_holds_no_readable_complaint_id(app, client, complaint):
    enter(client, CODE)
    payload = cookie_payload(app, client)
    state = json.loads(payload)
    assert isinstance(state["follow_up"], str) and len(state["follow_up"]) == 43
    assert '"id"' not in payload and '"until"' not in payload
    assert CODE not in payload and complaint.reference not in payload


def test_the_server_keeps_only_a_hash_of_the_token_and_no_browser_details(client, db, complaint):
    enter(client, CODE)
    token = cookie_token(client)
    [row] = stored_sessions(db)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.complaint_id == complaint.id
    columns = {column.name for column in FollowUpSession.__table__.columns}
    assert columns == {"id", "token_hash", "complaint_id", "created_at", "last_seen_at"}


def test_an_old_style_cookie_with_a_complaint_id_opens_nothing(client, complaint):
    far = int((services.now() + timedelta(days=1)).timestamp())
    with client.session_transaction() as state:
        state["follow_up"] = {"id": complaint.id, "until": far}
    assert not is_open(client)


def test_idle_sessions_end_after_30_minutes_and_are_deleted(client, db, complaint, clock):
    enter(client, CODE)
    assert len(stored_sessions(db)) == 1
    clock.advance(minutes=20)
    assert is_open(client)
    clock.advance(minutes=29)  # 49 minutes after entering, 29 after the last activity
    assert is_open(client)
    clock.advance(minutes=30)
    assert not is_open(client)
    assert stored_sessions(db) == []


def test_activity_does_not_extend_the_session_past_two_hours(app, client, db, complaint, clock):
    enter(client, CODE)
    copy = app.test_client()
    copy_cookie(app, client, copy)
    for _ in range(4):
        clock.advance(minutes=25)
        assert is_open(client)
    clock.advance(minutes=19)  # 1 h 59 min after entering
    assert is_open(client)
    clock.advance(minutes=1)
    assert not is_open(client)
    assert not is_open(copy)
    assert stored_sessions(db) == []
    enter(client, CODE)  # the code opens it again
    assert is_open(client)


def test_activity_is_written_at_most_once_a_minute(client, db, complaint, clock):
    enter(client, CODE)
    entered = clock.moment
    clock.advance(seconds=50)
    assert is_open(client)
    [row] = stored_sessions(db)
    assert row.last_seen_at == entered
    clock.advance(seconds=20)
    assert is_open(client)
    [row] = stored_sessions(db)
    assert row.last_seen_at == entered + timedelta(seconds=70)
    assert row.created_at == entered


def test_entering_the_code_again_rotates_the_token(app, client, db, complaint):
    token = csrf(client)
    enter(client, CODE, token=token)
    planted = cookie_token(client)
    copy = app.test_client()
    copy_cookie(app, client, copy)
    enter(client, CODE, token=token)
    assert cookie_token(client) != planted
    assert is_open(client)
    assert not is_open(copy)
    [row] = stored_sessions(db)
    assert row.token_hash == follow_sessions.hash_token(cookie_token(client))


def test_ended_sessions_are_purged_when_a_session_starts(client, db, complaint, clock):
    moment = clock.moment
    for created, seen in [
        (moment - timedelta(minutes=40), moment - timedelta(minutes=31)),  # idle
        (moment - timedelta(hours=2, minutes=1), moment - timedelta(minutes=2)),  # too old
        (moment - timedelta(minutes=90), moment - timedelta(minutes=5)),  # live
    ]:
        db.add(
            FollowUpSession(
                token_hash=follow_sessions.hash_token(follow_sessions.new_token()),
                complaint_id=complaint.id,
                created_at=created,
                last_seen_at=seen,
            )
        )
    db.commit()
    assert follow_sessions.purge_expired(moment) == 2
    db.rollback()
    assert len(stored_sessions(db)) == 3  # purge_expired leaves the commit to its caller
    enter(client, CODE)
    remaining = stored_sessions(db)
    assert len(remaining) == 2  # the live one and the new one
    assert {row.created_at for row in remaining} == {moment - timedelta(minutes=90), moment}


def test_deleting_a_complaint_deletes_its_sessions(client, db, complaint):
    enter(client, CODE)
    assert len(stored_sessions(db)) == 1
    db.execute(delete(Complaint).where(Complaint.id == complaint.id))
    db.commit()
    assert stored_sessions(db) == []
    html = client.get("/kk/follow-up").get_data(as_text=True)
    assert 'name="code"' in html
