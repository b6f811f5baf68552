"""Cleaning under limits: each request's files are cleaned in a child process of their own.

Why a child process. Decoding a photo or parsing a PDF is where a hostile file
costs memory and time, and Python cannot interrupt a C decoder or cap its
memory from inside the process that runs it. A child can be capped by the
kernel (:func:`portal.files.worker.limit_self`: address space, CPU time,
priority), killed on a wall-clock timeout, and if it dies, only that request
fails, with a clear message; the server's threads and memory are untouched.
The web process itself never decodes a file: it only reads it within the size
limit and recognises its type by its first bytes.

How many at once. A :class:`threading.BoundedSemaphore` admits at most
:data:`MAX_CONCURRENT_CLEANS` children per server process; a request that
cannot get a slot within :data:`CLEAN_QUEUE_SECONDS` is told the site is busy,
and the form comes back with the text kept. So the worst a burst of requests
can cost is that many children at :data:`CLEAN_MEMORY_BYTES` each, on cores
they share at a lower priority than the pages.

The child starts with ``python -I -c`` and a short bootstrap that registers the
``portal`` and ``portal.files`` packages without running their ``__init__``
(Flask, the database, the catalogs): the child then imports only Pillow, the
cleaners and, for a PDF, pikepdf. It starts in about 0.05 s instead of more than
a second with the whole portal imported (see docs/PERFORMANCE.md).
It gets an empty environment (no secret reaches it) and speaks JSON plus raw
bytes, never pickle, so even a child taken over by a decoder bug cannot run code
in the web process.
"""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage

from portal.files.checks import AttachmentRejected, CleanFile, check_count, read_upload, sniff
from portal.files.limits import (
    ALLOWED,
    CLEAN_CPU_SECONDS,
    CLEAN_MEMORY_BYTES,
    CLEAN_QUEUE_SECONDS,
    CLEAN_WALL_SECONDS,
    MAX_CONCURRENT_CLEANS,
)

log = logging.getLogger(__name__)

_FILES_FOLDER = Path(__file__).resolve().parent
#: Registers ``portal`` and ``portal.files`` as bare packages (their folders are
#: argv[1] and argv[2]) so that their ``__init__`` modules never run.
PACKAGES_WITHOUT_INIT = """\
import sys, types
for name, folder in (("portal", sys.argv[1]), ("portal.files", sys.argv[2])):
    package = types.ModuleType(name)
    package.__path__ = [folder]
    sys.modules[name] = package
"""
#: The child's program: the bare packages, then the worker.
BOOTSTRAP = PACKAGES_WITHOUT_INIT + "from portal.files.worker import main\nmain()\n"
#: More than the child could hold in memory is not what the worker writes.
_MAX_OUTPUT_BYTES = CLEAN_MEMORY_BYTES

_slots = threading.BoundedSemaphore(MAX_CONCURRENT_CLEANS)


@dataclass(frozen=True)
class Cleaned:
    """What the child made of one request's files, and what it used to do it.

    ``files`` holds the files cleaned before the first refusal, if any, which
    is ``refusal``. ``peak_kib`` is the child's peak resident memory.
    """

    files: list[CleanFile]
    refusal: AttachmentRejected | None
    peak_kib: int
    cpu_seconds: float


def clean_uploads(uploads: Sequence[FileStorage]) -> list[CleanFile]:
    """Check and clean every upload of one request, in one child process.

    Each file is read within the size limit and sniffed here; decoding,
    parsing and re-encoding happen in the child. Raises
    :class:`AttachmentRejected` for the first file refused, when the child
    fails or exceeds a limit (``complex``), or when no cleaning slot is free in
    time (``busy``).
    """
    check_count(len(uploads))
    typed = []
    for upload in uploads:
        data = read_upload(upload)
        typed.append((sniff(data), data))
    cleaned = clean_files(typed)
    if cleaned.refusal is not None:
        raise cleaned.refusal
    return cleaned.files


def clean_files(typed: Sequence[tuple[str, bytes]]) -> Cleaned:
    """Clean files already sniffed (``(media type, bytes)`` pairs) in one limited child.

    A file the cleaners refuse is reported in :attr:`Cleaned.refusal`; raises
    :class:`AttachmentRejected` (``complex``) when the child fails or exceeds a
    limit, and (``busy``) when no slot is free within :data:`CLEAN_QUEUE_SECONDS`.
    """
    if not typed:
        return Cleaned([], None, 0, 0.0)
    if not _slots.acquire(timeout=CLEAN_QUEUE_SECONDS):
        log.warning("Every attachment cleaning slot stayed busy; a request was asked to retry")
        raise AttachmentRejected("busy")
    try:
        return _run_child(typed)
    finally:
        _slots.release()


def child_command(program: str = BOOTSTRAP) -> list[str]:
    """The command line of a cleaning child (``program`` replaces the worker in tests)."""
    return [sys.executable, "-I", "-c", program, str(_FILES_FOLDER.parent), str(_FILES_FOLDER)]


def _run_child(typed: Sequence[tuple[str, bytes]]) -> Cleaned:
    header = {
        "memory_bytes": CLEAN_MEMORY_BYTES,
        "cpu_seconds": CLEAN_CPU_SECONDS,
        "files": [{"type": media_type, "size": len(data)} for media_type, data in typed],
    }
    payload = json.dumps(header).encode("ascii") + b"\n" + b"".join(data for _, data in typed)
    try:
        process = subprocess.Popen(  # noqa: S603  (our own command line, no shell)
            child_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={},
            cwd="/",
        )
    except OSError as error:  # no process could be started (limits, memory): try later
        log.error("Could not start an attachment cleaning process: %s", error)
        raise AttachmentRejected("busy") from error
    with process:
        try:
            output, errors = process.communicate(payload, timeout=CLEAN_WALL_SECONDS)
        except subprocess.TimeoutExpired as error:
            process.kill()
            process.communicate()
            log.warning("Attachment cleaning stopped after %d s (wall-clock)", CLEAN_WALL_SECONDS)
            raise AttachmentRejected("complex") from error
    if process.returncode != 0:
        log.warning(
            "Attachment cleaning process failed (%s): %s",
            _describe(process.returncode),
            errors[-2000:].decode("utf-8", "replace").strip() or "no message",
        )
        raise AttachmentRejected("complex")
    return _read_results(typed, output)


def _read_results(typed: Sequence[tuple[str, bytes]], output: bytes) -> Cleaned:
    """Check the child's answer against the job and turn it into clean files or a refusal."""
    line, _, body = output.partition(b"\n")
    try:
        report = json.loads(line)
        results = report["files"]
        sizes = [int(result["size"]) for result in results if "refused" not in result]
        if len(body) != sum(sizes) or len(body) > _MAX_OUTPUT_BYTES or len(results) > len(typed):
            raise ValueError("the cleaned files do not match the report")
    except (ValueError, KeyError, TypeError) as error:
        log.error("Attachment cleaning process answered in an unexpected form: %s", error)
        raise AttachmentRejected("complex") from error
    files: list[CleanFile] = []
    refusal = None
    offset = 0
    for (media_type, _data), result in zip(typed, results, strict=False):
        if "refused" in result:
            refusal = AttachmentRejected(_known_kind(result["refused"]), result.get("megapixels"))
            break
        size = int(result["size"])
        files.append(CleanFile(body[offset : offset + size], media_type, ALLOWED[media_type]))
        offset += size
    if refusal is None and len(files) != len(typed):
        log.error("Attachment cleaning process answered for too few files")
        raise AttachmentRejected("complex")
    peak_kib, cpu_seconds = int(report.get("peak_kib", 0)), float(report.get("cpu_seconds", 0))
    log.debug("Attachments cleaned: %.2f s of CPU, peak %d MiB", cpu_seconds, peak_kib // 1024)
    return Cleaned(files, refusal, peak_kib, cpu_seconds)


def _known_kind(kind: object) -> str:
    """A refusal kind the messages know; anything else is reported as ``complex``."""
    known = {"type", "heif", "size", "damaged", "encrypted", "pixels", "complex"}
    return kind if isinstance(kind, str) and kind in known else "complex"


def _describe(returncode: int) -> str:
    """``killed by SIGXCPU`` or ``exit status 1``, for the log."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"
