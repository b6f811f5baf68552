"""``flask --app wsgi import-complaints FILE.jsonl [--dry-run] [--source NAME]``.

Checks the whole file first (:func:`portal.complaints.importing.plan`), then
stores every new complaint in one unit of work, or nothing. Output is for the
operator running the import (English); each problem names its line and field.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError

from portal.complaints.importing import MAX_REPORTED, ImportRefused, plan, read_lines
from portal.db import session
from portal.search import catch_up
from portal.unit_of_work import unit_of_work


@click.command("import-complaints")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; store nothing.")
@click.option(
    "--source",
    default="import",
    show_default=True,
    help="Who sent the file (an NGO's short name): case numbers are unique per source.",
)
@with_appcontext
def import_complaints_command(file: Path, dry_run: bool, source: str) -> None:
    """Import complaints from FILE, one JSON object per line; all of them or none."""
    try:
        outcome = plan(session, read_lines(file), source)
    except ImportRefused as refused:
        for problem in refused.problems[:MAX_REPORTED]:
            click.echo(str(problem), err=True)
        if len(refused.problems) > MAX_REPORTED:
            click.echo(f"… and {len(refused.problems) - MAX_REPORTED} more.", err=True)
        raise click.ClickException(
            f"Nothing was imported: {len(refused.problems)} problem(s) in {file.name}."
        ) from refused
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{file.name} is not UTF-8 text; nothing was imported."
        ) from error
    counts = f"{len(outcome.added)} new, {outcome.already_imported} already imported"
    if dry_run:
        click.echo(f"Dry run: {outcome.lines} lines checked ({counts}); nothing was stored.")
        return
    try:
        with unit_of_work():
            session.add_all(outcome.added)
    except IntegrityError as error:
        raise click.ClickException(
            "Some case numbers were imported by another run meanwhile; nothing was imported. "
            "Run the import again."
        ) from error
    click.echo(f"Imported {len(outcome.added)} complaints from {outcome.lines} lines ({counts}).")
    if outcome.added:
        result = catch_up(session, current_app.config["INDEX_DIR"])
        note = f" ({result.error}: run `flask --app wsgi search catch-up`)" if result.error else ""
        click.echo(f"Search index: {result.done} written, {result.pending} waiting{note}.")
