"""The complaint form and the follow-up forms: fields, limits and translated messages.

Every free-text field passes through :func:`portal.complaints.sanitize.clean_text`
as a filter, so text is cleaned once, on the way in, before it is checked; and
every form is a :class:`portal.forms.BoundedForm`, so no value is cleaned before
it has been cut to its field's bound.
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import get_month_names
from flask_babel import get_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.complaints.sanitize import clean_text
from portal.forms import BoundedForm
from portal.i18n import LANGUAGES
from portal.labels import label
from portal.models import Answer, Category, Relation

NARRATIVE_MIN, NARRATIVE_MAX = 20, 10_000
PLACE_MAX = 300
CONTACT_MAX = 200
REPLY_MAX = 10_000
#: How far back the approximate-date year list goes.
YEARS_BACK = 20
#: The facility choice for "I don't know / another place".
OTHER_PLACE = "other"

_CHOOSE_FACILITY = _l("Choose the facility, or “I don't know / another place”.")
_WRONG_REGION = _l(
    "This facility is not in the region you chose. Check the region or the facility."
)


def _at_most(limit: int):
    """The message for a text over ``limit`` characters, in the plural form its number needs."""
    return lazy_ngettext(
        "Use at most %(max)d character.", "Use at most %(max)d characters.", limit, max=limit
    )


def _parse_date(text: str) -> date | None:
    """A date typed as 2026-05-17 (date inputs) or 17.05.2026 (how people write it here)."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


class ComplaintForm(BoundedForm):
    """``/LANG/report``: what happened, where, when, who is reporting, and consent."""

    submission = HiddenField()
    region = SelectField(
        _l("Region"),
        validators=[DataRequired(message=_l("Choose the region where it happened."))],
        validate_choice=False,
    )
    facility = SelectField(
        _l("Facility"),
        validators=[DataRequired(message=_CHOOSE_FACILITY)],
        validate_choice=False,
    )
    place_text = StringField(
        _l("Where it happened"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=PLACE_MAX, message=_at_most(PLACE_MAX)),
        ],
    )
    date_kind = RadioField(
        _l("Do you know the exact date?"),
        default="exact",
        validators=[InputRequired(message=_l("Choose one of the answers."))],
        validate_choice=False,
    )
    incident_date = StringField(_l("Incident date"), filters=[clean_text])
    incident_month = SelectField(_l("Month"), validate_choice=False)
    incident_year = SelectField(_l("Year"), validate_choice=False)
    categories = SelectMultipleField(
        _l("What happened?"),
        validators=[DataRequired(message=_l("Choose at least one."))],
        validate_choice=False,
    )
    narrative = TextAreaField(
        _l("Description of what happened"),
        filters=[clean_text],
        validators=[
            DataRequired(message=_l("Describe what happened.")),
            Length(
                min=NARRATIVE_MIN,
                max=NARRATIVE_MAX,
                # The noun agrees with the larger number (ru: "до 10000 символов").
                message=lazy_ngettext(
                    "Write between %(min)d and %(max)d character.",
                    "Write between %(min)d and %(max)d characters.",
                    NARRATIVE_MAX,
                    min=NARRATIVE_MIN,
                    max=NARRATIVE_MAX,
                ),
            ),
        ],
    )
    camera_present = RadioField(
        _l("Was there a camera?"), default=Answer.DONT_KNOW.value, validate_choice=False
    )
    camera_working = RadioField(
        _l("Was it working?"), default=Answer.DONT_KNOW.value, validate_choice=False
    )
    out_of_view = RadioField(
        _l("Did it happen out of view of cameras?"),
        default=Answer.DONT_KNOW.value,
        validate_choice=False,
    )
    relation = RadioField(
        _l("Who are you to the person affected?"),
        validators=[InputRequired(message=_l("Choose one of the answers."))],
        validate_choice=False,
    )
    contact = StringField(
        _l("Phone, e-mail or messenger"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=CONTACT_MAX, message=_at_most(CONTACT_MAX)),
        ],
    )
    reply_language = SelectField(
        _l("Language for replies"),
        validators=[DataRequired(message=_l("Choose a language."))],
        validate_choice=False,
    )
    consent = BooleanField(
        _l("I agree"),
        validators=[DataRequired(message=_l("Your report can be sent only with your consent."))],
    )
    attachments = MultipleFileField(_l("Attachments: photos or PDF documents"))
    #: A trap for robots: hidden from people and assistive technology, must stay empty.
    website = StringField(_l("Leave this field empty"))

    def set_choices(self, regions, facilities_by_region, lang: str, today: date) -> None:
        """Fill the lists for this request (labels depend on the language)."""
        self.date_kind.choices = [
            ("exact", _l("Yes, I know the exact date")),
            ("approximate", _l("Only the month and year")),
        ]
        self.categories.choices = [(category.value, category.value) for category in Category]
        self.reply_language.choices = list(LANGUAGES.items())
        self.region.choices = [("", _l("Choose a region"))] + [
            (str(region.id), region.name(lang)) for region in regions
        ]
        self._facility_region = {
            str(facility.id): str(region_id)
            for region_id, items in facilities_by_region.items()
            for facility in items
        }
        self.incident_month.choices = [("", _l("Month"))] + [
            (str(number), name) for number, name in month_names().items()
        ]
        self.incident_year.choices = [("", _l("Year"))] + [
            (str(year), str(year)) for year in range(today.year, today.year - YEARS_BACK, -1)
        ]
        answers = [(answer.value, label(answer)) for answer in Answer]
        for field in (self.camera_present, self.camera_working, self.out_of_view):
            field.choices = answers
        self.relation.choices = [(relation.value, label(relation)) for relation in Relation]
        self._today = today

    # --- cross-field checks ----------------------------------------------------------------

    def validate_region(self, field) -> None:
        if field.data not in {value for value, _ in field.choices if value}:
            raise ValidationError(_l("Choose the region where it happened."))

    def validate_facility(self, field) -> None:
        if field.data == OTHER_PLACE:
            return
        region = self._facility_region.get(field.data or "")
        if region is None:
            raise ValidationError(_CHOOSE_FACILITY)
        if self.region.data and region != self.region.data:
            raise ValidationError(_WRONG_REGION)

    def validate_incident_date(self, field) -> None:
        if self.date_kind.data != "exact":
            return
        if not field.data:
            raise ValidationError(_l("Enter the date, or choose “Only the month and year”."))
        parsed = _parse_date(field.data)
        if parsed is None:
            raise ValidationError(_l("Enter the date as day.month.year, for example 17.05.2026."))
        self._check_not_future(parsed)
        self.incident = parsed

    def validate_incident_year(self, field) -> None:
        if self.date_kind.data != "approximate":
            return
        month, year = self.incident_month.data, field.data
        valid_months = {value for value, _ in self.incident_month.choices if value}
        valid_years = {value for value, _ in self.incident_year.choices if value}
        if month not in valid_months or year not in valid_years:
            raise ValidationError(_l("Choose the month and the year."))
        approximate = date(int(year), int(month), 1)
        self._check_not_future(approximate)
        self.incident = approximate

    def _check_not_future(self, value: date) -> None:
        if value > self._today:
            raise ValidationError(_l("The date cannot be in the future."))
        if value.year < self._today.year - 100:
            raise ValidationError(_l("Check the year."))

    def validate_date_kind(self, field) -> None:
        if field.data not in ("exact", "approximate"):
            raise ValidationError(_l("Choose one of the answers."))

    def validate_reply_language(self, field) -> None:
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Choose a language."))

    def validate_categories(self, field) -> None:
        known = {category.value for category in Category}
        if not field.data or not set(field.data) <= known:
            raise ValidationError(_l("Choose at least one."))

    def validate_relation(self, field) -> None:
        if field.data not in {relation.value for relation in Relation}:
            raise ValidationError(_l("Choose one of the answers."))

    def incident_value(self) -> date | None:
        """The date checked by the validators (the 1st of the month when approximate)."""
        return getattr(self, "incident", None)

    def answer(self, field) -> Answer:
        """A camera answer; anything unexpected counts as "I don't know"."""
        try:
            return Answer(field.data)
        except ValueError:
            return Answer.DONT_KNOW


def month_names() -> dict[int, str]:
    """Month names in the current language, standalone form ("мамыр", "май")."""
    names = get_month_names("wide", context="stand-alone", locale=get_locale())
    return {number: names[number] for number in range(1, 13)}


class CodeForm(BoundedForm):
    """``/LANG/follow-up``: the receipt code."""

    code = StringField(
        _l("Receipt code"),
        validators=[DataRequired(message=_l("Enter your receipt code."))],
    )


class ReplyForm(BoundedForm):
    """An answer to the reviewers, with files, from the follow-up page."""

    body = TextAreaField(
        _l("Your message"),
        filters=[clean_text],
        validators=[
            DataRequired(message=_l("Write your message.")),
            Length(max=REPLY_MAX, message=_at_most(REPLY_MAX)),
        ],
    )
    attachments = MultipleFileField(_l("Attachments: photos or PDF documents"))


class ReceiptDownloadForm(BoundedForm):
    """Download the receipt as a text file; the code comes back in the POST body."""

    code = HiddenField()
