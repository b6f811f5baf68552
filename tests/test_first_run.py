"""A newcomer's first ``make run``: the address to open is printed, the files stay private.

The steps of ``make run`` run here as the Makefile runs them (``flask --app wsgi …``
in child processes, in a fresh instance folder, with no secrets in the environment,
from a shell whose umask lets everyone read), so what is checked is what a fresh
clone gets.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import stat
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from portal.privacy import ClientPrivacyFilter

ROOT = Path(__file__).resolve().parents[1]
FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


@pytest.fixture
def shell_umask():
    """Start as a usual shell would: files world-readable (umask 022); children inherit it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def fresh_environment(tmp_path) -> dict[str, str]:
    """The environment of a fresh clone: an empty instance folder, no secrets, no database URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PORTAL_") and key != "FLASK_APP"
    }
    env["PORTAL_INSTANCE_PATH"] = str(tmp_path / "instance")
    return env


def _flask(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*FLASK, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _not_private(folder: Path) -> list[str]:
    """Everything under ``folder`` (itself included) that is not a 0600 file or a 0700 folder."""
    wrong = []
    for path in [folder, *folder.rglob("*")]:
        info = path.lstat()
        expected = 0o700 if stat.S_ISDIR(info.st_mode) else 0o600
        if stat.S_IMODE(info.st_mode) != expected:
            wrong.append(f"{path.relative_to(folder.parent)} {oct(stat.S_IMODE(info.st_mode))}")
    return wrong


def test_make_run_leaves_only_0600_files_and_0700_folders(fresh_environment, shell_umask):
    env = fresh_environment
    _flask(env, "init-db")
    _flask(env, "demo-data", "--if-empty", "--facilities", "12", "--complaints", "40")
    _flask(env, "search", "catch-up")
    _flask(env, "search", "rebuild")
    folder = Path(env["PORTAL_INSTANCE_PATH"])
    names = {path.name for path in folder.rglob("*")}
    # the database, the generated secrets, the index and its locks are all there to check
    assert {"portal.sqlite3", "dev-secrets.json", "index", "index.rebuild-lock"} <= names
    assert any(name.endswith("WRITELOCK") for name in names)
    assert _not_private(folder) == []


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)


def _wait_for(lines: queue.Queue, seen: list[str], text: str, timeout: float = 60) -> None:
    while not any(text in line for line in seen):
        try:
            seen.append(lines.get(timeout=timeout))
        except queue.Empty:
            pytest.fail(f"{text!r} not printed; got: {''.join(seen)}")


def test_make_run_prints_the_address_to_open_and_no_client_address(fresh_environment):
    env = fresh_environment
    _flask(env, "init-db")
    port = _free_port()
    env["PORTAL_BASE_URL"] = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=_lines, args=(server.stdout, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        _wait_for(lines, seen, "Running on")
        assert f" * Running on http://127.0.0.1:{port}\n" in seen
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ru/about", timeout=30) as page:
            assert page.status == 200
        _wait_for(lines, seen, "GET /ru/about")
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)
        server.stdout.close()
    (access,) = [line for line in seen if "GET /ru/about" in line]
    assert "127.0.0.1" not in access and access.startswith("- - - [")


def _filtered(name: str, message: str, *args) -> str:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    assert ClientPrivacyFilter().filter(record)
    return record.getMessage()


def test_only_the_servers_own_start_up_lines_keep_an_address():
    start_up = (
        "\x1b[31m\x1b[1mWARNING: This is a development server. Do not use it in a production"
        " deployment. Use a production WSGI server instead.\x1b[0m\n"
        " * Running on all addresses (0.0.0.0)\n"
        " * Running on http://127.0.0.1:5000\n"
        " * Running on http://192.0.2.10:5000"
    )
    assert _filtered("werkzeug", start_up) == start_up
    # a request line, an error, or the same words anywhere else, keep no address
    request = '203.0.113.77 - - [01/Dec/2026 10:00:00] "GET /ru/ HTTP/1.1" 200 -'
    assert _filtered("werkzeug", "%s", request).startswith("- - - [")
    assert "203.0.113.77" not in _filtered("werkzeug", "%s", request)
    forged = "Error on request:\n * Running on http://203.0.113.77:5000"
    assert "203.0.113.77" not in _filtered("werkzeug", forged)
    assert "203.0.113.77" not in _filtered("gunicorn.error", " * Running on http://203.0.113.77:1")
