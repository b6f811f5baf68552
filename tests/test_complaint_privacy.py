"""The canary: a complainant's address, browser and contact end up nowhere in clear.

A complaint is filed with a distinctive client address, user agent and contact;
none of them may appear in any log record, in the database files or rows, or in
the search index. Contact keys can be rotated without losing a contact.
"""

from __future__ import annotations

import http.cookiejar
import logging
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text

from portal.complaints.crypto import decrypt_contact, encrypt_contact, rotate_contacts
from portal.models import Complaint
from portal.privacy import ClientPrivacyFilter
from portal.security.keys import contact_keys
from tests import factories
from tests.support.browser import LiveServer
from tests.test_complaints import open_form, receipt_code, submit

ADDRESS = "203.0.113.77"
AGENT = "CanaryBrowser/9.9 (ashyq-canary-agent)"
CONTACT = "canary-contact-5551234@example.kz"


@pytest.fixture
def place(regions):
    facility = factories.facility(regions, region=factories.region(regions))
    regions.commit()
    return {"facility_id": facility.id, "region_id": facility.region_id}


def _leaks(haystack: str) -> list[str]:
    return [needle for needle in (ADDRESS, AGENT, CONTACT) if needle in haystack]


def _record_text(record: logging.LogRecord) -> str:
    return " ".join([record.getMessage(), repr(record.args), repr(vars(record))])


def _database_text(app, backend: str, db) -> str:
    """Everything the database holds: the SQLite files' bytes, or every PostgreSQL row."""
    if backend == "sqlite":
        path = Path(app.config["DATABASE_URL"].split("///", 1)[1])
        return "".join(
            file.read_bytes().decode("utf-8", "replace")
            for file in path.parent.iterdir()
            if file.name.startswith(path.name)
        )
    rows = []
    for table in inspect(db.get_bind()).get_table_names():
        query = text(f'SELECT row_to_json(t)::text FROM "{table}" t')  # noqa: S608 - our own tables
        rows += db.execute(query).scalars().all()
    return "\n".join(rows)


def test_the_canary_leaves_no_trace(app, backend, client, db, place, caplog):
    caplog.set_level(logging.DEBUG)
    environ = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT}
    client.environ_base.update(environ)
    tokens = open_form(client, "ru")
    response = submit(client, place, "ru", tokens=tokens, contact=CONTACT, environ=environ)
    code = receipt_code(response)
    assert code
    client.post("/ru/follow-up", data={"csrf_token": tokens["csrf_token"], "code": code})
    client.post(
        "/ru/follow-up/reply",
        data={"csrf_token": tokens["csrf_token"], "body": "Ещё одна деталь."},
        content_type="multipart/form-data",
    )

    for record in caplog.records:
        assert _leaks(_record_text(record)) == [], record.name
    db.expire_all()
    complaint = db.scalars(select(Complaint)).one()
    assert decrypt_contact(complaint.contact_encrypted) == CONTACT
    assert _leaks(_database_text(app, backend, db)) == []
    index = Path(app.config["INDEX_DIR"])
    assert index.is_dir() and any(index.iterdir())  # catch-up ran
    for file in index.rglob("*"):
        if file.is_file():
            assert _leaks(file.read_bytes().decode("utf-8", "replace")) == [], file.name


@pytest.mark.parametrize(
    "backend", ["sqlite"], indirect=True
)  # the access log does not depend on the database
def test_the_development_server_access_log_has_no_address_or_agent(app, backend, place, caplog):
    caplog.set_level(logging.DEBUG)
    server = LiveServer(app).start()
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        opener.addheaders = [("User-Agent", AGENT)]
        html = opener.open(server.url + "/ru/report").read().decode("utf-8")
        fields = dict(re.findall(r'name="(csrf_token|submission)" value="([^"]+)"', html))
        fields.update(
            region=str(place["region_id"]),
            facility=str(place["facility_id"]),
            date_kind="exact",
            incident_date="2025-02-02",
            categories="threats",
            narrative="Угрожали в дежурной части, камера была выключена.",
            relation="witness",
            contact=CONTACT,
            reply_language="ru",
            consent="y",
        )
        body = urllib.parse.urlencode(fields).encode("ascii")
        page = opener.open(server.url + "/ru/report", data=body).read().decode("utf-8")
        assert "receipt-code" in page
    finally:
        server.stop()
    access = [record for record in caplog.records if record.name == "werkzeug"]
    assert access, "the development server wrote no access log"
    for record in access:
        message = record.getMessage()
        assert "127.0.0.1" not in message and AGENT not in message and CONTACT not in message
    for record in caplog.records:
        assert AGENT not in _record_text(record) and CONTACT not in _record_text(record)


def test_the_filter_blanks_gunicorn_atoms():
    atoms = {"h": ADDRESS, "a": AGENT, "r": "POST /ru/report HTTP/1.1", "s": "200"}
    atoms["{x-forwarded-for}i"] = ADDRESS
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, '%(h)s "%(r)s" %(s)s "%(a)s"', (atoms,), None
    )
    assert ClientPrivacyFilter().filter(record)
    message = record.getMessage()
    assert _leaks(message) == [] and "POST /ru/report" in message
    error = logging.LogRecord(
        "gunicorn.error",
        logging.WARNING,
        __file__,
        1,
        "Invalid request from ip=%s",
        (ADDRESS,),
        None,
    )
    ClientPrivacyFilter().filter(error)
    assert ADDRESS not in error.getMessage()


def test_the_gunicorn_config_logs_no_address_or_agent():
    settings: dict = {}
    source = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"
    exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), settings)  # noqa: S102
    assert "%(h)s" not in settings["access_log_format"]
    assert "%(a)s" not in settings["access_log_format"]
    assert settings["workers"] == 1 and settings["threads"] > 1


def test_contact_keys_rotate_without_losing_contacts(app, db):
    with app.test_request_context():
        old_token, old_id = encrypt_contact(CONTACT)
        item = factories.complaint(db, contact_encrypted=old_token, contact_key_id=old_id)
        db.commit()
        app.config["CONTACT_KEY"] = "brand-new-key," + app.config["CONTACT_KEY"]
        newest = contact_keys()[0].key_id
        assert newest != old_id
        assert decrypt_contact(item.contact_encrypted) == CONTACT  # older keys still decrypt
        assert rotate_contacts(db) == 1
        db.commit()
        db.expire_all()
        rotated = db.get(Complaint, item.id)
        assert rotated.contact_key_id == newest and rotated.contact_encrypted != old_token
        app.config["CONTACT_KEY"] = "brand-new-key"  # the old key is gone
        assert decrypt_contact(rotated.contact_encrypted) == CONTACT
        assert rotate_contacts(db) == 0


def test_the_rotate_command(app, runner):
    result = runner.invoke(args=["rotate-contact-key"])
    assert result.exit_code == 0 and "0 contacts re-encrypted" in result.output
