"""Signing in and out in a real browser (issue 12, "must show"): a clerk signs in and out, by mouse and by keyboard
alone; a wrong password is said at the field in the visitor's language; each page passes axe-core in both
languages and is kept as a screenshot in each."""

from __future__ import annotations

import pytest

from tests.web.portal import CLERK, axe_check, browser, new_page, portal, screenshot, sign_in  # noqa: F401

WORDS = {"da": {"sign_in": "Log ind", "sign_out": "Log ud", "wrong": "ukendt brugernavn eller forkert adgangskode",
                "signed_out": "Du er logget ud."},
         "en": {"sign_in": "Sign in", "sign_out": "Sign out", "wrong": "unknown username or wrong password",
                "signed_out": "You are signed out."}}


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_clerk_signs_in_and_out(portal, browser, language):
    page = new_page(browser, language)
    page.goto(f"{portal.url}/")
    assert page.url == f"{portal.url}/login"  # not signed in: the front door leads to sign-in
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == WORDS[language]["sign_in"]
    axe_check(page)
    screenshot(page, "login", language)

    sign_in(page, portal, CLERK, password="Wrong123")
    assert page.locator("#password-errors").inner_text() == WORDS[language]["wrong"]
    assert page.locator("#password").get_attribute("aria-invalid") == "true"
    axe_check(page)
    screenshot(page, "login-wrong-password", language)

    sign_in(page, portal, CLERK)
    assert page.url == f"{portal.url}/dashboard"  # a company's user: its dashboard (the declarants' pages)
    page.goto(f"{portal.url}/password")
    username = portal.user(CLERK)[0]
    assert username in page.locator("header .who").inner_text()
    axe_check(page)
    screenshot(page, "password-signed-in", language)
    page.get_by_role("button", name=WORDS[language]["sign_out"]).click()
    page.wait_for_url("**/login?signed_out=1")
    assert page.locator("p.notice").inner_text() == WORDS[language]["signed_out"]
    page.goto(f"{portal.url}/password")
    assert page.locator("#username").count() == 1  # signed out: the session is gone, the form asks who
    page.context.close()


def test_keyboard_only_sign_in(portal, browser):
    page = new_page(browser, "en")
    page.goto(f"{portal.url}/login")
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # skip to the content
    username, password = portal.user(CLERK)
    for _ in range(10):  # on through the page until the username field has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
    page.goto(f"{portal.url}/password")
    assert username in page.locator("header .who").inner_text()
    page.context.close()


def test_the_language_switch_is_remembered_for_the_user(portal, browser):
    page = new_page(browser, "da")
    page.goto(f"{portal.url}/password")
    axe_check(page)
    screenshot(page, "password", "da")
    page.get_by_role("button", name="English").click()  # anonymous: kept in a cookie
    assert page.locator("html").get_attribute("lang") == "en" and page.url.endswith("/password")
    axe_check(page)
    screenshot(page, "password", "en")
    page.get_by_role("button", name="Dansk").click()
    sign_in(page, portal, CLERK)
    page.goto(f"{portal.url}/password")
    page.get_by_role("button", name="English").click()  # signed in: kept for the user
    assert page.locator("h1").inner_text() == "Change password"
    page.context.close()
    elsewhere = new_page(browser, "da")  # another browser, Danish, no cookies: the user's choice follows it
    sign_in(elsewhere, portal, CLERK)
    elsewhere.goto(f"{portal.url}/password")
    assert elsewhere.locator("html").get_attribute("lang") == "en"
    elsewhere.get_by_role("button", name="Dansk").click()
    elsewhere.context.close()


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_form_without_the_sessions_csrf_token_is_refused_with_a_page_saying_so(portal, browser, language):
    page = new_page(browser, language)
    sign_in(page, portal, CLERK)
    page.goto(f"{portal.url}/password")
    page.get_by_role("button", name={"da": "Dansk", "en": "English"}[language]).click()  # the user's choice wins
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'forged')")
    page.get_by_role("button", name=WORDS[language]["sign_out"]).click()
    page.wait_for_load_state()
    assert "X-CSRF-Token" in page.locator("main .errors").inner_text()
    axe_check(page)
    screenshot(page, "error", language)
    page.goto(f"{portal.url}/password")
    assert page.locator("header .who").count() == 1  # still signed in: nothing was changed
    page.context.close()
