"""Browser fixtures: Debian's Chromium driven by Playwright, against the real ``serve`` process.

Playwright's own browser download cannot work offline, so the system Chromium is used
(``make test`` installs it when missing). Every page a test opens records the requests
that leave the page's origin and the console's CSP complaints; :func:`open_page` fails
the test on either.
"""

from __future__ import annotations

import os
import shutil
import urllib.request
from urllib.parse import urlsplit

import pytest

from ci import missing, require_module

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    env = os.environ.get("CHROMIUM")
    if env and os.path.exists(env):
        return env
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        missing("no chromium binary found (apt-get install chromium, or set CHROMIUM=/path)")
    sync_api = require_module("playwright.sync_api", "playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True,
                               args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


class Watched:
    """A page plus what it did that it should not: foreign requests, CSP violations, JS errors."""

    def __init__(self, page, origin: str):
        self.page = page
        self.foreign: list[str] = []
        self.problems: list[str] = []
        page.on("request", lambda req: self._request(req.url, origin))
        page.on("console", lambda msg: self._console(msg))
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))

    def _request(self, url: str, origin: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != origin:
            self.foreign.append(url)

    def _console(self, msg) -> None:
        text = msg.text
        if msg.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.problems.append(text)

    def assert_clean(self) -> None:
        assert self.foreign == [], f"requests left the origin: {self.foreign}"
        assert self.problems == [], f"CSP violations or script errors: {self.problems}"


@pytest.fixture(scope="session")
def warmed_server(live_server):
    """The live server with its dumps written: the first visit to /download/ or the VoID page
    writes every dump (tens of seconds with the register), which is no part of a page's 15 s
    budget for layout and scripts."""
    with urllib.request.urlopen(live_server.url + "/download/", timeout=300) as resp:
        assert resp.status == 200 and b".nq" in resp.read()
    return live_server


@pytest.fixture()
def open_page(browser, warmed_server):
    live_server = warmed_server
    """``open_page(path, width=1280, lang=None)`` → a Watched page at ``path`` on the live server."""
    contexts, watched = [], []

    def _open(path: str, *, width: int = 1280, locale: str = "ja-JP") -> Watched:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        w = Watched(page, live_server.url)
        watched.append(w)
        page.goto(live_server.url + path)
        return w

    yield _open
    try:
        for w in watched:
            w.assert_clean()
    finally:
        for c in contexts:
            c.close()
