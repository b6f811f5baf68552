"""Retention: closed complaints are deleted once the promised time has passed.

The privacy page and the report form tell citizens that a closed report is
deleted ``PORTAL_RETENTION_DAYS`` days after closing. ``flask --app wsgi
purge-expired`` keeps that promise (:mod:`portal.retention.purge`): it is run
from cron by the operator (docs/DEPLOY.md).
"""

from __future__ import annotations

from flask import Flask

from portal.retention.cli import purge_command


def init_app(app: Flask) -> None:
    """Register ``purge-expired``."""
    app.cli.add_command(purge_command)
