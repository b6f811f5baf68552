"""The cleaning child process: limits itself, cleans the files it is given, reports back.

Started by :mod:`portal.files.sandbox` once per request that carries files.
Before touching any file it lowers its own priority and sets its limits on
address space, CPU time and core dumps (a core dump would hold the
complainant's file); nothing the files do can raise them again. It imports
only the standard library, Pillow, pikepdf and the cleaners, never Flask or
the database, and it is given an empty environment, so it holds no secret.

Protocol, on standard input and output, with no pickle in either direction:

* in: one JSON line ``{"files": [{"type": "image/png", "size": 123}, …]}``,
  then the files' bytes one after the other;
* out: one JSON line ``{"files": [{"size": 120} or {"refused": "pixels",
  "megapixels": 12}, …], "peak_kib": …, "cpu_seconds": …}``, then the cleaned
  files' bytes one after the other. The first refusal ends the job.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import warnings
from typing import BinaryIO

import pikepdf.settings

from portal.files.images import clean_image
from portal.files.limits import (
    CLEAN_CPU_SECONDS,
    CLEAN_MEMORY_BYTES,
    CLEAN_NICENESS,
    MAX_FILE_BYTES,
    MAX_FILES,
    PDF_MAX_DEPTH,
    Refused,
)
from portal.files.pdf import clean_pdf


def limit_self(
    memory_bytes: int = CLEAN_MEMORY_BYTES, cpu_seconds: int = CLEAN_CPU_SECONDS
) -> None:
    """Lower this process's priority and cap its memory, CPU time and core dumps.

    Past the memory limit an allocation fails (MemoryError, or the process
    dies); past the CPU limit the kernel sends SIGXCPU, and SIGKILL a second
    later. Called first thing in the child, never in the web process.
    """
    os.nice(CLEAN_NICENESS)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # qpdf nulls objects nested deeper than this while parsing, before we walk them.
    pikepdf.settings.set_qpdf_limits(parser_max_nesting=PDF_MAX_DEPTH)
    # Warnings mean nothing to the sender and must not reach the web process's log.
    warnings.simplefilter("ignore")


def clean_one(media_type: str, data: bytes) -> bytes:
    """Clean one file whose type was sniffed by the web process; raises :class:`Refused`."""
    if media_type == "application/pdf":
        return clean_pdf(data)
    return clean_image(data, media_type)


def serve(source: BinaryIO, sink: BinaryIO) -> None:
    """Read one job from ``source``, clean each file in turn, write the results to ``sink``."""
    header = json.loads(source.readline(64 * 1024))
    jobs = header["files"][:MAX_FILES]
    results: list[dict[str, object]] = []
    cleaned: list[bytes] = []
    for job in jobs:
        size = int(job["size"])
        if not 0 <= size <= MAX_FILE_BYTES:
            raise ValueError("file size out of range")
        data = source.read(size)
        try:
            output = clean_one(str(job["type"]), data)
        except Refused as refusal:  # the sender must send again anyway: stop here
            results.append({"refused": refusal.kind, "megapixels": refusal.megapixels})
            break
        finally:
            del data
        results.append({"size": len(output)})
        cleaned.append(output)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report = {
        "files": results,
        "peak_kib": usage.ru_maxrss,
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
    }
    sink.write(json.dumps(report).encode("ascii") + b"\n")
    for output in cleaned:
        sink.write(output)
    sink.flush()


def main() -> None:
    """Entry point of the child: limit, then serve standard input to standard output."""
    limit_self()
    serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
