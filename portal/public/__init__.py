"""Public pages: the national dashboard and the pages every visitor can open.

Modules: ``views.py`` (the routes), ``forms.py`` (the facility filters),
``chart_data.py`` (chart layouts from coverage figures). The figures themselves
come from :mod:`portal.stats`.
"""

from __future__ import annotations

from flask import Flask

from portal.public.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Serve the public pages under ``/<lang>/``."""
    app.register_blueprint(bp)
