"""The status page and its chart in a real browser (issue 10, "must show"): the app served by uvicorn on a free
127.0.0.1 port, Debian's chromium driven headless by Playwright, in Danish and in English. Screenshots are kept
under test-artifacts/status-page/ (not in git). Playwright never downloads a browser here: it is told to use
/usr/bin/chromium (`apt-get install -y chromium`; `make system-deps` does so)."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import sync_playwright

from toldsystem.app import create_app
from toldsystem.core import clock
from toldsystem.operations import service as operations

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "status-page"
CPH = clock.COPENHAGEN


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(sqlite_store):
    """The board of a day with a disruption, a window to come and one past (updated once), served over HTTP."""
    previous = clock.install(clock.FixedClock(datetime(2026, 3, 17, 9, 0, tzinfo=CPH)))
    past = operations.create(systems=["dms_transit"], kind="service_window", title="PRD-servicewindow DMS March",
                             work_order="WO0000001500001", window_start=datetime(2026, 3, 17, 18, 0),
                             window_end=datetime(2026, 3, 17, 23, 0), effects=[{"channel": "file", "state": "queued"}])
    operations.extend(past.id, datetime(2026, 3, 18, 1, 0), note="the database needs more time")
    clock.install(clock.FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=CPH)))
    operations.create(systems=["emcs"], kind="disruption", title="Technical difficulties in EMCS",
                      work_order="INC000012345678", body="We are working on it.")
    operations.create(systems=["dms_transit", "dms_import"], kind="service_window",
                      title="PRD-servicewindow DMS Wednesday May 20, 2026", work_order="WO0000001600001",
                      window_start=datetime(2026, 5, 20, 12, 0), window_end=datetime(2026, 5, 20, 13, 0),
                      effects=[{"channel": "file", "state": "rejected"}, {"channel": "online", "state": "unavailable"}],
                      fallback="allowed")
    port = _free_port()
    uvicorn_server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, lifespan="off",
                                                   log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uvicorn_server.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(10)
    clock.install(previous)


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is needed at /usr/bin/chromium: apt-get install -y chromium", pytrace=False)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


# language: (the browser's locale, the page's heading, its sections' headings, the file channel's name)
LANGUAGES = {
    "da": ("da-DK", "Driftsstatus og driftsmeddelelser",
           ["Status nu (PRD)", "Aktuelle driftsforstyrrelser og servicevinduer", "Kommende servicevinduer",
            "Tilgængelighed 2026", "Historik", "Følg med"], "Filadgang (S2S)"),
    "en": ("en-GB", "Operational status and messages",
           ["Status now (PRD)", "Current disruptions and service windows", "Upcoming service windows",
            "Availability 2026", "History", "Follow"], "File access (S2S)"),
}


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_status_page_and_its_chart_in_chromium(server, browser, language):
    locale, heading, sections, file_access = LANGUAGES[language]
    page = browser.new_context(locale=locale, viewport={"width": 1100, "height": 900}).new_page()
    answer = page.goto(f"{server}/status")  # the language from the browser's Accept-Language
    assert answer.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == heading
    assert page.locator("main h2").all_inner_texts() == sections
    assert "EMCS" in page.locator("section[aria-labelledby=current] article").first.inner_text()
    upcoming = page.locator("section[aria-labelledby=upcoming] article")
    assert upcoming.count() == 1 and file_access in upcoming.inner_text()
    chart = page.locator("figure.chart svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 200  # drawn, and laid out full width
    assert chart.locator("rect.rect").count() >= 12  # the months' bars (pygal's shapes)
    past = page.locator("section[aria-labelledby=history] article").first
    past.locator("summary").click()  # the updates open without any script
    assert past.locator("details li").first.is_visible()
    page.screenshot(path=str(ARTIFACTS / f"status-{language}.png"), full_page=True)
    chart.screenshot(path=str(ARTIFACTS / f"chart-{language}.png"))

    page.get_by_role("combobox", name="System").select_option("emcs")
    page.locator("form.filter button").click()
    page.wait_for_url("**/status?**system=emcs**")
    assert page.locator("section[aria-labelledby=upcoming] article").count() == 0
    assert page.locator("section[aria-labelledby=current] article").count() == 1
    other = "en" if language == "da" else "da"
    page.locator(f"nav.languages a[hreflang={other}]").click()
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator("select[name=system]").input_value() == "emcs"  # the filter stays when the language changes
    page.screenshot(path=str(ARTIFACTS / f"status-emcs-{other}.png"), full_page=True)
