"""Helpers for browser tests: a live server in a thread, request tracking, axe-core checks."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pyotp
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from portal import clock
from portal.auth import totp
from portal.db import session
from portal.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


class LiveServer:
    """Serves ``app`` on 127.0.0.1 on a free port from a background thread."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


def unused_code(live_server: LiveServer, username: str) -> str:
    """A one-time code of ``username`` that no earlier sign-in has used.

    A code is accepted once per 30-second step (and never one of an earlier step), and the
    demo accounts sign in in several tests of a session: the current step's code, else the
    next one's (accepted for clock drift), else wait for a new step.
    """
    with live_server.app.app_context():
        user = session.scalars(select(User).where(User.username == username)).one()
        secret, last = totp.secret_of(user), user.totp_last_step
    generator = pyotp.TOTP(secret)
    while True:
        step = generator.timecode(clock.now())
        if last is None or last < step + totp.DRIFT_STEPS:
            return generator.generate_otp(step if last is None else max(step, last + 1))
        time.sleep(0.5)


@dataclass
class RequestLog:
    """Every URL a page asked for, to prove that nothing left the machine."""

    urls: list[str] = field(default_factory=list)
    finished: list = field(default_factory=list)

    def record(self, request) -> None:
        self.urls.append(request.url)

    def record_finished(self, request) -> None:
        self.finished.append(request)

    def transferred(self) -> int:
        """Bytes of every response body the page has loaded (HTML, CSS, scripts, images)."""
        return sum(request.sizes()["responseBodySize"] for request in self.finished)

    def foreign(self) -> list[str]:
        """Requests to any host other than 127.0.0.1 (data: URLs are not requests)."""
        return [
            url
            for url in self.urls
            if not url.startswith(("data:", "about:")) and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


#: Rules axe-core leaves out by default as experimental, that must run all the same
#: (a check that they are known keeps the list from going quietly empty).
EXPERIMENTAL_RULES_EXPECTED = {"label-content-name-mismatch"}
#: Rules that fail a page whatever impact axe gives them: "region" (all content inside
#: landmarks, the demo banner included) is only "moderate", but it is what lets screen-reader
#: users skip from part to part and miss nothing.
ALWAYS_FAILING = {"region"}


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core on ``page``, experimental rules included; return the serious and critical
    violations (and any of ALWAYS_FAILING), readably."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page.evaluate(axe.axe_script)
    experimental = set(page.evaluate("axe.getRules(['experimental']).map(rule => rule.ruleId)"))
    assert experimental >= EXPERIMENTAL_RULES_EXPECTED, experimental
    options = {
        "resultTypes": ["violations"],
        "rules": {rule: {"enabled": True} for rule in sorted(experimental)},
    }
    results = axe.run(page, options=options)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") in {"serious", "critical"} or violation["id"] in ALWAYS_FAILING:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            problems.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} {targets}"
            )
    return problems


def check_page(page, twin=None) -> None:
    """axe-core and the request log on ``page``: no serious violation, nothing from another host.

    axe-core is a script, so it cannot run in a page with JavaScript off: then the
    page's HTML, without its scripts, is checked in ``twin``, a page of the same
    site with JavaScript on, so the markup checked is the one a no-JS visitor gets.
    """
    assert page.requests.foreign() == [], page.url
    checked = page
    if twin is not None:
        twin.set_content(_SCRIPT.sub("", page.content()))
        checked = twin
    assert serious_accessibility_violations(checked) == [], page.url
    assert checked.requests.foreign() == [], page.url


def sign_in(page, username: str, password: str, code: str, button: str) -> None:
    """Sign in on the open sign-in page: the password step, then the one-time code step.

    ``button`` is the sign-in button's name in the page's language. Ends when the
    workspace (the next page with a heading) has loaded.
    """
    page.locator('input[autocomplete="username"]').fill(username)
    page.locator('input[autocomplete="current-password"]').fill(password)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector('input[autocomplete="one-time-code"]')
    page.locator('input[autocomplete="one-time-code"]').fill(code)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector("h1")
