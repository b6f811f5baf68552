"""Configuration: safe development defaults in code, overridden by ``PORTAL_*`` variables.

Development needs no set-up: the secrets are generated once into the instance
folder and reused on every start. In production (``PORTAL_ENV=production``) the
portal refuses to start unless the secrets come from the environment, because a
generated key on a server would silently change with every fresh disk.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Secrets that production must receive from the environment.
REQUIRED_SECRETS = ("PORTAL_SECRET_KEY", "PORTAL_CONTACT_KEY")
#: Where the site is published: production must name it, never guess it from a request.
REQUIRED_IN_PRODUCTION = ("PORTAL_BASE_URL", "PORTAL_FEED_TAG_AUTHORITY")
#: The public origin in development (``make run`` passes its own port).
DEVELOPMENT_BASE_URL = "http://127.0.0.1:5000"
#: Host names development accepts besides the base URL's (the test client uses localhost).
DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1", "::1")
#: A DNS name (or an IPv4 address): ASCII letters, digits and hyphens, labels of 1 to 63.
DOMAIN_NAME = re.compile(
    r"(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)


class ConfigurationError(RuntimeError):
    """Raised at start-up when the configuration cannot be used safely."""


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def base_url(value: str) -> str:
    """Check a public origin such as ``https://ashyq.example.kz``; return it without a final slash.

    Raises :class:`ConfigurationError` unless it is http(s) with a host and nothing after it.
    """
    try:
        parts = urlsplit(value.strip())
        port, host = parts.port, parts.hostname or ""
    except ValueError:
        parts, port, host = None, 0, ""
    if (
        parts is None
        or port == 0
        or parts.scheme not in {"http", "https"}
        or not (DOMAIN_NAME.fullmatch(host) or _is_ipv6(host))
        or parts.username is not None
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or value.strip().endswith(("?", "#"))
    ):
        raise ConfigurationError(
            f"PORTAL_BASE_URL must be an origin like https://ashyq.example.kz "
            f"(http or https, a host, an optional port, no path or query), not {value!r}"
        )
    netloc = f"[{host}]" if _is_ipv6(host) else host
    return f"{parts.scheme}://{netloc}" + (f":{port}" if port else "")


def _is_ipv6(host: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        return False


def host_list(value: str) -> list[str]:
    """The names in a comma-separated list, stripped and lower-cased (checked in security.hosts)."""
    return [item.strip().lower() for item in value.split(",") if item.strip()]


def tag_authority(value: str) -> str:
    """Check the domain name used in the feed's ``tag:`` ids (RFC 4151); return it lower-cased."""
    name = value.strip().lower()
    if not DOMAIN_NAME.fullmatch(name):
        raise ConfigurationError(
            f"PORTAL_FEED_TAG_AUTHORITY must be a domain name like ashyq.example.kz, not {value!r}"
        )
    return name


def stats_period(value: str) -> str:
    """Check the publication period of complaint statistics: ``month`` or ``quarter``."""
    period = value.strip().lower()
    if period not in ("month", "quarter"):
        raise ConfigurationError(
            f"PORTAL_COMPLAINT_STATS_PERIOD must be month or quarter, not {value!r}"
        )
    return period


def instance_path(environ: Mapping[str, str]) -> Path:
    """Return the instance folder: ``PORTAL_INSTANCE_PATH`` or ``./instance``."""
    return Path(environ.get("PORTAL_INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()


def _development_secrets(folder: Path) -> dict[str, str]:
    """Read the generated development secrets, creating them on first use.

    The file is written with mode 0600 so that other local users cannot read it.
    """
    path = folder / "dev-secrets.json"
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if all(name in stored for name in REQUIRED_SECRETS):
            return stored
    generated = {name: secrets.token_urlsafe(32) for name in REQUIRED_SECRETS}
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(generated, handle)
    return generated


def load(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from the environment.

    Raises :class:`ConfigurationError` in production when a secret is missing,
    naming every missing variable.
    """
    environ = os.environ if environ is None else environ
    env = environ.get("PORTAL_ENV", "development").strip().lower()
    production = env == "production"
    folder = instance_path(environ)

    missing = [name for name in REQUIRED_SECRETS if not environ.get(name)]
    unnamed = [name for name in REQUIRED_IN_PRODUCTION if not environ.get(name)]
    if production and (missing or unnamed):
        raise ConfigurationError(
            "PORTAL_ENV=production needs these environment variables: "
            + ", ".join(missing + unnamed)
        )
    origin = base_url(environ.get("PORTAL_BASE_URL") or DEVELOPMENT_BASE_URL)
    origin_host = urlsplit(origin).hostname or ""
    allowed = host_list(
        environ.get("PORTAL_ALLOWED_HOSTS")
        or ",".join([origin_host, *(() if production else DEVELOPMENT_HOSTS)])
    )
    generated = _development_secrets(folder) if missing else {}
    secret = {name: environ.get(name) or generated[name] for name in REQUIRED_SECRETS}

    return {
        "PORTAL_ENV": env,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": secret["PORTAL_SECRET_KEY"],
        "CONTACT_KEY": secret["PORTAL_CONTACT_KEY"],
        "DATABASE_URL": environ.get("PORTAL_DATABASE_URL")
        or f"sqlite:///{folder / 'portal.sqlite3'}",
        "INDEX_DIR": environ.get("PORTAL_INDEX_DIR") or str(folder / "index"),
        "RATELIMIT_STORAGE_URI": environ.get("PORTAL_RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": _flag(environ.get("PORTAL_RATELIMIT_ENABLED"), True),
        "RETENTION_DAYS": int(environ.get("PORTAL_RETENTION_DAYS") or 730),
        # Days a facility is assumed to keep its recordings when its figures do not say
        # (portal/casework/footage.py): short, so that a footage deadline is never late.
        "FOOTAGE_RETENTION_DAYS": int(environ.get("PORTAL_FOOTAGE_RETENTION_DAYS") or 30),
        # Complaint statistics are published as of the end of the last complete month or quarter.
        "COMPLAINT_STATS_PERIOD": stats_period(
            environ.get("PORTAL_COMPLAINT_STATS_PERIOD") or "month"
        ),
        # /healthz says "degraded" when more index work than this waits in the outbox.
        "INDEX_BACKLOG_ALERT": int(environ.get("PORTAL_INDEX_BACKLOG_ALERT") or 100),
        # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none),
        # so that rate limits count clients, not the proxy.
        "PROXY_COUNT": int(environ.get("PORTAL_PROXY_COUNT") or 0),
        # The public origin: every absolute link is built on it, never on the request's Host.
        "BASE_URL": origin,
        # Host names a request may carry; any other gets 400 (portal/security/hosts.py).
        "ALLOWED_HOSTS": allowed,
        # The site's own domain, for feed entry ids that never change (tag: URIs).
        "FEED_TAG_AUTHORITY": tag_authority(
            environ.get("PORTAL_FEED_TAG_AUTHORITY") or origin_host
        ),
        # Cookies: never readable by scripts, never sent cross-site on POST,
        # and only over HTTPS (with the __Host- prefix) in production.
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Five attachments of up to 10 MiB each plus the form itself (portal/files/limits.py).
        "MAX_CONTENT_LENGTH": 51 * 1024 * 1024,
        # Bodies that are not multipart, each text part of a multipart body, and fields per
        # form: far below the upload cap, so text costs little before it is refused
        # (portal/security/bodies.py). A 10,000-character narrative is about 60 KB
        # percent-encoded, 40 KB as a part.
        "MAX_TEXT_BODY_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 128 * 1024,
        "MAX_FORM_PARTS": 200,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": "kk",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Almaty",
    }
