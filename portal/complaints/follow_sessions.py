"""Follow-up sessions, kept on the server: the browser holds only an opaque token.

After a complainant enters a receipt code, the browser's (signed, not
encrypted) cookie session holds a random token under ``follow_up`` and nothing
else about the complaint; the database holds the token's SHA-256, the complaint
and two times (:class:`portal.models.FollowUpSession`). No address or browser
detail is stored.

A session ends

* when the complainant leaves (:func:`end` deletes the row, so a copy of the
  cookie opens nothing any more);
* after :data:`IDLE_TIMEOUT` without activity;
* :data:`ABSOLUTE_LIFETIME` after the code was entered, however active the
  browser was: then the code must be entered again;
* when the code is entered again in the same browser (a new token replaces the
  old one, which stops working: no session fixation), or when the complaint is
  deleted (``ON DELETE CASCADE``).

Activity is written down at most once per :data:`RENEW_AFTER`, so reading pages
does not write to the database on every request; the idle timeout therefore
counts from the last write and may end a session up to that much early.

Times come from :func:`portal.complaints.services.now`, which tests replace to
move the clock. Like the other services, these functions commit their own work.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import session as cookie
from sqlalchemy import delete, or_, select, update

from portal.complaints import services
from portal.db import session as db
from portal.models import Complaint, FollowUpSession

#: The key in the browser's cookie session; its value is the token, never the complaint.
KEY = "follow_up"
#: A session ends this long after the last recorded activity.
IDLE_TIMEOUT = timedelta(minutes=30)
#: A session ends this long after the code was entered, whatever the activity.
ABSOLUTE_LIFETIME = timedelta(hours=2)
#: Activity is written to the database only when the last write is at least this old.
RENEW_AFTER = timedelta(minutes=1)
#: Tokens are ``secrets.token_urlsafe(32)`` (43 characters); anything much longer is not ours.
_TOKEN_MAX_LENGTH = 128


def new_token() -> str:
    """A fresh random token for a browser's cookie (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of ``token``: what the database keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def is_expired(created_at: datetime, last_seen_at: datetime, moment: datetime) -> bool:
    """True when a session created and last seen at these times has ended at ``moment``."""
    return moment - last_seen_at >= IDLE_TIMEOUT or moment - created_at >= ABSOLUTE_LIFETIME


def _cookie_token() -> str | None:
    """This browser's token, or None; anything that is not a plausible token is dropped."""
    token = cookie.get(KEY)
    if token is None:
        return None
    if isinstance(token, str) and 0 < len(token) <= _TOKEN_MAX_LENGTH:
        return token
    cookie.pop(KEY, None)  # e.g. the old {"id", "until"} form: never trusted
    return None


def _delete_token(token: str) -> None:
    db.execute(delete(FollowUpSession).where(FollowUpSession.token_hash == hash_token(token)))


def purge_expired(moment: datetime | None = None) -> int:
    """Delete every session that has ended by ``moment`` (default: now); return how many.

    Called whenever a session starts, and meant for the ``purge-expired``
    command. It does not commit: the caller does, once.
    """
    moment = moment or services.now()
    result = db.execute(
        delete(FollowUpSession).where(
            or_(
                FollowUpSession.last_seen_at <= moment - IDLE_TIMEOUT,
                FollowUpSession.created_at <= moment - ABSOLUTE_LIFETIME,
            )
        )
    )
    return result.rowcount or 0


def start(complaint: Complaint) -> None:
    """Open a follow-up session for ``complaint`` in this browser, and commit.

    The browser's earlier session, if any, is deleted first, and the new one gets
    a new token: a token planted in or copied from this browser before the code
    was entered never opens the complaint. Ended sessions are purged on the way.
    """
    moment = services.now()
    earlier = _cookie_token()
    if earlier is not None:
        _delete_token(earlier)
    purge_expired(moment)
    token = new_token()
    db.add(
        FollowUpSession(
            token_hash=hash_token(token),
            complaint_id=complaint.id,
            created_at=moment,
            last_seen_at=moment,
        )
    )
    db.commit()
    cookie[KEY] = token


def current() -> Complaint | None:
    """The complaint this browser follows up, or None when it has no live session.

    An ended session is deleted and forgotten by the browser. A live one is
    renewed, with a write only when the last one is at least :data:`RENEW_AFTER` old.
    """
    token = _cookie_token()
    if token is None:
        return None
    row = db.scalars(
        select(FollowUpSession).where(FollowUpSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        cookie.pop(KEY, None)
        return None
    moment = services.now()
    if is_expired(row.created_at, row.last_seen_at, moment):
        db.execute(delete(FollowUpSession).where(FollowUpSession.id == row.id))
        db.commit()
        cookie.pop(KEY, None)
        return None
    if moment - row.last_seen_at >= RENEW_AFTER:
        db.execute(
            update(FollowUpSession).where(FollowUpSession.id == row.id).values(last_seen_at=moment)
        )
        db.commit()
    return db.get(Complaint, row.complaint_id)


def end() -> None:
    """End this browser's follow-up session on the server and in the cookie, and commit.

    Deleting the row means that a copy of the cookie taken earlier opens nothing.
    """
    token = _cookie_token()
    cookie.pop(KEY, None)
    if token is not None:
        _delete_token(token)
        db.commit()
