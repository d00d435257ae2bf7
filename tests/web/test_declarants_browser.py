"""The declarants' pages in a real browser (issue 12 part 2, "must show"): a clerk declares a 3-item movement
through the form, sees it released and downloads the TAD; a wrong field shows its error at the field in Danish;
another company cannot open the movement by URL; every page passes axe-core and is kept as a screenshot in both
languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.web.portal import CLERK, axe_check, browser, new_page, portal, screenshot, sign_in  # noqa: F401
from toldsystem import demo
from toldsystem.access.service import users
from toldsystem.transit import forms

RELEASED = {"da": "Frigivet til forsendelse", "en": "Released for transit"}
AWAITING = {"da": "Afventer frigivelse", "en": "Awaiting release"}


def _signed_in(browser, portal, language: str, who: str = CLERK, password: str | None = None) -> Page:
    page = new_page(browser, language)
    sign_in(page, portal, who, password)
    return page


def _fill(page: Page, form: forms.DeclarationForm) -> None:
    """Type the form's values as a person would: into each header field, then each goods item, adding items."""
    for name, value in form.header.items():
        field = page.locator(f"#{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for number, item in enumerate(form.items, 1):
        if page.locator(f"#item-{number}-description").count() == 0:
            page.get_by_role("button", name=_ADD[page.locator("html").get_attribute("lang")]).click()
        for name, value in item.items():
            page.locator(f"#{forms.item_field(number, name)}").fill(value)


_ADD = {"da": "Tilføj en varepost", "en": "Add a goods item"}
_SEND = {"da": "Send angivelsen", "en": "Send the declaration"}


def _declaration(items: int, standard: bool = False) -> forms.DeclarationForm:
    data = demo.declaration(items=items)
    if standard:  # no authorised consignor: box D is customs', the movement waits for the office's release
        del data["Authorisation"], data["TransitOperation"]["limitDate"]
    form = forms.form_of(data)
    form.header.pop("gross_mass")  # box 35: the form adds up the items
    return form


def _declare(page: Page, portal, form: forms.DeclarationForm) -> None:
    page.goto(f"{portal.url}/transit/declare")
    _fill(page, form)
    page.locator("main form p button.primary").click()
    page.wait_for_load_state()


def test_a_clerk_declares_three_items_through_the_form_sees_it_released_and_downloads_the_tad(portal, browser):
    page = _signed_in(browser, portal, "da")
    assert page.url == f"{portal.url}/dashboard"
    page.get_by_role("link", name="Angiv en forsendelse").click()
    form = _declaration(items=3)
    _fill(page, form)
    # an item added by mistake is removed again, without JavaScript doing anything
    page.get_by_role("button", name=_ADD["da"]).click()
    assert page.locator("#item-4-description").count() == 1
    page.get_by_role("button", name="Fjern varepost 4").click()
    assert page.locator("#item-4-description").count() == 0
    assert page.locator("#item-3-description").input_value() == form.items[2]["description"]
    page.locator("main form p button.primary").click()
    page.wait_for_url("**/transit/movements/*")
    assert page.locator("p.state strong").inner_text() == RELEASED["da"]
    mrn = page.url.rsplit("/", 1)[1]
    tad = page.request.get(f"{portal.url}/transit/movements/{mrn}/tad.pdf")
    assert tad.status == 200 and tad.headers["content-type"] == "application/pdf"
    assert tad.body().startswith(b"%PDF-")
    items = page.request.get(f"{portal.url}/transit/movements/{mrn}/list-of-items.pdf")
    assert items.body().startswith(b"%PDF-")
    sent = page.locator("a", has_text="CC015C").first.get_attribute("href")
    xml = page.request.get(f"{portal.url}{sent}.xml").text()
    assert "<LRN>" + form.header["lrn"] + "</LRN>" in xml and "accessCode" not in xml  # what it sent, no secret
    assert xml.count("<ConsignmentItem>") == 3
    page.goto(f"{portal.url}/dashboard")
    assert page.get_by_role("link", name=mrn).count() == 1
    page.context.close()


def test_a_wrong_field_shows_its_error_at_the_field_in_danish(portal, browser):
    page = _signed_in(browser, portal, "da")
    form = _declaration(items=2)
    form.items[1]["net_mass"] = "999"  # above its gross mass (R0223, box 38)
    _declare(page, portal, form)
    errors = page.locator("#item-2-net_mass-errors")
    assert "nettomassen 999 kg er større end bruttomassen" in errors.inner_text()
    assert page.locator("#item-2-net_mass").get_attribute("aria-invalid") == "true"
    assert page.locator("#item-2-net_mass").input_value() == "999"  # the form comes back as typed
    assert page.locator("#lrn").input_value() == form.header["lrn"]
    assert page.locator("div.errors[role=alert]").count() == 1
    axe_check(page)
    screenshot(page, "declare-rejected", "da")
    page.context.close()


def test_another_company_cannot_open_a_movement_by_its_url(portal, browser):
    page = _signed_in(browser, portal, "en")
    _declare(page, portal, _declaration(items=1))
    mrn = page.url.rsplit("/", 1)[1]
    page.context.close()
    users.create("Importer's clerk", {"transit", "guarantees"}, eori="DK12345674", password="Other123",
                 must_change=False)
    username = next(u.username for u in users.visible() if u.name == "Importer's clerk")
    other = _signed_in(browser, portal, "en", username, "Other123")
    assert other.goto(f"{portal.url}/transit/movements/{mrn}").status == 404
    assert other.locator("h1").count() == 1
    theirs = other.request.get(f"{portal.url}/transit/movements/{mrn}")
    unknown = other.request.get(f"{portal.url}/transit/movements/{'X' * len(mrn)}")
    assert theirs.status == unknown.status == 404
    # reads exactly as an unknown movement (the page names its own address only, for the language switch)
    assert theirs.text().replace(mrn, "X" * len(mrn)) == unknown.text()
    assert other.request.get(f"{portal.url}/transit/movements/{mrn}/tad.pdf").status == 404
    other.context.close()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_declarants_page_passes_axe_and_is_kept_as_a_screenshot(portal, browser, language, tmp_path):
    page = _signed_in(browser, portal, language)

    def check(path: str | None, name: str) -> None:
        if path is not None:
            page.goto(f"{portal.url}{path}")
        axe_check(page)
        screenshot(page, name, language)

    _declare(page, portal, _declaration(items=2, standard=True))
    assert page.locator("p.state strong").inner_text() == AWAITING[language]
    mrn = page.url.rsplit("/", 1)[1]
    check(None, "movement")
    check("/dashboard", "dashboard")
    check("/dashboard?state=awaiting_release", "dashboard-filtered")
    check("/transit/declare", "declare")
    page.goto(f"{portal.url}/transit/movements/{mrn}")
    page.locator("a", has_text="CC028C").first.click()
    check(None, "message")
    check(f"/transit/movements/{mrn}/amend-guarantee", "amend-guarantee")
    check(f"/transit/movements/{mrn}/invalidation", "invalidation")
    page.fill("#justification", "Ordren er annulleret")
    page.locator("main form button.primary").click()
    page.wait_for_url(f"**/transit/movements/{mrn}")
    assert page.locator("a", has_text="CC009C").count() == 1  # the invalidation decision
    check("/transit/arrival", "arrival")
    check("/guarantees", "guarantees")
    page.locator("main table a").first.click()
    page.fill("#label", "Lager, Padborg")
    page.locator("main form button.primary").click()
    assert len(page.locator("strong.code").inner_text()) == 4  # the new code, shown this once
    check(None, "guarantee-access-codes")
    check("/upload", "upload")
    upload = tmp_path / "cc015c.xml"
    from toldsystem.transit import messages
    upload.write_bytes(messages.render("CC015C", demo.declaration()))
    page.set_input_files("#file", str(upload))
    page.locator("main form button.primary").click()
    page.wait_for_url("**/upload/*")
    assert page.locator("main a", has_text="CC928C").count() == 1
    check(None, "uploaded")
    page.context.close()


def test_the_trader_at_destination_notifies_arrival_and_sends_conform_unloading_remarks(portal, browser):
    page = _signed_in(browser, portal, "en")
    _declare(page, portal, _declaration(items=1))
    mrn = page.url.rsplit("/", 1)[1]
    page.context.close()
    trader = "DE123456789012345"
    users.create("Hamburg clerk", {"transit"}, eori=trader, password="Hamb1234", must_change=False)
    username = next(u.username for u in users.visible() if u.name == "Hamburg clerk")
    page = _signed_in(browser, portal, "en", username, "Hamb1234")
    page.goto(f"{portal.url}/transit/arrival?mrn={mrn}")
    page.fill("#office", "DE004851")
    page.fill("#authorisation", f"ACE{trader}")
    page.locator("main form button.primary").click()
    page.wait_for_url(f"**/transit/movements/{mrn}")
    assert page.locator("p.state strong").inner_text() == "Unloading"  # CC043C: unloading permitted
    page.get_by_role("link", name="Send the unloading remarks").click()
    axe_check(page)
    screenshot(page, "unloading-remarks", "en")
    page.locator("main form button.primary").click()
    page.wait_for_url(f"**/transit/movements/{mrn}")
    assert page.locator("p.state strong").inner_text() == "Closed"  # conform, seals intact: written off
    page.context.close()


def test_a_guarantee_found_not_valid_is_amended_on_the_movements_page_and_the_movement_released(portal, browser):
    page = _signed_in(browser, portal, "en")
    form = _declaration(items=1)
    right = form.header["access_code"]
    form.header["access_code"] = "ZZZ9"  # not the guarantee's: GMS answers CC055C
    _declare(page, portal, form)
    assert page.locator("p.state strong").inner_text() == "Guarantee not valid"
    page.get_by_role("link", name="Amend the guarantee").click()
    assert page.locator("#grn").input_value() == form.header["grn"]  # as declared; the code is typed again
    assert page.locator("#access_code").input_value() == ""
    page.fill("#access_code", right)
    page.locator("main form button.primary").click()
    page.wait_for_url("**/transit/movements/*")
    assert page.locator("p.state strong").inner_text() == "Released for transit"
    assert page.locator("a", has_text="CC013C").count() == 1
    page.context.close()
