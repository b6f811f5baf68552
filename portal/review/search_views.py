"""Search, its CSV export, and saved searches (``/LANG/review/search…``).

Only those who read complaints reach them (reviewers and coordinators, and an
administrator with a reviewing role); the scope is :func:`access.scope_for`.
A bad parameter gets the page with its message and 400, a query the search
cannot run its friendly message (400; 200 while the index catches up), never
a 500. Each search and each export is audited with its filters and count,
never its words.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal import audit, clock
from portal.auth import access
from portal.db import session
from portal.i18n import current_language
from portal.models import Region, Role, User
from portal.review import finder, saved
from portal.review.export import csv_text
from portal.review.search_form import (
    MAX_PAGE,
    PER_PAGE,
    SearchForm,
    audit_detail,
    filters_of,
    query_pairs,
    query_string,
    set_choices,
    too_many,
)
from portal.review.views import bp
from portal.search.messages import error_message

READERS = (Role.REVIEWER, Role.COORDINATOR)


def _regions(user: User) -> list[Region]:
    if access.can(user, access.Permission.READ_ALL_REGIONS):
        return list(session.scalars(select(Region).order_by(Region.slug)))
    return sorted(user.regions, key=lambda region: region.slug)


def _assignees() -> list[User]:
    people = session.scalars(select(User).where(User.is_active).order_by(User.username))
    return [person for person in people if access.can(person, access.Permission.READ_COMPLAINTS)]


def read_form(user: User, args: MultiDict) -> tuple[SearchForm, str | None, bool]:
    """(the form filled from ``args``, a refusal of the whole address, whether it is valid)."""
    refused = too_many(args)
    form = SearchForm(formdata=MultiDict() if refused else args)
    set_choices(form, _regions(user), _assignees(), current_language())
    valid = refused is None and form.validate()
    return form, refused, valid


def _scope(user: User):
    scope = access.scope_for(user)
    if scope is None:  # a role that reads no complaint: the guard should have refused it
        abort(403)
    return scope


def _status(code: str | None) -> int:
    return 200 if code in (None, "unavailable") else 400


@bp.get("/search")
@access.allow(*READERS)
def search():
    """Search the complaints in scope: words, facets with counts, sorts and pages."""
    user = access.current_user()
    scope = _scope(user)
    form, refused, valid = read_form(user, request.args)
    found, problem = finder.Found(), refused
    if valid:
        found = finder.find_page(form, filters_of(form), scope, user)
        if found.error:
            problem = str(error_message(found.error))
        else:
            audit.record("complaints.searched", detail=audit_detail(form, found.total))
            session.commit()
    pages = max(1, min(MAX_PAGE, math.ceil(found.total / PER_PAGE)))
    base = query_pairs(form) if valid else []

    def page_url(number: int) -> str:
        return url_for(".search") + "?" + urlencode([*base, ("page", str(number))])

    status = 400 if not valid else _status(found.error)
    return _page(
        form,
        found=found,
        valid=valid,
        problem=problem,
        page=(form.page.data or 1) if valid else 1,
        pages=pages,
        page_url=page_url,
        query=query_string(form) if valid else "",
        export_url=url_for(".export") + "?" + urlencode(base) if valid else None,
    ), status


def _page(form: SearchForm, *, name: str = "", **values):
    """The search page (``values``: what was found, or why nothing was)."""
    user = access.current_user()
    defaults = dict(
        found=finder.Found(),
        valid=False,
        problem=None,
        page=1,
        pages=1,
        page_url=lambda number: "",
        query="",
        export_url=None,
    )
    defaults.update(values)
    return render_template(
        "review/search.html",
        form=form,
        save_form=saved.SaveSearchForm(formdata=None, query=defaults["query"], name=name),
        saved=saved.saved_by(user),
        delete_form=saved.DeleteSearchForm(),
        max_rows=finder.MAX_ROWS,
        **defaults,
    )


@bp.get("/search/export.csv")
@access.allow(*READERS)
def export():
    """Every result of a search as CSV (at most MAX_ROWS), made safe for spreadsheets."""
    user = access.current_user()
    scope = _scope(user)
    form, refused, valid = read_form(user, request.args)
    if not valid:
        return _refused(form, refused or _("Some filters are not valid. Correct them first."))
    text = (form.q.data or "").strip()
    sort = form.chosen_sort
    ids, result = finder.every_id(
        text, filters_of(form), scope, "date" if sort == "deadline" else sort
    )
    if result.error:
        return _refused(form, str(error_message(result.error)), _status(result.error))
    if result.total > finder.MAX_ROWS:
        return _refused(
            form,
            ngettext(
                "This search finds %(num)s complaint, more than an export can hold (%(max)s). "
                "Narrow it with filters, for example by dates received.",
                "This search finds %(num)s complaints, more than an export can hold (%(max)s). "
                "Narrow it with filters, for example by dates received.",
                result.total,
                max=format_decimal(finder.MAX_ROWS),
            ),
        )
    if sort == "deadline":
        ids = finder.deadline_order(ids, user, clock.today())
    rows = finder.rows_for(ids, user)
    body = csv_text(rows, current_language())
    audit.record(
        "complaints.exported", detail={**audit_detail(form, result.total), "rows": len(rows)}
    )
    session.commit()
    name = f"complaints-{clock.today().isoformat()}.csv"
    return (
        body.encode("utf-8"),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )


def _refused(form: SearchForm, message: str, status: int = 400):
    return _page(form, problem=message), status


@bp.post("/searches")
@access.allow(*READERS)
def save_search():
    """Keep the search on screen under a name (its filters checked again first)."""
    user = access.current_user()
    form = saved.SaveSearchForm()
    args = MultiDict(parse_qsl((form.query.data or "")[: saved.MAX_QUERY]))
    search_form, refused, valid = read_form(user, args)
    name = (form.name.data or "")[:100]
    if not form.validate():
        problem = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _page(search_form, name=name, problem=problem, query=form.query.data), 400
    if not valid:
        problem = refused or _("Some filters are not valid. Correct them first.")
        return _page(search_form, name=name, problem=problem), 400
    item, problem = saved.save(user, form.name.data, query_string(search_form))
    if item is None:
        return _page(search_form, name=name, problem=problem, query=form.query.data), 400
    flash(_("The search is saved."))
    return redirect(url_for(".search") + "?" + item.query, code=303)


@bp.post("/searches/<int:search_id>/delete")
@access.allow(*READERS)
def delete_search(search_id: int):
    """Delete one of your saved searches (someone else's is not found)."""
    user = access.current_user()
    if not saved.DeleteSearchForm().validate() or not saved.delete(user, search_id):
        abort(404)
    flash(_("The saved search is deleted."))
    return redirect(url_for(".home"), code=303)
