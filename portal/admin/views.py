"""Administration pages: the landing page and the audit log (read-only, filterable)."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from portal import audit
from portal.auth import access
from portal.db import session
from portal.forms import BoundedForm
from portal.models import AuditEvent, Role, User

bp = Blueprint("admin", __name__, url_prefix="/<lang:lang_code>/admin")

PER_PAGE = 50
MAX_PAGE = 10_000


class AuditFilterForm(BoundedForm):
    """The audit log's filters, read from the query string (nothing changes: no CSRF)."""

    class Meta(BoundedForm.Meta):
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    actor = StringField(_l("Person (user name)"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("From (UTC)"), validators=[Optional()])
    until = DateField(_l("To (UTC)"), validators=[Optional()])


@bp.get("/")
@access.allow(Role.ADMIN)
def home():
    """The administration's landing page."""
    return render_template("admin/home.html")


def _filtered(form: AuditFilterForm) -> Select | None:
    """The events the filters choose, newest first; None when the person does not exist."""
    query = select(AuditEvent)
    if form.action.data:
        query = query.where(AuditEvent.action == form.action.data)
    if form.actor.data:
        actor = session.scalar(select(User.id).where(User.username == form.actor.data.lower()))
        if actor is None:
            return None
        query = query.where(AuditEvent.actor_id == actor)
    if form.since.data:
        query = query.where(AuditEvent.at >= datetime.combine(form.since.data, time(), UTC))
    if form.until.data:
        end = datetime.combine(form.until.data + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    return query


def _details(event: AuditEvent) -> list[tuple[str, str]]:
    try:
        found = json.loads(event.detail) if event.detail else {}
    except ValueError:
        return [("", event.detail or "")]
    return [(str(key), json.dumps(value, ensure_ascii=False)) for key, value in found.items()]


@bp.get("/audit")
@access.allow(Role.ADMIN)
def audit_log():
    """The audit log, newest first, filtered by action, person and dates (UTC)."""
    form = AuditFilterForm(formdata=_query_args())
    form.action.choices = [("", _l("All actions"))] + [
        (code, label) for code, label in audit.ACTIONS.items()
    ]
    page = _page()
    events: list[AuditEvent] = []
    total = 0
    valid = form.validate() if _query_args() else True
    query = _filtered(form) if valid else None
    if query is not None:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        events = list(
            session.scalars(
                query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                .limit(PER_PAGE)
                .offset((page - 1) * PER_PAGE)
            )
        )
    user_ids = {e.actor_id for e in events} | {
        e.object_id for e in events if e.object_type == "user"
    }
    names = dict(
        session.execute(select(User.id, User.username).where(User.id.in_(user_ids - {None}))).all()
    )
    pages = max(1, math.ceil(total / PER_PAGE))
    html = render_template(
        "admin/audit.html",
        form=form,
        events=events,
        names=names,
        details=_details,
        total=total,
        page=page,
        pages=pages,
        valid=valid,
        query_args=_query_args().to_dict(),
    )
    return html, 200 if valid else 422


def _query_args():
    return request.args


def _page() -> int:
    raw = _query_args().get("page", "1")[:6]
    return min(MAX_PAGE, max(1, int(raw))) if raw.isdigit() else 1
