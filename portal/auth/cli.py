"""Account commands: ``create-user``, ``disable-user``, ``reset-second-factor``.

They are for operators on the server (docs/STAFF.md), in English like every command.
"""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from portal.auth import accounts
from portal.auth.passwords import MAX_LENGTH
from portal.db import session
from portal.models import Role

ROLE_NAMES = [role.value for role in Role]


def _read_password() -> str:
    """The password: asked twice on a terminal, else the first line of standard input."""
    if sys.stdin is not None and sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline(MAX_LENGTH * 4 + 2) if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _print_enrolment(enrolment: accounts.Enrolment) -> None:
    click.echo(
        "Second factor: the owner scans the QR code shown at their first sign-in, or adds this "
        "URI to an authenticator app. It is shown once; keep it secret:"
    )
    click.echo(enrolment.uri)


@click.command("create-user")
@click.argument("name")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLE_NAMES),
    help="reviewer, coordinator, analyst or admin; admin may be given with one reviewing role.",
)
@click.option(
    "--region", "regions", multiple=True, help="A region slug a reviewer sees (repeatable)."
)
@with_appcontext
def create_user_command(name: str, roles: tuple[str, ...], regions: tuple[str, ...]) -> None:
    """Create a staff account; the password is asked twice, or read from standard input."""
    password = _read_password()
    try:
        with force_locale("en"):  # the password's problems are told in English here
            chosen = [Role(role) for role in roles]
            enrolment = accounts.create_user(name, chosen, regions, password)
    except accounts.AccountError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    user = enrolment.user
    click.echo(f"Created {user.username}: {', '.join(sorted(user.roles))}.")
    _print_enrolment(enrolment)


@click.command("disable-user")
@click.argument("name")
@with_appcontext
def disable_user_command(name: str) -> None:
    """Disable a staff account and end all of its sessions at once."""
    try:
        ended = accounts.disable_user(name)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Disabled {name.lower()}; {ended} session(s) ended.")


@click.command("reset-second-factor")
@click.argument("name")
@with_appcontext
def reset_second_factor_command(name: str) -> None:
    """Give an account a new TOTP secret (enrolled again at next sign-in); end its sessions."""
    try:
        enrolment = accounts.reset_second_factor(name)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"The second factor of {enrolment.user.username} is reset; its sessions ended.")
    _print_enrolment(enrolment)
