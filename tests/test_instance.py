"""The portal's private files are owner-only: database, index, attachments, secrets."""

from __future__ import annotations

import io
import logging
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from portal import create_app
from tests.test_complaints import open_form, receipt_code, submit


@pytest.fixture
def shell_umask():
    """Start as a usual shell or service manager would: files world-readable (umask 022)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def shared_paths(folder: Path) -> list[str]:
    """Everything under ``folder`` that the group or other users may use."""
    found = []
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(folder.parent)} {oct(mode)}")
    return found


def photo() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, "JPEG")
    buffer.seek(0)
    return buffer


def test_every_file_of_a_fresh_instance_is_owner_only(tmp_path, shell_umask):
    folder = tmp_path / "instance"
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
            "INDEX_DIR": str(folder / "index"),
            "RATELIMIT_ENABLED": False,
        }
    )
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    client = app.test_client()
    place = {"region_id": 1, "facility_id": "other"}
    response = submit(
        client,
        place,
        tokens=open_form(client),
        place_text="Аудандық полиция бөлімі",
        files=[(photo(), "photo.jpg")],
    )
    assert receipt_code(response)
    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    app.extensions["portal.db"].engine.dispose()

    names = {path.name for path in folder.rglob("*")}
    assert {"portal.sqlite3", "index", "attachments"} <= names
    assert any(name.endswith(".jpg") for name in names)
    assert shared_paths(folder) == []


def test_start_up_fixes_and_reports_looser_modes(tmp_path, shell_umask, caplog):
    folder = tmp_path / "instance"
    (folder / "index").mkdir(parents=True)
    (folder / "index" / "_MAIN_1.toc").write_bytes(b"")
    (folder / "portal.sqlite3").write_bytes(b"")
    (folder / "portal.sqlite3-wal").write_bytes(b"")
    assert shared_paths(folder)

    with caplog.at_level(logging.WARNING, logger="portal.instance"):
        create_app(
            {
                "INSTANCE_PATH": str(folder),
                "DATABASE_URL": f"sqlite:///{folder / 'portal.sqlite3'}",
                "INDEX_DIR": str(folder / "index"),
            }
        )
    assert shared_paths(folder) == []
    assert "Fixed 5 private file(s) or folder(s)" in caplog.text
