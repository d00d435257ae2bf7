"""The officers' back office in a browser (issue 12, part 3), walked as a new user would: an officer at Padborg
controls a standard-procedure movement and releases it; an officer at another office neither sees it in the work
list nor opens it by URL; the office of guarantee approves a document and registers a voucher batch; the board's
editor previews a window, publishes it, and /status shows it. Every page passes axe-core in Danish and English,
and is kept as a screenshot in both."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.web.portal import OFFICER_DEPARTURE, axe_check, browser, new_page, portal, screenshot, sign_in  # noqa: F401
from toldsystem import demo
from toldsystem.access.rules import Party
from toldsystem.access.service import users
from toldsystem.core import clock
from toldsystem.guarantees import service as guarantees
from toldsystem.transit import service as transit

HOLDER, ASSOCIATION = "DK13585628", "DK30507096"
AARHUS = "DK009860"  # an office of guarantee, and neither office of the demo's movements
AARHUS_PASSWORD = "Aarhus12"


def standard_movement() -> str:
    """A T1 in the standard procedure from Padborg to Hamburg: it waits for Padborg's release."""
    declaration = demo.declaration(HOLDER)
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    result = transit.receive_data(Party.company(HOLDER), "CC015C", declaration)
    assert result.mrn, result
    return result.mrn


@pytest.fixture(scope="module")
def aarhus_officer(portal) -> str:
    """An officer of Told Aarhus, with the transit and GMS roles."""
    made, _ = users.create("Officer at Aarhus", {"transit", "guarantees"}, officer=True, office=AARHUS,
                           password=AARHUS_PASSWORD, must_change=False)
    return made.username


def submit(page, legend: str) -> None:
    """Press the button of the decision form headed `legend` and wait for the answer."""
    page.locator("form", has=page.locator("legend", has_text=legend)).locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_an_officer_controls_a_standard_movement_and_releases_it(portal, browser):
    mrn = standard_movement()
    page = new_page(browser, "en")
    sign_in(page, portal, OFFICER_DEPARTURE)
    assert page.url.endswith("/office")
    page.get_by_role("link", name=mrn).click()
    assert page.locator("dl.facts").first.inner_text().count("Awaiting release") == 1
    submit(page, "Control before release")
    assert "The control decision was sent (CC060C)." in page.locator(".notice").inner_text()
    assert "Under control" in page.locator("dl.facts").first.inner_text()
    page.fill("#release-seals", "DK 0001 PADBORG\nDK 0002 PADBORG")
    submit(page, "Release for transit")
    assert "The movement is released (CC029C)." in page.locator(".notice").inner_text()
    trail = page.locator("#trail ~ table").inner_text()
    officer = portal.user(OFFICER_DEPARTURE)[0]
    assert f"control_decided\tUnder control\tofficer:{officer}" in trail
    assert f"released\tReleased\tofficer:{officer}" in trail
    assert transit.movement(Party(kind="officer", name="check"), mrn)["state"] == "released"
    assert page.get_by_role("link", name="CC029C").count() == 1
    page.goto(f"{portal.url}/office")
    assert page.get_by_role("link", name=mrn).count() == 0  # released: no longer waiting


def test_an_officer_at_another_office_neither_sees_nor_opens_the_movement(portal, browser, aarhus_officer):
    mrn = standard_movement()
    page = new_page(browser, "da")
    sign_in(page, portal, aarhus_officer, AARHUS_PASSWORD)
    page.goto(f"{portal.url}/office")
    assert page.get_by_role("link", name=mrn).count() == 0
    opened = page.goto(f"{portal.url}/office/movements/{mrn}")
    unknown_text = page.locator("main").inner_text()
    unknown = page.goto(f"{portal.url}/office/movements/26DK009264000999J6")
    assert opened.status == unknown.status == 404
    assert page.locator("main").inner_text() == unknown_text
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "told_csrf")
    refused = page.request.post(f"{portal.url}/office/movements/{mrn}/release", form={"csrf_token": csrf})
    assert refused.status == 404
    assert transit.movement(Party(kind="officer", name="check"), mrn)["state"] == "awaiting_release"


def test_the_office_of_guarantee_approves_a_document_and_registers_a_batch(portal, browser, aarhus_officer):
    document, _ = guarantees.register_individual_document(HOLDER, "5000", office_of_guarantee=AARHUS,
                                                          by=Party(kind="officer", name="post", office=AARHUS))
    batch = guarantees.sell_voucher_batch(HOLDER, 2, office_of_guarantee=AARHUS, by=Party.company(ASSOCIATION))
    page = new_page(browser, "en")
    sign_in(page, portal, aarhus_officer, AARHUS_PASSWORD)
    page.goto(f"{portal.url}/office/guarantees")
    page.get_by_role("button", name=f"Approve {document.grn}").click()
    page.wait_for_load_state()
    assert "approved" in page.locator(".notice").inner_text()
    assert guarantees.get(document.grn).status == "registered"
    page.get_by_role("button", name=f"Register batch {batch.base_grn}").click()
    page.wait_for_load_state()
    assert "voucher batch is registered" in page.locator(".notice").inner_text()
    page.fill("#comprehensive-holder_eori", HOLDER)
    page.fill("#comprehensive-reference_amount", "abc")
    page.locator("form[action$=comprehensive] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#comprehensive-reference_amount").get_attribute("aria-invalid") == "true"  # at its field
    assert page.locator("#comprehensive-reference_amount-errors").inner_text()


def _wall_clock(days: int, hour: int) -> str:
    at = clock.local(clock.now()).replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return at.strftime("%Y-%m-%dT%H:%M")


def test_the_board_editor_previews_a_window_and_publishes_it(portal, browser):
    title = "Servicevindue DMS Forsendelse (browser test)"
    page = new_page(browser, "en")
    sign_in(page, portal, OFFICER_DEPARTURE)
    page.goto(f"{portal.url}/board/new")
    page.check("input[name=systems][value=dms_transit]")
    page.fill("#title", title)
    page.fill("#window_start", _wall_clock(3, 18))
    page.fill("#window_end", _wall_clock(3, 22))
    page.select_option("#effect_file", "queued")
    page.get_by_role("button", name="Preview").click()
    page.wait_for_load_state()
    assert title in page.frame_locator("iframe.preview").locator("main").inner_text()
    public = page.context.new_page()
    assert public.goto(f"{portal.url}/status?lang=en").ok and title not in public.content()  # not yet published
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "The message is published." in page.locator(".notice").inner_text()
    public.goto(f"{portal.url}/status?lang=en")
    assert title in public.locator("#upcoming").locator("xpath=..").inner_text()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_back_office_page_passes_axe_and_is_kept_as_a_screenshot(portal, browser, aarhus_officer, language):
    mrn = standard_movement()
    page = new_page(browser, language)
    sign_in(page, portal, OFFICER_DEPARTURE)
    message = None
    for name, path in (("office", "/office"), ("office-movement", f"/office/movements/{mrn}"),
                       ("board", "/board"), ("board-new", "/board/new")):
        assert page.goto(f"{portal.url}{path}").ok, path
        axe_check(page)
        screenshot(page, name, language)
    page.check("input[name=systems][value=dms_transit]")
    page.fill("#title", f"Information ({language})")
    page.select_option("#kind", "information")
    page.locator("button[value=preview]").click()
    page.wait_for_load_state()
    axe_check(page)
    screenshot(page, "board-preview", language)
    page.locator("button[value=publish]").click()
    page.wait_for_load_state()
    message = page.url.split("?")[0]
    axe_check(page)
    screenshot(page, "board-message", language)
    assert "/board/" in message
    guarantees_page = new_page(browser, language)
    sign_in(guarantees_page, portal, aarhus_officer, AARHUS_PASSWORD)
    assert guarantees_page.goto(f"{portal.url}/office/guarantees").ok
    axe_check(guarantees_page)
    screenshot(guarantees_page, "office-guarantees", language)
