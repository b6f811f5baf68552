"""Shared form pieces: every form's text is bounded before any filter or validator runs.

Cleaning text (``portal/complaints/sanitize.py``), hashing it or parsing it costs
time in proportion to its length, so a value far over its field's limit must be
cut before any of that happens. :class:`BoundedForm` does it for every field of
every form that inherits from it, from the limits the form already declares:

* a field with a ``Length(max=N)`` validator accepts up to ``2 × N`` characters as
  sent (line breaks arrive as CR LF, entities and markup shrink when cleaned), and
  its ``Length`` validator then judges the cleaned text; a longer value is cut to
  ``N`` characters, so the person sees what they typed, and gets a translated
  message next to the field;
* any other text value (a choice, a date, a token, a code) is cut to
  :data:`OTHER_FIELD_MAX` characters, and that field's own check refuses it.

The whole body was bounded earlier still (``portal/security/bodies.py``).
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto as _READ_THE_REQUEST  # Flask-WTF's "formdata not given"
from werkzeug.datastructures import MultiDict
from wtforms import Field
from wtforms.validators import Length

#: Longest value accepted for a field without a ``Length`` validator (choices, dates, tokens).
OTHER_FIELD_MAX = 200
#: How much longer than its limit a text may arrive before it is cut unread.
SLACK = 2


def too_long(limit: int) -> str:
    """The message for a text that had to be cut to ``limit`` characters."""
    return ngettext(
        "This text is too long: at most %(max)d character. We kept the beginning.",
        "This text is too long: at most %(max)d characters. We kept the beginning.",
        limit,
        max=limit,
    )


def text_limit(field: Field) -> int | None:
    """The ``max`` of ``field``'s ``Length`` validator, or None when it has none."""
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max is not None and validator.max >= 0:
            return validator.max
    return None


def _bounded(form: BoundedForm, formdata: Any) -> MultiDict:
    """A copy of ``formdata`` where no text value is longer than its field allows."""
    fields = {field.name: field for field in form}
    bounded: MultiDict = MultiDict()
    for name, value in formdata.items(multi=True):
        if isinstance(value, str):
            field = fields.get(name)
            limit = text_limit(field) if field is not None else None
            if limit is None:
                value = value[:OTHER_FIELD_MAX]
            elif len(value) > SLACK * limit:
                value = value[:limit]
                form.cut_fields.add(name)
        bounded.add(name, value)
    return bounded


class BoundedForm(FlaskForm):
    """A Flask-WTF form whose text values are bounded before they are processed."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            """The request's form data, with every text value cut to its field's bound.

            Our forms are HTML forms: a JSON body is never read as one (Flask-WTF
            would, and a malformed one would fail inside an error page).
            """
            if formdata is _READ_THE_REQUEST and request.is_json:
                formdata = request.form
            data = super().wrap_formdata(form, formdata)
            return None if data is None else _bounded(form, data)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.cut_fields: set[str] = set()  # filled while the form data is wrapped
        super().__init__(*args, **kwargs)

    def validate(self, extra_validators=None) -> bool:
        """Validate as usual; a text that had to be cut is an error at its field."""
        valid = super().validate(extra_validators)
        for field in self:
            if field.name in self.cut_fields:
                message = too_long(text_limit(field))
                field.errors = [message, *(e for e in field.errors if e != message)]
                valid = False
        return valid
