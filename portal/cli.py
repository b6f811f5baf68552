"""Command-line tools (``flask --app wsgi COMMAND``) that are not tied to one feature."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from portal.db import engine, session, upgrade_schema
from portal.demo import demo_data_command
from portal.health import measure
from portal.reference import ensure_regions


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database schema, or upgrade it to the newest version; load the regions."""
    upgrade_schema(engine())
    added = ensure_regions(session)
    session.commit()
    click.echo(f"The database schema is up to date; {added} regions added.")


@click.command("status")
@with_appcontext
def status_command() -> None:
    """Print the figures behind /healthz (exact counts, for staff); exit status 1 when degraded."""
    health = measure(exact=True)
    alert = current_app.config["INDEX_BACKLOG_ALERT"]
    database = "ok" if health.database_ok else f"error ({health.database_error})"
    documents = "" if health.documents is None else f", {health.documents} documents"
    pending = "unknown" if health.pending is None else str(health.pending)
    click.echo(f"database:        {database}")
    click.echo(f"search index:    {health.index_state}{documents}")
    click.echo(f"index work:      {pending} waiting (alert above {alert})")
    click.echo(f"status:          {health.public()['status']}")
    if not health.ok:
        raise click.exceptions.Exit(1)


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(status_command)
