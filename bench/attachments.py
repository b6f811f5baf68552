"""Benchmark: what cleaning one request's attachments costs, ordinary and hostile, per request.

Each case is cleaned the way a report POST cleans its files (one child process
under the limits of portal/files/limits.py) several times after a warm-up, and
prints the median with the range of: wall time seen by the web process, the
child's CPU time (from RUSAGE_CHILDREN, so a killed child counts too) and the
child's peak resident memory (VmHWM, reported by the child; "killed" when the
kernel stopped it, in which case its limit is the bound).

Usage: .venv/bin/python bench/attachments.py [--runs 5] [--cases photo,probe-png,...]
       [--parallel 8]   (also clean each case from 8 threads at once, as 8 requests would)
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pikepdf
from PIL import Image

from portal.files import AttachmentRejected, limits, sandbox
from tests.support import hostile_files


def photo(width: int, height: int, orientation: int | None = None) -> bytes:
    """A phone-like JPEG: a gradient with sensor noise, quality 90 (12 MP ≈ 4–5 MB)."""
    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24)
    picture = Image.merge("RGB", (base, Image.blend(base, noise, 0.3), noise))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    out = BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def screenshot_png(width: int, height: int) -> bytes:
    """A large PNG that compresses well, as screenshots and scans do."""
    picture = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def scanned_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` scanned A4 pages (1240×1754 JPEGs, 150 dpi) with an author."""
    document = pikepdf.new()
    scan = photo(1240, 1754)
    document.docinfo["/Author"] = "Someone"
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
        page = document.pages[-1]
        image = document.make_stream(scan, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image)
        image.Width, image.Height, image.BitsPerComponent = 1240, 1754, 8
        image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.obj.Contents = document.make_stream(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


#: name → (what it is, a function building the request's (media type, bytes) pairs)
CASES: dict[str, tuple[str, Callable[[], list[tuple[str, bytes]]]]] = {
    "tiny": ("a 64×48 JPEG (the child's own start-up)", lambda: [("image/jpeg", photo(64, 48))]),
    "photo": ("one 12 MP phone JPEG", lambda: [("image/jpeg", photo(4032, 3024))]),
    "photos": ("five 12 MP phone JPEGs", lambda: [("image/jpeg", photo(4032, 3024))] * 5),
    "largest-photo": (
        "a 24 MP JPEG turned by EXIF (largest accepted, two copies of its pixels)",
        lambda: [("image/jpeg", photo(6000, 4000, orientation=6))],
    ),
    "largest-request": (
        "five such 24 MP JPEGs (the costliest request accepted)",
        lambda: [("image/jpeg", photo(6000, 4000, orientation=6))] * 5,
    ),
    "largest-png": ("a 24 MP PNG", lambda: [("image/png", screenshot_png(6000, 4000))]),
    "scanned-pdf": ("a 10-page scanned PDF", lambda: [("application/pdf", scanned_pdf(10))]),
    "probe-png": (
        "the probe: five 7200×7200 16-bit PNGs",
        lambda: [("image/png", hostile_files.png_of_one_colour())] * 5,
    ),
    "probe-pdf": (
        "the probe: 10 MB PDF, 2.6 M empty dictionaries",
        lambda: [("application/pdf", hostile_files.pdf_of_empty_dictionaries())],
    ),
    "packed-pdf": (
        "the same 2.6 M dictionaries in a compressed object stream (10 KB)",
        lambda: [("application/pdf", hostile_files.pdf_of_packed_empty_dictionaries())],
    ),
    "budget-pdf": (
        "450,000 dictionaries the scrub must open (just within its budget)",
        lambda: [
            (
                "application/pdf",
                hostile_files.pdf_with_packed_objects([b"[" + b"<< /A 1 >>" * 450_000 + b"]"]),
            )
        ],
    ),
    "packed-pdf-10m": (
        "10 M dictionaries in an object stream (40 KB; qpdf reaches the memory limit)",
        lambda: [("application/pdf", hostile_files.pdf_of_packed_empty_dictionaries(10_000_000))],
    ),
}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def clean_once(typed: list[tuple[str, bytes]]) -> tuple[float, float, int | None, str]:
    """Wall seconds, child CPU seconds, child peak KiB (None if killed), outcome."""
    cpu = children_cpu()
    start = time.perf_counter()
    try:
        cleaned = sandbox.clean_files(typed)
    except AttachmentRejected as error:
        outcome, peak = f"child stopped: {error.kind}", None
    else:
        peak = cleaned.peak_kib
        outcome = f"refused: {cleaned.refusal.kind}" if cleaned.refusal else "cleaned"
    return time.perf_counter() - start, children_cpu() - cpu, peak, outcome


def spread(values: list[float], unit: str, scale: float = 1.0) -> str:
    scaled = [value * scale for value in values]
    return f"{statistics.median(scaled):,.0f} {unit} ({min(scaled):,.0f}–{max(scaled):,.0f})"


def run_parallel(typed: list[tuple[str, bytes]], requests: int) -> str:
    """Clean the case from ``requests`` threads at once; the slowest wall time and outcomes."""
    results: list[tuple[float, float, int | None, str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(clean_once(typed))) for _ in range(requests)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - start
    outcomes: dict[str, int] = {}
    for *_, outcome in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    summary = ", ".join(f"{count}× {outcome}" for outcome, count in sorted(outcomes.items()))
    return f"{requests} at once: all done in {total:.1f} s; {summary}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--parallel", type=int, default=0)
    args = parser.parse_args()
    print(
        f"limits: {limits.CLEAN_MEMORY_BYTES // 2**20} MiB, {limits.CLEAN_CPU_SECONDS} s CPU, "
        f"{limits.CLEAN_WALL_SECONDS} s wall per request; {limits.MAX_CONCURRENT_CLEANS} at once"
    )
    print("| case | outcome | wall | child CPU | child peak memory |")
    print("| --- | --- | --- | --- | --- |")
    for name in args.cases.split(","):
        label, build = CASES[name]
        typed = build()
        clean_once(typed)  # warm-up: page cache, first imports
        runs = [clean_once(typed) for _ in range(args.runs)]
        peaks = [peak for _, _, peak, _ in runs if peak is not None]
        memory = spread(peaks, "MiB", 1 / 1024) if peaks else "killed at the limit"
        outcome = ", ".join(sorted({outcome for *_, outcome in runs}))
        size = sum(len(data) for _, data in typed) / 2**20
        print(
            f"| {label} ({size:.1f} MiB) | {outcome} | {spread([r[0] for r in runs], 'ms', 1000)} "
            f"| {spread([r[1] for r in runs], 'ms', 1000)} | {memory} |",
            flush=True,
        )
        if args.parallel:
            print(f"|   | {run_parallel(typed, args.parallel)} | | | |", flush=True)


if __name__ == "__main__":
    main()
