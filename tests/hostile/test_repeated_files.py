"""Refused files are not free to send again and again: cleaning them has a cost."""

from __future__ import annotations

import io

from limits import parse

from portal.security import limits
from tests.test_complaints import receipt_code, submit


def not_a_photo() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"<html><script>alert(1)</script></html>"), "photo.jpg"


def test_submissions_with_files_have_an_allowance_of_their_own(
    app_factory, regions_free_place, monkeypatch
):
    monkeypatch.setitem(limits.LIMITS, "files", parse("2 per hour"))
    app, place = regions_free_place(app_factory, RATELIMIT_ENABLED=True)
    client = app.test_client()
    for _ in range(2):  # refused files: the report allowance is untouched, the files one is not
        assert submit(client, place, "ru", files=[not_a_photo()]).status_code == 422
    narrative = "Третья попытка с файлом: текст должен остаться в форме."
    refused = submit(client, place, "ru", files=[not_a_photo()], narrative=narrative)
    assert refused.status_code == 429
    assert narrative in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) >= 1
    # the same person can still send the report without files
    assert receipt_code(submit(client, place, "ru")) is not None
