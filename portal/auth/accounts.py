"""Staff accounts: create, disable, reset the second factor (each audited, each one commit).

Used by the commands in :mod:`portal.auth.cli` today and by the administrators'
pages later. A new account gets a TOTP secret at once (its enrolment URI is
printed once by ``create-user``); its owner proves they hold it at their first
sign-in, which then shows the QR code and the recovery codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from portal import audit, clock
from portal.auth import passwords, sessions, totp
from portal.db import session
from portal.models import RecoveryCode, Region, Role, User

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]")
#: Roles an administrator may hold besides their own, to read complaints.
REVIEWING_ROLES = (Role.REVIEWER, Role.COORDINATOR)


class AccountError(ValueError):
    """An account change that cannot be made; the message says why, for the operator."""


@dataclass(frozen=True)
class Enrolment:
    """A user and their new TOTP secret, for the enrolment URI printed once."""

    user: User
    secret: str

    @property
    def uri(self) -> str:
        """The ``otpauth://`` URI for an authenticator app."""
        return totp.provisioning_uri(self.user, self.secret)


def check_username(username: str) -> str:
    """The user name lower-cased, or :class:`AccountError` when it is not 3–64 of a-z 0-9 . _ -."""
    name = (username or "").strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError(
            "A user name has 3 to 64 characters: Latin letters, digits, '.', '_' or '-', "
            "beginning and ending with a letter or digit."
        )
    return name


def _roles(roles: Iterable[Role]) -> tuple[Role, Role | None]:
    chosen = list(dict.fromkeys(Role(role) for role in roles))
    if len(chosen) == 1:
        return chosen[0], None
    if len(chosen) == 2 and Role.ADMIN in chosen:
        other = next(role for role in chosen if role is not Role.ADMIN)
        if other in REVIEWING_ROLES:
            return Role.ADMIN, other
    raise AccountError(
        "Give one role, or 'admin' with one reviewing role (reviewer or coordinator)."
    )


def _regions(slugs: Iterable[str], roles: set[Role]) -> list[Region]:
    slugs = list(dict.fromkeys(slug.strip().lower() for slug in slugs))
    if Role.REVIEWER not in roles:
        if slugs:
            raise AccountError("Only a reviewer has regions; the other roles see every region.")
        return []
    if not slugs:
        raise AccountError("A reviewer needs at least one region: --region SLUG.")
    found = session.scalars(select(Region).where(Region.slug.in_(slugs))).all()
    missing = sorted(set(slugs) - {region.slug for region in found})
    if missing:
        raise AccountError(f"Unknown region: {', '.join(missing)} (see portal/data/regions.csv).")
    return sorted(found, key=lambda region: region.slug)


def create_user(
    username: str, roles: Iterable[Role], region_slugs: Iterable[str], password: str
) -> Enrolment:
    """Create an account with a password and a fresh TOTP secret, audited; commit.

    Raises :class:`AccountError` for a bad or taken user name, a bad role
    combination, unknown regions, or a password that cannot be used.
    """
    name = check_username(username)
    role, reviewing = _roles(roles)
    regions = _regions(region_slugs, {role, *([reviewing] if reviewing else [])})
    problem = passwords.problem(password, name)
    if problem:
        raise AccountError(problem)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise AccountError(f"There is already an account named {name}.")
    secret = totp.new_secret()
    user = User(
        username=name,
        role=role,
        reviewing_role=reviewing,
        password_hash=passwords.hash_password(password),
        totp_secret_encrypted=totp.encrypt(secret),
        is_active=True,
        session_generation=0,
        created_at=clock.now(),
        regions=regions,
    )
    session.add(user)
    session.flush()
    audit.record(
        "account.created",
        object=user,
        detail={"roles": sorted(user.roles), "regions": [region.slug for region in regions]},
        actor=None,
    )
    session.commit()
    return Enrolment(user, secret)


def _existing(username: str) -> User:
    user = session.scalars(
        select(User).where(User.username == (username or "").strip().lower())
    ).first()
    if user is None:
        raise AccountError(f"There is no account named {username}.")
    return user


def disable_user(username: str) -> int:
    """Disable an account and end all its sessions at once, audited; commit. How many ended."""
    user = _existing(username)
    user.is_active = False
    ended = sessions.end_all(user)
    audit.record("account.disabled", object=user, detail={"sessions_ended": ended}, actor=None)
    session.commit()
    return ended


def reset_second_factor(username: str) -> Enrolment:
    """Give an account a new TOTP secret, drop its recovery codes, end its sessions; commit.

    The owner enrols again at their next sign-in (QR code, new recovery codes).
    """
    user = _existing(username)
    secret = totp.new_secret()
    user.totp_secret_encrypted = totp.encrypt(secret)
    user.totp_confirmed_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    ended = sessions.end_all(user)
    audit.record(
        "account.second_factor_reset", object=user, detail={"sessions_ended": ended}, actor=None
    )
    session.commit()
    return Enrolment(user, secret)
