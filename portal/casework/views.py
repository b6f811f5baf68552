"""Case work pages (blueprint ``casework``), under ``/LANG/review/complaints/<id>/``.

The case page links here; these pages are their own endpoints: the overview
(footage deadline, letters, referrals, reminder), the reminder, issued letters
(printable, downloadable). The letter and referral forms are in
:mod:`.letter_views` and :mod:`.referral_views`. Every view is for reviewers and
coordinators (:data:`READERS`), reads the complaint through
:func:`portal.auth.access.readable_or_404` only (outside the scope: 404), and leaves
exactly one audit event.
"""

from __future__ import annotations

import re
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from portal import audit, clock
from portal.auth import access
from portal.casework import footage, referrals, reminders
from portal.casework.forms import ReminderForm
from portal.db import session
from portal.models import Complaint, Letter, Role, User

bp = Blueprint(
    "casework", __name__, url_prefix="/<lang:lang_code>/review/complaints/<int:complaint_id>"
)

#: Who does case work: the roles that read complaints (scope decides which ones).
READERS = access.allow(Role.REVIEWER, Role.COORDINATOR)


@bp.context_processor
def _case_link() -> dict:
    """The case page's address, once the case page exists (it is built beside these pages)."""
    complaint_id = (request.view_args or {}).get("complaint_id")
    if complaint_id is None or "review.complaint" not in current_app.view_functions:
        return {"case_url": None}
    return {"case_url": url_for("review.complaint", complaint_id=complaint_id)}


@bp.app_template_filter("month_year")
def month_year(value: date) -> str:
    """A month and its year in the current language (an incident known only by its month)."""
    return format_date(value, "LLLL y")


def viewed(complaint: Complaint, page: str) -> None:
    """Audit that the signed-in user saw a case work page of ``complaint``, and commit."""
    audit.record("casework.viewed", ("complaint", complaint.id), {"page": page})
    session.commit()


def deadline_of(complaint: Complaint, zones=()) -> footage.FootageDeadline:
    """The complaint's footage deadline today (the configured default where figures are silent)."""
    return footage.complaint_deadline(
        session, complaint, current_app.config["FOOTAGE_RETENTION_DAYS"], clock.today(), zones
    )


@bp.get("/casework")
@READERS
def overview(complaint_id: int):
    """The case's footage deadline, letters, referrals and reminder, with links to act on them."""
    complaint = access.readable_or_404(complaint_id)
    today = clock.today()
    letters = list(
        session.scalars(
            select(Letter)
            .where(Letter.complaint_id == complaint.id)
            .order_by(Letter.issued_at.desc(), Letter.id.desc())
        )
    )
    found = referrals.for_complaint(session, complaint.id)
    form = ReminderForm()
    reminder = reminders.reminder_for(session, complaint.id)
    html = render_template(
        "review/casework/overview.html",
        complaint=complaint,
        deadline=deadline_of(complaint),
        letters=letters,
        referrals=found,
        overdue={item.id for item in found if referrals.is_overdue(item, today)},
        reminder=reminder,
        reminder_due=reminder is not None and reminder.remind_on <= today,
        form=form,
        names=_names({letter.issued_by_id for letter in letters}),
    )
    viewed(complaint, "overview")
    return html


def _names(ids: set[int | None]) -> dict[int, str]:
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())


@bp.route("/reminder", methods=["GET", "POST"])
@READERS
def reminder(complaint_id: int):
    """Set, move or clear the case's follow-up reminder."""
    complaint = access.readable_or_404(complaint_id)
    form = ReminderForm()
    form.set_today(clock.today())
    if request.method == "POST" and form.validate():
        if form.action.data == "clear":
            reminders.clear_reminder(session, complaint, access.current_user())
            flash(_("The reminder is cleared."))
        else:
            reminders.set_reminder(session, complaint, form.remind_on.day, access.current_user())
            flash(_("The reminder is set."))
        session.commit()
        return redirect(url_for(".overview", complaint_id=complaint.id), code=303)
    current = reminders.reminder_for(session, complaint.id)
    html = render_template(
        "review/casework/reminder.html", complaint=complaint, form=form, reminder=current
    )
    viewed(complaint, "reminder")
    return html, 422 if form.errors else 200


def _letter(complaint: Complaint, letter_id: int) -> Letter:
    found = session.scalar(
        select(Letter).where(Letter.id == letter_id, Letter.complaint_id == complaint.id)
    )
    if found is None:
        abort(404)
    return found


@bp.get("/letters/<int:letter_id>")
@READERS
def letter(complaint_id: int, letter_id: int):
    """An issued letter as it was issued, in Kazakh and Russian, ready to print."""
    complaint = access.readable_or_404(complaint_id)
    item = _letter(complaint, letter_id)
    html = render_template(
        "review/casework/letter.html",
        complaint=complaint,
        letter=item,
        issued_by=_names({item.issued_by_id}).get(item.issued_by_id or 0, "—"),
    )
    audit.record("letter.viewed", ("complaint", complaint.id), {"letter": item.id})
    session.commit()
    return html


def download_name(letter: Letter, reference: str) -> str:
    """The file name of a downloaded letter: letter-REFERENCE-ID.txt, in safe characters."""
    safe = re.sub(r"[^A-Za-z0-9-]", "-", reference)[:32] or "case"
    return f"letter-{safe}-{letter.id}.txt"


@bp.get("/letters/<int:letter_id>/download")
@READERS
def letter_download(complaint_id: int, letter_id: int):
    """An issued letter as a text file (Kazakh, then Russian), always as a download."""
    complaint = access.readable_or_404(complaint_id)
    item = _letter(complaint, letter_id)
    text = f"{item.body_kk.rstrip()}\n\n{'=' * 40}\n\n{item.body_ru.rstrip()}\n"
    audit.record("letter.downloaded", ("complaint", complaint.id), {"letter": item.id})
    session.commit()
    response = Response(text, mimetype="text/plain")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{download_name(item, complaint.reference)}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
