"""Command-line tools (``flask --app wsgi COMMAND``) that are not tied to one feature."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from portal.db import engine, session, upgrade_schema
from portal.demo import demo_data_command
from portal.reference import ensure_regions


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database schema, or upgrade it to the newest version; load the regions."""
    upgrade_schema(engine())
    added = ensure_regions(session)
    session.commit()
    click.echo(f"The database schema is up to date; {added} regions added.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(demo_data_command)
