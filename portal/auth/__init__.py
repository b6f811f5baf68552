"""Staff accounts and sign-in: passwords, the second factor, server-side sessions, the guard.

URL map (``LANG`` is kk, ru or en), blueprint ``auth``:

* ``GET|POST /LANG/review/login``         user name and password
* ``GET|POST /LANG/review/login/code``    the authenticator's code, or a recovery code
* ``GET|POST /LANG/review/login/enrol``   first sign-in: QR code, code, recovery codes
* ``POST     /LANG/review/logout``        end the session here and on the server

Modules: :mod:`~portal.auth.access` (roles, the deny-by-default guard of every staff
page, the scope of what a user may read), :mod:`~portal.auth.sessions`,
:mod:`~portal.auth.signin`, :mod:`~portal.auth.passwords`, :mod:`~portal.auth.totp`,
:mod:`~portal.auth.accounts` and the commands in :mod:`~portal.auth.cli`
(``create-user``, ``disable-user``, ``reset-second-factor``) and
:mod:`~portal.auth.demo_cli` (``demo-staff``, ``demo-code``: the demo accounts of
:mod:`~portal.auth.demo` and the demo follow-ups of :mod:`~portal.auth.demo_follow_up`).
"""

from __future__ import annotations

from flask import Flask, g

from portal.auth import access, sessions
from portal.auth.cli import create_user_command, disable_user_command, reset_second_factor_command
from portal.auth.demo_cli import demo_code_command, demo_staff_command
from portal.auth.views import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    """Register the sign-in pages, the guard of every staff page, the staff cookie and commands."""
    app.register_blueprint(bp)
    sessions.init_app(app)  # before the guard: each request starts with no staff session
    access.init_app(app)
    app.context_processor(lambda: {"staff_user": g.get("staff_user")})
    for command in (
        create_user_command,
        disable_user_command,
        reset_second_factor_command,
        demo_staff_command,
        demo_code_command,
    ):
        app.cli.add_command(command)
