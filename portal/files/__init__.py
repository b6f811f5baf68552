"""Photos and PDFs sent with a complaint: checked, cleaned under limits, stored privately.

Threat model: a complainant is often afraid of retaliation. A phone photo
carries GPS coordinates, the phone's make, model and serial, the time it was
taken and a thumbnail that may show what was cropped away; a PDF carries its
author's name, the software and account that made it, and sometimes the
original photos with all of that inside. Any of it can identify or locate the
sender, so nothing the sender's device wrote about the file is kept: images
are decoded and re-encoded from their pixels alone, PDFs are rewritten without
their metadata, scripts, embedded files or clickable outside links, and the
original name is ignored.

The type is decided by the content (magic bytes, then a real parse), never by
the file name or the browser's claim, so an HTML page renamed ``photo.jpg`` is
refused. A hostile file (a decompression bomb, a PDF of millions of objects)
costs bounded time and memory: sizes are checked from headers and object
counts before decoding, and the decoding itself runs in a child process with
kernel limits on memory and CPU time, a few at a time, so it fails alone with
a clear message while the site keeps answering. Files live outside the static
folder under random names, readable by the portal's user only, and files a
crash left behind are swept.

Modules, by concern:

* :mod:`~portal.files.limits`: every number, and why (no Flask: the child reads it);
* :mod:`~portal.files.checks`: messages, counting, reading within the size limit, sniffing;
* :mod:`~portal.files.images`, :mod:`~portal.files.pdf`: the cleaners (run in the child);
* :mod:`~portal.files.sandbox` (web side) and :mod:`~portal.files.worker` (child side);
* :mod:`~portal.files.storage`: writing, opening and removing stored files;
* :mod:`~portal.files.sweep`: removing files no complaint refers to.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.datastructures import FileStorage

from portal.files.checks import MESSAGES, AttachmentRejected, CleanFile, check_count, is_empty
from portal.files.limits import ALLOWED, MAX_FILE_BYTES, MAX_FILES, MAX_PIXELS
from portal.files.pdf import strip_jpeg_segments
from portal.files.sandbox import clean_uploads
from portal.files.storage import (
    StoredFile,
    attachments_folder,
    open_stored,
    remove,
    remove_all,
    store,
    store_all,
)
from portal.files.sweep import sweep_at_start, sweep_command, sweep_orphans

__all__ = [
    "ALLOWED",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "MESSAGES",
    "AttachmentRejected",
    "CleanFile",
    "StoredFile",
    "attachments_folder",
    "check_count",
    "clean_upload",
    "clean_uploads",
    "init_app",
    "is_empty",
    "open_stored",
    "remove",
    "remove_all",
    "store",
    "store_all",
    "strip_jpeg_segments",
    "sweep_orphans",
]


def clean_upload(upload: FileStorage) -> CleanFile:
    """Check and clean one upload (see :func:`clean_uploads`).

    Raises :class:`AttachmentRejected` with a translated message.
    """
    return clean_uploads([upload])[0]


def init_app(app: Flask) -> None:
    """Register ``sweep-attachments`` and sweep files left by a crash, in the background."""
    app.cli.add_command(sweep_command)
    sweep_at_start(app)
