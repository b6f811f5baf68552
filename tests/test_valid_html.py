"""Every public page is valid HTML, in kk, ru and en, by the Nu HTML Checker (vnu.jar).

One app with demo data serves every page a visitor can reach (the dashboards, the
facility pages, the report form empty, with errors and with its receipt, the
follow-up pages, open data and the error pages); all of them are checked in one
run of the checker per test session, and each test reads its pages' messages.
Phones rely on the same markup: the date picker is capped at today and the
receipt field opens a digit keyboard only when those attributes are valid.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from portal import clock
from portal.models import CoverageSnapshot, Facility, MessageDirection, Source
from tests import factories
from tests.conftest import require
from tests.support import nu
from tests.support.demo import demo_portal

LANGS = ("kk", "ru", "en")
CODE = re.compile(r'id="receipt-code">(\d{4} \d{4} \d{4} \d{4})<')

#: What the checker must catch: the markup this portal once sent (attributes quoted twice).
BROKEN = """<!doctype html><html lang="en"><head><title>t</title></head><body><main>
<label for="d">Date</label><input type="date" id="d" max="&quot;2026-12-01&quot;">
<label for="c">Code</label><input id="c" inputmode="&quot;numeric&quot;">
</main></body></html>"""


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


class Pages:
    """Fetches pages into ``found`` (name → HTML), checking each status code on the way."""

    def __init__(self, app: Flask, lang: str) -> None:
        self.client = app.test_client()
        self.lang = lang
        self.found: dict[str, str] = {}

    def keep(self, name: str, response, status: int = 200) -> str:
        assert response.status_code == status, (name, response.status_code)
        assert response.mimetype == "text/html", name
        html = response.get_data(as_text=True)
        assert f'<html lang="{self.lang}"' in html, name
        self.found[f"{self.lang}.{name}"] = html
        return html

    def get(self, name: str, path: str, status: int = 200, **kwargs) -> str:
        return self.keep(name, self.client.get(f"/{self.lang}{path}", **kwargs), status)

    def post(self, name: str, path: str, data: dict, status: int = 200) -> str:
        response = self.client.post(f"/{self.lang}{path}", data=data, follow_redirects=True)
        return self.keep(name, response, status)


def _report_answers(place: Facility, today: date) -> dict:
    return {
        "region": str(place.region_id),
        "facility": str(place.id),
        "date_kind": "exact",
        "incident_date": today.replace(day=1).isoformat(),
        "categories": ["torture", "camera_issue"],
        "narrative": "Кезекші бөлімде мені ұрды, бейнекамера сөндірулі болды.",
        "camera_present": "yes",
        "camera_working": "no",
        "out_of_view": "dont_know",
        "relation": "self",
        "contact": "",
        "reply_language": "ru",
        "consent": "y",
    }


def _citizen_pages(pages: Pages, place: Facility, add_question: Callable[[str], None]) -> None:
    """The report form (empty, with errors, expired), the receipt, and the follow-up pages."""
    html = pages.get("report", "/report")
    tokens = {"csrf_token": _hidden(html, "csrf_token"), "submission": _hidden(html, "submission")}
    pages.post("report-errors", "/report", tokens, status=422)
    pages.post("report-expired", "/report", {"narrative": "<b>kept</b>"}, status=400)
    answers = {**tokens, **_report_answers(place, clock.today())}
    receipt = pages.post("receipt", "/report", answers)
    code = CODE.search(receipt).group(1)
    pages.post("report-already-received", "/report", answers)

    html = pages.get("follow-up", "/follow-up")
    token = _hidden(html, "csrf_token")
    pages.post("follow-up-wrong-code", "/follow-up", {"csrf_token": token, "code": "1"}, 422)
    add_question(code)
    pages.post("status", "/follow-up", {"csrf_token": token, "code": code})
    pages.post("status-errors", "/follow-up/reply", {"csrf_token": token, "body": ""}, 422)
    pages.post("status-replied", "/follow-up/reply", {"csrf_token": token, "body": "Ещё деталь"})
    pages.post("follow-up-left", "/follow-up/leave", {"csrf_token": token})


def _collect(app: Flask) -> dict[str, str]:
    """Every public page, in every language: name → HTML."""
    from portal.complaints import receipts
    from portal.db import session
    from portal.models import Complaint

    with app.app_context():
        facilities = list(session.scalars(select(Facility).order_by(Facility.id)))
        independent = session.scalar(
            select(CoverageSnapshot.facility_id).where(
                CoverageSnapshot.source == Source.INDEPENDENT
            )
        )
        bare = factories.facility(session, slug="no-figures-yet", region=facilities[0].region)
        session.commit()
        region_slugs = sorted({f.region.slug for f in facilities})
        facility_slugs = [facilities[0].slug, bare.slug]
        facility_slugs += [f.slug for f in facilities if f.id == independent]
        place = facilities[0]

    def add_question(code: str) -> None:
        with app.app_context():
            lookup = receipts.lookup_digests(receipts.normalise_code(code))[0]
            complaint = session.scalar(select(Complaint).where(Complaint.receipt_lookup == lookup))
            factories.message(
                session,
                complaint=complaint,
                direction=MessageDirection.TO_COMPLAINANT,
                body="Камера қай жерде тұрды? <b>нақтылаңыз</b>",
            )
            session.commit()

    found: dict[str, str] = {}
    for lang in LANGS:
        pages = Pages(app, lang)
        pages.get("national", "/")
        for slug in region_slugs:
            pages.get(f"region-{slug}", f"/regions/{slug}")
        pages.get("facilities", "/facilities")
        pages.get("facilities-slipping", "/facilities?status=slipping&sort=-coverage")
        pages.get("facilities-page-2", "/facilities?page=2&sort=name")
        pages.get("facilities-search", "/facilities?q=СИЗО")
        pages.get("facilities-bad-filters", "/facilities?region=atlantis&band=%3Cb%3E&page=abc")
        for slug in facility_slugs:
            pages.get(f"facility-{slug}", f"/facilities/{slug}")
        for name in ("about", "methodology", "privacy", "open-data"):
            pages.get(name, f"/{name}")
        _citizen_pages(pages, place, add_question)
        pages.get("error-404", "/no-such-page", status=404)
        pages.get("error-404-facility", "/facilities/no-such-place", status=404)
        pages.get("error-405", "/follow-up/reply", status=405)
        pages.keep("error-400", pages.client.post(f"/{lang}/follow-up", data={}), status=400)
        found.update(pages.found)
    return found


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory) -> Flask:
    """The portal on SQLite with small demo data (the markup does not depend on the backend)."""
    folder = tmp_path_factory.mktemp("valid-html")
    app = demo_portal(folder, facilities=40, complaints=150, seed=7)
    yield app
    app.extensions["portal.db"].engine.dispose()


@pytest.fixture(scope="session")
def pages(demo_app) -> dict[str, str]:
    """Every public page in every language, fetched once."""
    return _collect(demo_app)


@pytest.fixture(scope="session")
def checked(pages) -> dict[str, list[nu.Message]]:
    """The checker's errors for every page (and for BROKEN), from one run of vnu.jar."""
    require(nu.java() is not None, "java not found (apt-get install openjdk-17-jre-headless)")
    require(nu.jar() is not None, "vnu.jar not found (pip install -r requirements-dev.txt)")
    return nu.check({**pages, "canary.broken": BROKEN})


GROUPS = [
    "national",
    "region-",
    "facilities",
    "facility-",
    "about",
    "methodology",
    "privacy",
    "open-data",
    "report",
    "receipt",
    "follow-up",
    "status",
    "error-",
]


def _group(pages: dict[str, str], lang: str, group: str) -> list[str]:
    names = [name for name in pages if name.startswith(f"{lang}.{group}")]
    assert names, (lang, group)
    return names


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_public_page_is_valid_html(pages, checked, lang, group):
    errors = [
        f"{name}: {message}" for name in _group(pages, lang, group) for message in checked[name]
    ]
    assert errors == []


def test_every_fetched_page_is_in_a_checked_group(pages):
    grouped = {name for lang in LANGS for group in GROUPS for name in _group(pages, lang, group)}
    assert set(pages) == grouped
    names = {
        lang: {name.split(".", 1)[1] for name in pages if name.startswith(f"{lang}.")}
        for lang in LANGS
    }
    assert names["kk"] == names["ru"] == names["en"]


def test_the_checker_catches_attributes_quoted_twice(checked):
    texts = " ".join(message.text for message in checked["canary.broken"])
    assert "max" in texts and "inputmode" in texts, texts


@pytest.mark.parametrize("lang", LANGS)
def test_the_date_picker_stops_at_today(pages, lang):
    for name in (f"{lang}.report", f"{lang}.report-errors"):
        field = re.search(r'<input type="date"[^>]*>', pages[name]).group(0)
        assert re.search(r' max="(\d{4}-\d{2}-\d{2})"', field), field
        assert date.fromisoformat(re.search(r' max="([^"]+)"', field).group(1)) == clock.today()


@pytest.mark.parametrize("lang", LANGS)
def test_the_receipt_code_opens_a_digit_keyboard(pages, lang):
    for name in (f"{lang}.follow-up", f"{lang}.follow-up-wrong-code"):
        field = re.search(r'<input [^>]*name="code"[^>]*>', pages[name]).group(0)
        for attribute in ('inputmode="numeric"', 'autocapitalize="off"', 'spellcheck="false"'):
            assert attribute in field, field
