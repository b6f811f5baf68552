"""The forms of case work: a letter's packet, a referral, a reminder. Dates are checked here."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from portal.casework.letters import EXCERPT_MAX
from portal.casework.referrals import NAME_MAX, OUTCOME_MAX
from portal.forms import BoundedForm
from portal.models import Recipient

#: How far ahead a response may be due, or a reminder set.
AHEAD = timedelta(days=3 * 366)
#: The earliest date a referral may have been sent.
EARLIEST = date(2000, 1, 1)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_BAD_DATE = _l("Enter the date as day.month.year, for example 17.05.2026.")


def parse_date(raw: str | None) -> date | None:
    """A date from a date picker (2026-05-17) or typed by hand (17.05.2026); None if neither."""
    raw = (raw or "").strip()
    if match := _ISO.fullmatch(raw):
        year, month, day = map(int, match.groups())
    elif match := _DOTTED.fullmatch(raw):
        day, month, year = map(int, match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateText(StringField):
    """A date typed or picked; ``.day`` is the parsed date (None when empty)."""

    day: date | None = None

    @property
    def html_value(self) -> str:
        """The value for ``<input type="date">``: the date as YYYY-MM-DD, or empty if not a date."""
        day = parse_date(self.data)
        return day.isoformat() if day is not None else ""

    def pre_validate(self, form) -> None:
        """Parse the value; a value that is not a date is an error at the field."""
        self.day = None
        if (self.data or "").strip():
            self.day = parse_date(self.data)
            if self.day is None:
                raise StopValidation(_BAD_DATE)


class LetterForm(BoundedForm):
    """A letter's packet: the excerpt, the details to remove, the zones (footage requests)."""

    excerpt = TextAreaField(
        _l("Excerpt of the narrative quoted in the letter"),
        validators=[Length(max=EXCERPT_MAX)],
    )
    #: The digest of the excerpt the details were offered for (the excerpt may be edited).
    digest = HiddenField()
    remove = SelectMultipleField(_l("Remove from the letter"), coerce=int, validate_choice=False)
    zones = SelectMultipleField(_l("Zones whose recordings must be kept"), validate_choice=False)
    action = HiddenField()

    def validate_excerpt(self, field) -> None:
        if not (field.data or "").strip():
            raise ValidationError(_l("The letter needs an excerpt of the narrative."))


class ReferralForm(BoundedForm):
    """A referral: to whom, when sent, response due, response received, outcome."""

    recipient = RadioField(_l("Sent to"), validate_choice=False)
    recipient_name = StringField(
        _l("Name of the body or office"), validators=[Length(max=NAME_MAX)]
    )
    sent_on = DateText(_l("Sent on"))
    response_due = DateText(_l("Response due by"))
    response_on = DateText(_l("Response received on"))
    outcome = TextAreaField(_l("Outcome"), validators=[Optional(), Length(max=OUTCOME_MAX)])

    def set_today(self, today: date) -> None:
        """The day dates are checked against, and the recipients' labels."""
        self._today = today
        self.recipient.choices = [
            (Recipient.PROSECUTOR.value, _l("Prosecutor's office")),
            (Recipient.OMBUDSMAN.value, _l("Ombudsman / National Preventive Mechanism")),
            (Recipient.OTHER.value, _l("Another body (give its name)")),
        ]

    def validate_recipient(self, field) -> None:
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_l("Choose who the case was sent to."))

    def validate_recipient_name(self, field) -> None:
        if self.recipient.data == Recipient.OTHER.value and not (field.data or "").strip():
            raise ValidationError(_l("Give the name of the body."))

    def validate_sent_on(self, field) -> None:
        if field.day is None:
            raise ValidationError(_l("Enter the date it was sent."))
        if field.day > self._today:
            raise ValidationError(_l("The date cannot be in the future."))
        if field.day < EARLIEST:
            raise ValidationError(_l("Check the year."))

    def validate_response_due(self, field) -> None:
        sent = self.sent_on.day
        if field.day is not None and sent is not None:
            if field.day < sent:
                raise ValidationError(_l("The response cannot be due before the day it was sent."))
            if field.day > sent + AHEAD:
                raise ValidationError(_l("Check the year."))

    def validate_response_on(self, field) -> None:
        sent = self.sent_on.day
        if field.day is not None:
            if field.day > self._today:
                raise ValidationError(_l("The date cannot be in the future."))
            if sent is not None and field.day < sent:
                raise ValidationError(_l("The response cannot come before the day it was sent."))


class ReminderForm(BoundedForm):
    """The follow-up reminder: a date to set, or clear."""

    remind_on = DateText(_l("Remind me on"))
    action = HiddenField()

    def set_today(self, today: date) -> None:
        """The day the date is checked against."""
        self._today = today

    def validate_remind_on(self, field) -> None:
        if self.action.data == "clear":
            return
        if field.day is None:
            raise ValidationError(_l("Enter the date of the reminder."))
        if field.day < self._today:
            raise ValidationError(_l("Choose today or a later day."))
        if field.day > self._today + AHEAD:
            raise ValidationError(_l("Check the year."))
