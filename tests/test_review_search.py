"""The reviewers' queue, search, CSV export and saved searches, on the real search index.

Complaints are written with the factories and indexed with the project's own
rebuild; every page is reached through sign-in. The scope rules come from
``portal.auth.access``: a reviewer of Almaty never sees Astana's complaints in
the queue, the results, the facet counts or the export, and a complaint with no
region only when it is assigned to them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import select

from portal.db import session
from portal.models import AuditEvent, Role, SavedSearch, Status
from portal.reference import ensure_regions
from portal.review.export import safe_cell
from portal.search import rebuild
from tests import factories
from tests.support.staff import clock as clock
from tests.support.staff import csrf, make_staff, sign_in

WORDS = "дубинкой"  # in every narrative below, so a search for it finds them all
SECRET_WORD = "Жанболатович"  # a name in one narrative: never in an export or the audit log


@pytest.fixture
def world(app):
    """Reviewers of Almaty and Astana, a coordinator, an analyst, and complaints in each place."""
    with app.app_context():
        ensure_regions(session)
        people = {
            "reviewer": make_staff(session, "almaty.reviewer", Role.REVIEWER, regions=["almaty"]),
            "other": make_staff(session, "astana.reviewer", Role.REVIEWER, regions=["astana"]),
            "coordinator": make_staff(session, "the.coordinator", Role.COORDINATOR),
            "analyst": make_staff(session, "the.analyst", Role.ANALYST),
        }
        almaty = factories.named_region(session, "almaty")
        astana = factories.named_region(session, "astana")
        in_almaty = factories.facility(session, region=almaty, name_ru="ИВС Алматы")
        in_astana = factories.facility(session, region=astana, name_ru="ИВС Астаны")
        rows = {
            "almaty-new": dict(facility=in_almaty, incident_date=date(2026, 11, 20)),
            "almaty-formula": dict(
                facility=in_almaty, external_ref='=HYPERLINK("http://x")', incident_date=None
            ),
            "almaty-taken": dict(
                facility=in_almaty,
                status=Status.IN_REVIEW,
                assignee_id=people["reviewer"].id,
                incident_date=date(2026, 10, 1),
            ),
            "astana-new": dict(facility=in_astana),
            "unknown-mine": dict(facility=None, assignee_id=people["reviewer"].id),
            "unknown-theirs": dict(facility=None),
        }
        made = {}
        for number, (name, values) in enumerate(rows.items()):
            narrative = f"Избили {WORDS} в коридоре, камера не работала. Случай {name}."
            if name == "almaty-new":
                narrative += f" Бил сотрудник {SECRET_WORD}."
            complaint = factories.complaint(
                session,
                narrative=narrative,
                created_at=datetime(2026, 12, 1 + number, 9, tzinfo=UTC),
                **values,
            )
            if values.get("facility", "x") is None:
                complaint.region = None
            made[name] = complaint
        session.commit()
        rebuild(session, Path(app.config["INDEX_DIR"]))
        return {
            "people": people,
            "refs": {name: complaint.reference for name, complaint in made.items()},
            "ids": {name: complaint.id for name, complaint in made.items()},
        }


def signed_in(app, world, who: str, clock):
    client = app.test_client()
    sign_in(client, world["people"][who], clock, lang="ru")
    return client


def refs_in(html: str, world) -> set[str]:
    return {name for name, ref in world["refs"].items() if ref in html}


def audit_events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_holds_new_and_unassigned_complaints_of_the_users_scope(app, world, clock):
    html = signed_in(app, world, "reviewer", clock).get("/ru/review/").get_data(as_text=True)
    assert refs_in(html, world) == {"almaty-new", "almaty-formula", "unknown-mine"}
    assert "almaty.reviewer" in html and "Алматы" in html  # who is signed in, in brief

    html = signed_in(app, world, "coordinator", clock).get("/ru/review/").get_data(as_text=True)
    assert refs_in(html, world) == set(world["refs"]) - {"almaty-taken"}


def test_the_queue_is_newest_first_and_flags_footage_deadlines(app, world, clock):
    html = signed_in(app, world, "reviewer", clock).get("/ru/review/").get_data(as_text=True)
    order = [name for name in ("unknown-mine", "almaty-formula", "almaty-new") if name]
    positions = [html.index(world["refs"][name]) for name in order]
    assert positions == sorted(positions)
    # Incident on 20 November, no retention figures: 30 days assumed, deadline 20 December,
    # six days after the clock's 14 December.
    row = html[html.index(world["refs"]["almaty-new"]) :]
    row = row[: row.index("</tr>")]
    assert "flag-near" in row and "6 дней" in row


def test_analysts_and_administrators_get_a_workspace_without_complaints(app, world, clock):
    client = signed_in(app, world, "analyst", clock)
    html = client.get("/ru/review/").get_data(as_text=True)
    assert refs_in(html, world) == set() and "the.analyst" in html
    assert client.get("/ru/review/search").status_code == 403
    assert client.get("/ru/review/search/export.csv").status_code == 403


# --- search ---------------------------------------------------------------------------------


def test_results_and_facet_counts_stay_inside_the_reviewers_scope(app, world, clock):
    client = signed_in(app, world, "reviewer", clock)
    response = client.get(f"/ru/review/search?q={WORDS}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert refs_in(html, world) == {"almaty-new", "almaty-formula", "almaty-taken", "unknown-mine"}
    assert "<mark>" in html  # highlighted snippets
    assert "Астана" not in html and "ИВС Астаны" not in html
    assert re.search(r"Алматы <span class=\"count\">\(3\)</span>", html)
    assert re.search(r"Новая <span class=\"count\">\(3\)</span>", html)  # not 4 or 5

    html = signed_in(app, world, "coordinator", clock).get(f"/ru/review/search?q={WORDS}")
    html = html.get_data(as_text=True)
    assert refs_in(html, world) == set(world["refs"])
    assert re.search(r"Новая <span class=\"count\">\(5\)</span>", html)


def test_a_region_outside_the_scope_cannot_be_asked_for(app, world, clock):
    client = signed_in(app, world, "reviewer", clock)
    response = client.get("/ru/review/search?region=astana")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert refs_in(html, world) == set() and "не применён" in html


def test_complaints_without_a_region_reach_coordinators_and_their_assignee_only(app, world, clock):
    query = "/ru/review/search?region=none"
    mine = signed_in(app, world, "reviewer", clock).get(query).get_data(as_text=True)
    assert refs_in(mine, world) == {"unknown-mine"}
    theirs = signed_in(app, world, "other", clock).get(query).get_data(as_text=True)
    assert refs_in(theirs, world) == set()
    every = signed_in(app, world, "coordinator", clock).get(query).get_data(as_text=True)
    assert refs_in(every, world) == {"unknown-mine", "unknown-theirs"}


def test_filters_sorts_and_pages(app, world, clock):
    client = signed_in(app, world, "coordinator", clock)
    html = client.get("/ru/review/search?status=in_review").get_data(as_text=True)
    assert refs_in(html, world) == {"almaty-taken"}
    html = client.get("/ru/review/search?assignee=almaty.reviewer&region=none").get_data(
        as_text=True
    )
    assert refs_in(html, world) == {"unknown-mine"}
    html = client.get("/ru/review/search?received_from=2026-12-05").get_data(as_text=True)
    assert refs_in(html, world) == {"unknown-mine", "unknown-theirs"}
    html = client.get("/ru/review/search?sort=deadline").get_data(as_text=True)
    ahead, past = html.index(world["refs"]["almaty-new"]), html.index(world["refs"]["almaty-taken"])
    unknown = html.index(world["refs"]["almaty-formula"])
    assert ahead < past < unknown  # deadline ahead, then past, then no incident date
    assert client.get("/ru/review/search?page=2").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 301,
        "q=" + "x" * 5000,
        "q=%22unclosed",
        "q=*wild",
        "q=OR",
        "page=0",
        "page=abc",
        "page=99999999999999999999",
        "sort=evil",
        "incident_from=2026-13-45",
        "incident_from=0001-01-01",
        "received_from=2026-12-10&received_to=2026-12-01",
        "category=nonsense",
        "status=" + "x" * 10_000,
        "&".join(["region=almaty"] * 31),
        "&".join(f"k{n}=v" for n in range(300)),
        "facility=%00%ff",
    ],
)
def test_bad_parameters_get_a_message_never_a_server_error(app, world, clock, query):
    client = signed_in(app, world, "reviewer", clock)
    response = client.get(f"/ru/review/search?{query}")
    assert response.status_code in (200, 400), query
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html or "error-summary" in html, query
    assert client.get(f"/ru/review/search/export.csv?{query}").status_code in (200, 400)


def test_an_index_that_is_missing_says_search_is_catching_up(app, world, clock):
    from portal.search.searchers import close_pools

    client = signed_in(app, world, "reviewer", clock)
    close_pools()
    folder = Path(app.config["INDEX_DIR"])
    folder.rename(folder.with_name("index-gone"))
    response = client.get(f"/ru/review/search?q={WORDS}")
    assert response.status_code == 200
    assert "Попробуйте через минуту" in response.get_data(as_text=True)


def test_each_search_is_audited_without_its_words(app, world, clock):
    client = signed_in(app, world, "reviewer", clock)
    client.get(f"/ru/review/search?q={SECRET_WORD}&category=physical_violence")
    events = audit_events(app, "complaints.searched")
    assert len(events) == 1
    detail = json.loads(events[0].detail)
    assert detail["filters"] == {"category": ["physical_violence"]} and detail["with_words"]
    assert detail["total"] == 1
    assert SECRET_WORD not in events[0].detail
    assert events[0].actor_id == world["people"]["reviewer"].id


# --- export ---------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_export_holds_exactly_the_results_in_scope_and_no_narrative(app, world, clock):
    client = signed_in(app, world, "reviewer", clock)
    response = client.get(f"/ru/review/search/export.csv?q={WORDS}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = _csv(response)
    refs = {row[0] for row in rows[1:]}
    assert refs == {
        world["refs"][name]
        for name in ("almaty-new", "almaty-formula", "almaty-taken", "unknown-mine")
    }
    text = response.get_data(as_text=True)
    assert SECRET_WORD not in text and "коридоре" not in text and "Астан" not in text
    events = audit_events(app, "complaints.exported")
    assert len(events) == 1 and json.loads(events[0].detail)["rows"] == 4
    assert WORDS not in events[0].detail

    filtered = _csv(client.get("/ru/review/search/export.csv?region=none"))
    assert [row[0] for row in filtered[1:]] == [world["refs"]["unknown-mine"]]


def test_the_export_escapes_formulas(app, world, clock):
    client = signed_in(app, world, "reviewer", clock)
    rows = _csv(client.get("/ru/review/search/export.csv"))
    formula = next(row for row in rows if row[0] == world["refs"]["almaty-formula"])
    assert formula[1] == '\'=HYPERLINK("http://x")'
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 701", "'+7 701"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("T-000001", "T-000001"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_an_export_beyond_its_bound_is_refused_with_a_message(app, world, clock, monkeypatch):
    from portal.review import finder

    monkeypatch.setattr(finder, "MAX_ROWS", 2)
    client = signed_in(app, world, "reviewer", clock)
    response = client.get("/ru/review/search/export.csv")
    assert response.status_code == 400
    assert "(2)" in response.get_data(as_text=True)
    assert audit_events(app, "complaints.exported") == []


# --- saved searches -------------------------------------------------------------------------


def test_saved_searches_are_private(app, world, clock):
    owner = signed_in(app, world, "reviewer", clock)
    token = csrf(owner, "/ru/review/search")
    response = owner.post(
        "/ru/review/searches",
        data={
            "csrf_token": token,
            "name": "Избиения в ИВС",
            "query": f"q={SECRET_WORD}&category=physical_violence&bogus=1",
        },
    )
    assert response.status_code == 303
    with app.app_context():
        item = session.scalars(select(SavedSearch)).one()
        assert parse_qsl(item.query) == [("q", SECRET_WORD), ("category", "physical_violence")]
        search_id = item.id
    assert "Избиения в ИВС" in owner.get("/ru/review/").get_data(as_text=True)
    assert "Избиения в ИВС" in owner.get(response.headers["Location"]).get_data(as_text=True)

    other = signed_in(app, world, "other", clock)
    assert "Избиения в ИВС" not in other.get("/ru/review/").get_data(as_text=True)
    assert "Избиения в ИВС" not in other.get("/ru/review/search").get_data(as_text=True)
    token = csrf(other, "/ru/review/search")
    refused = other.post(f"/ru/review/searches/{search_id}/delete", data={"csrf_token": token})
    assert refused.status_code == 404

    token = csrf(owner, "/ru/review/search")
    deleted = owner.post(f"/ru/review/searches/{search_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303
    with app.app_context():
        assert session.scalars(select(SavedSearch)).all() == []
    created = audit_events(app, "saved_search.created")
    gone = audit_events(app, "saved_search.deleted")
    assert len(created) == len(gone) == 1
    for event in created + gone:
        assert event.object_id == search_id and event.detail is None


def test_a_saved_search_must_be_named_and_valid(app, world, clock):
    owner = signed_in(app, world, "reviewer", clock)
    token = csrf(owner, "/ru/review/search")
    unnamed = owner.post(
        "/ru/review/searches", data={"csrf_token": token, "name": " ", "query": "q=x"}
    )
    assert unnamed.status_code == 400
    outside = owner.post(
        "/ru/review/searches",
        data={"csrf_token": token, "name": "Астана", "query": "region=astana"},
    )
    assert outside.status_code == 400
    with app.app_context():
        assert session.scalars(select(SavedSearch)).all() == []


# --- pieces ---------------------------------------------------------------------------------


def test_deadlines_in_bulk_are_those_of_each_complaint(db, regions):
    from portal.casework.footage import complaint_deadline, complaint_deadlines
    from portal.models import ZoneType

    kept = factories.facility(db)
    factories.snapshot(db, facility=kept, as_of=date(2026, 1, 1), zones={ZoneType.CELLS: (4, 2)})
    later = factories.snapshot(db, facility=kept, as_of=date(2026, 6, 1))
    later.zones[0].retention_days = 90
    made = [
        factories.complaint(db, facility=kept, incident_date=date(2026, 3, 1)),
        factories.complaint(db, facility=kept, incident_date=date(2026, 7, 1)),
        factories.complaint(db, facility=kept, incident_date=date(2025, 7, 1)),
        factories.complaint(db, incident_date=date(2026, 11, 1)),
        factories.complaint(db, incident_date=None),
    ]
    db.commit()
    today = date(2026, 12, 14)
    bulk = complaint_deadlines(db, made, 30, today)
    assert bulk == {c.id: complaint_deadline(db, c, 30, today) for c in made}
    assert bulk[made[1].id].retention_days == 90 and bulk[made[0].id].retention_days == 30


def test_rows_link_to_the_case_page(app, clock):
    with app.app_context():
        ensure_regions(session)
        coordinator = make_staff(session, "link.coordinator", Role.COORDINATOR)
        complaint = factories.complaint(session)
        session.commit()
        path = f"/ru/review/complaints/{complaint.id}"
        reference = complaint.reference
    client = app.test_client()
    sign_in(client, coordinator, clock, lang="ru")
    assert f'href="{path}"' in client.get("/ru/review/").get_data(as_text=True)
    assert reference in client.get(path).get_data(as_text=True)
