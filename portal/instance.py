"""The portal's private files stay private: owner-only modes for everything it writes.

The instance folder holds the SQLite database (and its ``-wal``/``-shm`` files,
which SQLite creates with the database's mode), the search index, the
attachments and the generated development secrets: every narrative, and
encrypted contacts. On a shared machine a world-readable file there would let
any local user read complaints. So the process creates files with umask 077
(owner only), and at start-up every file and folder the portal keeps is checked
and loosened modes are fixed, with a warning saying how many.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from flask import Flask

log = logging.getLogger(__name__)

#: New files 0600 and folders 0700, whatever the service manager or shell set.
PRIVATE_UMASK = 0o077
#: The permission bits that must be clear: anything for the group or for others.
_SHARED_BITS = stat.S_IRWXG | stat.S_IRWXO


def restrict_new_files() -> None:
    """Make every file and folder this process creates from now on owner-only."""
    os.umask(PRIVATE_UMASK)


def _tighten(path: Path) -> bool:
    """Clear the group and other bits of ``path``; True if they were set. Links are skipped."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode) or not info.st_mode & _SHARED_BITS:
        return False
    path.chmod(stat.S_IMODE(info.st_mode) & ~_SHARED_BITS)
    return True


def _everything_under(root: Path) -> Iterable[Path]:
    if not root.exists():
        return
    yield root
    if root.is_dir() and not root.is_symlink():
        for folder, folders, files in os.walk(root):
            for name in folders + files:
                yield Path(folder) / name


def private_paths(app: Flask) -> list[Path]:
    """What the portal keeps for ``app``: instance folder, index, attachments, SQLite files."""
    config = app.config
    paths = [Path(app.instance_path), Path(config["INDEX_DIR"])]
    if config.get("ATTACHMENTS_DIR"):
        paths.append(Path(config["ATTACHMENTS_DIR"]))
    url = str(config.get("DATABASE_URL", ""))
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        database = Path(url.removeprefix("sqlite:///"))
        paths += [database, Path(f"{database}-wal"), Path(f"{database}-shm")]
    return paths


def secure(paths: Iterable[Path]) -> list[Path]:
    """Make every path given, and everything under the folders among them, owner-only.

    Returns the paths whose modes were fixed, after logging a warning that says
    how many there were (never what they contain).
    """
    fixed = []
    seen: set[Path] = set()
    for root in paths:
        for path in _everything_under(root):
            if path not in seen:
                seen.add(path)
                if _tighten(path):
                    fixed.append(path)
    if fixed:
        log.warning(
            "Fixed %d private file(s) or folder(s) that other users could read, e.g. %s",
            len(fixed),
            fixed[0],
        )
    return fixed


def init_app(app: Flask) -> None:
    """Create the instance folder owner-only and fix looser modes of the portal's files."""
    restrict_new_files()
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    secure(private_paths(app))
