"""The reviewers' pages. Every view declares who reaches it (``portal.auth.access``).

``GET /LANG/review/`` is the workspace: who is signed in (in brief), and for
those who read complaints the queue (:mod:`portal.review.queue`), a search box
and their saved searches. Analysts and administrators without a reviewing role
get the page without any complaint. Search, export and saved searches are in
:mod:`portal.review.search_views`.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from portal import clock
from portal.auth import access
from portal.review.attention import needs_attention
from portal.review.queue import QUEUE_MAX_PAGE, queue_page
from portal.review.saved import DeleteSearchForm, saved_by

bp = Blueprint("review", __name__, url_prefix="/<lang:lang_code>/review")


def page_number(raw: str | None, last: int) -> int:
    """A page number from the query string, bounded to 1…``last`` (1 when not a number)."""
    raw = (raw or "1")[:6]
    return min(last, max(1, int(raw))) if raw.isdigit() else 1


@bp.app_template_global()
def complaint_url(complaint_id: int) -> str:
    """The case page of a complaint."""
    return url_for("review.complaint", complaint_id=complaint_id)


@bp.app_template_filter("kz_date")
def kz_date(moment):
    """The calendar day in Kazakhstan of a stored (UTC) moment."""
    return clock.kazakhstan_date(moment)


@bp.get("/")
@access.allow(access.SIGNED_IN)
def home():
    """The workspace: who you are, then overdue referrals and due reminders, the queue, a search
    box and saved searches."""
    user = access.current_user()
    reads = access.can(user, access.Permission.READ_COMPLAINTS)
    queue = (
        queue_page(user, page_number(request.args.get("page"), QUEUE_MAX_PAGE)) if reads else None
    )
    return render_template(
        "review/home.html",
        user=user,
        reads_complaints=reads,
        all_regions=access.can(user, access.Permission.READ_ALL_REGIONS),
        administers=access.can(user, access.Permission.READ_AUDIT),
        queue=queue,
        attention=needs_attention(user) if reads else None,
        saved=saved_by(user) if reads else [],
        delete_form=DeleteSearchForm(),
    )
