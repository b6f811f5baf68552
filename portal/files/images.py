"""Photos re-encoded from their pixels alone, after a size check made from the header.

Runs in the cleaning child process (:mod:`portal.files.worker`): it imports only
the standard library, Pillow and :mod:`portal.files.limits`.

Cost. Decoding is where an image costs memory and time, and how much depends
on what the header announces, not on the file's size: a 400 KB PNG can claim
7200×7200 pixels of 16-bit colour. So the header alone decides first:
more than :data:`MAX_PIXELS` pixels, or more than :data:`MAX_IMAGE_BYTES` of
pixel data once decompressed (16-bit samples and transparency count), and the
image is refused before a single pixel is decoded. Cleaning an accepted image
then holds at most two copies of its pixels at once.
"""

from __future__ import annotations

import contextlib
from io import BytesIO

from PIL import Image, ImageOps

from portal.files.limits import MAX_IMAGE_BYTES, MAX_PIXELS, Refused

#: Pillow's name for each image type (the decoder we force, and the encoder we use).
PILLOW_FORMAT = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
#: Bytes per sample in modes whose samples are wider than one byte.
_SAMPLE_BYTES = {"I": 4, "F": 4, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
#: Palette images become RGB (or RGBA) when cleaned: count the colours they turn into.
_PALETTE_BANDS = {"P": 3, "PA": 4}


def clean_image(data: bytes, media_type: str) -> bytes:
    """Decode the first frame, turn it upright, and encode its pixels alone.

    Nothing of the original file survives but the pixels: no EXIF (GPS, camera,
    serial, time, thumbnail), no XMP, no ICC profile, no comments or text chunks,
    and nothing hidden after the image data. Raises :class:`Refused`: ``pixels``
    for an image over the limits (checked before decoding), ``damaged`` for
    anything Pillow cannot read, ``complex`` when memory runs out.
    """
    fmt = PILLOW_FORMAT[media_type]
    try:
        with Image.open(BytesIO(data), formats=[fmt]) as image:
            if image.format not in (fmt, "MPO"):  # MPO: a JPEG with extra pictures (depth maps)
                raise Refused("damaged")
            check_size(image, data)
            image.load()
            # Unreadable EXIF (any error, or a warning made an error): keep the photo
            # as it is rather than refuse it. In place: no second copy when upright.
            with contextlib.suppress(Exception):
                ImageOps.exif_transpose(image, in_place=True)
            target = _target_mode(image, fmt)
            pixels = image if image.mode == target else image.convert(target)
            return _encode(pixels, fmt)
    except Refused:
        raise
    except Image.DecompressionBombError as error:
        raise Refused("pixels", MAX_PIXELS // 1_000_000) from error
    except MemoryError as error:
        raise Refused("complex") from error
    # Pillow raises many kinds of errors on hostile input (OSError, SyntaxError,
    # ValueError, struct.error, EOFError, warnings made errors…): all mean the
    # same to the user, and none may become a 500.
    except Exception as error:
        raise Refused("damaged") from error


def check_size(image: Image.Image, data: bytes) -> None:
    """Refuse ``image`` (opened, not decoded) if its header announces too much to decode.

    The limit in pixels is :data:`MAX_PIXELS`, lowered for images with more
    than three bytes per pixel so that their pixel data stays within
    :data:`MAX_IMAGE_BYTES`; the :class:`Refused` error carries the limit that
    applied, in whole megapixels, for the message.
    """
    width, height = image.size
    limit = min(MAX_PIXELS, MAX_IMAGE_BYTES // _bytes_per_pixel(image, data))
    if width * height > limit:
        raise Refused("pixels", limit // 1_000_000)


def _bytes_per_pixel(image: Image.Image, data: bytes) -> int:
    """Bytes of decompressed pixel data per pixel, as the file's header describes them."""
    mode = image.mode
    bands = _PALETTE_BANDS.get(mode) or Image.getmodebands(mode)
    sample = _SAMPLE_BYTES.get(mode, 1)
    # Pillow opens 16-bit RGB(A) and LA PNGs in 8-bit modes; the header's bit
    # depth (byte 24, inside IHDR, always the first chunk) says what is inflated.
    if image.format == "PNG" and len(data) > 24 and data[24] == 16:
        sample = 2
    return bands * sample


def _target_mode(image: Image.Image, fmt: str) -> str:
    """The pixel mode to encode ``image`` in: what the format stores, keeping transparency."""
    if fmt == "JPEG":
        return "L" if image.mode in ("1", "L") else "RGB"
    if "transparency" in image.info:  # a transparent colour: only RGBA keeps it
        return "RGBA"
    if fmt == "PNG" and image.mode in ("1", "L", "LA", "RGB", "RGBA", "I;16", "I"):
        return image.mode
    return "RGBA" if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") else "RGB"


def _encode(pixels: Image.Image, fmt: str) -> bytes:
    """Encode ``pixels`` with no metadata at all.

    Encoders copy some metadata (ICC profiles, JPEG comments, PNG transparency)
    from the image's ``info`` unless told otherwise, so ``info`` is emptied and
    every metadata option is given explicitly as empty.
    """
    pixels.info = {}
    out = BytesIO()
    options: dict[str, object] = {"exif": b""}
    if fmt in ("JPEG", "WEBP"):
        options.update(quality=90, xmp=b"", icc_profile=b"")
    if fmt == "JPEG":
        options.update(optimize=True, comment=b"")
    pixels.save(out, format=fmt, **options)
    return out.getvalue()
