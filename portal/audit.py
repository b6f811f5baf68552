"""The audit trail: who did what, when (UTC), written in one place and never changed.

Every staff action others must be able to check later goes through :func:`record`:
sign-ins and their failures, account changes, and (as the review pages arrive)
complaint views, searches, exports, contact reveals, downloads and status changes.
An event holds the actor, the time, the action, the object's type and id and a few
facts as JSON; never a complaint's content (narrative, contact, notes, messages) and
never a search's query text: :func:`record` refuses details under such names.

:func:`record` only adds the row: it is flushed and committed with the caller's own
work, so an action and its audit event are stored together or not at all. Nothing in
the application updates or deletes an event: the ORM refuses to (see the listeners
at the bottom), and no page or command offers it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_datetime
from flask import Flask, g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from portal import clock
from portal.db import session
from portal.models import AuditEvent, User

#: The actions recorded so far, with the label the audit log shows for each.
ACTIONS: dict[str, Any] = {
    "sign_in": _l("Signed in"),
    "sign_in.failed": _l("Failed sign-in attempt"),
    "sign_out": _l("Signed out"),
    "second_factor.enrolled": _l("Second factor set up"),
    "recovery_code.used": _l("Recovery code used"),
    "account.created": _l("Account created"),
    "account.disabled": _l("Account disabled"),
    "account.second_factor_reset": _l("Second factor reset"),
    "statistics.viewed": _l("Statistics viewed"),
    "statistics.exported": _l("Statistics downloaded (CSV)"),
    "casework.viewed": _l("Case work viewed"),
    "letter.issued": _l("Letter issued"),
    "letter.viewed": _l("Letter viewed"),
    "letter.downloaded": _l("Letter downloaded"),
    "referral.added": _l("Referral added"),
    "referral.updated": _l("Referral updated"),
    "reminder.set": _l("Follow-up reminder set"),
    "reminder.cleared": _l("Follow-up reminder cleared"),
    "complaints.searched": _l("Complaints searched"),
    "complaints.exported": _l("Complaints exported"),
    "saved_search.created": _l("Search saved"),
    "saved_search.deleted": _l("Saved search deleted"),
    "complaint.viewed": _l("Complaint viewed"),
    "complaint.status_changed": _l("Status changed"),
    "complaint.assigned": _l("Assignment changed"),
    "complaint.tag_added": _l("Tag added"),
    "complaint.tag_removed": _l("Tag removed"),
    "complaint.note_added": _l("Internal note added"),
    "complaint.message_sent": _l("Message sent to the complainant"),
    "complaint.contact_revealed": _l("Contact details revealed"),
    "attachment.downloaded": _l("Attachment downloaded"),
}
#: Detail names that could carry a complaint's content or a search's words: refused.
FORBIDDEN_DETAIL = frozenset(
    {"narrative", "contact", "text", "query", "q", "body", "message", "note", "password", "code"}
)
#: The longest detail kept, as JSON.
MAX_DETAIL = 2000


class AuditError(ValueError):
    """Raised when an event would carry content the audit log must never hold."""


def _object_reference(target: object) -> tuple[str | None, int | None]:
    """(type, id) of what an action was done to: a model instance or a (type, id) pair."""
    if target is None:
        return None, None
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), None if ident is None else int(ident)
    return type(target).__name__.lower(), getattr(target, "id", None)


def _detail_json(detail: Mapping[str, Any] | None) -> str | None:
    if not detail:
        return None
    refused = FORBIDDEN_DETAIL.intersection(name.lower() for name in detail)
    if refused:
        raise AuditError(f"the audit log never holds {sorted(refused)}")
    text = json.dumps(dict(detail), sort_keys=True, ensure_ascii=False, default=str)
    if len(text) > MAX_DETAIL:
        raise AuditError(f"audit detail longer than {MAX_DETAIL} characters")
    return text


def record(
    action: str,
    object: object = None,
    detail: Mapping[str, Any] | None = None,
    *,
    actor: User | bool | None = True,
) -> AuditEvent:
    """Add an audit event to the current session (flushed and committed by the caller).

    ``object`` is what the action was done to: a model instance, a ``(type, id)``
    pair, or None. ``detail`` is a few facts (filters of an export, old and new
    status), never content. ``actor`` defaults to the signed-in staff member of
    this request (``g.staff_user``); pass a user, or None for the command line.
    """
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}: add it to ACTIONS")
    who = g.get("staff_user") if actor is True else actor
    object_type, object_id = _object_reference(object)
    item = AuditEvent(
        at=clock.now(),
        actor_id=getattr(who, "id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=_detail_json(detail),
    )
    session.add(item)
    return item


def action_label(action: str) -> str:
    """The translated name of an action (the code itself for an action no longer listed)."""
    found = ACTIONS.get(action)
    return action if found is None else str(found)


def _refuse_change(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditError(f"audit event {target.id} cannot be changed or deleted")


event.listen(AuditEvent, "before_update", _refuse_change)
event.listen(AuditEvent, "before_delete", _refuse_change)


def utc_datetime(value: datetime) -> str:
    """A moment as date and time in UTC, in the words of the current locale."""
    return format_datetime(value, "medium", tzinfo=UTC, locale=get_locale())


def init_app(app: Flask) -> None:
    """Let templates name an action and show a UTC time; the listeners are installed on import."""
    app.jinja_env.globals["action_label"] = action_label
    app.jinja_env.filters["utc_datetime"] = utc_datetime
