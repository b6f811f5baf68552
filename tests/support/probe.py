"""A raw HTTP client for hostile probes: sends what a browser never would, reads early answers.

A server may refuse a large body from its headers alone and answer before the
body has arrived. :func:`send` behaves like a careful client: it stops sending
as soon as the answer starts and reads it by its ``Content-Length``, so an early
413 is seen as a 413 (not as a broken connection), and every step is bounded
by ``timeout``.
"""

from __future__ import annotations

import http.client
import re
import select
import socket
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass
class Answer:
    """What the server said: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8", "replace")


def send(
    url: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = 10.0,
) -> Answer:
    """Send one request to ``url`` (``http://127.0.0.1:PORT``); TimeoutError past ``timeout``."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    head = {"Host": f"{host}:{port}", "Connection": "close", **(headers or {})}
    if body or method == "POST":
        head["Content-Length"] = str(len(body))
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in head.items()), "", ""]
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        view, sent = memoryview(body), 0
        while sent < len(body):
            readable, writable, _ = select.select([sock], [sock], [], timeout)
            if readable:
                break  # the server answered before taking the whole body
            if not writable:
                raise TimeoutError("the server neither read the body nor answered")
            try:
                sent += sock.send(view[sent : sent + 65536])
            except (BrokenPipeError, ConnectionResetError):
                break
        response = http.client.HTTPResponse(sock)
        response.begin()
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read(),
        )


def report_form(url: str, lang: str = "kk", timeout: float = 10.0) -> tuple[dict[str, str], bytes]:
    """Open the report form as a visitor: its session cookie, and its tokens url-encoded.

    Returns the headers to send (``Cookie``) and ``csrf_token=…&submission=…&``, so
    that a probe is a genuine submission that passes the CSRF check.
    """
    page = send(url, f"/{lang}/report", timeout=timeout)
    cookie = page.headers["set-cookie"].split(";", 1)[0]
    tokens = {
        name: re.search(rf'name="{name}" value="([^"]*)"', page.text).group(1)
        for name in ("csrf_token", "submission")
    }
    return {"Cookie": cookie}, (urlencode(tokens) + "&").encode()
