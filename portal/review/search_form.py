"""The reviewers' search form: read from the query string, bounded, checked, turned into filters.

Every parameter is bounded before anything is searched: the query text by the
query language's own limit, each choice list by :data:`MAX_CHOICES` values of
at most :data:`portal.forms.OTHER_FIELD_MAX` characters, the page number by the
deepest page the search service serves, dates to a sensible span of years. A
value that is not one of the choices the user may pick (a region outside their
scope, a mistyped slug) is an error explained next to its field; the page then
answers 400 and searches nothing.

Choices name things as the query string shows them: regions and facilities by
slug, reviewers by user name, :data:`UNKNOWN` for "no region / no facility /
nobody". :func:`filters_of` turns them into the ids the search service wants.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, SearchField, SelectField, SelectMultipleField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from portal.clock import KAZAKHSTAN
from portal.db import session
from portal.forms import BoundedForm
from portal.labels import label
from portal.models import Answer, Category, Facility, FacilityType, Region, Status, User
from portal.search.filters import Filters
from portal.search.messages import error_message
from portal.search.query import MAX_LENGTH
from portal.search.service import MAX_DEPTH

#: Results per page, and the deepest page (the search service serves 10,000 results at most).
PER_PAGE = 25
MAX_PAGE = MAX_DEPTH // PER_PAGE
#: Most values one choice list may carry, and most parameters a query string may carry.
MAX_CHOICES = 30
MAX_PARAMETERS = 200
#: "No region", "no facility", "nobody".
UNKNOWN = "none"
#: Dates outside these years are certainly mistyped.
FIRST_YEAR, LAST_YEAR = 1991, 2100
SORTS = ("relevance", "date", "deadline")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
#: The multi-choice fields, in the order the page shows them.
FACETS = (
    "region",
    "facility",
    "type",
    "category",
    "status",
    "language",
    "camera_present",
    "camera_working",
    "out_of_view",
    "assignee",
)
#: The search service's facet (index field) behind each form field.
FACET_FIELDS = {
    "region": "region",
    "facility": "facility",
    "type": "facility_type",
    "category": "categories",
    "status": "status",
    "language": "language",
    "camera_present": "camera_present",
    "camera_working": "camera_working",
    "out_of_view": "out_of_view",
    "assignee": "assignee",
}
#: Longest filter detail written to the audit log before values are replaced by their counts.
AUDIT_DETAIL_MAX = 1500
DATES = ("incident_from", "incident_to", "received_from", "received_to")


def _listed(form: BoundedForm, field) -> None:
    allowed = {value for value, _title in field.choices}
    chosen = [field.data] if isinstance(field.data, str) else field.data or ()
    if any(value not in allowed for value in chosen):
        raise ValidationError(_l("This value is not in the list, so this filter was not applied."))


def _sane_year(form: BoundedForm, field) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(
            _l("Give a date in the years %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )


def _multi(title) -> SelectMultipleField:
    return SelectMultipleField(title, validators=[Optional(), _listed], validate_choice=False)


def _date(title) -> DateField:
    return DateField(
        title,
        validators=[Optional(), _sane_year],
        format="%Y-%m-%d",
        render_kw={"max": f"{LAST_YEAR}-12-31", "min": f"{FIRST_YEAR}-01-01"},
    )


class SearchForm(BoundedForm):
    """The search page's form: a GET form that changes nothing, so no CSRF token."""

    class Meta(BoundedForm.Meta):
        csrf = False

    q = SearchField(
        _l("Words, phrases or case number"),
        validators=[Optional(), Length(max=MAX_LENGTH, message=error_message("too_long"))],
    )
    region = _multi(_l("Region"))
    facility = _multi(_l("Facility"))
    type = _multi(_l("Facility type"))
    category = _multi(_l("Category"))
    status = _multi(_l("Status"))
    language = _multi(_l("Language of the complaint"))
    camera_present = _multi(_l("Was there a camera?"))
    camera_working = _multi(_l("Was it working?"))
    out_of_view = _multi(_l("Did it happen out of view of cameras?"))
    assignee = _multi(_l("Assigned to"))
    incident_from = _date(_l("Incident from"))
    incident_to = _date(_l("Incident until"))
    received_from = _date(_l("Received from"))
    received_to = _date(_l("Received until"))
    sort = SelectField(_l("Sort by"), validators=[Optional(), _listed], validate_choice=False)
    page = IntegerField(
        _l("Page"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_PAGE,
                message=_l("Pages are numbered from 1 to %(max)s.", max=MAX_PAGE),
            ),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        """Check every field, then that no date range ends before it starts."""
        valid = super().validate(extra_validators)
        for start, end in (("incident_from", "incident_to"), ("received_from", "received_to")):
            first, last = self[start].data, self[end].data
            if first and last and last < first and not self[end].errors:
                self[end].errors = [_l("The end of a date range cannot come before its start.")]
                valid = False
        return valid

    @property
    def chosen_sort(self) -> str:
        """The order asked for, or the natural one: relevance for words, else newest first."""
        if self.sort.data in SORTS and not self.sort.errors:
            return self.sort.data
        return "relevance" if (self.q.data or "").strip() else "date"


def _sort_field(field, choices) -> None:
    field.choices = choices
    if isinstance(field, SelectMultipleField):
        field.data = field.data or []


def set_choices(form: SearchForm, regions: list[Region], assignees: list[User], lang: str) -> None:
    """Fill the choice lists: the regions in scope, every facility in them, the reviewers."""
    region_ids = [region.id for region in regions]
    facilities = session.execute(
        select(Facility.slug, Facility.name_kk, Facility.name_ru, Facility.name_en)
        .where(Facility.region_id.in_(region_ids))
        .order_by(Facility.slug)
    ).all()
    names = {"kk": 1, "ru": 2, "en": 3}
    unknown = (UNKNOWN, _l("Unknown"))
    nobody = (UNKNOWN, _l("Nobody"))
    form.region.choices = [(r.slug, r.name(lang)) for r in regions] + [unknown]
    form.facility.choices = [(row.slug, row[names.get(lang, 3)]) for row in facilities] + [unknown]
    form.type.choices = [(kind.value, label(kind)) for kind in FacilityType]
    form.category.choices = [(kind.value, label(kind)) for kind in Category]
    form.status.choices = [(kind.value, label(kind)) for kind in Status]
    form.language.choices = list(LANGUAGE_NAMES.items())
    for name in ("camera_present", "camera_working", "out_of_view"):
        form[name].choices = [(kind.value, label(kind)) for kind in Answer]
    form.assignee.choices = [(user.username, user.username) for user in assignees] + [nobody]
    form.sort.choices = [
        ("relevance", _l("Relevance")),
        ("date", _l("Newest first")),
        ("deadline", _l("Footage deadline")),
    ]


def too_many(args: MultiDict) -> str | None:
    """Why a query string is refused before any field is read (too many values), or None."""
    if len(args) > MAX_PARAMETERS or sum(len(args.getlist(k)) for k in args) > MAX_PARAMETERS:
        return str(_l("This address carries too many values. Start a new search."))
    for name in FACETS:
        if len(args.getlist(name)) > MAX_CHOICES:
            return ngettext(
                "Choose at most %(num)d value in one filter.",
                "Choose at most %(num)d values in one filter.",
                MAX_CHOICES,
            )
    return None


def _day_start(value: date | None) -> datetime | None:
    return None if value is None else datetime.combine(value, time(), KAZAKHSTAN)


def _day_end(value: date | None) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value + timedelta(days=1), time(), KAZAKHSTAN) - timedelta(
        microseconds=1
    )


def _ids(model, column, values: list[str]) -> tuple[int | None, ...]:
    named = [value for value in values if value != UNKNOWN]
    found = dict(session.execute(select(column, model.id).where(column.in_(named))).all())
    ids: list[int | None] = [found[value] for value in named if value in found]
    return (*ids, None) if UNKNOWN in values else tuple(ids)


def filters_of(form: SearchForm) -> Filters:
    """The search service's filters for a valid form (received dates are days in Kazakhstan)."""
    return Filters(
        regions=_ids(Region, Region.slug, form.region.data or []),
        facilities=_ids(Facility, Facility.slug, form.facility.data or []),
        facility_types=tuple(form.type.data or ()),
        categories=tuple(form.category.data or ()),
        statuses=tuple(form.status.data or ()),
        languages=tuple(form.language.data or ()),
        camera_present=tuple(form.camera_present.data or ()),
        camera_working=tuple(form.camera_working.data or ()),
        out_of_view=tuple(form.out_of_view.data or ()),
        assignees=_ids(User, User.username, form.assignee.data or []),
        incident_from=form.incident_from.data,
        incident_to=form.incident_to.data,
        received_from=_day_start(form.received_from.data),
        received_to=_day_end(form.received_to.data),
    )


def query_pairs(form: SearchForm, *, page: bool = False) -> list[tuple[str, str]]:
    """The form's values as query-string pairs, known fields only (the page only when asked)."""
    pairs: list[tuple[str, str]] = []
    if (form.q.data or "").strip():
        pairs.append(("q", form.q.data.strip()))
    for name in FACETS:
        pairs += [(name, value) for value in form[name].data or ()]
    for name in DATES:
        if form[name].data:
            pairs.append((name, form[name].data.isoformat()))
    if form.sort.data in SORTS:
        pairs.append(("sort", form.sort.data))
    if page and form.page.data and form.page.data > 1:
        pairs.append(("page", str(form.page.data)))
    return pairs


def query_string(form: SearchForm) -> str:
    """The canonical query string of a search (what a saved search keeps)."""
    return urlencode(query_pairs(form))


def audit_detail(form: SearchForm, total: int) -> dict:
    """What the audit log keeps of a search: the filters and the count, never the words."""
    chosen = {name: list(form[name].data) for name in FACETS if form[name].data}
    chosen |= {name: form[name].data.isoformat() for name in DATES if form[name].data}
    detail = {
        "filters": chosen,
        "with_words": bool((form.q.data or "").strip()),
        "sort": form.chosen_sort,
        "total": total,
    }
    if len(json.dumps(detail, ensure_ascii=False)) > AUDIT_DETAIL_MAX:
        detail["filters"] = {
            name: len(value) if isinstance(value, list) else value for name, value in chosen.items()
        }
    return detail
