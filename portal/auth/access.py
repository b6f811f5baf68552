"""Who may reach what: the one place where roles and scope are decided.

**Roles.** A reviewer reads the complaints of their regions; a coordinator reads
every complaint and assigns them; an analyst sees statistics only, never a
narrative, an attachment or a contact; an administrator manages accounts and
reads the audit log, and reads complaints only when also given a reviewing role
(``User.reviewing_role``). A complaint with no known region is visible to
coordinators and to the reviewer it is assigned to, no one else.

**The guard.** Every staff page (the blueprints in :data:`STAFF_BLUEPRINTS`, and
any URL under ``/LANG/review`` or ``/LANG/admin`` whichever blueprint it is in)
passes :func:`_guard` before its view runs. The view must declare who reaches it,
with :func:`allow` (roles), :data:`SIGNED_IN` (any staff member) or
:func:`anonymous` (the sign-in pages); an endpoint that declares nothing is
refused to everyone (deny by default). A visitor who is not signed in is sent to
the sign-in page; a signed-in one without the role gets 403. Staff responses are
never stored by a browser or proxy (``Cache-Control: no-store``).

**The signed-in member.** :func:`current_user` is who the guard let through;
:func:`readable_or_404` the complaint a view opens, 404 when it is outside the
user's scope or does not exist (never 403, so ids cannot be probed).

**Scope.** :func:`scope_for` gives the search service's :class:`Scope` and
:func:`complaint_filter` a SQLAlchemy condition for complaint queries, both from
:func:`_visibility`, so a page, a search, an export, a count and a download
cannot disagree about what a user may see. Nothing visible is ``None`` for a user
who may read no complaint: callers must refuse, never widen. :func:`statistics_filter`
is the same scope for counts, where a statistics-only analyst counts every region.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, redirect, request, url_for
from sqlalchemy import ColumnElement, and_, false, or_, select, true

from portal.auth import sessions
from portal.db import session
from portal.models import Complaint, Role, User
from portal.search.filters import Scope

log = logging.getLogger(__name__)

#: Blueprints whose every endpoint is guarded.
STAFF_BLUEPRINTS = frozenset({"auth", "review", "admin", "casework"})
#: URL prefixes (after the language) that are staff pages whatever blueprint serves them.
STAFF_PATHS = ("review", "admin")
_ATTRIBUTE = "staff_access"

F = TypeVar("F", bound=Callable[..., Any])


class Permission(enum.StrEnum):
    """What a role allows; views and services ask for a permission, not for a role."""

    READ_COMPLAINTS = "read_complaints"  # narratives, attachments, contacts (within scope)
    READ_ALL_REGIONS = "read_all_regions"  # every region, and complaints with none
    ASSIGN = "assign"
    STATISTICS = "statistics"
    MANAGE_ACCOUNTS = "manage_accounts"
    READ_AUDIT = "read_audit"


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.REVIEWER: frozenset({Permission.READ_COMPLAINTS, Permission.STATISTICS}),
    Role.COORDINATOR: frozenset(
        {
            Permission.READ_COMPLAINTS,
            Permission.READ_ALL_REGIONS,
            Permission.ASSIGN,
            Permission.STATISTICS,
        }
    ),
    Role.ANALYST: frozenset({Permission.STATISTICS}),
    Role.ADMIN: frozenset({Permission.MANAGE_ACCOUNTS, Permission.READ_AUDIT}),
}


class _Marker(enum.Enum):
    ANONYMOUS = "anonymous"  # anyone, signed in or not (the sign-in pages)
    PENDING = "pending"  # a browser half-way through sign-in (password checked)
    SIGNED_IN = "signed-in"  # any staff member, whatever the role


#: Declared by views any signed-in staff member may reach (landing page, sign-out).
SIGNED_IN = frozenset({_Marker.SIGNED_IN})


def permissions(user: User | None) -> frozenset[Permission]:
    """Everything ``user``'s roles allow (nothing for None or a disabled account)."""
    if user is None or not user.is_active:
        return frozenset()
    found: set[Permission] = set()
    for role in user.roles:
        found |= PERMISSIONS[role]
    return frozenset(found)


def can(user: User | None, permission: Permission) -> bool:
    """True when ``user`` holds ``permission``."""
    return permission in permissions(user)


# --- declaring who reaches a view -----------------------------------------------------------


def allow(*roles: Role | frozenset) -> Callable[[F], F]:
    """Declare the roles that reach a view (or :data:`SIGNED_IN` for every staff member)."""
    allowed: set = set()
    for role in roles:
        allowed |= role if isinstance(role, frozenset) else {role}

    def declare(view: F) -> F:
        setattr(view, _ATTRIBUTE, frozenset(allowed))
        return view

    return declare


def anonymous(view: F) -> F:
    """Declare a view anyone may reach (the sign-in form)."""
    setattr(view, _ATTRIBUTE, frozenset({_Marker.ANONYMOUS}))
    return view


def pending(view: F) -> F:
    """Declare a view of the second sign-in step: only a browser whose password was checked."""
    setattr(view, _ATTRIBUTE, frozenset({_Marker.PENDING}))
    return view


def declared(endpoint: str) -> frozenset | None:
    """What ``endpoint`` declared (None: nothing, so it is refused)."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, _ATTRIBUTE, None)


def is_staff_request() -> bool:
    """True when this request is for a staff page."""
    rule, endpoint = request.url_rule, request.endpoint or ""
    if endpoint.split(".", 1)[0] in STAFF_BLUEPRINTS:
        return True
    if rule is None:
        return False
    segments = [part for part in rule.rule.split("/") if part]
    return bool(segments) and (
        segments[0] in STAFF_PATHS or (len(segments) > 1 and segments[1] in STAFF_PATHS)
    )


def _guard() -> Response | None:
    g.staff_page = is_staff_request()
    if not g.staff_page:
        return None
    allowed = declared(request.endpoint or "")
    if allowed is None:
        log.warning("staff endpoint %s declares no roles: refused", request.endpoint)
        abort(403)
    if _Marker.ANONYMOUS in allowed:
        return None
    found = sessions.current()
    if _Marker.PENDING in allowed:
        if found is None or found.complete:
            return redirect(url_for("auth.login"), code=303)
        return None
    if found is None or not found.complete:
        return redirect(url_for("auth.login"), code=303)
    if _Marker.SIGNED_IN in allowed or allowed & found.user.roles:
        return None
    abort(403)


def _no_store(response: Response) -> Response:
    if g.get("staff_page"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.vary.add("Cookie")
    return response


# --- scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Visibility:
    """Regions a user may read (None: all), and whether unknown-region complaints of theirs are."""

    regions: frozenset[int] | None
    assignee_for_unknown: int | None


def _visibility(user: User | None) -> _Visibility | None:
    if not can(user, Permission.READ_COMPLAINTS):
        return None
    assert user is not None
    if can(user, Permission.READ_ALL_REGIONS):
        return _Visibility(regions=None, assignee_for_unknown=None)
    return _Visibility(
        regions=frozenset(region.id for region in user.regions), assignee_for_unknown=user.id
    )


def scope_for(user: User | None) -> Scope | None:
    """The search scope of ``user``, or None when they may read no complaint (refuse)."""
    seen = _visibility(user)
    if seen is None:
        return None
    if seen.regions is None:
        return Scope()
    return Scope(regions=seen.regions, unknown_region_assignee=seen.assignee_for_unknown)


def complaint_filter(user: User | None) -> ColumnElement[bool]:
    """A condition on :class:`Complaint` keeping only what ``user`` may read (false: nothing)."""
    seen = _visibility(user)
    if seen is None:
        return false()
    if seen.regions is None:
        return true()
    return or_(
        Complaint.region_id.in_(sorted(seen.regions)) if seen.regions else false(),
        and_(Complaint.region_id.is_(None), Complaint.assignee_id == seen.assignee_for_unknown),
    )


def statistics_filter(user: User | None) -> ColumnElement[bool]:
    """A condition on :class:`Complaint` keeping what ``user``'s statistics count (false: nothing).

    Someone who reads complaints counts exactly what they may read
    (:func:`complaint_filter`): a reviewer their regions, a coordinator everything. A
    statistics-only analyst reads no complaint but counts every region, and complaints
    with no known region, since ``create-user`` gives regions to reviewers only; should
    an analyst ever hold regions, their counts keep to those regions.
    """
    if not can(user, Permission.STATISTICS):
        return false()
    if can(user, Permission.READ_COMPLAINTS):
        return complaint_filter(user)
    assert user is not None
    regions = sorted(region.id for region in user.regions)
    return Complaint.region_id.in_(regions) if regions else true()


def may_read(user: User | None, complaint: Complaint) -> bool:
    """True when ``user`` may read ``complaint`` (the same rules as :func:`complaint_filter`)."""
    seen = _visibility(user)
    if seen is None:
        return False
    if seen.regions is None:
        return True
    if complaint.region_id is None:
        return complaint.assignee_id == seen.assignee_for_unknown
    return complaint.region_id in seen.regions


def may_be_assigned(user: User | None, complaint: Complaint) -> bool:
    """True when ``complaint`` may be assigned to ``user``: they would read it once assigned.

    A reviewer whose regions include the complaint's, a coordinator, or, for a
    complaint with no known region, any member who reads complaints.
    """
    seen = _visibility(user)
    if seen is None:
        return False
    return (
        seen.regions is None or complaint.region_id is None or complaint.region_id in seen.regions
    )


def current_user() -> User:
    """The signed-in staff member of this request (the guard let only such a request through)."""
    found = sessions.current()
    if found is None or not found.complete:  # pragma: no cover - the guard redirects first
        abort(403)
    return found.user


def readable_or_404(complaint_id: int) -> Complaint:
    """The complaint ``complaint_id`` when the signed-in user may read it; 404 otherwise."""
    found = session.scalars(
        select(Complaint).where(Complaint.id == complaint_id, complaint_filter(current_user()))
    ).first()
    if found is None:
        abort(404)
    return found


def init_app(app: Flask) -> None:
    """Guard every staff request and keep staff responses out of every cache."""
    app.before_request(_guard)
    app.after_request(_no_store)
