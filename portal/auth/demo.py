"""Demo staff accounts, so a newcomer can walk the staff side without an authenticator app.

``flask --app wsgi demo-staff`` (run by ``make run``) creates, on demo data only,
a reviewer for two regions, a coordinator, an analyst and an administrator, all
with :data:`DEMO_PASSWORD` and a second factor already set up, and prints their
TOTP secrets under a DEMO label; ``flask --app wsgi demo-code NAME`` prints a demo
account's current code. Both refuse to run when ``PORTAL_ENV=production``, and
create nothing unless the database holds demo data (the ``demo_data`` fact).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
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


def _refuse_unless_demo() -> None:
    if current_app.config["PORTAL_ENV"] == "production":
        raise DemoRefused("Demo staff accounts are refused when PORTAL_ENV=production.")
    if not is_demo_dataset():
        raise DemoRefused("The database holds no demo data: no demo staff accounts.")


def ensure_demo_staff() -> list[User]:
    """Create the demo accounts that are missing (second factor set up); commit; return all four.

    Raises :class:`DemoRefused` in production or without demo data.
    """
    _refuse_unless_demo()
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


@click.command("demo-staff")
@with_appcontext
def demo_staff_command() -> None:
    """On demo data: create the demo staff accounts if missing, and print how to sign in."""
    try:
        users = ensure_demo_staff()
    except DemoRefused as refusal:
        click.echo(f"No demo staff accounts: {refusal.message}")
        return
    line = "=" * 78
    click.echo(line)
    click.echo("DEMO staff accounts (demo data only; refused when PORTAL_ENV=production)")
    click.echo(f"Sign in at /kk/review/login (or /ru/, /en/). DEMO password: {DEMO_PASSWORD}")
    for user in users:
        regions = ", ".join(sorted(region.slug for region in user.regions))
        role = user.role.value + (f" ({regions})" if regions else "")
        click.echo(f"  {user.username:<17} {role:<30} DEMO TOTP secret: {totp.secret_of(user)}")
    click.echo("Current code: .venv/bin/flask --app wsgi demo-code NAME")
    click.echo(line)


@click.command("demo-code")
@click.argument("name")
@with_appcontext
def demo_code_command(name: str) -> None:
    """Print a demo account's current one-time code (demo data only, never in production)."""
    _refuse_unless_demo()
    if name not in DEMO_ACCOUNTS:
        raise click.ClickException(f"{name} is not a demo account: {', '.join(DEMO_ACCOUNTS)}.")
    user = session.scalars(select(User).where(User.username == name)).first()
    secret = totp.secret_of(user) if user is not None else None
    if secret is None:
        raise click.ClickException(f"{name} does not exist yet: run flask --app wsgi demo-staff.")
    click.echo(totp.current_code(secret, clock.now()))
