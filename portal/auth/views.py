"""Staff sign-in pages: password, then the second factor (set up on the first sign-in), sign-out.

Every page here is a staff page (guarded by :mod:`portal.auth.access`, never
cached). The forms carry the ``autocomplete`` names password managers and scripts
look for: ``username``, ``current-password``, then ``one-time-code``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_datetime, gettext, ngettext
from flask_babel import lazy_gettext as _l

from portal import audit
from portal.auth import access, sessions, signin, totp
from portal.auth.forms import CodeForm, EnrolForm, LoginForm
from portal.db import session
from portal.models import Role, User
from portal.security import limits

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang_code>/review")

#: One answer for an unknown user, a wrong password, a disabled or a throttled account.
REFUSED = _l(
    "The user name or password is not right, or this account had too many attempts "
    "in the last minute. Check them, wait a minute and try again."
)
WRONG_CODE = _l(
    "This code is not right, was used already, or this account had too many attempts "
    "in the last minute. Wait for the next code and try again."
)


def landing_url(user: User) -> str:
    """Where a signed-in user starts: the review landing page, or the administration's."""
    return url_for("admin.home" if user.roles == {Role.ADMIN} else "review.home")


def landing(user: User):
    """A redirect to :func:`landing_url`."""
    return redirect(landing_url(user), code=303)


@bp.route("/login", methods=["GET", "POST"])
@access.anonymous
def login():
    """The first step: user name and password; the same answer for every wrong pair."""
    current = sessions.current()
    if current is not None and current.complete:
        return landing(current.user)
    form = LoginForm()
    if form.is_submitted():
        limits.hit("sign-in")
    if form.validate_on_submit():
        user = signin.check_password(form.username.data, form.password.data)
        if user is not None:
            session.commit()  # a rehashed password
            sessions.start(user)
            return redirect(url_for(".second_step"), code=303)
        form.form_errors.append(str(REFUSED))
    form.password.data = ""  # never sent back into the page
    status = 422 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@access.pending
def second_step():
    """The second step: the authenticator's code, or a recovery code."""
    current = sessions.current()
    assert current is not None  # the guard let only a half-way session through
    if current.user.totp_confirmed_at is None:
        return redirect(url_for(".enrol"), code=303)
    form = CodeForm()
    if form.is_submitted():
        limits.hit("sign-in")
    if form.validate_on_submit():
        kind = signin.check_second_factor(current.user, form.code.data)
        if kind is not None:
            _finish(current, enrolled=False, recovery=kind == "recovery")
            return landing(current.user)
        form.form_errors.append(str(WRONG_CODE))
    form.code.data = ""
    status = 422 if form.is_submitted() else 200
    return render_template("auth/code.html", form=form, user=current.user), status


@bp.route("/login/enrol", methods=["GET", "POST"])
@access.pending
def enrol():
    """First sign-in (or after a reset): the QR code drawn here, then the code it produces."""
    current = sessions.current()
    assert current is not None
    user = current.user
    if user.totp_confirmed_at is not None:
        return redirect(url_for(".second_step"), code=303)
    secret = totp.secret_of(user)
    if secret is None:  # an account made without a secret: only an operator can fix it
        sessions.end()
        session.commit()
        flash(gettext("This account has no second factor yet. Ask an administrator to reset it."))
        return redirect(url_for(".login"), code=303)
    form = EnrolForm()
    if form.is_submitted():
        limits.hit("sign-in")
    if form.validate_on_submit():
        if signin.check_second_factor(user, form.code.data, enrolling=True):
            codes = totp.new_recovery_codes(user)
            _finish(current, enrolled=True)  # commits the codes' digests with the sign-in
            html = render_template(
                "auth/recovery_codes.html", codes=codes, next_url=landing_url(user)
            )
            return html
        form.code.errors = [str(WRONG_CODE)]
    form.code.data = ""
    status = 422 if form.is_submitted() else 200
    uri = totp.provisioning_uri(user, secret)
    return render_template(
        "auth/enrol.html",
        form=form,
        user=user,
        qr=totp.qr_data_uri(uri),
        secret=totp.grouped_secret(secret),
    ), status


def _finish(current: sessions.Current, *, enrolled: bool, recovery: bool = False) -> None:
    """Finish signing in: new token, audit, the warning about failed attempts; commit."""
    failures, last = signin.signed_in(current.user, enrolled)
    sessions.complete(current)
    session.commit()
    if failures:
        flash(
            ngettext(
                "Since your previous sign-in, %(num)d attempt to sign in to your account "
                "failed (the last at %(when)s UTC). If it was not you, tell an administrator.",
                "Since your previous sign-in, %(num)d attempts to sign in to your account "
                "failed (the last at %(when)s UTC). If it was not you, tell an administrator.",
                failures,
                when=format_datetime(last, "short", rebase=False) if last else "—",
            )
        )
    if recovery:
        left = totp.recovery_codes_left(current.user)
        flash(
            ngettext(
                "You signed in with a recovery code. %(num)d code is left.",
                "You signed in with a recovery code. %(num)d codes are left.",
                left,
            )
        )


@bp.post("/logout")
@access.anonymous
def logout():
    """End this browser's staff session on the server and in the cookie."""
    user = sessions.end()
    if user is not None:
        audit.record("sign_out", object=user, actor=user)
    session.commit()
    flash(gettext("You have signed out."))
    return redirect(url_for(".login"), code=303)
