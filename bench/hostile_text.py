"""Benchmark: the oversized-text probe against gunicorn, and a public page meanwhile.

Eight parallel reports, each with four url-encoded text fields (``narrative``,
``place_text``, ``contact``, ``incident_date``) of ``--field-bytes`` bytes, sent
while another visitor opens the national page. Prints, over ``--rounds`` rounds,
the median, minimum and maximum of: each probe's answer time, the page's answer
time, and the worker's peak memory (VmHWM).

Usage: .venv/bin/python bench/hostile_text.py [--rounds 7] [--field-bytes 5500000]
       [--project DIR]   # serve another checkout (e.g. a git worktree of an older commit)
       [--no-rate-limit] # for several rounds: one address may send 10 reports an hour
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from tests.support.probe import report_form, send  # noqa: E402

PARALLEL = 8
FIELDS = ("narrative", "place_text", "contact", "incident_date")


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(project: Path, folder: Path, port: int, rate_limit: bool) -> subprocess.Popen:
    """gunicorn with the project's own settings, on a database with a little demo data."""
    env = {
        **os.environ,
        "PORTAL_RATELIMIT_ENABLED": "1" if rate_limit else "0",
        "PORTAL_INSTANCE_PATH": str(folder),
        "PORTAL_BIND": f"127.0.0.1:{port}",
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONPATH": str(project),
    }
    flask = [str(HERE / ".venv/bin/flask"), "--app", "wsgi"]
    for command in (["init-db"], ["demo-data", "--facilities", "30", "--complaints", "50"]):
        subprocess.run(flask + command, cwd=project, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(HERE / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            send(f"http://127.0.0.1:{port}", "/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def worker_peak_mib(master: int) -> float:
    """The peak resident memory of gunicorn's worker (the master's child), in MiB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_round(url: str, body: bytes, timeout: float) -> tuple[list[float], float, list[int]]:
    """Eight probes and one page at once: the probes' times, the page's time, the statuses."""
    times: list[float] = []
    statuses: list[int] = []
    forms = [report_form(url) for _ in range(PARALLEL)]  # genuine visitors: CSRF passes

    def probe(cookie: dict[str, str], tokens: bytes) -> None:
        start = time.perf_counter()
        try:
            answer = send(
                url,
                "/kk/report",
                method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded", **cookie},
                body=tokens + body,
                timeout=timeout,
            )
            statuses.append(answer.status)
        except OSError:
            statuses.append(0)
        times.append(time.perf_counter() - start)

    threads = [threading.Thread(target=probe, args=form) for form in forms]
    for thread in threads:
        thread.start()
    start = time.perf_counter()
    send(url, "/kk/", timeout=timeout)
    page = time.perf_counter() - start
    for thread in threads:
        thread.join()
    return times, page, statuses


def spread(values: list[float], unit: str = "ms", scale: float = 1000) -> str:
    """median (min–max) of ``values``."""
    scaled = [value * scale for value in values]
    return f"{statistics.median(scaled):,.0f} {unit} ({min(scaled):,.0f}–{max(scaled):,.0f})"


def main() -> None:
    """Serve, probe ``--rounds`` times, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--field-bytes", type=int, default=5_500_000)
    parser.add_argument("--project", type=Path, default=HERE)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="let every round through (8 probes fit one address's hourly allowance of 10)",
    )
    args = parser.parse_args()

    body = b"&".join(name.encode() + b"=" + b"a" * args.field_bytes for name in FIELDS)
    folder = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    port = free_port()
    server = serve(args.project.resolve(), folder, port, rate_limit=not args.no_rate_limit)
    try:
        url = f"http://127.0.0.1:{port}"
        send(url, "/kk/", timeout=30)  # warm-up: coverage figures in memory
        probes, pages, statuses = [], [], []
        for _ in range(args.rounds):
            times, page, codes = one_round(url, body, args.timeout)
            probes += times
            pages.append(page)
            statuses += codes
        peak = worker_peak_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)

    print(f"project {args.project}, {PARALLEL} parallel probes of 4 × {args.field_bytes:,} bytes")
    print(f"rate limit: {'off' if args.no_rate_limit else 'on'}")
    print(f"rounds: {args.rounds}; statuses: {sorted(set(statuses))}")
    print(f"probe answered in: {spread(probes)}")
    print(f"page answered in:  {spread(pages)}")
    print(f"worker peak memory: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
