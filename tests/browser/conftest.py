"""Browser fixtures: one live server with demo data, Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer, RequestLog
from tests.support.demo import demo_portal

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The portal with a small demo data set, served on 127.0.0.1."""
    folder = tmp_path_factory.mktemp("live")
    app = demo_portal(folder, facilities=60, complaints=200, seed=11, demo_staff=True)
    server = LiveServer(app).start()
    yield server
    server.stop()
    app.extensions["portal.db"].engine.dispose()


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium for the whole session."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """Return a function that opens a new page; it records every request the page makes."""
    contexts = []

    def open_(path: str = "/", *, javascript: bool = True, locale: str = "kk-KZ"):
        context = browser.new_context(
            java_script_enabled=javascript, locale=locale, viewport={"width": 360, "height": 740}
        )
        contexts.append(context)
        page = context.new_page()
        page.requests = RequestLog()
        page.on("request", page.requests.record)
        page.on("requestfinished", page.requests.record_finished)
        page.goto(live_server.url + path)
        return page

    yield open_
    for context in contexts:
        context.close()
