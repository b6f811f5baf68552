"""How much an attachment may cost: the numbers, and why each is what it is.

This module imports nothing but the standard library, because the cleaning
child process (:mod:`portal.files.worker`) reads it too and must start fast.

Cost model. Cleaning decodes a photo into memory or parses a whole PDF, so the
work depends on what the file *claims* to hold, not on its size in bytes: a
400 KB PNG can announce 7200×7200 pixels of 16-bit colour (700 MB to clean
before these limits), and a 10 MB PDF can hold 2.6 million empty dictionaries
(1 GB and 20 s). Every limit below is checked before that work starts, from
the image header or the PDF's object counts; the child process's own limits on
memory and CPU time (:data:`CLEAN_MEMORY_BYTES`, :data:`CLEAN_CPU_SECONDS`) bound
whatever a hostile file still finds to exploit.
"""

from __future__ import annotations

#: Most files one complaint or message may carry.
MAX_FILES = 5
#: Largest file accepted, as uploaded (the cleaned file may differ a little).
MAX_FILE_BYTES = 10 * 1024 * 1024

#: Largest photo accepted, in pixels.
#:
#: Most phones save 12 MP photos (4032×3024) even when their sensor has 48, 50,
#: 108 or 200 MP, because they merge four or more sensor pixels into one; 24 MP
#: cameras (6000×4000) also fit. A phone's optional full-resolution mode
#: (50 MP: 8160×6120) is refused with a request for a smaller copy: such files
#: are mostly over :data:`MAX_FILE_BYTES` anyway, and half the limit halves the
#: memory every clean may take. Decoded, Pillow keeps 4 bytes per pixel, so a
#: photo at the limit needs 100 MB per copy of its pixels.
MAX_PIXELS = 25_000_000
#: Largest amount of pixel data accepted, in bytes: an 8-bit RGB photo at
#: :data:`MAX_PIXELS`. Images with more bytes per pixel (16-bit samples,
#: transparency) are allowed proportionally fewer pixels, because decoding them
#: inflates and converts more data: a 16-bit RGB PNG (6 bytes per pixel) may
#: have 12.5 MP, a 16-bit RGBA one (8 bytes) 9.4 MP.
MAX_IMAGE_BYTES = MAX_PIXELS * 3

#: Most indirect objects a PDF may have. A scanned or printed document of a few
#: hundred pages has some thousands; only a generated file has more.
PDF_MAX_OBJECTS = 100_000
#: Most arrays, dictionaries and values the metadata scrub visits in one PDF,
#: counted before each container is opened, so that one array of millions of
#: items is refused without touching them. The scrub costs two to three
#: microseconds per node it opens, so this bounds it to about 3 s.
PDF_MAX_NODES = 1_000_000
#: Deepest nesting of arrays and dictionaries, for the parser and the scrub alike.
PDF_MAX_DEPTH = 64

#: Memory (address space) the cleaning child may use, for all files of one
#: request one after the other: the largest photo (:data:`MAX_PIXELS`, about
#: 300 MB with its copies) plus the interpreter, Pillow and qpdf (about 50 MB)
#: and the request's files in and out. Past it, allocation fails and the file
#: is refused.
CLEAN_MEMORY_BYTES = 512 * 1024 * 1024
#: CPU seconds the cleaning child may use for all files of one request. Five
#: 12 MP photos take about 1.6 s; the costliest request we accept (five 24 MP
#: photos turned by their EXIF, or five 24 MP PNGs) about 6 s: a margin of three.
CLEAN_CPU_SECONDS = 20
#: Wall-clock seconds before the child is killed; more than the CPU limit,
#: because the child runs at a lower priority than the pages and may wait.
CLEAN_WALL_SECONDS = 30
#: Cleanings running at once in one server process: each can take one core
#: and :data:`CLEAN_MEMORY_BYTES`; the rest of the site keeps the other core.
MAX_CONCURRENT_CLEANS = 2
#: Seconds a request waits for a free cleaning slot before it is asked to try
#: again: eight reports with five 12 MP photos each, sent at the same moment,
#: all get through. With :data:`CLEAN_WALL_SECONDS`, every request ends within
#: 50 s, before a reverse proxy's usual 60 s timeout.
CLEAN_QUEUE_SECONDS = 20
#: How much lower the child's CPU priority is than the site's (``nice``).
CLEAN_NICENESS = 10

#: The types we keep, with the extension of the stored file.
ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}


class Refused(ValueError):
    """A file the cleaners will not keep; ``kind`` names the reason.

    ``str()`` names only the kind: never the file's name or contents, which may
    identify the sender. ``megapixels`` is the limit that applied, for ``pixels``.
    """

    def __init__(self, kind: str, megapixels: int | None = None) -> None:
        super().__init__(f"attachment rejected: {kind}")
        self.kind = kind
        self.megapixels = megapixels
