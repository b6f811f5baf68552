"""The workspace lists overdue referrals and due reminders, within the reader's scope only."""

from __future__ import annotations

from datetime import date

from portal.db import session
from portal.models import CaseReminder, Recipient, Referral, Role
from portal.reference import ensure_regions
from tests import factories
from tests.support.staff import clock as clock
from tests.support.staff import make_staff, sign_in

TODAY = date(2026, 12, 14)  # the staff clock's day in Kazakhstan


def _case(region_slug: str, *, due: date | None, answered: date | None, remind: date | None):
    region = factories.named_region(session, region_slug)
    complaint = factories.complaint(session, facility=factories.facility(session, region=region))
    session.add(
        Referral(
            complaint_id=complaint.id,
            recipient=Recipient.PROSECUTOR,
            sent_on=date(2026, 11, 1),
            response_due=due,
            response_on=answered,
        )
    )
    if remind:
        session.add(CaseReminder(complaint_id=complaint.id, remind_on=remind))
    return complaint.reference


def test_overdue_referrals_and_due_reminders_show_in_the_workspace_of_their_scope(app, clock):
    with app.app_context():
        ensure_regions(session)
        overdue = _case("almaty", due=date(2026, 12, 1), answered=None, remind=TODAY)
        answered = _case("almaty", due=date(2026, 12, 1), answered=date(2026, 12, 5), remind=None)
        not_yet = _case("almaty", due=TODAY, answered=None, remind=date(2026, 12, 15))
        elsewhere = _case("abai", due=date(2026, 12, 1), answered=None, remind=TODAY)
        session.commit()
        reviewer = make_staff(session, "attention.reviewer", Role.REVIEWER, regions=["almaty"])
        coordinator = make_staff(session, "attention.coordinator", Role.COORDINATOR)

    client = app.test_client()
    sign_in(client, reviewer, clock, lang="ru")
    page = client.get("/ru/review/").get_data(as_text=True)
    attention = page.split('id="attention-title"', 1)[1].split('id="queue-title"', 1)[0]
    assert "Направления с просроченным ответом" in attention
    assert "Наступившие напоминания" in attention
    assert attention.count(overdue) == 2  # its overdue referral and its reminder
    assert "Срок ответа: 1 декабря 2026" in attention
    for reference in (answered, not_yet, elsewhere):
        assert reference not in attention

    other = app.test_client()
    sign_in(other, coordinator, clock, lang="kk")
    attention = other.get("/kk/review/").get_data(as_text=True).split('id="queue-title"')[0]
    assert overdue in attention and elsewhere in attention
    assert "Бүгін назар аударуды қажет ететіндер" in attention


def test_nothing_to_attend_to_shows_no_section(app, clock):
    with app.app_context():
        ensure_regions(session)
        _case("almaty", due=date(2026, 12, 20), answered=None, remind=None)
        session.commit()
        reviewer = make_staff(session, "calm.reviewer", Role.REVIEWER, regions=["almaty"])
    client = app.test_client()
    sign_in(client, reviewer, clock, lang="ru")
    assert 'id="attention-title"' not in client.get("/ru/review/").get_data(as_text=True)
