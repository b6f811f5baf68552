"""The case page (``GET /LANG/review/complaints/<id>``) and attachment downloads.

Only reviewers and coordinators reach them (analysts and administrators without a
reviewing role get 403 from the guard); a complaint outside the user's scope, or
an id that does not exist, is a 404 either way, so ids cannot be probed. Every
view of the page and every download is audited, without content. The actions
(POST) are in :mod:`portal.review.case_actions`.
"""

from __future__ import annotations

from babel.dates import format_skeleton
from flask import abort, make_response, render_template
from flask_babel import format_date, get_locale, gettext

from portal.auth import access
from portal.models import Complaint, DatePrecision, Role, Status
from portal.review import cases
from portal.review.case_forms import (
    ActionForm,
    AssignForm,
    MessageForm,
    NoteForm,
    RemoveTagForm,
    RevealForm,
    StatusForm,
    TagForm,
)
from portal.review.views import bp

#: Who reaches the case page and its actions.
READERS = (Role.REVIEWER, Role.COORDINATOR)


def incident_text(complaint: Complaint) -> str:
    """The incident date as precise as the complainant gave it."""
    day = complaint.incident_date
    if day is None:
        return gettext("Not given")
    if complaint.incident_date_precision == DatePrecision.MONTH:
        return gettext(
            "%(month)s (day not known)", month=format_skeleton("yMMMM", day, locale=get_locale())
        )
    return format_date(day, "long")


def fresh_forms(complaint: Complaint) -> dict:
    """Every form of the page, empty, with the choices the complaint allows now."""
    status = StatusForm(formdata=None)
    status.set_choices(cases.TRANSITIONS.get(complaint.status, ()))
    assign = AssignForm(formdata=None)
    assign_choices(assign, complaint)
    return {
        "status_form": status,
        "assign_form": assign,
        "take_form": ActionForm(formdata=None),
        "tag_form": TagForm(formdata=None),
        "remove_tag_form": RemoveTagForm(formdata=None),
        "note_form": NoteForm(formdata=None),
        "message_form": MessageForm(formdata=None),
        "reveal_form": RevealForm(formdata=None),
    }


def assign_choices(form: AssignForm, complaint: Complaint) -> None:
    """Nobody, or anyone whose scope covers the complaint."""
    form.assignee.choices = [("", gettext("Nobody"))] + [
        (str(user.id), user.username) for user in cases.assignable(complaint)
    ]
    if form.assignee.data is None:
        form.assignee.data = str(complaint.assignee_id or "")


def render_case(
    complaint: Complaint,
    *,
    status: int = 200,
    forms: dict | None = None,
    contact: str | None = None,
    record_view: bool = True,
):
    """The case page; ``forms`` replaces some of the empty forms (sent back with errors)."""
    user = access.current_user()
    unread = cases.open_case(user, complaint) if record_view else set()
    activity = cases.activity(complaint)
    people = cases.users_by_id(
        [change.actor_id for change in complaint.status_changes]
        + [message.author_id for message in complaint.messages]
        + [note.author_id for note in complaint.notes]
        + [item.event.actor_id for item in activity]
        + [item.detail.get(key) for item in activity for key in ("from", "to")]
    )
    html = render_template(
        "review/case.html",
        complaint=complaint,
        incident=incident_text(complaint),
        unread=unread,
        activity=activity,
        people=people,
        duplicates=cases.duplicates_of(user, complaint),
        contact=contact,
        can_assign=access.can(user, access.Permission.ASSIGN),
        can_take=complaint.assignee_id is None and access.may_be_assigned(user, complaint),
        can_message=cases.can_message(complaint),
        closed=complaint.status == Status.CLOSED,
        can_close=Status.CLOSED in cases.TRANSITIONS.get(complaint.status, ()),
        limits={
            "note": cases.NOTE_MAX,
            "message": cases.MESSAGE_MAX,
            "reason": cases.REASON_MAX,
            "tag": cases.TAG_MAX,
            "reference": cases.REFERENCE_MAX,
        },
        **{**fresh_forms(complaint), **(forms or {})},
    )
    return make_response(html, status)


@bp.get("/complaints/<int:complaint_id>")
@access.allow(*READERS)
def complaint(complaint_id: int):
    """Every detail of one complaint, its history and thread, and the forms to act on it."""
    return render_case(access.readable_or_404(complaint_id))


@bp.get("/complaints/<int:complaint_id>/attachments/<int:attachment_id>")
@access.allow(*READERS)
def attachment(complaint_id: int, attachment_id: int):
    """An attachment as a file to save, never shown inline; the download is audited."""
    found = access.readable_or_404(complaint_id)
    try:
        item, data = cases.download(access.current_user(), found, attachment_id)
    except LookupError:
        abort(404)
    extension = item.storage_name.rsplit(".", 1)[-1]
    response = make_response(data)
    response.headers["Content-Type"] = item.media_type
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{found.reference}-{item.id}.{extension}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
