"""Abuse control without tracking: rate limits keyed by a keyed hash of the address.

The limiter never sees an IP address: the bucket name is an HMAC-SHA256 of the
address under a key derived from ``SECRET_KEY``, and the counters live in
memory (``RATELIMIT_STORAGE_URI``, default ``memory://``), so they vanish with the
process. Each application gets its own limiter; ``RATELIMIT_ENABLED`` turns it off
(tests, fuzzing).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from flask import Flask, current_app, request
from flask_limiter import Limiter
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

from portal.security.keys import rate_limit_key

#: How often one client may do each thing.
LIMITS: dict[str, RateLimitItem] = {
    "report": parse("10 per hour"),  # complaint submissions (POST only)
    "follow-up": parse("10 per 15 minutes"),  # receipt-code attempts
    "reply": parse("20 per hour"),  # answers and files sent on follow-up
    # Every submission whose files are cleaned, accepted or not: cleaning costs up to 20 s
    # of CPU in a child process, so refused files must not be free to send again and again.
    "files": parse("20 per hour"),
    # Staff sign-in steps (password, code) from one client, whatever the account; each
    # account is also throttled after 5 failures a minute (portal/auth/signin.py).
    "sign-in": parse("30 per 15 minutes"),
}

_EXTENSION = "portal.limiter"


def client_key() -> str:
    """An anonymous bucket name for the current client; never the address itself."""
    address = (request.remote_addr or "unknown").encode("utf-8")
    return hmac.new(rate_limit_key(), address, hashlib.sha256).hexdigest()


def _limiter() -> Limiter | None:
    limiter: Limiter | None = current_app.extensions.get(_EXTENSION)
    return limiter if limiter is not None and limiter.enabled else None


def _refusal(limiter: Limiter, name: str) -> TooManyRequests:
    """A 429 that says, in ``Retry-After``, how many seconds until ``name`` is allowed again."""
    reset_at, _remaining = limiter.limiter.get_window_stats(
        LIMITS[name], "complaints", name, client_key()
    )
    return TooManyRequests(retry_after=max(1, math.ceil(reset_at - time.time())))


def check(name: str) -> None:
    """Raise a 429 (with ``Retry-After``) if the current client has no ``name`` left; count nothing.

    For actions counted only when they succeed: a report is counted when it is
    filed, so a form sent back for corrections does not use up the allowance.
    """
    limiter = _limiter()
    if limiter is not None and not limiter.limiter.test(
        LIMITS[name], "complaints", name, client_key()
    ):
        raise _refusal(limiter, name)


def hit(name: str) -> None:
    """Count one ``name`` action of the current client; a 429 (with ``Retry-After``) when over."""
    limiter = _limiter()
    if limiter is not None and not limiter.limiter.hit(
        LIMITS[name], "complaints", name, client_key()
    ):
        raise _refusal(limiter, name)


def init_app(app: Flask) -> None:
    """Give ``app`` its own limiter (the client address comes through ``trust_proxies``)."""
    limiter = Limiter(
        key_func=client_key,
        storage_uri=app.config.get("RATELIMIT_STORAGE_URI") or "memory://",
        enabled=bool(app.config.get("RATELIMIT_ENABLED", True)),
    )
    limiter.init_app(app)
    app.extensions[_EXTENSION] = limiter
