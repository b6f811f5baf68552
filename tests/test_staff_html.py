"""Every staff page is valid HTML, in kk and ru, by the Nu HTML Checker (vnu.jar).

One app with demo data and sample rows made through the real pages (a complaint
reported with an attachment and a contact, taken, tagged, annotated, asked and
answered, moved to review; a duplicate closed against it; a footage request issued,
an overdue referral, a reminder due today; a saved search) serves every staff page a
coordinator reaches, the sign-in steps on the way, and the administrator's pages, in
their ordinary states and with errors. All of them are checked in one run of the
checker per module; a last test proves that no staff page answering GET with HTML
is left out (a new page must be walked here).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import select

from portal import clock
from portal.auth import totp
from portal.casework import letters
from portal.complaints import receipts
from portal.models import Complaint, Facility, Letter, Referral, Role, Status
from tests.conftest import require
from tests.support import nu
from tests.support.demo import demo_portal
from tests.support.staff import csrf, make_staff, post_password, sign_in
from tests.test_access import staff_rules

LANGS = ("kk", "ru")
#: Staff GET pages that answer with a file, not a page: nothing to validate.
DOWNLOADS = {
    "review.attachment",
    "review.export",
    "review.statistics_csv",
    "casework.letter_download",
}
NARRATIVE = (
    "Кезекші бөлімде полицей мені дубинкамен ұрды, бейнекамера сөндірулі болды. "
    "Маған дәрігер шақырмады."
)


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


class Walk:
    """Fetches staff pages into ``found`` (name → HTML) and notes the endpoint of each."""

    def __init__(self, app: Flask, client, lang: str, found: dict, endpoints: set) -> None:
        self.app, self.client, self.lang = app, client, lang
        self.found, self.endpoints = found, endpoints

    def keep(self, name: str, response, status: int) -> str:
        assert response.status_code == status, (self.lang, name, response.status_code)
        assert response.mimetype == "text/html", name
        html = response.get_data(as_text=True)
        assert f'<html lang="{self.lang}"' in html, name
        self.found[f"{self.lang}.{name}"] = html
        return html

    def get(self, name: str, path: str, status: int = 200) -> str:
        url = f"/{self.lang}{path}"
        html = self.keep(name, self.client.get(url), status)
        if status == 200:
            adapter = self.app.url_map.bind("localhost")
            self.endpoints.add(adapter.match(url.split("?")[0], method="GET")[0])
        return html

    def post(self, name: str, path: str, data: dict, status: int = 200) -> str:
        url = f"/{self.lang}{path}"
        data = {"csrf_token": csrf(self.client, f"/{self.lang}/follow-up"), **data}
        return self.keep(name, self.client.post(url, data=data, follow_redirects=True), status)


def _ok(client, path: str, data: dict, form_page: str | None = None) -> None:
    """POST ``data`` with the CSRF token of ``form_page`` (or ``path``); it must succeed."""
    token = csrf(client, form_page or path)
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code in (200, 303), (path, response.status_code)


def _report(app: Flask) -> tuple[int, str]:
    """A citizen reports through the public form; (the complaint's id, the receipt code)."""
    from portal.db import session

    with app.app_context():
        place = session.scalars(select(Facility).order_by(Facility.id)).first()
        region, facility = place.region_id, place.id
    citizen = app.test_client()
    html = citizen.get("/kk/report").get_data(as_text=True)
    answers = {
        "csrf_token": _hidden(html, "csrf_token"),
        "submission": _hidden(html, "submission"),
        "region": str(region),
        "facility": str(facility),
        "date_kind": "exact",
        "incident_date": (clock.today() - timedelta(days=3)).isoformat(),
        "categories": ["physical_violence", "camera_issue"],
        "narrative": NARRATIVE,
        "camera_present": "yes",
        "camera_working": "no",
        "out_of_view": "dont_know",
        "relation": "self",
        "contact": "+7 700 000 00 00",
        "reply_language": "kk",
        "consent": "y",
        "attachments": [(io.BytesIO(_photo()), "photo.jpg", "image/jpeg")],
    }
    receipt = citizen.post("/kk/report", data=answers, content_type="multipart/form-data")
    code = re.search(r'id="receipt-code">([\d ]+)<', receipt.get_data(as_text=True)).group(1)
    with app.app_context():
        lookups = receipts.lookup_digests(receipts.normalise_code(code))
        complaint_id = session.scalar(
            select(Complaint.id).where(Complaint.receipt_lookup.in_(lookups))
        )
    return complaint_id, code


def _answer(app: Flask, code: str) -> None:
    """The citizen opens the follow-up page with the receipt and answers the question."""
    citizen = app.test_client()
    token = csrf(citizen, "/kk/follow-up")
    opened = citizen.post(
        "/kk/follow-up", data={"csrf_token": token, "code": code}, follow_redirects=True
    )
    assert "Бұл сағат нешеде болды?" in opened.get_data(as_text=True)  # read: marked so
    reply = citizen.post("/kk/follow-up/reply", data={"csrf_token": token, "body": "Кеш сағат 9"})
    assert reply.status_code in (200, 303)


def _work_the_case(app: Flask, client, complaint_id: int, code: str) -> dict[str, int]:
    """Everything a coordinator does on a case, through the pages; the ids of what it made."""
    from portal.db import session

    case = f"/kk/review/complaints/{complaint_id}"
    _ok(client, f"{case}/take", {}, case)
    _ok(client, f"{case}/tags", {"tag": "камера"}, case)
    _ok(client, f"{case}/notes", {"note": "Ішкі жазба: бейнежазбаны сұрау керек."}, case)
    _ok(client, f"{case}/messages", {"body": "Бұл сағат нешеде болды?"}, case)
    _ok(client, f"{case}/status", {"status": "in_review"}, case)
    _answer(app, code)
    with app.app_context():
        reference = session.get(Complaint, complaint_id).reference
        other = session.scalars(
            select(Complaint.id)
            .where(Complaint.status == Status.NEW, Complaint.id != complaint_id)
            .order_by(Complaint.id)
        ).first()
    duplicate = {"status": "closed", "closing_reason": "duplicate", "duplicate_of": reference}
    _ok(client, f"/kk/review/complaints/{other}/status", duplicate, case)

    excerpt = letters.default_excerpt(NARRATIVE)
    footage = {
        "excerpt": excerpt,
        "digest": letters.excerpt_digest(excerpt),
        "remove": [str(number) for number in range(20)],
        "zones": ["duty_intake"],
        "action": "issue",
    }
    _ok(client, f"{case}/footage-request", footage)
    today = clock.today()
    referral = {
        "recipient": "prosecutor",
        "sent_on": (today - timedelta(days=40)).isoformat(),
        "response_due": (today - timedelta(days=10)).isoformat(),
    }
    _ok(client, f"{case}/referrals", referral)
    _ok(client, f"{case}/reminder", {"remind_on": today.isoformat()})
    with app.app_context():
        referral_id = session.scalars(
            select(Referral.id).where(Referral.complaint_id == complaint_id)
        ).one()
        letter_id = session.scalars(
            select(Letter.id).where(Letter.complaint_id == complaint_id)
        ).one()
    return {"referral": referral_id, "letter": letter_id, "other": other}


def _sign_in_pages(walk: Walk, app: Flask, enrolling) -> None:
    """The sign-in steps, as each one looks (and with errors)."""
    lang = walk.lang
    walk.get("login", "/review/login")
    walk.post("login-refused", "/review/login", {"username": "nobody", "password": "x"}, 422)
    halfway = app.test_client()
    post_password(halfway, "html.halfway", lang=lang)
    Walk(app, halfway, lang, walk.found, walk.endpoints).get("login-code", "/review/login/code")
    Walk(app, halfway, lang, walk.found, walk.endpoints).post(
        "login-code-refused", "/review/login/code", {"code": "000000"}, 422
    )
    new = app.test_client()
    post_password(new, enrolling.username, lang=lang)
    enrol = Walk(app, new, lang, walk.found, walk.endpoints)
    enrol.get("login-enrol", "/review/login/enrol")
    enrol.post("login-enrol-refused", "/review/login/enrol", {"code": "12"}, 422)
    code = totp.current_code(enrolling.secret, clock.now())
    enrol.post("login-recovery-codes", "/review/login/enrol", {"code": code})


def _collect(app: Flask) -> tuple[dict[str, str], set[str]]:
    """Every staff page, in kk and ru: (name → HTML, the endpoints fetched with GET)."""
    from portal.db import session
    from portal.search import rebuild

    with app.app_context():
        coordinator = make_staff(session, "html.coordinator", Role.COORDINATOR)
        admin = make_staff(session, "html.admin", Role.ADMIN)
        make_staff(session, "html.halfway", Role.REVIEWER, regions=["almaty"])
        enrolling = {
            lang: make_staff(session, f"html.enrol.{lang}", Role.COORDINATOR, enrolled=False)
            for lang in LANGS
        }
    complaint_id, code = _report(app)
    staff = app.test_client()
    sign_in(staff, coordinator)
    made = _work_the_case(app, staff, complaint_id, code)
    with app.app_context():
        rebuild(session, app.config["INDEX_DIR"])
    admins = app.test_client()
    sign_in(admins, admin)

    found: dict[str, str] = {}
    endpoints: set[str] = set()
    for lang in LANGS:
        anonymous = Walk(app, app.test_client(), lang, found, endpoints)
        _sign_in_pages(anonymous, app, enrolling[lang])

        walk = Walk(app, staff, lang, found, endpoints)
        walk.get("workspace", "/review/")
        walk.get("search", "/review/search")
        walk.get("search-results", "/review/search?q=dubinkamen&sort=date")
        walk.get("search-facets", "/review/search?q=камера&region=almaty&status=new&sort=deadline")
        walk.get("search-page-2", "/review/search?page=2")
        walk.get("search-nothing", "/review/search?q=zzzqqqxxx")
        walk.get("search-refused", "/review/search?region=atlantis&received_from=x", 400)
        walk.post(
            "search-saved",
            "/review/searches",
            {"name": f"Дубинка {lang}", "query": "q=dubinkamen&sort=date"},
        )
        walk.post("search-save-refused", "/review/searches", {"name": "", "query": "q=x"}, 400)
        walk.get("statistics", "/review/statistics")
        walk.get("statistics-refused", "/review/statistics?since=2026-03-05&until=2026-03-01", 422)

        case = f"/review/complaints/{complaint_id}"
        walk.get("case", case)
        walk.get("case-duplicate", f"/review/complaints/{made['other']}")
        walk.post("case-status-refused", f"{case}/status", {"status": "closed"}, 422)
        walk.post("case-tag-refused", f"{case}/tags", {"tag": ""}, 422)
        walk.post("case-contact", f"{case}/contact", {"reason": "Куәгермен байланысу керек"})
        walk.get("casework", f"{case}/casework")
        walk.get("casework-footage-request", f"{case}/footage-request")
        walk.get("casework-referrals", f"{case}/referrals")
        walk.get("casework-referral", f"{case}/referrals/{made['referral']}")
        walk.get("casework-referral-letter", f"{case}/referrals/{made['referral']}/letter")
        walk.get("casework-reminder", f"{case}/reminder")
        walk.get("casework-letter", f"{case}/letters/{made['letter']}")
        walk.post("casework-referral-refused", f"{case}/referrals", {"sent_on": "x"}, 422)

        administration = Walk(app, admins, lang, found, endpoints)
        administration.get("admin", "/admin/")
        administration.get("admin-audit", "/admin/audit")
        administration.get("admin-audit-filtered", "/admin/audit?action=sign_in")
        administration.get("admin-refused", "/review/search", 403)
    return found, endpoints


@pytest.fixture(scope="module")
def staff_app(tmp_path_factory) -> Flask:
    """The portal on SQLite with small demo data (the markup does not depend on the backend)."""
    folder = tmp_path_factory.mktemp("staff-html")
    app = demo_portal(folder, facilities=40, complaints=150, seed=7)
    yield app
    app.extensions["portal.db"].engine.dispose()


@pytest.fixture(scope="module")
def walked(staff_app) -> tuple[dict[str, str], set[str]]:
    """Every staff page in kk and ru, fetched once, and the endpoints reached with GET."""
    return _collect(staff_app)


@pytest.fixture(scope="module")
def checked(walked) -> dict[str, list[nu.Message]]:
    """The checker's errors for every page, from one run of vnu.jar."""
    require(nu.java() is not None, "java not found (apt-get install openjdk-17-jre-headless)")
    require(nu.jar() is not None, "vnu.jar not found (pip install -r requirements-dev.txt)")
    return nu.check(walked[0])


GROUPS = ["login", "workspace", "search", "statistics", "case", "admin"]


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_staff_page_is_valid_html(walked, checked, lang, group):
    names = [name for name in walked[0] if name.startswith(f"{lang}.{group}")]
    assert names, (lang, group)
    errors = [f"{name}: {message}" for name in names for message in checked[name]]
    assert errors == [], "\n".join(errors)


#: What some pages must show, so that they are checked in the state they are named for.
SHOWN = {
    "workspace": ("AB-", 'id="attention'),
    "search-results": ("AB-", "дубинкамен"),
    "search-saved": ("Дубинка",),
    "case": ("Кеш сағат 9", "Бұл сағат нешеде болды?", "камера"),
    "case-contact": ("+7 700 000 00 00",),
    "case-duplicate": ("AB-",),
    "casework": ("html.coordinator",),
}
#: The question to the complainant, marked as read on the case page.
READ = {"kk": "шағым беруші оқыды", "ru": "прочитано заявителем"}


@pytest.mark.parametrize("lang", LANGS)
def test_the_pages_are_checked_in_the_states_they_are_named_for(walked, lang):
    pages = walked[0]
    for name, texts in SHOWN.items():
        for text in texts:
            assert text in pages[f"{lang}.{name}"], (name, text)
    assert READ[lang] in pages[f"{lang}.case"]


def test_every_staff_page_is_walked_in_both_languages(staff_app, walked):
    pages, endpoints = walked
    in_groups = {name for name in pages if name.split(".", 1)[1].startswith(tuple(GROUPS))}
    assert in_groups == set(pages)
    names = {
        lang: {n.split(".", 1)[1] for n in pages if n.startswith(f"{lang}.")} for lang in LANGS
    }
    assert names["kk"] == names["ru"]
    pages_by_get = {
        rule.endpoint
        for rule, method in staff_rules(staff_app)
        if method == "GET" and rule.endpoint not in DOWNLOADS
    }
    assert pages_by_get - endpoints == set()
