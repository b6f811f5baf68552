"""Files a crash left behind are swept: old, unreferenced attachments and unfinished temporaries.

A file is stored before its complaint commits; ``kill -9`` in between left 8
orphans in the probe of issue 7. The sweep removes them once they are older
than the grace period, and never a file a row refers to, a file still young
enough to belong to a request in flight, or a file it did not make.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from portal import files
from portal.files import CleanFile, attachments_folder, store, sweep_orphans
from portal.files.sweep import sweep_at_start, sweep_command
from tests import factories


def age(path: Path, hours: float) -> Path:
    """Set ``path``'s modification time ``hours`` back."""
    then = time.time() - hours * 3600
    os.utime(path, (then, then))
    return path


def stored(data: bytes = b"\xff\xd8photo") -> str:
    return store(CleanFile(data, "image/jpeg", "jpg")).storage_name


def test_old_orphans_and_temporaries_go_everything_else_stays(app, db):
    with app.app_context():
        folder = attachments_folder()
        kept = stored()
        factories.attachment(db, storage_name=kept)
        db.commit()
        orphan, young_orphan = stored(), stored()
        temporary = folder / ".tmp-0123456789abcdef"
        temporary.write_bytes(b"half a photo")
        young_temporary = folder / ".tmp-fedcba9876543210"
        young_temporary.write_bytes(b"being written")
        foreign = folder / "README.txt"
        foreign.write_text("not ours")
        for path in (folder / kept, folder / orphan, temporary, foreign):
            age(path, hours=2)

        dry = sweep_orphans(dry_run=True)
        assert (dry.orphans, dry.temporary) == ([orphan], [temporary.name])
        assert (folder / orphan).exists()

        swept = sweep_orphans()

        assert (swept.orphans, swept.temporary) == ([orphan], [temporary.name])
        left = sorted(path.name for path in folder.iterdir())
        assert left == sorted([kept, young_orphan, young_temporary.name, foreign.name])


def test_the_command_reports_what_it_removed(app, db):
    runner = app.test_cli_runner()
    with app.app_context():
        orphan = stored()
        age(attachments_folder() / orphan, hours=0.5)

    result = runner.invoke(sweep_command)
    assert result.exit_code == 0, result.output
    assert "Removed 0 attachment files" in result.output

    result = runner.invoke(sweep_command, ["--grace-minutes", "20", "--dry-run"])
    assert "Would remove 1 attachment files" in result.output

    result = runner.invoke(sweep_command, ["--grace-minutes", "20"])
    assert "Removed 1 attachment files no complaint refers to" in result.output
    with app.app_context():
        assert not (attachments_folder() / orphan).exists()

    assert runner.invoke(sweep_command, ["--grace-minutes", "0"]).exit_code != 0


def test_init_app_registers_the_command_and_the_command_counts_the_start_up_sweep(app):
    with app.app_context():
        orphan = attachments_folder() / stored()
    age(orphan, hours=2)

    files.init_app(app)
    assert "sweep-attachments" in app.cli.commands
    result = app.test_cli_runner().invoke(args=["sweep-attachments"])

    assert "Removed 1 attachment files" in result.output  # by one sweep or the other, never twice
    assert not orphan.exists()


def test_the_start_up_sweep_runs_in_the_background(app):
    with app.app_context():
        orphan = attachments_folder() / stored()
    age(orphan, hours=3)

    thread = sweep_at_start(app)
    thread.join(timeout=30)

    assert not thread.is_alive() and not orphan.exists()


def test_the_start_up_sweep_skips_quietly_without_a_schema(app_factory, tmp_path, caplog):
    empty = tmp_path / "empty.sqlite3"
    app = app_factory(DATABASE_URL=f"sqlite:///{empty}")
    with app.app_context():
        orphan = attachments_folder() / stored()
    age(orphan, hours=3)

    with caplog.at_level(logging.INFO, logger="portal.files.sweep"):
        sweep_at_start(app).join(timeout=30)

    assert orphan.exists()
    assert "skipped at start-up: the database has no schema yet" in caplog.text
    result = app.test_cli_runner().invoke(sweep_command)
    assert result.exit_code != 0 and "run init-db first" in result.output
