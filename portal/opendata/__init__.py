"""Open data: downloadable CSV and JSON files, the page that explains them, and the Atom feed.

``/open-data/<name>.csv|json`` (see :mod:`~portal.opendata.files`),
``/<lang>/open-data`` (the data dictionary) and ``/feed.atom`` (the latest
coverage updates), plus the ``export-open-data DIR`` command.
"""

from flask import Blueprint

bp = Blueprint("opendata", __name__)

from portal.opendata import feed, views  # noqa: E402,F401  (registers the routes)
from portal.opendata.files import export_open_data_command  # noqa: E402

__all__ = ["bp", "export_open_data_command"]
