"""Public pages: the national dashboard and the pages every visitor can open."""

from flask import Blueprint

bp = Blueprint("public", __name__, url_prefix="/<lang:lang_code>")

from portal.public import views  # noqa: E402,F401  (registers the routes)
