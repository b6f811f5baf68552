"""From a checked search form to the rows a reviewer sees: one page, or every result for an export.

The search service finds and counts, inside the user's scope
(:func:`portal.auth.access.scope_for`). The rows are then read from the
database through :func:`portal.auth.access.complaint_filter` as well, so a
complaint the index has not yet caught up with (moved to another region,
unassigned) is never shown outside the scope: the database has the last word.

Sorting by footage deadline is done here, since the index does not know the
facilities' recording retention: the newest :data:`MAX_ROWS` results are read
(every one, on any sensible search), their deadlines computed in one query,
and ordered: the deadlines still ahead first (soonest first), then those just
past (latest first), then complaints with no incident date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.auth import access
from portal.casework.footage import FootageDeadline, complaint_deadlines
from portal.db import session
from portal.models import Complaint, ComplaintCategory, Facility, Region, User
from portal.review.search_form import FACET_FIELDS, PER_PAGE, UNKNOWN, SearchForm
from portal.search.filters import Filters, Scope
from portal.search.query import Parser, QueryError
from portal.search.schema import NONE, SCHEMA
from portal.search.service import MAX_PER_PAGE, SearchResult, search
from portal.search.snippets import snippet

#: Most complaints one export holds, or one sort by footage deadline considers.
MAX_ROWS = 10_000
#: Rows read from the database at a time.
CHUNK = 500
#: Days of recordings assumed kept when a facility's figures do not say (casework/footage.py).
DEFAULT_RETENTION_DAYS = 30


@dataclass
class Row:
    """One complaint as a list shows it: the complaint, its footage deadline, its snippet."""

    complaint: Complaint
    deadline: FootageDeadline
    snippet: Markup | None = None
    partial: bool = False


@dataclass
class Found:
    """A page of results: the total, facet counts by form field and value, the rows."""

    total: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    error: str | None = None
    #: True when a deadline sort looked at only the newest MAX_ROWS results.
    truncated: bool = False


def retention_default() -> int:
    """The retention assumed where a facility's figures say nothing."""
    return int(current_app.config.get("FOOTAGE_RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def rows_for(ids: list[int], user: User, snippets: dict[int, Markup] | None = None) -> list[Row]:
    """The rows of these complaints in this order, leaving out any the user may not read."""
    snippets = snippets or {}
    loaded: dict[int, Complaint] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for complaint in session.scalars(
            select(Complaint)
            .where(Complaint.id.in_(chunk), access.complaint_filter(user))
            .options(
                selectinload(Complaint.region),
                selectinload(Complaint.facility),
                selectinload(Complaint.categories),
                selectinload(Complaint.assignee),
            )
        ):
            loaded[complaint.id] = complaint
    deadlines = complaint_deadlines(session, loaded.values(), retention_default(), clock.today())
    return [Row(loaded[i], deadlines[i], snippets.get(i)) for i in ids if i in loaded]


def every_id(
    text: str, filters: Filters, scope: Scope, sort: str
) -> tuple[list[int], SearchResult]:
    """Ids of every complete match (up to MAX_ROWS, in order), and the first answer's totals."""
    ids: list[int] = []
    first: SearchResult | None = None
    page = 1
    while True:
        result = search(
            text,
            filters=filters,
            scope=scope,
            sort=sort,
            page=page,
            per_page=MAX_PER_PAGE,
            snippets=False,
        )
        if result.error:
            return [], result
        first = first or result
        ids += [hit.id for hit in result.hits if not hit.partial]
        if len(ids) >= min(result.total, MAX_ROWS) or len(result.hits) < MAX_PER_PAGE:
            return ids[:MAX_ROWS], first
        page += 1


def deadline_order(ids: list[int], user: User, today: date) -> list[int]:
    """``ids`` ordered by footage deadline: ahead (soonest first), past (latest first), unknown."""
    light = []  # only the columns a deadline needs: thousands of rows stay cheap
    for start in range(0, len(ids), CHUNK):
        light += session.execute(
            select(
                Complaint.id,
                Complaint.facility_id,
                Complaint.incident_date,
                Complaint.incident_date_precision,
            ).where(Complaint.id.in_(ids[start : start + CHUNK]), access.complaint_filter(user))
        ).all()
    deadlines = complaint_deadlines(session, light, retention_default(), today)
    newest = {complaint_id: rank for rank, complaint_id in enumerate(ids)}

    def key(complaint_id: int) -> tuple[int, int, int]:
        found = deadlines[complaint_id].deadline
        if found is None:
            return (2, 0, newest[complaint_id])
        days = (found - today).days
        return (0, days, 0) if days >= 0 else (1, -days, 0)

    return sorted(deadlines, key=key)


def _snippets(text: str, complaints: Iterable[Complaint]) -> dict[int, Markup]:
    """Snippets made from the stored narratives (for a page sorted outside the index)."""
    analyzer = SCHEMA["narrative"].analyzer
    try:
        terms = Parser(analyzer).parse(text).terms if text.strip() else set()
    except QueryError:
        terms = set()
    return {c.id: snippet(c.narrative or "", terms, analyzer) for c in complaints}


def find_page(form: SearchForm, filters: Filters, scope: Scope, user: User) -> Found:
    """The page the form asks for: results, their total and the facet counts."""
    text, sort = (form.q.data or "").strip(), form.chosen_sort
    page = form.page.data or 1
    if sort == "deadline":
        ids, result = every_id(text, filters, scope, "date")
        if result.error:
            return Found(error=result.error)
        ordered = deadline_order(ids, user, clock.today())
        rows = rows_for(ordered[(page - 1) * PER_PAGE : page * PER_PAGE], user)
        marks = _snippets(text, (row.complaint for row in rows))
        for row in rows:
            row.snippet = marks.get(row.complaint.id)
    else:
        result = search(text, filters=filters, scope=scope, sort=sort, page=page, per_page=PER_PAGE)
        if result.error:
            return Found(error=result.error)
        partial = {hit.id for hit in result.hits if hit.partial}
        rows = rows_for(
            [hit.id for hit in result.hits], user, {h.id: h.snippet for h in result.hits}
        )
        for row in rows:
            row.partial = row.complaint.id in partial
    return Found(
        total=result.total,
        facets=facet_values(result.facets),
        rows=rows,
        truncated=sort == "deadline" and result.total > MAX_ROWS,
    )


def facet_values(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """The service's facet counts keyed by the form's fields and values (slugs, user names)."""
    names = {
        "region": _names(Region, Region.slug, facets.get("region", {})),
        "facility": _names(Facility, Facility.slug, facets.get("facility", {})),
        "assignee": _names(User, User.username, facets.get("assignee", {})),
    }
    converted: dict[str, dict[str, int]] = {}
    for form_field, index_field in FACET_FIELDS.items():
        counts = facets.get(index_field, {})
        mapping = names.get(form_field)
        converted[form_field] = {
            (mapping.get(value, value) if mapping is not None else value): count
            for value, count in counts.items()
            if mapping is None or value in mapping
        }
    return converted


def _names(model, column, counts: dict[str, int]) -> dict[str, str]:
    """Index value (an id, or ``none``) → the form's value (a slug or user name)."""
    ids = [int(value) for value in counts if value.isdigit()]
    found = {
        str(ident): name
        for ident, name in session.execute(select(model.id, column).where(model.id.in_(ids)))
    }
    if NONE in counts:
        found[NONE] = UNKNOWN
    return found


def categories_of(complaint: Complaint) -> list[ComplaintCategory]:
    """A complaint's categories in a stable order."""
    return sorted(complaint.categories, key=lambda link: link.category.value)
