"""What reviewers do on the case page: each a CSRF-protected form sent by POST, no script needed.

A refused action sends the page back (422) with the message at its field and
what was typed kept; a done one redirects to the page (303) with a notice, so a
reload never repeats it. Scope is checked first: a complaint the user may not
read is a 404 for every action, as for the page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext

from portal.auth import access
from portal.forms import BoundedForm
from portal.models import Complaint, Status, User
from portal.review import cases
from portal.review.case import READERS, assign_choices, render_case
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


def _refused(complaint: Complaint, name: str, form: BoundedForm, error: cases.CaseError | None):
    if error is not None:
        field = getattr(form, error.field, None) if error.field else None
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            form.form_errors.append(error.message)
    return render_case(complaint, status=422, forms={name: form})


def _act(
    complaint_id: int,
    name: str,
    form: BoundedForm,
    action: Callable[[User, Complaint, BoundedForm], object],
    done: str,
    anchor: str,
):
    """Validate ``form``, run ``action``, and redirect to the page (or send it back)."""
    complaint = access.readable_or_404(complaint_id)
    if name == "status_form":
        form.set_choices(cases.TRANSITIONS.get(complaint.status, ()))
    elif name == "assign_form":
        assign_choices(form, complaint)
    if not form.validate_on_submit():
        return _refused(complaint, name, form, None)
    try:
        action(access.current_user(), complaint, form)
    except cases.CaseError as error:
        return _refused(complaint, name, form, error)
    flash(done)
    return redirect(url_for(".complaint", complaint_id=complaint.id, _anchor=anchor), code=303)


@bp.post("/complaints/<int:complaint_id>/status")
@access.allow(*READERS)
def change_status(complaint_id: int):
    """Move the complaint along new → in review → referred → closed (closing needs a reason)."""

    def act(user, complaint, form):
        cases.change_status(
            user,
            complaint,
            form.status.data or "",
            form.closing_reason.data if form.status.data == Status.CLOSED.value else None,
            form.duplicate_of.data,
        )

    return _act(
        complaint_id,
        "status_form",
        StatusForm(),
        act,
        gettext("The status was changed."),
        "workflow",
    )


@bp.post("/complaints/<int:complaint_id>/assign")
@access.allow(*READERS)
def assign(complaint_id: int):
    """A coordinator assigns the complaint (or leaves it to nobody)."""

    def act(user, complaint, form):
        cases.assign(user, complaint, form.assignee.data)

    return _act(
        complaint_id,
        "assign_form",
        AssignForm(),
        act,
        gettext("The assignment was changed."),
        "assignment",
    )


@bp.post("/complaints/<int:complaint_id>/take")
@access.allow(*READERS)
def take(complaint_id: int):
    """A reviewer takes an unassigned complaint of their regions."""

    def act(user, complaint, _form):
        cases.take(user, complaint)

    return _act(
        complaint_id,
        "take_form",
        ActionForm(),
        act,
        gettext("The complaint is now assigned to you."),
        "assignment",
    )


@bp.post("/complaints/<int:complaint_id>/tags")
@access.allow(*READERS)
def add_tag(complaint_id: int):
    """Add a tag (normalised: lower case, words joined by hyphens)."""

    def act(user, complaint, form):
        cases.add_tag(user, complaint, form.tag.data)

    return _act(complaint_id, "tag_form", TagForm(), act, gettext("The tag was added."), "tags")


@bp.post("/complaints/<int:complaint_id>/tags/remove")
@access.allow(*READERS)
def remove_tag(complaint_id: int):
    """Remove a tag."""

    def act(user, complaint, form):
        cases.remove_tag(user, complaint, form.tag.data)

    return _act(
        complaint_id,
        "remove_tag_form",
        RemoveTagForm(),
        act,
        gettext("The tag was removed."),
        "tags",
    )


@bp.post("/complaints/<int:complaint_id>/notes")
@access.allow(*READERS)
def add_note(complaint_id: int):
    """Add an internal note."""

    def act(user, complaint, form):
        cases.add_note(user, complaint, form.note.data)

    return _act(complaint_id, "note_form", NoteForm(), act, gettext("The note was added."), "notes")


@bp.post("/complaints/<int:complaint_id>/messages")
@access.allow(*READERS)
def send_message(complaint_id: int):
    """Write to the complainant (they read it on the follow-up page with their receipt code)."""

    def act(user, complaint, form):
        cases.send_message(user, complaint, form.body.data)

    return _act(
        complaint_id,
        "message_form",
        MessageForm(),
        act,
        gettext("The message was sent. The complainant will see it with the receipt code."),
        "messages",
    )


@bp.post("/complaints/<int:complaint_id>/contact")
@access.allow(*READERS)
def reveal_contact(complaint_id: int):
    """Show the contact details once, in this response, after a stated reason (audited)."""
    complaint = access.readable_or_404(complaint_id)
    form = RevealForm()
    if not form.validate_on_submit():
        return _refused(complaint, "reveal_form", form, None)
    try:
        contact = cases.reveal_contact(access.current_user(), complaint, form.reason.data)
    except cases.CaseError as error:
        return _refused(complaint, "reveal_form", form, error)
    return render_case(complaint, contact=contact, record_view=False)
