"""Sign-in forms: user name and password, then a one-time code (or a recovery code)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from portal.auth.passwords import MAX_LENGTH
from portal.forms import BoundedForm


class LoginForm(BoundedForm):
    """The first step: who you are and your password."""

    username = StringField(
        _l("User name"),
        validators=[InputRequired(_l("Enter your user name.")), Length(max=64)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )


class CodeForm(BoundedForm):
    """The second step: the six-digit code of the authenticator app, or a recovery code."""

    code = StringField(
        _l("One-time code"),
        validators=[InputRequired(_l("Enter the code.")), Length(max=24)],
    )


class EnrolForm(BoundedForm):
    """First sign-in: the code the newly set-up app shows, proving it holds the secret."""

    code = StringField(
        _l("One-time code"),
        validators=[InputRequired(_l("Enter the code.")), Length(max=24)],
    )
