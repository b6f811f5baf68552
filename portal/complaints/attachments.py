"""Photos and PDFs sent with a complaint: checked, cleaned of metadata, stored privately.

Threat model: a complainant is often afraid of retaliation. A phone photo
carries GPS coordinates, the phone's make, model and serial, the time it was
taken and a thumbnail that may show what was cropped away; a PDF carries its
author's name, the software and account that made it, and sometimes the
original photos with all of that inside. Any of it can identify or locate the
sender, so nothing the sender's device wrote about the file is kept: images
are decoded and re-encoded from their pixels alone, PDFs are rewritten without
their metadata, scripts or embedded files, and the original name is ignored.

The type is decided by the content (magic bytes, then a real parse), never by
the file name or the browser's claim, so an HTML page renamed ``photo.jpg`` is
refused. Files live outside the static folder under random names, readable by
the portal's user only.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

import pikepdf
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage

#: Most files one complaint or message may carry.
MAX_FILES = 5
#: Largest file accepted, as uploaded (the cleaned file may differ a little).
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Largest image decoded, in pixels: phones' 48–50 MP photos pass, a decompression
#: bomb (a small file that expands to gigabytes of pixels) is refused before decoding.
MAX_PIXELS = 50 * 1024 * 1024
#: The types we keep, with the extension of the stored file.
ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
#: Pillow's name for each image type (the decoder we force, and the encoder we use).
_PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
#: Brands of the ISO container used by HEIC/HEIF photos (iPhones, some Android phones).
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_STORAGE_NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(sorted(ALLOWED.values())) + r")")

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
    "pixels": lazy_ngettext(
        "This photo's resolution is too high (over %(num)d megapixel). Send a smaller copy.",
        "This photo's resolution is too high (over %(num)d megapixels). Send a smaller copy.",
        MAX_PIXELS // 1_000_000,
    ),
    "damaged": _l(
        "This file is damaged or empty and could not be read. Save it again and send it once more."
    ),
    "encrypted": _l("This PDF is protected with a password. Send a copy without a password."),
    "count": lazy_ngettext(
        "You can attach at most %(num)d file.", "You can attach at most %(num)d files.", MAX_FILES
    ),
}


class AttachmentRejected(ValueError):
    """A file we will not keep; ``message`` tells the user why, in their language.

    ``kind`` is one of the keys of :data:`MESSAGES`. ``str()`` names only the
    kind: never the file's name or contents, which may identify the sender.
    """

    def __init__(self, kind: str) -> None:
        super().__init__(f"attachment rejected: {kind}")
        self.kind = kind
        self.message = MESSAGES[kind]


@dataclass(frozen=True)
class CleanFile:
    """A file checked and stripped of metadata, ready to store."""

    data: bytes
    media_type: str
    extension: str


@dataclass(frozen=True)
class StoredFile:
    """What the ``Attachment`` row records about a stored file."""

    storage_name: str
    media_type: str
    size_bytes: int
    sha256: str


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


def clean_upload(upload: FileStorage) -> CleanFile:
    """Check what ``upload`` really is and return a copy without any metadata.

    Reads at most ``MAX_FILE_BYTES + 1`` bytes. The file name and the browser's
    content type are ignored. Raises :class:`AttachmentRejected` for a file of
    the wrong type, too large, damaged, empty or password-protected.
    """
    data = _read_limited(upload.stream, MAX_FILE_BYTES)
    if len(data) > MAX_FILE_BYTES:
        raise AttachmentRejected("size")
    media_type = _sniff(data)
    if media_type == "application/pdf":
        cleaned = _clean_pdf(data)
    else:
        cleaned = _clean_image(data, media_type)
    return CleanFile(data=cleaned, media_type=media_type, extension=ALLOWED[media_type])


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    """Read up to ``limit + 1`` bytes, so that "one byte too many" is seen without reading more."""
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


def _sniff(data: bytes) -> str:
    """The media type announced by the first bytes; the parsers confirm it afterwards."""
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


# --- images ------------------------------------------------------------------------------


def _clean_image(data: bytes, media_type: str) -> bytes:
    """Decode the first frame, turn it upright, and encode its pixels alone.

    Nothing of the original file survives but the pixels: no EXIF (GPS, camera,
    serial, time, thumbnail), no XMP, no ICC profile, no comments or text chunks,
    and nothing hidden after the image data.
    """
    fmt = _PILLOW_FORMAT[media_type]
    try:
        with Image.open(BytesIO(data), formats=[fmt]) as image:
            if image.format not in (fmt, "MPO"):  # MPO: a JPEG with extra pictures (depth maps)
                raise AttachmentRejected("damaged")
            if image.width * image.height > MAX_PIXELS:
                raise AttachmentRejected("pixels")
            image.load()
            # Unreadable EXIF (any error, or a warning made an error): keep the photo
            # as it is rather than refuse it.
            try:
                upright = ImageOps.exif_transpose(image)
            except Exception:  # noqa: BLE001
                upright = image.copy()
        pixels = upright.convert(_target_mode(upright, fmt))
        del upright
        # A new image gets the pixels and nothing else: encoders copy some metadata
        # (ICC profiles, JPEG comments) from the source's ``info`` unless told not to.
        fresh = Image.new(pixels.mode, pixels.size)
        fresh.paste(pixels)
        del pixels
        out = BytesIO()
        options: dict[str, object] = {"exif": b""}
        if fmt in ("JPEG", "WEBP"):
            options.update(quality=90, xmp=b"", icc_profile=b"")
        if fmt == "JPEG":
            options.update(optimize=True, comment=b"")
        fresh.save(out, format=fmt, **options)
        return out.getvalue()
    except AttachmentRejected:
        raise
    except Image.DecompressionBombError as error:
        raise AttachmentRejected("pixels") from error
    # Pillow raises many kinds of errors on hostile input (OSError, SyntaxError,
    # ValueError, struct.error, EOFError, MemoryError, warnings made errors…):
    # all mean the same to the user, and none may become a 500.
    except Exception as error:
        raise AttachmentRejected("damaged") from error


def _target_mode(image: Image.Image, fmt: str) -> str:
    """The pixel mode to encode ``image`` in: what the format stores, keeping transparency."""
    if fmt == "JPEG":
        return "L" if image.mode in ("1", "L") else "RGB"
    if "transparency" in image.info:  # a transparent colour: only RGBA keeps it
        return "RGBA"
    if fmt == "PNG" and image.mode in ("1", "L", "LA", "RGB", "RGBA", "I;16", "I"):
        return image.mode
    return "RGBA" if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") else "RGB"


# --- PDF ---------------------------------------------------------------------------------

#: Keys removed from every dictionary: metadata, application data, automatic
#: actions, JavaScript, embedded and associated files.
_PDF_DROP_KEYS = ("/Metadata", "/PieceInfo", "/LastModified", "/AA", "/JS", "/EF", "/AF")
#: Actions that run code, launch programs, send data or open other files.
_PDF_UNSAFE_ACTIONS = {"/JavaScript", "/Launch", "/Rendition", "/RichMediaExecute", "/Sound"}
_PDF_UNSAFE_ACTIONS |= {"/Movie", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR"}
#: Annotations that carry files, media or code.
_PDF_UNSAFE_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
_PDF_MAX_DEPTH = 64


def _clean_pdf(data: bytes) -> bytes:
    """Rewrite a PDF without who made it, scripts, embedded files or the original bytes.

    Removed: the Info dictionary (author, creator, producer, dates), every XMP
    stream, application private data, the file identifier, JavaScript and other
    unsafe actions, embedded files and file-attachment annotations, and the
    APPn/COM segments (EXIF, GPS, XMP, thumbnails) of JPEG photos inside.
    Encrypted PDFs are refused: we could not check what they hold.
    """
    try:
        with pikepdf.open(BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise AttachmentRejected("encrypted")
            _drop(pdf.trailer, "/Info", "/ID")  # the writer makes a fresh, random /ID
            _drop(pdf.Root, "/OpenAction", "/Collection", "/URI")
            _drop(pdf.Root.get("/Names"), "/JavaScript", "/EmbeddedFiles")
            _drop(pdf.Root.get("/AcroForm"), "/XFA")  # XFA forms can carry scripts
            for page in pdf.pages:
                _drop_unsafe_annotations(page.obj)
            for obj in pdf.objects:
                _scrub(obj, 0)
                if isinstance(obj, pikepdf.Stream):
                    _strip_embedded_jpeg(obj)
            out = BytesIO()
            pdf.save(
                out,
                linearize=False,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                # Streams are copied as they are, never inflated: a small "zip bomb"
                # stream cannot make us write gigabytes.
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                fix_metadata_version=False,
                preserve_pdfa=False,
            )
            return out.getvalue()
    except AttachmentRejected:
        raise
    except pikepdf.PasswordError as error:
        raise AttachmentRejected("encrypted") from error
    # qpdf and pikepdf raise PdfError, RuntimeError, ValueError, MemoryError… on
    # hostile input: all mean "unreadable" to the user, and none may become a 500.
    except Exception as error:
        raise AttachmentRejected("damaged") from error


def _drop(obj: object, *keys: str) -> None:
    """Remove ``keys`` from a PDF dictionary (or a stream's); anything else is left alone."""
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in keys:
            if key in obj:
                del obj[key]


def _drop_unsafe_annotations(page: pikepdf.Object) -> None:
    annots = page.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return
    keep = [
        annot
        for annot in annots
        if not isinstance(annot, pikepdf.Dictionary)
        or str(annot.get("/Subtype", "")) not in _PDF_UNSAFE_ANNOTATIONS
    ]
    if len(keep) != len(annots):
        page["/Annots"] = pikepdf.Array(keep)


def _scrub(obj: pikepdf.Object, depth: int) -> None:
    """Remove metadata and unsafe actions from ``obj`` and the direct objects inside it.

    Indirect objects are scrubbed on their own turn, so references are not followed.
    """
    if depth > _PDF_MAX_DEPTH:
        raise AttachmentRejected("damaged")
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        _drop(obj, *_PDF_DROP_KEYS)
        action = obj.get("/A")
        if isinstance(action, pikepdf.Dictionary) and str(action.get("/S", "")) in (
            _PDF_UNSAFE_ACTIONS
        ):
            del obj["/A"]
        children = list(obj.values())
    elif isinstance(obj, pikepdf.Array):
        children = list(obj)
    else:
        return
    for child in children:  # numbers and booleans come back as plain Python values
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            _scrub(child, depth + 1)


def _strip_embedded_jpeg(stream: pikepdf.Stream) -> None:
    """Drop EXIF/XMP/comment segments from a JPEG photo placed in the PDF, losslessly."""
    if stream.get("/Subtype") != pikepdf.Name.Image:
        return
    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    if filters != pikepdf.Name.DCTDecode:
        return
    raw = stream.read_raw_bytes()
    stripped = strip_jpeg_segments(raw)
    if stripped != raw:
        stream.write(
            stripped, filter=pikepdf.Name.DCTDecode, decode_parms=stream.get("/DecodeParms")
        )


def strip_jpeg_segments(data: bytes) -> bytes:
    """Return the JPEG ``data`` without APPn and COM segments, except Adobe's colour flag.

    Those segments hold EXIF (GPS, camera, thumbnails), XMP, IPTC, ICC and
    comments; the compressed image itself is copied untouched. Raises
    ValueError if the segment structure is broken.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG stream")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while True:
        if pos + 2 > len(data) or data[pos] != 0xFF:
            raise ValueError("broken JPEG segment structure")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image: copy the rest as is
            out += data[pos:]
            return bytes(out)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # segments without a length
            out += data[pos : pos + 2]
            pos += 2
            continue
        if pos + 4 > len(data):
            raise ValueError("broken JPEG segment structure")
        end = pos + 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if end > len(data) or end < pos + 4:
            raise ValueError("broken JPEG segment structure")
        metadata = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if not metadata or (marker == 0xEE and data[pos + 4 : pos + 9] == b"Adobe"):
            out += data[pos:end]
        pos = end


# --- storage -----------------------------------------------------------------------------


def attachments_folder() -> Path:
    """The private folder for attachments, created with mode 0700 (owner only).

    ``ATTACHMENTS_DIR`` if configured, else ``attachments`` in the instance folder.
    Refuses a folder inside the static folder, where files would be public.
    """
    configured = current_app.config.get("ATTACHMENTS_DIR")
    folder = Path(configured or Path(current_app.instance_path) / "attachments").resolve()
    static = current_app.static_folder
    if static and folder.is_relative_to(Path(static).resolve()):
        raise RuntimeError("ATTACHMENTS_DIR must not be inside the static folder")
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
    temporary = folder / f".tmp-{secrets.token_hex(8)}"
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
    _fsync_folder(folder)
    digest = hashlib.sha256(clean.data).hexdigest()
    return StoredFile(name, clean.media_type, len(clean.data), digest)


def _fsync_folder(folder: Path) -> None:
    """Make the new name itself durable (the rename lives in the folder's entry)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _checked_path(storage_name: str) -> Path:
    """The path of a stored file; ValueError for any name :func:`store` cannot have made."""
    if not isinstance(storage_name, str) or not _STORAGE_NAME.fullmatch(storage_name):
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
