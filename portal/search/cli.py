"""``flask --app wsgi search …``: keep the reviewers' search index up to date.

``search catch-up`` works off the outbox (run it from a timer, or after the
index was missing or locked); ``search rebuild`` makes the whole index anew
from the database (after a schema change or when the index is broken).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from whoosh.index import LockError

from portal.db import session
from portal.search.rebuilder import rebuild
from portal.search.writer import catch_up

search_command = AppGroup("search", help="Maintain the complaints' search index.")


@search_command.command("catch-up")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Most tasks to handle.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds to wait for the index lock.",
)
def catch_up_command(limit: int | None, timeout: float) -> None:
    """Write queued complaints into the index; fails only if nothing could be written."""
    result = catch_up(session, current_app.config["INDEX_DIR"], limit=limit, timeout=timeout)
    click.echo(f"done={result.done} failed={result.failed} pending={result.pending}")
    if result.error is not None:
        click.echo(
            f"The index could not be written ({result.error}); the work stays queued. "
            "If the index is unreadable, run `flask --app wsgi search rebuild`.",
            err=True,
        )
        if result.done == 0 and result.failed > 0:
            raise SystemExit(1)


@search_command.command("rebuild")
def rebuild_command() -> None:
    """Build the whole index anew from the database and swap it into place."""
    try:
        count = rebuild(session, current_app.config["INDEX_DIR"])
    except LockError as error:
        raise click.ClickException(
            "The index is busy (another rebuild or a long catch-up); try again."
        ) from error
    click.echo(f"Indexed {count} complaints.")
