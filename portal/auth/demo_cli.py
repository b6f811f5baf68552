"""The demo commands: ``demo-staff`` (run by ``make run``) and ``demo-code NAME``.

``demo-staff`` creates, on demo data only, the demo staff accounts
(:mod:`portal.auth.demo`) and the demo follow-ups (:mod:`portal.auth.demo_follow_up`)
when missing, and prints under a DEMO label how to sign in, each account's TOTP
secret, and the receipts of the demo complaints that carry a reviewer's question.
``demo-code NAME`` prints a demo account's current one-time code. Both refuse when
``PORTAL_ENV=production`` and without demo data.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal import clock
from portal.auth import totp
from portal.auth.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DemoRefused,
    ensure_demo_staff,
    refuse_unless_demo,
)
from portal.auth.demo_follow_up import FollowUp, ensure_follow_ups
from portal.complaints.receipts import grouped
from portal.db import session
from portal.models import User


def _print_follow_ups(follow_ups: list[FollowUp]) -> None:
    if not follow_ups:
        click.echo("No demo complaints in demo-reviewer's regions to follow up yet.")
        return
    click.echo("DEMO follow-ups: open /kk/follow-up (or /ru/) and type a DEMO receipt;")
    click.echo("demo-reviewer asked each complainant a question (assigned, in review).")
    for item in follow_ups:
        state = "answered by the complainant" if item.answered else "awaiting an answer"
        click.echo(
            f"  {item.reference:<10} {item.language} {item.region:<10} "
            f"DEMO receipt: {grouped(item.code)}  ({state})"
        )


@click.command("demo-staff")
@with_appcontext
def demo_staff_command() -> None:
    """On demo data: create the demo staff and follow-ups if missing, and print how to use them."""
    try:
        users = ensure_demo_staff()
        follow_ups = ensure_follow_ups()
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
    click.echo("-" * 78)
    _print_follow_ups(follow_ups)
    click.echo(line)


@click.command("demo-code")
@click.argument("name")
@with_appcontext
def demo_code_command(name: str) -> None:
    """Print a demo account's current one-time code (demo data only, never in production)."""
    refuse_unless_demo()
    if name not in DEMO_ACCOUNTS:
        raise click.ClickException(f"{name} is not a demo account: {', '.join(DEMO_ACCOUNTS)}.")
    user = session.scalars(select(User).where(User.username == name)).first()
    secret = totp.secret_of(user) if user is not None else None
    if secret is None:
        raise click.ClickException(f"{name} does not exist yet: run flask --app wsgi demo-staff.")
    click.echo(totp.current_code(secret, clock.now()))
