"""Removing attachment files that no complaint refers to.

A file is stored before the transaction that records it commits, so a crash
(``kill -9``, power loss) in between leaves a file that no ``Attachment`` row
names, and a crash while writing leaves a ``.tmp-*`` file. Both hold a
complainant's photo or document that nobody can reach any more and that
retention would never delete: they are removed once they are older than a
grace period (:data:`GRACE`, one hour), far longer than any transaction, so a
request still filing a complaint never loses its file.

Run by ``flask --app wsgi sweep-attachments`` and, in the background, at every
start of the application (:func:`sweep_at_start`), which never delays or
breaks the start: it skips with a log line when the database has no schema yet.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select

from portal.db import engine
from portal.files.storage import STORAGE_NAME, TEMPORARY_PREFIX, configured_folder, fsync_folder
from portal.models import Attachment

log = logging.getLogger(__name__)

#: Files younger than this are left alone: their transaction may still be running.
GRACE = timedelta(hours=1)
#: Names looked up in the database per query (well under every backend's parameter limit).
_CHUNK = 500
#: Where the app keeps its start-up sweep.
_EXTENSION = "portal.files.sweep"


@dataclass(frozen=True)
class Swept:
    """What a sweep removed (or, in a dry run, would remove)."""

    orphans: list[str]
    temporary: list[str]


class SchemaMissing(RuntimeError):
    """The database has no attachments table yet (``init-db`` has not run)."""


def sweep_orphans(grace: timedelta = GRACE, *, dry_run: bool = False) -> Swept:
    """Remove files older than ``grace`` that no ``Attachment`` row names, and stale temporaries.

    Needs an application context. Files whose names :func:`portal.files.storage.store`
    cannot have made are never touched. Raises :class:`SchemaMissing` when
    there are old files to check but the database has no schema.
    """
    folder = configured_folder()
    if not folder.is_dir():
        return Swept([], [])
    cutoff = time.time() - grace.total_seconds()
    candidates: list[str] = []
    temporary: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime > cutoff:
                continue
            if entry.name.startswith(TEMPORARY_PREFIX):
                temporary.append(entry.name)
            elif STORAGE_NAME.fullmatch(entry.name):
                candidates.append(entry.name)
    orphans = sorted(set(candidates) - _referenced(candidates)) if candidates else []
    if not dry_run and (orphans or temporary):
        _remove(folder, [*orphans, *temporary])
        log.info(
            "Removed %d attachment files no complaint refers to and %d unfinished temporary files",
            len(orphans),
            len(temporary),
        )
    return Swept(orphans, sorted(temporary))


def _referenced(names: list[str]) -> set[str]:
    """The subset of ``names`` that ``Attachment`` rows refer to.

    Uses a connection of its own, never the request's session, and holds no lock.
    """
    found: set[str] = set()
    with engine().connect() as connection:
        if not inspect(connection).has_table(Attachment.__tablename__):
            raise SchemaMissing("the database has no attachments table yet")
        for start in range(0, len(names), _CHUNK):
            chunk = names[start : start + _CHUNK]
            query = select(Attachment.storage_name).where(Attachment.storage_name.in_(chunk))
            found.update(connection.scalars(query))
    return found


def _remove(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / name).unlink(missing_ok=True)
    fsync_folder(folder)


@click.command("sweep-attachments")
@click.option(
    "--grace-minutes",
    type=click.IntRange(min=1),
    default=int(GRACE.total_seconds() // 60),
    show_default=True,
    help="Leave files younger than this: their complaint may still be being filed.",
)
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
@with_appcontext
def sweep_command(grace_minutes: int, dry_run: bool) -> None:
    """Remove attachment files no complaint refers to (left by a crash) and stale temporaries."""
    # The app this command runs in started its own sweep: let it finish first, and
    # count what it removed, so that the two never race and the report is whole.
    at_start = current_app.extensions.get(_EXTENSION)
    if at_start is not None:
        at_start.join(timeout=60)
    try:
        swept = sweep_orphans(timedelta(minutes=grace_minutes), dry_run=dry_run)
    except SchemaMissing as error:
        raise click.ClickException(f"{error}: run init-db first") from error
    orphans, temporary = len(swept.orphans), len(swept.temporary)
    if at_start is not None and at_start.swept is not None:
        orphans += len(at_start.swept.orphans)
        temporary += len(at_start.swept.temporary)
    verb = "Would remove" if dry_run else "Removed"
    click.echo(
        f"{verb} {orphans} attachment files no complaint refers to "
        f"and {temporary} unfinished temporary files."
    )


class StartUpSweep(threading.Thread):
    """The sweep run in the background at start-up; ``swept`` is its result once done."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="attachments-sweep", daemon=True)
        self.app = app
        self.swept: Swept | None = None

    def run(self) -> None:
        """Sweep with the default grace period; log, never raise."""
        try:
            with self.app.app_context():
                self.swept = sweep_orphans()
        except SchemaMissing:
            log.info("Attachment sweep skipped at start-up: the database has no schema yet")
        except Exception:  # the site must start whatever happens here
            log.exception("Attachment sweep at start-up failed; run sweep-attachments later")


def sweep_at_start(app: Flask) -> StartUpSweep:
    """Sweep in a background thread, so that a slow or missing database never delays start-up.

    Any failure is logged and the site runs on. The thread is kept in
    ``app.extensions["portal.files.sweep"]`` (the command and tests wait for it).
    """
    thread = StartUpSweep(app)
    app.extensions[_EXTENSION] = thread
    thread.start()
    return thread
