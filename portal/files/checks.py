"""The checks made in the web process: counting, reading within the limit, sniffing the type.

Nothing here decodes or parses the file: that happens in the cleaning child
process (:mod:`portal.files.sandbox`). Here a file is only read up to the size
limit and recognised by its first bytes, and every refusal gets its message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from portal.files.limits import MAX_FILE_BYTES, MAX_FILES, MAX_PIXELS, Refused

#: Brands of the ISO container used by HEIC/HEIF photos (iPhones, some Android phones).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

MESSAGES = {
    "type": _l("This file is not a photo (JPEG, PNG, WebP) or a PDF."),
    "heif": _l(
        "Photos in HEIC or HEIF format cannot be accepted yet. "
        "Save the photo as JPEG and send it again."
    ),
    "size": _l(
        "This file is too large: each file may be at most %(megabytes)d MB.",
        megabytes=MAX_FILE_BYTES // (1024 * 1024),
    ),
    "damaged": _l(
        "This file is damaged or empty and could not be read. Save it again and send it once more."
    ),
    "encrypted": _l("This PDF is protected with a password. Send a copy without a password."),
    "count": lazy_ngettext(
        "You can attach at most %(num)d file.", "You can attach at most %(num)d files.", MAX_FILES
    ),
    "complex": _l(
        "This file is too complex to check safely. "
        "Send a simpler copy, for example a photo or a screenshot of it."
    ),
    "busy": _l("The site is busy checking other files. Wait a minute and send the form again."),
}


def pixels_message(megapixels: int) -> LazyString:
    """The refusal of an image over ``megapixels`` (lower than the cap for 16-bit images)."""
    return lazy_ngettext(
        "This photo's resolution is too high (over %(num)d megapixel). Send a smaller copy.",
        "This photo's resolution is too high (over %(num)d megapixels). Send a smaller copy.",
        megapixels,
    )


class AttachmentRejected(Refused):
    """A file we will not keep; ``message`` tells the user why, in their language.

    ``kind`` is ``pixels`` or one of the keys of :data:`MESSAGES`. ``str()``
    names only the kind: never the file's name or contents, which may identify
    the sender.
    """

    def __init__(self, kind: str, megapixels: int | None = None) -> None:
        super().__init__(kind, megapixels)
        if kind == "pixels":
            self.message = pixels_message(megapixels or MAX_PIXELS // 1_000_000)
        else:
            self.message = MESSAGES[kind]


@dataclass(frozen=True)
class CleanFile:
    """A file checked and stripped of metadata, ready to store."""

    data: bytes
    media_type: str
    extension: str


def is_empty(upload: FileStorage | None) -> bool:
    """True for the empty part a browser sends when no file was chosen; the form skips it."""
    if upload is None:
        return True
    if upload.filename:
        return False
    stream = upload.stream
    if not stream.seekable():
        return False
    position = stream.tell()
    first = stream.read(1)
    stream.seek(position)
    return not first


def check_count(count: int) -> None:
    """Refuse a submission with more than :data:`MAX_FILES` files (a translated message)."""
    if count > MAX_FILES:
        raise AttachmentRejected("count")


def read_upload(upload: FileStorage) -> bytes:
    """The bytes of ``upload``; :class:`AttachmentRejected` ("size") past :data:`MAX_FILE_BYTES`.

    Reads at most one byte more than the limit, so that "one byte too many" is
    seen without reading the rest.
    """
    data = _read_limited(upload.stream, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentRejected("size")
    return data


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    if stream.seekable():
        stream.seek(0)
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def sniff(data: bytes) -> str:
    """The media type announced by the first bytes; the cleaners confirm it by parsing.

    The file name and the browser's claim are never asked. Raises
    :class:`AttachmentRejected` for an empty file, a HEIC photo or anything else.
    """
    if not data:
        raise AttachmentRejected("damaged")
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise AttachmentRejected("heif")
    raise AttachmentRejected("type")
