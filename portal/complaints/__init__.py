"""Complaints from citizens: the report form, the receipt and the follow-up pages.

URL map (``LANG`` is kk, ru or en):

* ``GET  /LANG/report``               the form (works without JavaScript)
* ``POST /LANG/report``               file the complaint; answers with the receipt
* ``POST /LANG/report/receipt``       the receipt as a text file (code in the POST body)
* ``GET  /LANG/follow-up``            enter the receipt code, or see the complaint
* ``POST /LANG/follow-up``            check a receipt code
* ``POST /LANG/follow-up/reply``      answer the reviewers, add files
* ``POST /LANG/follow-up/leave``      forget the complaint in this browser
"""

from __future__ import annotations

from flask import Flask
from flask_babel import format_datetime

from portal.complaints.crypto import rotate_contact_key_command
from portal.complaints.importing_cli import import_complaints_command
from portal.complaints.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the pages, ``rotate-contact-key``, ``import-complaints`` and ``short_datetime``."""
    app.register_blueprint(bp)
    app.cli.add_command(rotate_contact_key_command)
    app.cli.add_command(import_complaints_command)
    app.jinja_env.filters["short_datetime"] = lambda value: format_datetime(value, "short")
