"""The forms of the case page: each one CSRF-protected, every text bounded before it is read.

The forms only bound and clean what is typed; whether an action is allowed (a
change of status, an assignee, a duplicate's reference) is decided by
:mod:`portal.review.cases`, which names the field at fault.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.complaints.sanitize import clean_text
from portal.forms import BoundedForm
from portal.labels import label
from portal.models import ClosingReason
from portal.review import cases


def _at_most(limit: int):
    """The message for a text over ``limit`` characters (the citizens' forms say it so too)."""
    return lazy_ngettext(
        "Use at most %(max)d character.", "Use at most %(max)d characters.", limit, max=limit
    )


class StatusForm(BoundedForm):
    """Move the complaint along the workflow; a closing needs a reason."""

    status = SelectField(_l("New status"), validate_choice=False)
    closing_reason = RadioField(_l("Reason for closing"), validate_choice=False)
    duplicate_of = StringField(
        _l("Reference of the original complaint (when closing as a duplicate)"),
        filters=[clean_text],
        validators=[Length(max=cases.REFERENCE_MAX, message=_at_most(cases.REFERENCE_MAX))],
    )

    def set_choices(self, choices) -> None:
        """The statuses reachable from the current one, and the closing reasons."""
        self.status.choices = [(status.value, label(status)) for status in choices]
        self.closing_reason.choices = [(reason.value, label(reason)) for reason in ClosingReason]


class AssignForm(BoundedForm):
    """A coordinator's choice of assignee (empty: nobody)."""

    assignee = SelectField(_l("Assigned to"), validate_choice=False)


class ActionForm(BoundedForm):
    """A button with nothing to type (take the complaint)."""


class TagForm(BoundedForm):
    """Add a tag."""

    tag = StringField(
        _l("New tag"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write a tag: letters, digits or hyphens.")),
            Length(max=cases.TAG_MAX, message=_at_most(cases.TAG_MAX)),
        ],
    )


class RemoveTagForm(BoundedForm):
    """Remove a tag (the tag is a hidden field of its button)."""

    tag = HiddenField(validators=[Length(max=cases.TAG_MAX * 2)])


class NoteForm(BoundedForm):
    """Write an internal note."""

    note = TextAreaField(
        _l("Internal note"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write the note.")),
            Length(max=cases.NOTE_MAX, message=_at_most(cases.NOTE_MAX)),
        ],
    )


class MessageForm(BoundedForm):
    """Write to the complainant."""

    body = TextAreaField(
        _l("Message to the complainant"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write your message.")),
            Length(max=cases.MESSAGE_MAX, message=_at_most(cases.MESSAGE_MAX)),
        ],
    )


class RevealForm(BoundedForm):
    """Why the contact details are needed: required, stored in the audit log."""

    reason = StringField(
        _l("Why do you need the contact details?"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Say why you need the contact details.")),
            Length(
                min=cases.REASON_MIN,
                max=cases.REASON_MAX,
                message=lazy_ngettext(
                    "Write the reason in %(min)d to %(num)d character.",
                    "Write the reason in %(min)d to %(num)d characters.",
                    cases.REASON_MAX,
                    min=cases.REASON_MIN,
                ),
            ),
        ],
    )
