"""Signing in: the password step, the second-factor step, throttling and the owner's warning.

Every failure is an audit event (``sign_in.failed``, with the account when it
exists), and the throttle counts them: after :data:`MAX_FAILURES` failures for an
account within :data:`FAILURE_WINDOW`, the next attempt is refused even with the
right password, and counted too. The password is checked before the throttle, on
every attempt, so the answer takes the same time whether the account exists, is
throttled or not; and the visitor always reads the same message, so it tells no
one which user names are real. At the next successful sign-in the owner is told
how many attempts failed since the previous one (:func:`failures_since`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal import audit, clock
from portal.auth import passwords, totp
from portal.db import session
from portal.models import AuditEvent, User

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=1)
FAILED = "sign_in.failed"


def find_user(username: str) -> User | None:
    """The account named ``username`` (case does not matter), or None."""
    name = (username or "").strip().lower()
    if not name or len(name) > 64:
        return None
    return session.scalars(select(User).where(User.username == name)).first()


def _failures(user: User, since: datetime) -> int:
    return (
        session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.object_type == "user",
                AuditEvent.object_id == user.id,
                AuditEvent.action == FAILED,
                AuditEvent.at > since,
            )
        )
        or 0
    )


def is_throttled(user: User, moment: datetime) -> bool:
    """True when ``user`` has :data:`MAX_FAILURES` failures within the last minute."""
    return _failures(user, moment - FAILURE_WINDOW) >= MAX_FAILURES


def failures_since(user: User, since: datetime | None) -> tuple[int, datetime | None]:
    """How many sign-ins of ``user`` failed after ``since`` (None: ever), and when the last did."""
    since = since or user.created_at
    count = _failures(user, since)
    last = session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.object_type == "user",
            AuditEvent.object_id == user.id,
            AuditEvent.action == FAILED,
            AuditEvent.at > since,
        )
    )
    return count, last


def _fail(user: User | None, step: str, reason: str) -> None:
    audit.record(FAILED, object=user, detail={"step": step, "reason": reason}, actor=None)
    session.commit()


def check_password(username: str, password: str) -> User | None:
    """The account when ``username`` and ``password`` are right and it may sign in; else None.

    Always one argon2id check. A failure is recorded and committed.
    """
    user = find_user(username)
    right = passwords.verify(user.password_hash if user is not None else None, password)
    moment = clock.now()
    if user is None:
        _fail(None, "password", "unknown")
        return None
    if is_throttled(user, moment):
        _fail(user, "password", "throttled")
        return None
    if not right:
        _fail(user, "password", "wrong")
        return None
    if not user.is_active:
        _fail(user, "password", "disabled")
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


def check_second_factor(user: User, code: str, *, enrolling: bool = False) -> str | None:
    """Check a TOTP code (or, once enrolled, a recovery code) for ``user``.

    Returns ``"totp"`` or ``"recovery"`` for the kind accepted, None when refused
    (recorded and committed). The caller commits an acceptance with the sign-in.
    """
    moment = clock.now()
    if is_throttled(user, moment):
        _fail(user, "second_factor", "throttled")
        return None
    if totp.check_code(user, code, moment):
        return "totp"
    if not enrolling and totp.use_recovery_code(user, code, moment):
        audit.record("recovery_code.used", object=user, actor=user)
        return "recovery"
    _fail(user, "second_factor", "wrong")
    return None


def signed_in(user: User, enrolled: bool) -> tuple[int, datetime | None]:
    """Record a completed sign-in; return the failures the owner has not been told of.

    The caller commits.
    """
    earlier = failures_since(user, user.last_login_at)
    moment = clock.now()
    if enrolled:
        user.totp_confirmed_at = moment
        audit.record("second_factor.enrolled", object=user, actor=user)
    user.last_login_at = moment
    audit.record("sign_in", object=user, actor=user)
    return earlier
