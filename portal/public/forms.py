"""The facility list's filters: read from the query string, checked, explained when wrong."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SearchField, SelectField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from portal.forms import BoundedForm
from portal.labels import label
from portal.models import FacilityType

SORTS = ("name", "coverage", "-coverage", "blind_spots", "region")
PER_PAGE = 50


def listed(form: BoundedForm, field) -> None:
    """The value must be one of the field's choices (a mistyped or old link)."""
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("This value is not in the list, so this filter was not applied."))


class FacilityFilterForm(BoundedForm):
    """Filters of ``/LANG/facilities``: a GET form that changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Name"),
        validators=[Optional(), Length(max=100, message=_l("Search for at most 100 characters."))],
    )
    region = SelectField(_l("Region"), validators=[Optional(), listed], validate_choice=False)
    type = SelectField(_l("Facility type"), validators=[Optional(), listed], validate_choice=False)
    band = SelectField(_l("Coverage"), validators=[Optional(), listed], validate_choice=False)
    status = SelectField(_l("Progress"), validators=[Optional(), listed], validate_choice=False)
    sort = SelectField(_l("Sort by"), validators=[Optional(), listed], validate_choice=False)
    page = IntegerField(
        _l("Page"),
        validators=[Optional(), NumberRange(min=1, message=_l("Pages are numbered from 1."))],
    )

    def set_choices(self, regions: list[tuple[str, str]]) -> None:
        """Fill the lists; called per request because labels depend on the language."""
        everything = ("", _l("All"))
        self.region.choices = [everything, *regions]
        self.type.choices = [everything, *((kind.value, label(kind)) for kind in FacilityType)]
        self.band.choices = [
            everything,
            ("lt50", _l("Under 50 %")),
            ("50-70", _l("50–70 %")),
            ("70-85", _l("70–85 %")),
            ("85-99", _l("85–99 %")),
            ("full", _l("Full coverage")),
            ("none", _l("No data yet")),
        ]
        self.status.choices = [
            everything,
            ("stalled", _l("Stalled for a year")),
            ("slipping", _l("Slipped back")),
        ]
        self.sort.choices = [
            ("name", _l("Name")),
            ("coverage", _l("Coverage, lowest first")),
            ("-coverage", _l("Coverage, highest first")),
            ("blind_spots", _l("Most blind spots first")),
            ("region", _l("Region")),
        ]
