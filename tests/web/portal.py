"""Test support for the portal's browser tests (every room's): the app served on a free 127.0.0.1 port on a fresh
SQLite store with the demo data, one chromium per module, signing in, the axe-core check, screenshots.

    from tests.web.portal import axe_check, browser, portal, screenshot, sign_in  # noqa: F401 (fixtures)

    def test_my_page(portal, browser):
        page = new_page(browser, "da")
        sign_in(page, portal, CLERK)
        ...

`portal` and `browser` are module-scoped: a module's tests share one server and one browser (CI's time), so a
test leaves the store as another may find it (make what it needs; assert on what it made). Use no function-scoped
store fixture in such a module: it would empty the server's store under it. Playwright drives Debian's
/usr/bin/chromium (`make system-deps`); axe-core comes from the npm registry (package.json; `make system-deps`).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import _installed
from toldsystem import config, demo
from toldsystem.app import create_app

ROOT = Path(__file__).parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts" / "portal"
LOCALES = {"da": "da-DK", "en": "en-GB"}
# The demo's portal users (demo.PORTAL_USERS), by what they are for.
CLERK, ADMINISTRATOR, OFFICER_DEPARTURE, OFFICER_DESTINATION = "clerk", "administrator", "departure", "destination"
_ROLES = (CLERK, ADMINISTRATOR, OFFICER_DEPARTURE, OFFICER_DESTINATION)


@dataclass(frozen=True)
class Portal:
    """The running portal: its address and the demo users' usernames and passwords."""

    url: str
    users: dict[str, tuple[str, str]]  # CLERK … → (username, password)

    def user(self, who: str) -> tuple[str, str]:
        return self.users[who]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def portal(sqlite_engine) -> Iterator[Portal]:
    """create_app() served by uvicorn on a free port, on the emptied SQLite store with the demo data loaded."""
    yield from _serve(sqlite_engine)


def _serve(sqlite_engine) -> Iterator[Portal]:
    installed = _installed(sqlite_engine)
    next(installed)
    before = config.settings()
    config.override(replace(before, insecure_cookies=True))  # plain http on 127.0.0.1, as `make run` serves
    try:
        demo.load()
        demo.load_portal_users()
        users = {who: (u["username"], u["password"]) for who, u in zip(_ROLES, demo.portal_users(), strict=True)}
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, lifespan="off",
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the portal's server did not start"
        try:
            yield Portal(f"http://127.0.0.1:{port}", users)
        finally:
            server.should_exit = True
            thread.join(10)
    finally:
        config.override(before)
        next(installed, None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, one per module."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is needed at /usr/bin/chromium: `make system-deps`", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


def new_page(browser: Browser, language: str = "da") -> Page:
    """A fresh visitor (its own cookies) whose browser speaks `language`."""
    context = browser.new_context(locale=LOCALES[language], viewport={"width": 1100, "height": 850},
                                  bypass_csp=True)  # axe_check injects axe-core, which the pages' policy refuses
    context.set_default_timeout(5000)  # a page here answers in milliseconds: fail soon, saying where
    return context.new_page()


def sign_in(page: Page, portal: Portal, who: str, password: str | None = None) -> None:
    """Sign in on /login as one of the demo users (CLERK …), or any username with its password."""
    username, known = portal.users.get(who, (who, None))
    page.goto(f"{portal.url}/login")
    page.fill("#username", username)
    page.fill("#password", password or known)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def axe_check(page: Page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) on the page as it is now: fails on any serious or critical violation."""
    if not AXE.exists():
        pytest.fail(f"axe-core is needed at {AXE}: `make system-deps` (npm ci)", pytrace=False)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})""")
    bad = [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
            "where": [n["target"] for n in v["nodes"][:5]]}
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: axe-core found\n{json.dumps(bad, indent=1, ensure_ascii=False)}"


def screenshot(page: Page, name: str, language: str) -> Path:
    """The whole page as test-artifacts/portal/<name>-<language>.png (kept by CI, not in git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{language}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in_form(client, **fields) -> dict:
    """The sign-in form's fields as the sign-in page gives them to a browser: its token comes with the page."""
    client.get("/login")
    return {**fields, "form_token": client.cookies["told_signin"]}
