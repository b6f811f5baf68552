"""Text is bounded before any work: oversized fields and bodies cost little and lose nothing."""

from __future__ import annotations

import re

import bleach
import pytest
from sqlalchemy import func, select

from portal.complaints.forms import CONTACT_MAX, NARRATIVE_MAX, PLACE_MAX
from portal.forms import OTHER_FIELD_MAX, SLACK
from portal.models import Complaint
from tests.test_complaints import answers, open_form, submit

#: The probe: four text fields of about 5.5 MB each, sent url-encoded.
PROBE_FIELDS = ("narrative", "place_text", "contact", "incident_date")
PROBE_FIELD_BYTES = 5_500_000


@pytest.fixture
def cleaned_lengths(monkeypatch) -> list[int]:
    """The length of every text the sanitiser is asked to clean during the test."""
    seen: list[int] = []
    original = bleach.clean

    def recording(text, *args, **kwargs):
        seen.append(len(text))
        return original(text, *args, **kwargs)

    monkeypatch.setattr(bleach, "clean", recording)
    return seen


def textarea(html: str, name: str) -> str:
    return re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S).group(1)


def test_the_probe_body_is_refused_before_it_is_read(client, db, place, cleaned_lengths):
    tokens = open_form(client, "kk")
    fields = dict.fromkeys(PROBE_FIELDS, "ә" * (PROBE_FIELD_BYTES // 2))
    response = client.post(
        "/kk/report",
        data={**tokens, **fields},
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Жіберілген деректер тым үлкен" in page
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert cleaned_lengths == []
    assert db.scalar(select(func.count(Complaint.id))) == 0


@pytest.mark.parametrize("encoding", ["multipart/form-data", "application/x-www-form-urlencoded"])
def test_a_text_far_over_its_limit_is_cut_before_cleaning_and_explained(
    client, db, place, cleaned_lengths, encoding
):
    typed = "Камерасыз бөлмеде ұрды. " * 2000  # 48,000 characters: over twice the limit
    tokens = open_form(client, "kk")
    if encoding == "multipart/form-data":
        response = submit(client, place, "kk", tokens=tokens, narrative=typed)
    else:
        response = client.post(
            "/kk/report", data={**tokens, **answers(place, narrative=typed)}, content_type=encoding
        )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Мәтін тым ұзын: ең көбі 10000 таңба болуы керек" in page
    kept = textarea(page, "narrative")
    assert kept == typed[:NARRATIVE_MAX].strip()  # what was typed, cut to the limit
    assert max(cleaned_lengths) <= SLACK * NARRATIVE_MAX
    assert db.scalar(select(func.count(Complaint.id))) == 0


def test_a_text_a_little_over_its_limit_gets_the_usual_message_and_is_kept_whole(client, db, place):
    typed = "а" * (NARRATIVE_MAX + 50)
    response = submit(client, place, "ru", narrative=typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert textarea(page, "narrative") == typed
    assert "Напишите от 20 до 10000 символов" in page


def test_line_breaks_sent_as_cr_lf_do_not_count_twice(client, db, place):
    typed = "\r\n".join(["Камера жоқ."] * 800)  # 10,398 characters sent, 9,599 once cleaned
    assert len(typed) > NARRATIVE_MAX
    response = submit(client, place, "kk", narrative=typed)
    assert response.status_code == 200
    stored = db.scalar(select(Complaint.narrative))
    assert stored == typed.replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("field", "limit"),
    [("place_text", PLACE_MAX), ("contact", CONTACT_MAX), ("incident_date", OTHER_FIELD_MAX)],
)
def test_every_text_field_of_the_report_is_bounded(client, place, cleaned_lengths, field, limit):
    response = submit(client, place, "ru", **{field: "x" * 100_000})
    assert response.status_code == 422
    assert max(cleaned_lengths) <= SLACK * limit
    assert "x" * (limit + 1) not in response.get_data(as_text=True)


def test_the_receipt_code_field_is_bounded_before_it_is_read(client, cleaned_lengths):
    html = client.get("/ru/follow-up").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post("/ru/follow-up", data={"csrf_token": token, "code": "1" * 100_000})
    assert response.status_code == 422
    assert "Такой код не найден" in response.get_data(as_text=True)


@pytest.mark.parametrize("encoding", ["multipart/form-data", "application/x-www-form-urlencoded"])
def test_a_form_with_thousands_of_fields_gets_too_many_fields(client, encoding):
    data = {f"field{number}": "x" for number in range(3000)}
    response = client.post("/kk/report", data=data, content_type=encoding)
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Өрістер тым көп" in page
    assert "Жіберілген деректер тым үлкен" not in page


def test_a_multipart_text_part_over_its_cap_is_413_not_500(client):
    body = {"narrative": "ж" * 200_000}  # 400 KB as UTF-8: over MAX_FORM_MEMORY_SIZE
    response = client.post("/ru/report", data=body, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Отправленные данные слишком велики" in response.get_data(as_text=True)


def test_an_expired_page_shows_the_report_again_with_the_text_kept(client, db, place):
    tokens = open_form(client, "ru")
    narrative = "Меня избили в дежурной части, камера была выключена."
    response = submit(
        client, place, "ru", tokens={**tokens, "csrf_token": "expired"}, narrative=narrative
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert textarea(page, "narrative") == narrative
    assert "Срок действия формы истёк" in page
    assert db.scalar(select(func.count(Complaint.id))) == 0
    # sent again from the page it got back, the report is filed
    again = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    filed = submit(client, place, "ru", tokens={**tokens, "csrf_token": again})
    assert filed.status_code == 200
    assert db.scalar(select(func.count(Complaint.id))) == 1
