"""The reviewers' pages. Every view declares who reaches it (``portal.auth.access``)."""

from __future__ import annotations

from flask import Blueprint, render_template

from portal.auth import access, sessions

bp = Blueprint("review", __name__, url_prefix="/<lang:lang_code>/review")


@bp.get("/")
@access.allow(access.SIGNED_IN)
def home():
    """The landing page: who is signed in, their roles and regions, and sign-out."""
    current = sessions.current()
    assert current is not None  # the guard let only a signed-in user through
    user = current.user
    return render_template(
        "review/home.html",
        user=user,
        reads_complaints=access.can(user, access.Permission.READ_COMPLAINTS),
        all_regions=access.can(user, access.Permission.READ_ALL_REGIONS),
        administers=access.can(user, access.Permission.READ_AUDIT),
    )
