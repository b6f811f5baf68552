"""Demo staff accounts, so a newcomer can walk the staff side without an authenticator app.

:func:`ensure_demo_staff` creates, on demo data only, a reviewer for two regions, a
coordinator, an analyst and an administrator, all with :data:`DEMO_PASSWORD` and a
second factor already set up. The commands that print them (``demo-staff``, run by
``make run``, and ``demo-code NAME``) are in :mod:`portal.auth.demo_cli`. Everything
demo refuses to run when ``PORTAL_ENV=production``, and creates nothing unless the
database holds demo data (the ``demo_data`` fact): :func:`refuse_unless_demo`.
"""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from portal import clock
from portal.auth import passwords, totp
from portal.db import session
from portal.models import Region, Role, User
from portal.stats.dataset import is_demo_dataset

#: The password of every demo account: printed, documented, never used outside demo data.
DEMO_PASSWORD = "demo staff only, never real"  # noqa: S105  (demo data only, printed)
#: Demo accounts: name → (role, region slugs).
DEMO_ACCOUNTS: dict[str, tuple[Role, tuple[str, ...]]] = {
    "demo-reviewer": (Role.REVIEWER, ("almaty", "karaganda")),
    "demo-coordinator": (Role.COORDINATOR, ()),
    "demo-analyst": (Role.ANALYST, ()),
    "demo-admin": (Role.ADMIN, ()),
}


class DemoRefused(click.ClickException):
    """Demo accounts are refused here: in production, or without demo data."""


def refuse_unless_demo() -> None:
    """Raise :class:`DemoRefused` when ``PORTAL_ENV=production`` or without demo data."""
    if current_app.config["PORTAL_ENV"] == "production":
        raise DemoRefused("Demo staff accounts are refused when PORTAL_ENV=production.")
    if not is_demo_dataset():
        raise DemoRefused("The database holds no demo data: no demo staff accounts.")


def ensure_demo_staff() -> list[User]:
    """Create the demo accounts that are missing (second factor set up); commit; return all four.

    Raises :class:`DemoRefused` in production or without demo data.
    """
    refuse_unless_demo()
    found = []
    for name, (role, slugs) in DEMO_ACCOUNTS.items():
        user = session.scalars(select(User).where(User.username == name)).first()
        if user is None:
            regions = session.scalars(select(Region).where(Region.slug.in_(slugs))).all()
            user = User(
                username=name,
                role=role,
                password_hash=passwords.hash_password(DEMO_PASSWORD),
                totp_secret_encrypted=totp.encrypt(totp.new_secret()),
                totp_confirmed_at=clock.now(),
                is_active=True,
                session_generation=0,
                regions=sorted(regions, key=lambda region: region.slug),
            )
            session.add(user)
        found.append(user)
    session.commit()
    return found
