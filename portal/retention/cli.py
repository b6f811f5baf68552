"""``flask --app wsgi purge-expired [--dry-run]``: keep the retention promise, from cron."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import session
from portal.files.sweep import SchemaMissing, sweep_orphans
from portal.retention.purge import purge_expired
from portal.search import catch_up

#: Seconds to wait for the index while another process writes it.
INDEX_WAIT = 30.0


@click.command("purge-expired")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete closed complaints past PORTAL_RETENTION_DAYS: rows, attachment files, index."""
    days = current_app.config["RETENTION_DAYS"]
    purged = purge_expired(session, days, dry_run=dry_run)
    when = f"closed before {purged.cutoff:%Y-%m-%d %H:%M} UTC ({days} days ago)"
    if dry_run:
        click.echo(f"Would remove {len(purged.complaints)} complaints {when}.")
        return
    click.echo(
        f"Removed {len(purged.complaints)} complaints {when} "
        f"and {purged.files} of their attachment files."
    )
    if purged.file_errors:
        click.echo(f"{purged.file_errors} files could not be removed; the sweep retries them.")
    try:
        swept = sweep_orphans()
    except SchemaMissing as error:
        raise click.ClickException(f"{error}: run init-db first") from error
    click.echo(f"Removed {len(swept.orphans)} attachment files no complaint refers to.")
    indexed = catch_up(session, current_app.config["INDEX_DIR"], timeout=INDEX_WAIT)
    if indexed.error or indexed.pending:
        raise click.ClickException(
            f"The search index was not updated ({indexed.error or 'work left'}): the removed "
            "complaints stay queued for it. Run `flask --app wsgi search catch-up`."
        )
    click.echo("Search index updated.")
