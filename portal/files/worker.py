"""The cleaning child process: limits itself, cleans the files it is given, reports back.

Started by :mod:`portal.files.sandbox` once per request that carries files.
Before reading any file it lowers its own priority and sets the limits the web
process gave it on address space and CPU time, and forbids core dumps (a core
dump would hold the complainant's file); nothing the files do can raise them
again. It imports
only the standard library, Pillow, the cleaners and, for a PDF, pikepdf; never
Flask or the database, and it is given an empty environment, so it holds no secret.

Protocol, on standard input and output, with no pickle in either direction:

* in: one JSON line ``{"memory_bytes": …, "cpu_seconds": …, "files": [{"type":
  "image/png", "size": 123}, …]}``, then the files' bytes one after the other;
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

from portal.files.images import clean_image
from portal.files.limits import CLEAN_NICENESS, MAX_FILE_BYTES, MAX_FILES, Refused


def limit_self(memory_bytes: int, cpu_seconds: int) -> None:
    """Lower this process's priority and cap its memory, CPU time and core dumps.

    Past the memory limit an allocation fails (MemoryError, or the process
    dies); past the CPU limit the kernel sends SIGXCPU, and SIGKILL a second
    later. Called first thing in the child, never in the web process.
    """
    os.nice(CLEAN_NICENESS)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # Warnings mean nothing to the sender and must not reach the web process's log.
    warnings.simplefilter("ignore")


def clean_one(media_type: str, data: bytes) -> bytes:
    """Clean one file whose type was sniffed by the web process; raises :class:`Refused`."""
    if media_type != "application/pdf":
        return clean_image(data, media_type)
    # Imported on first use, not at the top: pikepdf takes about 0.12 s to import,
    # two thirds of the child's start-up, and most requests carry only photos.
    from portal.files import pdf

    pdf.limit_parser()
    return pdf.clean_pdf(data)


def serve(header: dict, source: BinaryIO, sink: BinaryIO) -> None:
    """Clean the files ``header`` announces, read in turn from ``source``; answer on ``sink``."""
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
        "peak_kib": peak_memory_kib(),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
    }
    sink.write(json.dumps(report).encode("ascii") + b"\n")
    for output in cleaned:
        sink.write(output)
    sink.flush()


def peak_memory_kib() -> int:
    """This process's own peak resident memory, in KiB.

    Read from ``VmHWM``: ``ru_maxrss`` would also count the web process's
    memory, because Linux carries the forked parent's peak over the exec.
    """
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    """Entry point of the child: read the job's header, limit itself, then clean and answer."""
    header = json.loads(sys.stdin.buffer.readline(64 * 1024))  # written by the web process
    limit_self(int(header["memory_bytes"]), int(header["cpu_seconds"]))
    serve(header, sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
