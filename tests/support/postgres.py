"""A throwaway PostgreSQL server for the tests, run as an unprivileged user when we are root."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """initdb, start, create databases from a template, stop; everything in one temporary folder."""

    bin_dir = Path(os.environ.get("PORTAL_PG_BIN", "/usr/lib/postgresql/15/bin"))
    user = "portal"

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._names = itertools.count()

    @classmethod
    def available(cls) -> bool:
        return all((cls.bin_dir / name).exists() for name in ("initdb", "pg_ctl", "postgres"))

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            command = [
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "--",
                *command,
            ]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def start(self) -> None:
        if os.geteuid() == 0:
            os.chmod(self.folder, 0o755)  # noqa: S103 - the server user must enter it
            shutil.chown(self.folder, "nobody", "nogroup")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def empty_database(self, name: str, tables: list[str]) -> None:
        """Delete every row of ``tables`` in ``name``: much faster than a new database."""
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname=name, autocommit=True
        ) as connection:
            connection.execute("SET lock_timeout = '10s'")  # a leaked transaction fails, not hangs
            quoted = ", ".join(f'"{table}"' for table in tables)
            connection.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")

    def create_database(self, name: str | None = None, template: str = "template1") -> str:
        """Create a database (a copy of ``template``) and return its name."""
        name = name or f"test_{next(self._names)}"
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name
