"""Ashyq Baqylau: the public portal on video coverage in custody and complaints about it.

:func:`create_app` is the table of contents: :data:`PARTS` lists the portal's
parts in the order they are installed, and each part has one ``init_app(app)``
that registers its blueprint, commands, hooks and template helpers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from portal import (
    admin,
    api,
    audit,
    auth,
    caching,
    casework,
    cli,
    complaints,
    config,
    db,
    errors,
    files,
    i18n,
    instance,
    labels,
    opendata,
    privacy,
    public,
    retention,
    review,
    search,
    security,
    site,
)
from portal.config import PROJECT_ROOT

#: The portal's parts, in the order ``create_app`` installs them. The order matters
#: where a part builds on another: ``instance`` first (before anything is written),
#: ``db`` before the parts that use its sessions, and ``security`` before anything
#: else wraps the WSGI app (its Host check must see the request first).
# fmt: off
PARTS = (
    instance,    # the instance folder and the portal's files: owner-only
    db,          # one engine per app, one session per request or command
    search,      # index work queued with every change, caught up after the response
    i18n,        # /kk/ /ru/ /en/ prefixes, locale choice, number and date filters
    labels,      # the label() of every stored value, for templates
    security,    # Host check, proxies, bounded bodies, CSRF, headers, rate limits
    caching,     # data versions → ETag, Last-Modified, 304 before rendering
    privacy,     # no client address or user agent in any access log
    site,        # /, /language/<code>, /healthz, language links, demo banner
    public,      # /<lang>/ pages: national, regions, facilities, about…
    complaints,  # /<lang>/report and /<lang>/follow-up; rotate-contact-key
    files,       # attachments: cleaning children, sweep-attachments
    retention,   # purge-expired: closed complaints deleted when the promised time has passed
    opendata,    # /open-data/…, /<lang>/open-data, /feed.atom; export-open-data
    api,         # /api/v1/… JSON and its OpenAPI document
    audit,       # audit.record(): who did what and when; never edited, never deleted
    auth,        # staff sign-in, second factor, sessions; the guard of every staff page
    review,      # /<lang>/review/: the reviewers' workspace
    casework,    # /<lang>/review/complaints/<id>/…: footage requests, letters, referrals, reminders
    admin,       # /<lang>/admin/: the audit log (administrators)
    errors,      # translated error pages; JSON under /api/ and /healthz
    cli,         # init-db, demo-data, status
)
# fmt: on


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, then every part of :data:`PARTS` in order.

    ``overrides`` replaces configuration values after they are read from the
    environment; tests use it to point at their own database and folders.
    """
    instance.restrict_new_files()  # before anything is written, secrets included
    settings = config.load()
    settings.update(overrides or {})
    app = Flask(
        __name__,
        instance_path=settings["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(settings)
    for part in PARTS:
        part.init_app(app)
    return app
