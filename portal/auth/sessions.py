"""Staff sessions, kept on the server: the browser holds only an opaque token in its own cookie.

The staff cookie (``staff``; ``__Host-staff`` in production: HTTPS only, path ``/``,
no domain) is separate from the public cookie session that holds the CSRF token
and a citizen's follow-up token, so signing in or out as staff never touches a
citizen's state, and the other way round. It is ``HttpOnly`` and ``SameSite=Strict``.

The database keeps the token's SHA-256, the user, the user's session generation
and three times (:class:`portal.models.StaffSession`). A session ends

* at sign-out (:func:`end` deletes the row: a copy of the cookie opens nothing);
* after :data:`IDLE_TIMEOUT` without activity, and :data:`ABSOLUTE_LIFETIME` after
  sign-in however active;
* half-way (password checked, second factor not) after :data:`PENDING_LIFETIME`;
* with every other session of the user when the account is disabled or its second
  factor is reset (:func:`end_all` deletes the rows and raises the generation).

Completing the second factor replaces the token (no session fixation). Activity is
written at most once per :data:`RENEW_AFTER`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, Response, current_app, g, request
from sqlalchemy import delete, or_, select, update

from portal import clock
from portal.db import session as db
from portal.models import StaffSession, User

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_LIFETIME = timedelta(hours=12)
#: Between a correct password and the second factor.
PENDING_LIFETIME = timedelta(minutes=10)
RENEW_AFTER = timedelta(minutes=1)
_TOKEN_MAX_LENGTH = 128
_UNSET = object()


@dataclass(frozen=True)
class Current:
    """The browser's staff session and its user; ``complete`` once the second factor is checked."""

    user: User
    row: StaffSession

    @property
    def complete(self) -> bool:
        """True when both factors were checked."""
        return self.row.second_factor_at is not None


def cookie_name() -> str:
    """The staff cookie's name: ``__Host-staff`` in production, ``staff`` elsewhere."""
    return "__Host-staff" if current_app.config["PORTAL_ENV"] == "production" else "staff"


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of ``token``: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_expired(row: StaffSession, moment: datetime) -> bool:
    """True when ``row`` has ended at ``moment``."""
    if row.second_factor_at is None:
        return moment - row.created_at >= PENDING_LIFETIME
    return moment - row.last_seen_at >= IDLE_TIMEOUT or moment - row.created_at >= ABSOLUTE_LIFETIME


def _browser_token() -> str | None:
    token = request.cookies.get(cookie_name())
    if token and len(token) <= _TOKEN_MAX_LENGTH:
        return token
    return None


def _send_cookie(token: str | None) -> None:
    """Set (or, with None, delete) the staff cookie on this request's response."""
    g.staff_cookie = token


def purge_expired(moment: datetime | None = None) -> int:
    """Delete every staff session that has ended by ``moment``; return how many. No commit."""
    moment = moment or clock.now()
    result = db.execute(
        delete(StaffSession).where(
            or_(
                StaffSession.last_seen_at <= moment - IDLE_TIMEOUT,
                StaffSession.created_at <= moment - ABSOLUTE_LIFETIME,
                (StaffSession.second_factor_at.is_(None))
                & (StaffSession.created_at <= moment - PENDING_LIFETIME),
            )
        )
    )
    return result.rowcount or 0


def start(user: User) -> None:
    """Begin a half-way session (password checked) in this browser, and commit.

    The browser's earlier staff session, if any, ends first.
    """
    moment = clock.now()
    earlier = _browser_token()
    if earlier is not None:
        db.execute(delete(StaffSession).where(StaffSession.token_hash == hash_token(earlier)))
    purge_expired(moment)
    token = secrets.token_urlsafe(32)
    db.add(
        StaffSession(
            token_hash=hash_token(token),
            user_id=user.id,
            generation=user.session_generation,
            created_at=moment,
            last_seen_at=moment,
        )
    )
    db.commit()
    _send_cookie(token)
    g.staff_current = None  # what this request knew before is stale


def complete(current: Current) -> None:
    """Mark the second factor checked, under a new token; the caller commits."""
    moment = clock.now()
    token = secrets.token_urlsafe(32)
    current.row.token_hash = hash_token(token)
    current.row.second_factor_at = moment
    current.row.created_at = moment  # the 12 hours count from the full sign-in
    current.row.last_seen_at = moment
    _send_cookie(token)


def current() -> Current | None:
    """This browser's live staff session, loaded once per request; None without one.

    An ended session (timed out, its user disabled, or its generation passed) is
    deleted and the cookie forgotten.
    """
    found = g.get("staff_current", _UNSET)
    if found is not _UNSET:
        return found  # type: ignore[return-value]
    g.staff_current = found = _load()
    g.staff_user = found.user if found is not None and found.complete else None
    return found


def _load() -> Current | None:
    token = _browser_token()
    if token is None:
        return None
    row = db.scalars(
        select(StaffSession).where(StaffSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        _send_cookie(None)
        return None
    user = db.get(User, row.user_id)
    moment = clock.now()
    if (
        user is None
        or not user.is_active
        or row.generation != user.session_generation
        or is_expired(row, moment)
    ):
        db.execute(delete(StaffSession).where(StaffSession.id == row.id))
        db.commit()
        _send_cookie(None)
        return None
    if moment - row.last_seen_at >= RENEW_AFTER:
        db.execute(
            update(StaffSession).where(StaffSession.id == row.id).values(last_seen_at=moment)
        )
        db.commit()
    return Current(user=user, row=row)


def end() -> User | None:
    """End this browser's staff session on the server and in the cookie; return its user.

    The caller commits.
    """
    found = current()
    token = _browser_token()
    if token is not None:
        db.execute(delete(StaffSession).where(StaffSession.token_hash == hash_token(token)))
    _send_cookie(None)
    g.staff_current, g.staff_user = None, None
    return found.user if found is not None else None


def end_all(user: User) -> int:
    """End every session of ``user`` at once (disabled, factor reset); return how many.

    The caller commits.
    """
    user.session_generation = (user.session_generation or 0) + 1
    result = db.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    return result.rowcount or 0


def _write_cookie(response: Response) -> Response:
    token = g.get("staff_cookie", _UNSET)
    if token is _UNSET:
        return response
    secure = current_app.config["PORTAL_ENV"] == "production"
    if token is None:
        response.delete_cookie(
            cookie_name(), path="/", secure=secure, httponly=True, samesite="Strict"
        )
    else:
        response.set_cookie(
            cookie_name(),
            token,  # type: ignore[arg-type]
            path="/",
            secure=secure,
            httponly=True,
            samesite="Strict",
        )
    return response


def _forget() -> None:
    """Start each request knowing nothing of a staff session (``g`` may outlive a request)."""
    for name in ("staff_current", "staff_user", "staff_cookie"):
        g.pop(name, None)


def init_app(app: Flask) -> None:
    """Load the staff session afresh for each request; write the cookie when it changed."""
    app.before_request(_forget)
    app.after_request(_write_cookie)
