"""Hostile attachments, generated: small files that claim or hold far more than they look.

Each function returns the bytes of one file, built in well under a second or
two without holding what the file expands to (the 16-bit PNG is compressed row
by row). The shapes are those of the probe in issue 7, so that tests of the
limits and the hostile-input suite can share them.
"""

from __future__ import annotations

import functools
import struct
import zlib

# --- images ----------------------------------------------------------------------------------

#: PNG colour types and their samples per pixel.
_PNG_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int, height: int, depth: int, colour_type: int, idat: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


@functools.cache
def png_of_one_colour(
    width: int = 7200, height: int = 7200, depth: int = 16, colour_type: int = 2
) -> bytes:
    """A complete, valid PNG of one colour: the probe's 7200×7200 16-bit RGB by default.

    About 320 KB on disk, 311 MB of pixel data once inflated (700 MB to clean
    before the limits). Cached: building it takes about a second.
    """
    row = b"\0" + b"\x12\x34" * (width * _PNG_CHANNELS[colour_type] * depth // 16)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    return _png(width, height, depth, colour_type, b"".join(parts))


def png_header_only(width: int, height: int, depth: int = 8, colour_type: int = 0) -> bytes:
    """A PNG that claims a size, with almost no pixel data: the shape of a decompression bomb."""
    return _png(width, height, depth, colour_type, zlib.compress(b"\0" * 64))


# --- PDF ---------------------------------------------------------------------------------

_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def _page(extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + extra + b" >>"


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF 1.7 file with ``objects`` numbered from 1 (object 1 the catalog), classic xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_of_empty_dictionaries(count: int = 2_600_000) -> bytes:
    """The probe's PDF: one page whose object 4 is an array of ``count`` empty dictionaries.

    About 10 MB at the default count, uncompressed; 20 s and 1 GB to scrub
    before the limits.
    """
    return raw_pdf([_CATALOG, _PAGES, _page(b"/Junk 4 0 R"), b"[" + b"<<>>" * count + b"]"])


def pdf_with_packed_objects(packed: list[bytes]) -> bytes:
    """A PDF 1.5 whose objects 4… are ``packed`` into one Flate-compressed object stream.

    Objects 1–3 are the catalog, the page tree and a page referring to object 4.
    Compressed, an array of millions of items takes a few kilobytes, so no
    check of the raw bytes can see it: only the parser meets it.
    """
    first = 4
    stream_number = first + len(packed)
    xref_number = stream_number + 1
    index, bodies, position = [], [], 0
    for offset, body in enumerate(packed):
        index.append(b"%d %d" % (first + offset, position))
        bodies.append(body)
        position += len(body) + 1
    head = b" ".join(index) + b"\n"
    content = zlib.compress(head + b"\n".join(bodies) + b"\n", 9)

    out = bytearray(b"%PDF-1.5\n")
    offsets = {}
    for number, body in ((1, _CATALOG), (2, _PAGES), (3, _page(b"/Junk 4 0 R"))):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[stream_number] = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        len(packed),
        len(head),
        len(content),
    )
    out += b"stream\n" + content + b"\nendstream\nendobj\n"
    offsets[xref_number] = len(out)
    rows = [struct.pack(">BII", 0, 0, 0xFFFF)]
    for number in range(1, xref_number + 1):
        if number in offsets:
            rows.append(struct.pack(">BII", 1, offsets[number], 0))
        else:
            rows.append(struct.pack(">BII", 2, stream_number, number - first))
    table = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 4] /Root 1 0 R /Length %d >>\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += b"stream\n" + table + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def pdf_of_packed_empty_dictionaries(count: int = 2_600_000) -> bytes:
    """The probe's array of empty dictionaries, compressed into an object stream (about 10 KB)."""
    return pdf_with_packed_objects([b"[" + b"<<>>" * count + b"]"])


def pdf_of_many_objects(count: int) -> bytes:
    """A one-page PDF with ``count`` more indirect objects (empty dictionaries), packed."""
    return pdf_with_packed_objects([b"<<>>"] * count)


def pdf_nested(depth: int) -> bytes:
    """A one-page PDF whose object 4 is ``depth`` arrays, one inside the other."""
    return raw_pdf([_CATALOG, _PAGES, _page(b"/Junk 4 0 R"), b"[" * depth + b"]" * depth])


def pdf_with_outside_link(address: bytes = b"https://tracker.example/c/8f3a2b") -> bytes:
    """A one-page PDF with a link annotation that opens ``address`` when clicked.

    The shape of a read receipt: a unique address per document tells whoever
    made it the reader's IP address and the moment of the click.
    """
    link = (
        b"<< /Type /Annot /Subtype /Link /Rect [10 10 190 40] "
        b"/A << /S /URI /URI (" + address + b") >> >>"
    )
    return raw_pdf([_CATALOG, _PAGES, _page(b"/Annots [4 0 R]"), link])
