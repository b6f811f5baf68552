"""A citizen reports an incident: the form, its checks, the receipt, and abuse control."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.complaints import receipts, services
from portal.complaints.crypto import decrypt_contact
from portal.complaints.sanitize import clean_text
from portal.models import (
    Attachment,
    Category,
    Complaint,
    DatePrecision,
    IndexTask,
    Relation,
    Status,
)
from tests.conftest import require

BLNS = Path(__file__).resolve().parents[2] / "shared" / "qa-data" / "blns.txt"
RECEIPT = re.compile(r'id="receipt-code">(\d{4} \d{4} \d{4} \d{4})<')


# --- helpers ---------------------------------------------------------------------------------


def jpeg(colour: str = "red") -> io.BytesIO:
    """A small real JPEG, as a phone would send."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def open_form(client, lang: str = "kk") -> dict:
    """GET the form and return the CSRF and submission tokens it carries."""
    response = client.get(f"/{lang}/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return {"csrf_token": hidden(html, "csrf_token"), "submission": hidden(html, "submission")}


def answers(place, **changes) -> dict:
    """A complete, valid set of answers for ``place`` (a facility row)."""
    data = {
        "region": str(place["region_id"]),
        "facility": str(place["facility_id"]),
        "date_kind": "exact",
        "incident_date": "2026-01-05",
        "categories": ["torture", "camera_issue"],
        "narrative": "Кезекші бөлімде мені ұрды, бейнекамера сөндірулі болды.",
        "camera_present": "yes",
        "camera_working": "no",
        "out_of_view": "dont_know",
        "relation": "self",
        "contact": "",
        "reply_language": "kk",
        "consent": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, place, lang="kk", tokens=None, files=(), environ=None, **changes):
    tokens = tokens or open_form(client, lang)
    data = {**tokens, **answers(place, **changes)}
    if files:
        data["attachments"] = [(buffer, name) for buffer, name in files]
    return client.post(
        f"/{lang}/report",
        data=data,
        content_type="multipart/form-data",
        environ_base=environ or {},
    )


def receipt_code(response) -> str | None:
    found = RECEIPT.search(response.get_data(as_text=True))
    return found.group(1).replace(" ", "") if found else None


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


# --- filing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "heading", "code_label"),
    [
        ("kk", "Шағымыңыз қабылданды", "Сіздің түбіртек кодыңыз"),
        ("ru", "Ваше обращение получено", "Ваш код квитанции"),
    ],
)
def test_a_citizen_files_a_complaint_with_a_photo(client, db, place, lang, heading, code_label):
    response = submit(
        client,
        place,
        lang,
        files=[(jpeg(), "photo.jpg")],
        contact="+7 701 123 45 67",
        reply_language="ru",
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert heading in html and code_label in html
    assert (
        "кодты ешкімге көрсетпеңіз" in html if lang == "kk" else "никому его не показывайте" in html
    )
    code = receipt_code(response)
    assert code is not None and len(code) == 16

    complaint = db.scalars(select(Complaint)).one()
    assert complaint.language == lang
    assert complaint.reference.startswith("AB-") and len(complaint.reference) == 9
    assert complaint.status is Status.NEW
    assert complaint.relation is Relation.SELF
    assert set(complaint.category_values) == {Category.TORTURE, Category.CAMERA_ISSUE}
    assert [(c.old_status, c.new_status) for c in complaint.status_changes] == [(None, Status.NEW)]
    assert complaint.incident_date_precision is DatePrecision.DAY
    assert complaint.incident_date.isoformat() == "2026-01-05"
    assert b"+7 701" not in complaint.contact_encrypted
    assert decrypt_contact(complaint.contact_encrypted) == "+7 701 123 45 67"
    assert complaint.reply_language == "ru"
    assert code not in complaint.receipt_hash and complaint.receipt_hash.startswith("$argon2id$")
    assert receipts.verify_code(complaint.receipt_hash, code)
    assert complaint.receipt_lookup in receipts.lookup_digests(code)
    attachment = db.scalars(select(Attachment)).one()
    assert attachment.media_type == "image/jpeg" and attachment.message_id is None


def test_the_form_is_complete_without_javascript(client, place):
    html = client.get("/ru/report").get_data(as_text=True)
    assert "Сообщить о происшествии" in html
    assert '<optgroup label="' in html and f'data-region="{place["region_id"]}"' in html
    assert 'value="other"' in html and "Не знаю / другое место" in html
    for name in ("camera_present", "camera_working", "out_of_view", "relation"):
        assert f'name="{name}"' in html
    assert 'type="file" id="attachments" name="attachments" multiple' in html
    assert 'class="hp-field" aria-hidden="true"' in html and 'tabindex="-1"' in html
    assert "730 дней после закрытия" in html  # retention in the consent text
    assert re.search(r'<label for="contact">', html)


def test_a_broken_index_never_blocks_a_complaint(app_factory, regions_free_place):
    app, place = regions_free_place(app_factory, INDEX_DIR="/dev/null/not-a-folder")
    client = app.test_client()
    response = submit(client, place)
    assert receipt_code(response)
    from portal.db import session

    with app.app_context():
        assert count(session, Complaint) == 1
        assert count(session, IndexTask) == 1  # still queued for a later catch-up


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "too_short", "choose"),
    [
        ("kk", "Кемінде 20, ең көбі 10000 таңба жазыңыз", "Жауаптардың бірін таңдаңыз"),
        ("ru", "Напишите от 20 до 10000 символов", "Выберите один из ответов"),
    ],
)
def test_errors_are_translated_and_keep_what_was_typed(client, db, place, lang, too_short, choose):
    response = submit(
        client,
        place,
        lang,
        files=[(jpeg(), "photo.jpg")],
        narrative="Қысқа <b>мәтін</b>",
        relation=None,
        contact="telegram @anon_kz",
        place_text="Ескі ғимарат, 3-қабат",
        consent=None,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert too_short in html and choose in html
    assert "Қысқа мәтін" in html  # kept, and cleaned of markup
    assert 'value="telegram @anon_kz"' in html
    assert 'value="Ескі ғимарат, 3-қабат"' in html
    assert 'id="error-summary"' in html and 'href="#narrative"' in html
    assert 'href="#relation-0"' in html and 'href="#consent"' in html
    assert 'aria-describedby="narrative-hint narrative-error" aria-invalid="true"' in html
    assert 'id="attachments-dropped"' in html  # files cannot be re-filled: we say so
    assert 'value="torture" checked' in html
    assert count(db, Complaint) == 0 and count(db, Attachment) == 0


def test_the_facility_must_be_in_the_chosen_region(client, db, place):
    response = submit(client, place, "ru", region=str(place["other_region_id"]))
    assert response.status_code == 422
    assert "Это учреждение находится не в выбранном вами регионе" in response.get_data(as_text=True)
    assert count(db, Complaint) == 0


def test_another_place_with_free_text(client, db, place):
    response = submit(client, place, facility="other", place_text="Көлікте, жол бойында")
    assert receipt_code(response)
    complaint = db.scalars(select(Complaint)).one()
    assert complaint.facility_id is None and complaint.place_text == "Көлікте, жол бойында"
    assert complaint.region_id == place["region_id"]


def test_an_approximate_date_is_stored_as_the_month(client, db, place):
    response = submit(
        client,
        place,
        date_kind="approximate",
        incident_date="",
        incident_month="3",
        incident_year="2025",
    )
    assert receipt_code(response)
    complaint = db.scalars(select(Complaint)).one()
    assert complaint.incident_date.isoformat() == "2025-03-01"
    assert complaint.incident_date_precision is DatePrecision.MONTH


@pytest.mark.parametrize(
    "changes",
    [
        {"incident_date": "2099-01-01"},
        {"incident_date": "not a date"},
        {"date_kind": "approximate", "incident_month": "", "incident_year": "2025"},
        {"categories": ["no-such-category"]},
        {"facility": ""},
        {"region": "999999"},
        {"narrative": "x" * 10_001},
        {"place_text": "x" * 301},
        {"contact": "x" * 201},
    ],
)
def test_limits_and_bad_values_are_refused_with_a_message(client, db, place, changes):
    response = submit(client, place, "ru", **changes)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert count(db, Complaint) == 0


def test_a_day_month_year_date_is_understood(client, db, place):
    assert receipt_code(submit(client, place, incident_date="17.05.2025"))
    assert db.scalars(select(Complaint)).one().incident_date.isoformat() == "2025-05-17"


def test_a_file_that_is_not_a_photo_is_refused_at_the_field(client, db, app, place):
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    response = submit(client, place, "ru", files=[(jpeg(), "ok.jpg"), (fake, "photo.jpg")])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="attachments-error"' in html
    assert count(db, Complaint) == 0
    folder = Path(app.instance_path) / "attachments"
    assert not folder.exists() or list(folder.iterdir()) == []


def test_too_many_files_are_refused(client, db, place):
    from portal import files as attachments

    files = [(jpeg(), f"{n}.jpg") for n in range(attachments.MAX_FILES + 1)]
    response = submit(client, place, files=files)
    assert response.status_code == 422 and 'id="attachments-error"' in response.get_data(
        as_text=True
    )
    assert count(db, Complaint) == 0


def test_stored_files_are_removed_when_the_transaction_fails(client, db, app, place, monkeypatch):
    from sqlalchemy.orm import Session

    tokens = open_form(client)

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Session, "commit", broken)  # the unit of work's one commit fails
    with pytest.raises(RuntimeError):
        submit(client, place, tokens=tokens, files=[(jpeg(), "a.jpg"), (jpeg("blue"), "b.jpg")])
    monkeypatch.undo()
    folder = Path(app.instance_path) / "attachments"
    assert [path for path in folder.iterdir() if not path.name.startswith(".")] == []
    assert count(db, Complaint) == 0


# --- resubmission ----------------------------------------------------------------------------


def test_a_resubmission_files_once_and_shows_the_same_code(client, db, place):
    tokens = open_form(client)
    first = submit(client, place, tokens=tokens, files=[(jpeg(), "a.jpg")])
    again = submit(client, place, tokens=tokens, files=[(jpeg(), "a.jpg")])
    assert receipt_code(first) == receipt_code(again) is not None
    assert "екінші рет тіркелмеді" in again.get_data(as_text=True)
    assert count(db, Complaint) == 1 and count(db, Attachment) == 1
    # another filling of the form is another complaint
    other = submit(client, place)
    assert receipt_code(other) not in (None, receipt_code(first))
    assert count(db, Complaint) == 2


def test_after_15_minutes_a_resubmission_does_not_show_the_code(client, db, place, monkeypatch):
    tokens = open_form(client, "ru")
    code = receipt_code(submit(client, place, "ru", tokens=tokens))
    later = services.now() + timedelta(minutes=16)
    monkeypatch.setattr(services, "now", lambda: later)
    again = submit(client, place, "ru", tokens=tokens)
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and again.headers["Cache-Control"] == "no-store"
    assert "Ваше обращение уже получено" in html
    assert code not in html.replace(" ", "") and receipt_code(again) is None
    assert count(db, Complaint) == 1


def test_a_tampered_submission_token_gets_a_fresh_one(client, db, place):
    tokens = open_form(client)
    response = submit(client, place, tokens={**tokens, "submission": "../../etc"})
    assert response.status_code == 422
    assert receipts.is_submission_token(hidden(response.get_data(as_text=True), "submission"))
    assert count(db, Complaint) == 0


# --- the receipt file ------------------------------------------------------------------------


def test_the_receipt_downloads_as_a_text_file(client, place):
    tokens = open_form(client)
    code = receipt_code(submit(client, place, tokens=tokens))
    response = client.post(
        "/kk/report/receipt", data={"csrf_token": tokens["csrf_token"], "code": code}
    )
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert receipts.grouped(code) in text and "/kk/follow-up" in text
    assert (
        client.post("/kk/report/receipt", data={"csrf_token": tokens["csrf_token"]}).status_code
        == 400
    )


# --- abuse control ---------------------------------------------------------------------------


def test_the_honeypot_answers_400_and_stores_nothing(client, db, place):
    response = submit(client, place, "kk", website="http://spam.example")
    assert response.status_code == 400
    assert "Сұрауды өңдеу мүмкін болмады" in response.get_data(as_text=True)
    assert count(db, Complaint) == 0


def test_only_filed_reports_count_and_the_eleventh_keeps_its_text(app_factory, regions_free_place):
    app, place = regions_free_place(app_factory, RATELIMIT_ENABLED=True)
    client = app.test_client()
    for _ in range(5):  # reading the form is never limited
        assert client.get("/ru/report").status_code == 200
    tokens = open_form(client, "ru")
    for _ in range(12):  # forms sent back for corrections use up nothing
        assert submit(client, place, "ru", tokens=tokens, narrative="short").status_code == 422
    for _ in range(10):
        assert receipt_code(submit(client, place, "ru")) is not None
    narrative = "Одиннадцатое обращение за час: этот текст должен остаться в форме."
    refused = submit(client, place, "ru", narrative=narrative)
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert narrative in html and "сохранён ниже" in html
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert refused.headers["Cache-Control"] == "no-store"
    # another client (another address) is counted apart
    other = app.test_client()
    assert submit(other, place, "ru", environ={"REMOTE_ADDR": "198.51.100.9"}).status_code == 200


def test_the_rate_limit_key_is_not_the_address(app):
    from portal.security.limits import client_key

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.5"}):
        key = client_key()
    assert "203.0.113.5" not in key and len(key) == 64


# --- the sanitiser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert(1)</script>Ұрды", "alert(1)Ұрды"),
        ("<b>bold</b> and <i>it</i>", "bold and it"),
        ("&lt;img src=x onerror=alert(1)&gt;text", "text"),
        ("a\x00b\x07c\x1bd", "abcd"),
        ("line one\r\nline two\tend", "line one\nline two\tend"),
        ("e\u0301", "é"),  # NFC: e + combining acute → é
        ("Қ\u0306", "Қ̆"),
        ("Tom & Jerry < 3", "Tom & Jerry < 3"),
        ("  spaced  ", "spaced"),
        ("<!-- hidden -->shown", "shown"),
    ],
)
def test_the_sanitiser(typed, stored):
    assert clean_text(typed) == stored
    assert clean_text(stored) == stored  # cleaning twice changes nothing
    assert clean_text(None) is None


def test_the_sanitiser_composes_to_nfc():
    import unicodedata

    cleaned = clean_text("Қазақстан e\u0301 \u0418\u0306")
    assert unicodedata.is_normalized("NFC", cleaned)
    assert "\u0419" in cleaned  # И + breve → Й


# --- hostile strings -------------------------------------------------------------------------


def _blns() -> list[str]:
    require(BLNS.exists(), f"{BLNS} not found (shared/ must sit beside the repo)")
    # split on "\n" only: some strings hold other line separators (U+2028, \x0b…)
    lines = BLNS.read_bytes().decode("utf-8").split("\n")
    return [line for line in lines if line.strip() and not line.startswith("#")]


UNSAFE = re.compile(r"<\s*(script|img)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "backend", ["sqlite"], indirect=True
)  # the fuzz run is about the web layer; SQLite is enough and fast
def test_hostile_strings_never_break_or_escape_the_pages(backend, client, db, place):
    strings = _blns()
    assert len(strings) == 515
    tokens = open_form(client, "ru")
    for index, hostile in enumerate(strings):
        # every text field at once; every tenth form is complete, so those are stored too
        fields = {
            "narrative": (hostile + " " + "x" * 20)[:10_000],
            "place_text": hostile,
            "contact": hostile,
            "incident_date": hostile if index % 10 else "2025-01-01",
            "consent": "y" if index % 10 == 0 else None,
        }
        own = {**tokens, "submission": receipts.new_submission_token()}
        response = submit(client, place, "ru", tokens=own, **fields)
        assert response.status_code < 500, hostile
        html = response.get_data(as_text=True)
        assert not UNSAFE.search(html.replace('<script src="/static/js/report.js"', "")), hostile
    # the follow-up reply: one complaint, every string as a message
    response = submit(client, place, "ru")
    code = receipt_code(response)
    client.post("/ru/follow-up", data={"csrf_token": tokens["csrf_token"], "code": code})
    for hostile in strings[::3]:
        reply = client.post(
            "/ru/follow-up/reply",
            data={"csrf_token": tokens["csrf_token"], "body": hostile},
            content_type="multipart/form-data",
        )
        assert reply.status_code in (303, 422), hostile
    page = client.get("/ru/follow-up").get_data(as_text=True)
    assert not UNSAFE.search(page)
    # hostile text was stored cleaned: no markup, no NUL
    for body in db.scalars(select(Complaint.narrative)):
        assert "\x00" not in body and not UNSAFE.search(body)


def test_complaints_filed_while_the_index_is_gone_or_locked_reach_it_after_catch_up(
    app_factory, regions_free_place
):
    """The issue's durability promise, end to end through the form and the CLI."""
    import shutil

    from whoosh import index as whoosh_index
    from whoosh.query import Every

    from portal.db import session

    app, place = regions_free_place(app_factory)
    client = app.test_client()
    folder = Path(app.config["INDEX_DIR"])
    assert receipt_code(submit(client, place))  # creates the index
    shutil.rmtree(folder)  # the index folder disappears
    assert receipt_code(submit(client, place))
    folder.mkdir(parents=True, exist_ok=True)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    held = whoosh_index.open_dir(str(folder)).writer()  # someone holds the index lock
    try:
        assert receipt_code(submit(client, place))
    finally:
        held.cancel()
    with app.app_context():
        assert count(session, Complaint) == 3
    result = runner.invoke(args=["search", "catch-up"])
    assert result.exit_code == 0, result.output
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        indexed = {hit["id"] for hit in searcher.search(Every(), limit=None)}
    ix.close()
    with app.app_context():
        assert indexed == {str(i) for i in session.scalars(select(Complaint.id))}
        assert count(session, IndexTask) == 0
