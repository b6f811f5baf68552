"""Command-line tools (``flask --app wsgi COMMAND``) that are not tied to one feature."""

from __future__ import annotations

from flask import Flask

from portal.demo import demo_data_command
from portal.search.cli import search_command


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(demo_data_command)
    app.cli.add_command(search_command)
