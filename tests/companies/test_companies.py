"""The EORI register and authorisations (seed 000; SPEC A and G)."""

from datetime import date

import pytest

from tests.conftest import CONSIGNOR, FORWARDER, IMPORTER, company_headers, register_company
from toldsystem.companies import service
from toldsystem.core.errors import Conflict, Rejected


def test_registration_for_import_or_export_makes_a_company_eori_registered(store):
    assert register_company(IMPORTER, importer=True).eori_registered
    assert register_company(CONSIGNOR, importer=False, exporter=True).eori_registered
    assert not register_company(FORWARDER, importer=False, exporter=False).eori_registered


def test_only_eori_registered_companies_may_act(store):
    register_company(FORWARDER, importer=False)
    with pytest.raises(Rejected) as raised:
        service.require_active(FORWARDER)
    assert raised.value.problems[0].code == "company.not_eori_registered"
    service.set_registration(FORWARDER, registered_export=True)
    assert service.require_active(FORWARDER).eori == FORWARDER


def test_unknown_company_may_not_act(store):
    with pytest.raises(Rejected) as raised:
        service.require_active(IMPORTER, pointer="holder")
    assert raised.value.problems[0].pointer == "holder"


def test_invalid_eori_is_rejected_naming_the_field(store):
    with pytest.raises(Rejected) as raised:
        register_company("DK13585627")
    assert [p.pointer for p in raised.value.problems] == ["eori"]
    assert service.list_all() == []


def test_a_company_is_registered_once(store):
    register_company(IMPORTER)
    with pytest.raises(Conflict):
        register_company(IMPORTER)


def test_authorisation_is_valid_only_within_its_period(store):
    register_company(CONSIGNOR)
    service.grant(CONSIGNOR, "authorised_consignor", date(2026, 1, 1), date(2026, 12, 31))
    assert service.holds(CONSIGNOR, "authorised_consignor", date(2026, 6, 1))
    assert not service.holds(CONSIGNOR, "authorised_consignor", date(2027, 1, 1))
    assert not service.holds(CONSIGNOR, "authorised_consignor", date(2025, 12, 31))
    assert not service.holds(CONSIGNOR, "comprehensive_guarantee", date(2026, 6, 1))


def test_revoked_authorisation_is_no_longer_valid(store):
    register_company(CONSIGNOR)
    granted = service.grant(CONSIGNOR, "comprehensive_guarantee", date(2026, 1, 1))
    service.revoke(granted.id)
    assert not service.holds(CONSIGNOR, "comprehensive_guarantee", date(2026, 6, 1))
    with pytest.raises(Conflict):
        service.revoke(granted.id)


def test_unknown_authorisation_kind_and_backwards_period_are_rejected(store):
    register_company(CONSIGNOR)
    with pytest.raises(Rejected) as raised:
        service.grant(CONSIGNOR, "smuggling", date(2026, 2, 1), date(2026, 1, 1))
    assert {p.pointer for p in raised.value.problems} == {"kind", "valid_to"}
    assert service.authorisations(CONSIGNOR) == []


def test_officer_registers_company_over_http(store, client, officer_headers):
    answer = client.post("/api/companies", headers=officer_headers, json={
        "eori": "DK33445563", "name": "Nordic Freight A/S", "street": "Kajen 2", "city": "Aarhus",
        "postcode": "8000", "registered_export": True})
    assert answer.status_code == 201 and answer.json()["eori_registered"] is True


def test_company_cannot_register_companies(store, client):
    answer = client.post("/api/companies", headers=company_headers(IMPORTER), json={
        "eori": "DK33445563", "name": "X", "street": "Y", "city": "Z", "postcode": "1"})
    assert answer.status_code == 403


def test_company_sees_only_itself(store, client):
    headers = company_headers(IMPORTER)
    register_company(FORWARDER)
    assert [c["eori"] for c in client.get("/api/companies", headers=headers).json()] == [IMPORTER]
    assert client.get(f"/api/companies/{FORWARDER}", headers=headers).status_code == 404
    assert client.get(f"/api/companies/{FORWARDER}/authorisations", headers=headers).status_code == 404


def test_http_errors_name_the_field(store, client, officer_headers):
    answer = client.post("/api/companies", headers=officer_headers, json={
        "eori": "DK1", "name": "", "street": "Y", "city": "Z", "postcode": "1"})
    assert answer.status_code == 422
    assert {e["pointer"] for e in answer.json()["errors"]} == {"eori", "name"}
    assert all(e["message"] and e["message_da"] for e in answer.json()["errors"])


def test_a_standing_is_remembered_for_a_second_and_forgotten_at_once_after_a_change_here(store, monkeypatch):
    import time

    from sqlalchemy import update

    from toldsystem import db
    from toldsystem.companies import store as companies_store

    day = date(2026, 6, 1)
    assert not service.standing(IMPORTER, day).known  # not yet registered: remembered as unknown…
    register_company(IMPORTER, importer=True)
    assert service.standing(IMPORTER, day).eori_registered  # …and forgotten when it is registered here
    granted = service.grant(IMPORTER, "authorised_consignor", date(2026, 1, 1))
    assert service.standing(IMPORTER, day).authorisations == {"authorised_consignor"}
    service.revoke(granted.id)
    assert service.standing(IMPORTER, day).authorisations == frozenset()
    with db.transaction() as conn:  # as another process would: this one's memory does not hear of it
        conn.execute(update(companies_store.companies).values(registered_import=False))
    assert service.standing(IMPORTER, day).eori_registered  # within the second: still as it was
    monkeypatch.setattr(service._recent_standings, "now", lambda: time.monotonic() + 1.01)
    assert not service.standing(IMPORTER, day).eori_registered
