"""Open data: downloadable CSV and JSON files, the page that explains them, and the Atom feed.

``/open-data/<name>.csv|json`` (see :mod:`~portal.opendata.files`),
``/<lang>/open-data`` (the data dictionary) and ``/feed.atom`` (the latest
coverage updates), plus the ``export-open-data DIR`` command.
"""

from __future__ import annotations

from flask import Flask

from portal.opendata import feed  # noqa: F401  (registers /feed.atom on the blueprint)
from portal.opendata.files import export_open_data_command
from portal.opendata.views import bp

__all__ = ["bp", "export_open_data_command", "init_app"]


def init_app(app: Flask) -> None:
    """Serve the files, the page and the feed; register ``export-open-data``."""
    app.register_blueprint(bp)
    app.cli.add_command(export_open_data_command)
