"""Cleaned files on disk: written durably under random names, readable by the portal only.

Files live outside the static folder, in ``ATTACHMENTS_DIR`` or the instance
folder's ``attachments``, mode 0700, each file 0600, under a random name that
says nothing of the original. The database row (``Attachment``) records the
name; a file whose row never committed is removed by :mod:`portal.files.sweep`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from portal.files.checks import CleanFile
from portal.files.limits import ALLOWED

log = logging.getLogger(__name__)

#: The shape of every name :func:`store` gives a file.
STORAGE_NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(sorted(ALLOWED.values())) + r")")
#: Files being written start with this; a crash may leave one behind.
TEMPORARY_PREFIX = ".tmp-"


@dataclass(frozen=True)
class StoredFile:
    """What the ``Attachment`` row records about a stored file."""

    storage_name: str
    media_type: str
    size_bytes: int
    sha256: str


def configured_folder() -> Path:
    """Where attachments live, without creating anything.

    ``ATTACHMENTS_DIR`` if configured, else ``attachments`` in the instance folder.
    Refuses (RuntimeError) a folder inside the static folder, where files would be public.
    """
    configured = current_app.config.get("ATTACHMENTS_DIR")
    folder = Path(configured or Path(current_app.instance_path) / "attachments").resolve()
    static = current_app.static_folder
    if static and folder.is_relative_to(Path(static).resolve()):
        raise RuntimeError("ATTACHMENTS_DIR must not be inside the static folder")
    return folder


def attachments_folder() -> Path:
    """The private folder for attachments, created with mode 0700 (owner only).

    A folder with looser permissions is tightened. See :func:`configured_folder`.
    """
    folder = configured_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != 0o700:
        folder.chmod(0o700)
    return folder


def store(clean: CleanFile) -> StoredFile:
    """Write ``clean`` under a new random name, durably, readable by the portal only.

    The file is written to a temporary name in the same folder, flushed to disk
    and then renamed, so a crash never leaves a half-written attachment behind
    a name the database knows. Call :func:`remove` if the transaction fails.
    """
    folder = attachments_folder()
    name = f"{secrets.token_hex(16)}.{clean.extension}"
    temporary = folder / f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(clean.data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(folder)
    digest = hashlib.sha256(clean.data).hexdigest()
    return StoredFile(name, clean.media_type, len(clean.data), digest)


def store_all(cleaned: Sequence[CleanFile]) -> list[StoredFile]:
    """Store every file, or none: if one cannot be written, those already written are removed."""
    stored: list[StoredFile] = []
    try:
        for clean in cleaned:
            stored.append(store(clean))
    except BaseException:
        remove_all(stored)
        raise
    return stored


def remove_all(stored: Sequence[StoredFile]) -> None:
    """Remove stored files after their transaction failed; never hides the first error."""
    for item in stored:
        try:
            remove(item.storage_name)
        except Exception:  # cleaning up must not hide why the transaction failed
            log.exception("Could not remove a stored attachment after a failed transaction")


def fsync_folder(folder: Path) -> None:
    """Make a change of names in ``folder`` durable (names live in the folder's entry)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _checked_path(storage_name: str) -> Path:
    """The path of a stored file; ValueError for any name :func:`store` cannot have made."""
    if not isinstance(storage_name, str) or not STORAGE_NAME.fullmatch(storage_name):
        raise ValueError("not an attachment storage name")
    return attachments_folder() / storage_name


def remove(storage_name: str) -> None:
    """Delete a stored file (cleanup after a failed transaction); a missing file is fine.

    Raises ValueError for a name with a path separator or any other shape than ours.
    """
    _checked_path(storage_name).unlink(missing_ok=True)


def open_stored(storage_name: str) -> bytes:
    """The bytes of a stored file, for reviewers; ValueError for a malformed name.

    Serve them with the recorded media type, ``Content-Disposition: attachment``
    and ``X-Content-Type-Options: nosniff``.
    """
    return _checked_path(storage_name).read_bytes()
