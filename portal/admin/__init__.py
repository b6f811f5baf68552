"""Administration (blueprint ``admin``, under ``/LANG/admin/``), for administrators only.

* ``GET /LANG/admin/``        the landing page (links to the audit log)
* ``GET /LANG/admin/audit``   the audit log, filtered by action, person and dates; read-only

Accounts are managed with commands today (``create-user``, ``disable-user``,
``reset-second-factor``: docs/STAFF.md).
"""

from __future__ import annotations

from flask import Flask

from portal.admin.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the administration pages."""
    app.register_blueprint(bp)
