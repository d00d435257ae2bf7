"""GMS over HTTP: officers register, holders manage codes and see only their own guarantees, secrets shown once."""

from __future__ import annotations

import json
from datetime import date

from tests.conftest import FORWARDER, IMPORTER, STRANGER, company_headers
from tests.guarantees.conftest import OFFICE
from toldsystem.companies import service as companies


def _register(client, officer_headers, holder=FORWARDER, amount="100000.00", **extra):
    company_headers(holder)  # registers the company
    if not companies.holds(holder, "comprehensive_guarantee"):
        companies.grant(holder, "comprehensive_guarantee", date(2020, 1, 1))
    body = {"holder_eori": holder, "reference_amount": amount, "office_of_guarantee": OFFICE, **extra}
    response = client.post("/api/guarantees/comprehensive", json=body, headers=officer_headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_officer_registers_a_comprehensive_guarantee_and_sees_the_code_once(client, officer_headers):
    made = _register(client, officer_headers)
    grn, code = made["guarantee"]["grn"], made["access_code"]["access_code"]
    assert len(grn) == 17 and len(code) == 4 and made["guarantee"]["available"] == "100000.00"
    holder = company_headers(FORWARDER)
    for path in (f"/api/guarantees/{grn}", "/api/guarantees", f"/api/guarantees/{grn}/access-codes",
                 f"/api/guarantees/{grn}/ledger"):
        response = client.get(path, headers=holder)
        assert response.status_code == 200 and code not in response.text


def test_a_company_cannot_register_guarantees(client, officer_headers):
    response = client.post("/api/guarantees/comprehensive", headers=company_headers(FORWARDER),
                           json={"holder_eori": FORWARDER, "reference_amount": "1", "office_of_guarantee": OFFICE})
    assert response.status_code == 403


def test_a_company_cannot_see_another_companys_guarantees(client, officer_headers):
    grn = _register(client, officer_headers, FORWARDER)["guarantee"]["grn"]
    own = _register(client, officer_headers, IMPORTER)["guarantee"]["grn"]
    other = company_headers(IMPORTER)
    assert [g["grn"] for g in client.get("/api/guarantees", headers=other).json()] == [own]
    for path in (f"/api/guarantees/{grn}", f"/api/guarantees/{grn}/ledger", f"/api/guarantees/{grn}/access-codes"):
        assert client.get(path, headers=other).status_code == 404
    response = client.post(f"/api/guarantees/{grn}/access-codes", json={"label": "x"}, headers=other)
    assert response.status_code == 404
    assert len(client.get("/api/guarantees", headers=officer_headers).json()) == 2


def test_holder_manages_access_codes_and_new_codes_are_shown_once(client, officer_headers):
    grn = _register(client, officer_headers)["guarantee"]["grn"]
    holder = company_headers(FORWARDER)
    added = client.post(f"/api/guarantees/{grn}/access-codes", json={"label": "Mette Jensen"}, headers=holder)
    assert added.status_code == 201
    code, code_id = added.json()["access_code"], added.json()["id"]
    listed = client.get(f"/api/guarantees/{grn}/access-codes", headers=holder)
    assert [c["label"] for c in listed.json()] == ["Hovedforpligtede", "Mette Jensen"] and code not in listed.text
    changed = client.post(f"/api/guarantees/{grn}/access-codes/{code_id}/change", json={"access_code": "NEW7"},
                          headers=holder)
    assert changed.json()["access_code"] == "NEW7"
    revoked = client.post(f"/api/guarantees/{grn}/access-codes/{changed.json()['id']}/revoke", headers=holder)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] and "NEW7" not in revoked.text


def test_balance_query_takes_grn_and_code_in_the_body(client, officer_headers):
    made = _register(client, officer_headers)
    grn, code = made["guarantee"]["grn"], made["access_code"]["access_code"]
    holder = company_headers(FORWARDER)
    response = client.post("/api/guarantees/balance", json={"grn": grn, "access_code": code}, headers=holder)
    assert response.status_code == 200 and response.json()["available"] == "100000.00"
    assert code not in response.text
    wrong = client.post("/api/guarantees/balance", json={"grn": grn, "access_code": "0000" if code != "0000" else "1111"},
                        headers=holder)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["code"] == "guarantee.not_valid"


def test_check_and_reserve_endpoint_reserves_or_lists_the_reasons(client, officer_headers):
    made = _register(client, officer_headers, not_valid_in=["CH"])
    grn, code = made["guarantee"]["grn"], made["access_code"]["access_code"]
    holder = company_headers(FORWARDER)
    body = {"grn": grn, "access_code": code, "amount": "7460.00", "currency": "DKK", "route_countries": ["DK", "DE"],
            "movement_ref": "26DK009860000001J1"}
    response = client.post("/api/guarantees/check-and-reserve", json=body, headers=holder)
    assert response.status_code == 201, response.text
    assert response.json()["amount"] == "1000.00" and code not in response.text
    refused = client.post("/api/guarantees/check-and-reserve", headers=holder,
                          json={**body, "movement_ref": "M2", "route_countries": ["DK", "CH"]})
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["countryOfRoutingOfConsignment"]
    bad = client.post("/api/guarantees/check-and-reserve", headers=holder, json={**body, "amount": "-3"})
    assert [e["pointer"] for e in bad.json()["errors"]] == ["guarantee/amountToBeCovered"]
    ledger = client.get(f"/api/guarantees/{grn}/ledger", headers=holder).json()
    assert [(e["kind"], e["amount"]) for e in ledger] == [("reserve", "1000.00")]
    freed = client.post("/api/guarantees/reservations/26DK009860000001J1/free", headers=officer_headers)
    assert freed.json()[0]["state"] == "freed"


def test_voucher_sale_and_registration(client, officer_headers):
    company_headers(IMPORTER)
    association = company_headers(STRANGER)  # the forwarders' association, once authorised to sell
    sale = {"buyer_eori": IMPORTER, "count": 2, "office_of_guarantee": OFFICE}
    refused = client.post("/api/guarantees/voucher-batches", headers=association, json=sale)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "auth.not_permitted"
    companies.grant(STRANGER, "voucher_sales", date(2020, 1, 1))
    sold = client.post("/api/guarantees/voucher-batches", headers=association, json=sale)
    assert sold.status_code == 201
    batch = sold.json()
    assert len(batch["vouchers"]) == 2 and all(len(v["grn"]) == 24 for v in batch["vouchers"])
    buyer = company_headers(IMPORTER)
    listed = client.get("/api/guarantees/voucher-batches", headers=buyer)
    assert listed.json()[0]["vouchers"] == [] and not listed.json()[0]["registered"]
    assert all(v["access_code"] not in listed.text for v in batch["vouchers"])
    registered = client.post(f"/api/guarantees/voucher-batches/{batch['id']}/register", headers=officer_headers)
    assert registered.json()["registered"]
    statuses = {g["grn"]: g["status"] for g in client.get("/api/guarantees", headers=buyer).json()}
    assert set(statuses.values()) == {"registered"} and len(statuses) == 2
    # an officer may record a sale too; a buyer may not sell to itself
    assert client.post("/api/guarantees/voucher-batches", headers=officer_headers, json=sale).status_code == 201
    assert client.post("/api/guarantees/voucher-batches", headers=buyer, json=sale).status_code == 403


def test_individual_document_approval_over_http(client, officer_headers):
    company_headers(FORWARDER)
    made = client.post("/api/guarantees/individual", headers=officer_headers,
                       json={"holder_eori": FORWARDER, "amount": "5000", "office_of_guarantee": OFFICE})
    assert made.status_code == 201 and made.json()["guarantee"]["status"] == "pending"
    grn = made.json()["guarantee"]["grn"]
    approved = client.post(f"/api/guarantees/{grn}/approve", headers=officer_headers)
    assert approved.json()["status"] == "registered"


def test_registration_errors_name_the_field(client, officer_headers):
    company_headers(FORWARDER)
    companies.grant(FORWARDER, "comprehensive_guarantee", date(2020, 1, 1))
    response = client.post("/api/guarantees/comprehensive", headers=officer_headers,
                           json={"holder_eori": FORWARDER, "reference_amount": "12,5", "office_of_guarantee": OFFICE})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["reference_amount"]


def test_every_guarantee_endpoint_is_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    operations = [op for path, item in paths.items() if path.startswith("/api/v1/guarantees") for op in item.values()]
    assert len(operations) >= 16
    assert all(op.get("summary") for op in operations)
    secrets_in_urls = [p for p in paths if "access_code" in p or "accessCode" in p]
    assert secrets_in_urls == []
    json.dumps(paths)


def test_the_demo_association_sells_vouchers_with_its_own_token_also_in_an_older_demo_database(client, store):
    from sqlalchemy import delete, func, select

    from toldsystem import db, demo
    from toldsystem.companies import store as company_store

    demo.load()
    with db.transaction() as conn:  # a database loaded before the association was authorised
        conn.execute(delete(company_store.authorisations).where(company_store.authorisations.c.kind == "voucher_sales"))
    demo.load()
    demo.load()  # and loading again changes nothing
    with db.reading() as conn:
        granted = conn.execute(select(func.count()).select_from(company_store.authorisations)
                               .where(company_store.authorisations.c.kind == "voucher_sales")).scalar_one()
    assert granted == 1
    sold = client.post("/api/guarantees/voucher-batches", headers={"Authorization": "Bearer told_demo_association"},
                       json={"buyer_eori": FORWARDER, "count": 1, "office_of_guarantee": OFFICE})
    assert sold.status_code == 201, sold.text


def test_a_type_gms_does_not_hold_is_refused_over_http_with_its_name(client, officer_headers):
    company_headers(FORWARDER)
    companies.grant(FORWARDER, "comprehensive_guarantee", date(2020, 1, 1))
    response = client.post("/api/guarantees/comprehensive", headers=officer_headers,
                           json={"holder_eori": FORWARDER, "reference_amount": "1000", "office_of_guarantee": OFFICE,
                                 "guarantee_type": "B"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["code"], error["pointer"]) == ("guarantee.type_not_in_gms", "guarantee_type")
    assert "TIR" in error["message"] and "TIR" in error["message_da"]


def test_check_and_reserve_compares_the_declared_guarantee_type(client, officer_headers):
    made = _register(client, officer_headers)
    holder = company_headers(FORWARDER)
    body = {"grn": made["guarantee"]["grn"], "access_code": made["access_code"]["access_code"], "amount": "10.00",
            "route_countries": ["DK"], "movement_ref": "M1", "guarantee_type": "0"}
    refused = client.post("/api/guarantees/check-and-reserve", headers=holder, json=body)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "guarantee.type_mismatch"
    reserved = client.post("/api/guarantees/check-and-reserve", headers=holder, json={**body, "guarantee_type": "1"})
    assert reserved.status_code == 201, reserved.text
