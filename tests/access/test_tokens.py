"""API tokens: every call acts for a known party (SPEC A)."""

import pytest
from sqlalchemy import select, update

from tests.conftest import IMPORTER, register_company
from toldsystem import db
from toldsystem.core import clock
from toldsystem.access import service, store as access_store
from toldsystem.companies import service as companies
from toldsystem.core.errors import Rejected, Unauthenticated


def test_token_is_stored_hashed(store):
    register_company(IMPORTER)
    token = service.issue_company_token(IMPORTER, "erp")
    with db.reading() as conn:
        stored = [r.digest for r in conn.execute(select(access_store.api_tokens))]
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_token_authenticates_as_its_company(store):
    register_company(IMPORTER)
    party = service.authenticate(service.issue_company_token(IMPORTER, "erp"))
    assert party.eori == IMPORTER and not party.is_officer


def test_company_token_needs_an_eori_registered_company(store):
    register_company(IMPORTER, importer=False)
    with pytest.raises(Rejected):
        service.issue_company_token(IMPORTER, "erp")


def test_revoked_token_no_longer_authenticates(store):
    token = service.issue_officer_token("Officer Olsen")
    service.revoke(token)
    with pytest.raises(Unauthenticated):
        service.authenticate(token)


def test_call_without_token_is_refused(store, client):
    answer = client.get("/api/reference/offices")
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["pointer"] == "Authorization"


def test_call_with_unknown_token_is_refused(store, client):
    answer = client.get("/api/reference/offices", headers={"Authorization": "Bearer told_nope"})
    assert answer.status_code == 401


def test_a_company_whose_registration_is_withdrawn_can_no_longer_act_with_its_token(store, client):
    register_company(IMPORTER)
    headers = {"Authorization": f"Bearer {service.issue_company_token(IMPORTER, 'erp')}"}
    assert client.get("/api/transit/outbox", headers=headers).status_code == 200
    companies.set_registration(IMPORTER, registered_import=False)
    for answer in (client.get("/api/transit/outbox", headers=headers), client.get("/api/guarantees", headers=headers),
                   client.post("/api/transit/messages", json={"messageType": "CC015C"}, headers=headers)):
        assert answer.status_code == 403 and answer.json()["errors"][0]["code"] == "auth.company_not_registered"
    companies.set_registration(IMPORTER, registered_export=True)  # registered again: the same token works
    assert client.get("/api/transit/outbox", headers=headers).status_code == 200


def test_a_revoked_token_is_refused_at_the_next_request(store, client):
    register_company(IMPORTER)
    token = service.issue_company_token(IMPORTER, "erp")
    assert client.get("/api/guarantees", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    service.revoke(token)
    assert client.get("/api/guarantees", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_an_officer_token_names_an_office_of_the_reference_data_or_none(store):
    assert service.authenticate(service.issue_officer_token("Mette", office="DK009264")).office == "DK009264"
    assert service.authenticate(service.issue_officer_token("Toldstyrelsen")).office is None
    with pytest.raises(Rejected) as raised:
        service.issue_officer_token("Nobody", office="DK999999")
    assert raised.value.problems[0].pointer == "office"


def test_a_token_revoked_by_another_process_stops_within_a_second(store, monkeypatch):
    import time

    from toldsystem.access import recent

    token = service.issue_officer_token("Kasper Toldbetjent")
    assert service.authenticate(token).name == "Kasper Toldbetjent"
    with db.transaction() as conn:  # as the CLI of another process would: this one's cache does not hear of it
        conn.execute(update(access_store.api_tokens).values(revoked_at=clock.now()))
    monkeypatch.setattr(recent._recent, "now", lambda: time.monotonic() + recent.SECONDS + 0.01)  # a second on
    with pytest.raises(Unauthenticated):
        service.authenticate(token)
