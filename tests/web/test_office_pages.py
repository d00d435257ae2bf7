"""The back office's pages without a browser (issue 12, part 3): they are the officers' (a company's user finds
none), a registration shows the first access code once, a refused or stale decision says why on the movement's
page, and every decision is recorded in the audit trail by the same service the API uses."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from tests.conftest import FORWARDER
from tests.web.portal import sign_in_form
from toldsystem import config, demo
from toldsystem.access.rules import Party
from toldsystem.access.service import audit, users
from toldsystem.app import create_app
from toldsystem.guarantees import service as guarantees
from toldsystem.transit import service as transit

PASSWORD = "Offic123"
AARHUS = "DK009860"


@pytest.fixture
def client(sqlite_store) -> TestClient:
    before = config.settings()
    config.override(replace(before, insecure_cookies=True))
    demo.load()
    yield TestClient(create_app())
    config.override(before)


def signed_in(client: TestClient, *, officer: bool, office: str | None = None, roles=("transit", "guarantees")) -> str:
    made, _ = users.create("Test Person", set(roles), eori=None if officer else FORWARDER, officer=officer,
                           office=office, password=PASSWORD, must_change=False)
    answer = client.post("/login", data=sign_in_form(client, username=made.username, password=PASSWORD),
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client.cookies["told_csrf"]


def standard_movement() -> str:
    declaration = demo.declaration(FORWARDER)
    del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    return transit.receive_data(Party.company(FORWARDER), "CC015C", declaration).mrn


def test_a_companys_user_finds_no_back_office(client):
    signed_in(client, officer=False)
    mrn = standard_movement()  # the company's own movement: still not its back office page
    unknown = client.get("/office/nothing-here")
    for path in ("/office", f"/office/movements/{mrn}", "/office/guarantees", "/board", "/board/new"):
        answer = client.get(path)
        # the same page as for no page at all (but for the language switch's way back to the path asked)
        assert (answer.status_code, answer.text.replace(path, "/office/nothing-here")) == (404, unknown.text), path


def test_registering_a_guarantee_shows_its_first_access_code_once(client):
    csrf = signed_in(client, officer=True, office=AARHUS)
    answer = client.post("/office/guarantees/comprehensive", data={
        "csrf_token": csrf, "holder_eori": FORWARDER, "reference_amount": "50000", "currency": "EUR",
        "guarantee_type": "1"})
    assert answer.status_code == 201
    [registered] = [g for g in guarantees.list_guarantees(FORWARDER) if g.reference_amount == 50000]
    assert registered.office_of_guarantee == AARHUS and f"Guarantee {registered.grn} is registered" not in answer.text
    assert f"Sikkerhedsstillelse {registered.grn} er registreret." in answer.text  # in the browser's language, Danish
    assert f"{registered.grn} er registreret" not in client.get("/office/guarantees").text  # shown that once
    revoked = client.post(f"/office/guarantees/{registered.grn}/revoke", data={"csrf_token": csrf},
                          follow_redirects=False)
    assert revoked.status_code == 303 and guarantees.get(registered.grn).status == "revoked"
    trail = audit.read(Party(kind="officer", name="check")).entries
    assert sorted((e.action, e.channel) for e in trail if e.target == registered.grn) == [
        ("guarantee.register", "portal"), ("guarantee.revoke", "portal")]


def test_a_wrong_amount_is_refused_at_its_field(client):
    csrf = signed_in(client, officer=True, office=AARHUS)
    answer = client.post("/office/guarantees/comprehensive", data={
        "csrf_token": csrf, "holder_eori": FORWARDER, "reference_amount": "mange penge"})
    assert answer.status_code == 422
    assert 'value="mange penge"' in answer.text  # the form keeps what was typed
    assert 'id="comprehensive-reference_amount-errors"' in answer.text  # its refusal beside it


def test_a_stale_decision_says_why_on_the_movements_page(client):
    csrf = signed_in(client, officer=True, office="DK009264")
    mrn = standard_movement()
    first = client.post(f"/office/movements/{mrn}/control", data={"csrf_token": csrf}, follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, f"/office/movements/{mrn}?done=control")
    again = client.post(f"/office/movements/{mrn}/control", data={"csrf_token": csrf})
    assert again.status_code == 409 and "under_control" in again.text and 'class="errors"' in again.text
    assert [e["event"] for e in transit.events(Party(kind="officer", name="check"), mrn)][-1] == "control_decided"


def test_release_with_a_time_limit_that_is_no_date_is_refused_at_its_form(client):
    csrf = signed_in(client, officer=True, office="DK009264")
    mrn = standard_movement()
    answer = client.post(f"/office/movements/{mrn}/release", data={"csrf_token": csrf, "limit_date": "i morgen"})
    assert answer.status_code == 422 and "i morgen er ikke en dato" in answer.text
    assert transit.movement(Party(kind="officer", name="check"), mrn)["state"] == "awaiting_release"


def test_the_board_editor_says_a_wrong_window_at_its_field_and_publishes_nothing(client):
    csrf = signed_in(client, officer=True, office="DK009264")
    answer = client.post("/board/new", data={
        "csrf_token": csrf, "action": "publish", "systems": "dms_transit", "environments": "PRD",
        "kind": "service_window", "title": "Omvendt testvindue", "window_start": "2030-05-20T22:00",
        "window_end": "2030-05-20T18:00"})
    assert answer.status_code == 422 and 'id="window_end-errors"' in answer.text
    assert "Omvendt testvindue" not in client.get("/board").text
