"""Every HTTP operation of the application × every kind of party: allowed exactly when the authorisation table
(access/authorisation.py, docs/security.md) names one of the party's roles; a refusal changes nothing and answers
exactly as for an unknown object (or 403 to a party that may see the object).

The operations come from the application's OpenAPI document: a new route without a rule in the table, or
without a scenario here, fails."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from time import monotonic, sleep

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.access import imports_scenarios, users_scenarios
from tests.access.world import (ASSOCIATION_EORI, COMPANY_KINDS, DEPARTURE, DESTINATION, GUARANTEE_OFFICE,
                                HOLDER_EORI, KINDS, REP_EORI, UNKNOWN_MRN, UNRELATED_EORI, World, changes_beyond_own,
                                expected_allowed, make_world, snapshot)
from toldsystem.access.authorisation import rule_of
from toldsystem.access.rules import OPERATOR, Party, Rule
from toldsystem.app import PAGES, create_app
from toldsystem.web import PageRoute
from toldsystem.core.api import unversioned
from toldsystem.companies import authorisation as companies_table
from toldsystem.companies import service as companies
from toldsystem import config, db
from toldsystem.config import Smtp
from toldsystem.core import clock
from toldsystem.operations import authorisation as operations_table
from toldsystem.guarantees import authorisation as guarantees_table
from toldsystem.guarantees import rules as guarantee_rules
from toldsystem.guarantees import service as guarantees
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations import store as operations_store
from toldsystem.operations.service import subscriptions
from toldsystem.notifications import queue
from toldsystem.signatures import authorisation as signatures_table
from toldsystem.signatures import service as signatures
from toldsystem.imports import authorisation as imports_table
from toldsystem.transit import authorisation as transit_table
from toldsystem.transit.example import example_arrival
from tests.signatures import pki
from tests.export.messages.helpers import sample as export_sample
from toldsystem.export import authorisation as export_table
from toldsystem.export import messages as export_messages
from toldsystem.export import service as export_service

UNKNOWN_GRN = guarantee_rules.new_grn(2026, GUARANTEE_OFFICE, 99_999)
UNREGISTERED_EORI = "DK44556618"
UNKNOWN_ID = "999999"
MOVEMENT_READ = transit_table.RULES["movement.read"]
GUARANTEE_READ = guarantees_table.RULES["guarantee.read"]
COMPANY_READ = companies_table.RULES["company.read"]


@dataclass
class Call:
    """One request on one of the holder's objects, and the same request on an object that does not exist."""

    method: str
    url: str
    json: dict | Callable[[str], dict] | None = None  # or the body as each kind of party sends it
    unknown_url: str | None = None  # None: the operation names no object (a refusal is 403)
    unknown_json: dict | None = None
    ids: tuple[str, str] = ("", "")  # (the object's id, the unknown one's), to compare the two answers
    office: str = DEPARTURE  # the competent officer's office
    ok: frozenset[int] = frozenset({200})
    consumed: frozenset[int] = frozenset({409})  # what a later allowed party may get once one has acted
    sees: Rule | None = None  # who may see the object (and so be told 403 instead of "unknown")
    listed: Callable[[object], bool] | None = None  # for a listing: whether the holder's object is in it
    public: bool = False


def movement_call(made: str, suffix: str = "", method: str = "GET", json: dict | None = None,
                  office: str = DEPARTURE) -> Callable[[World], Call]:
    def build(world: World) -> Call:
        mrn = getattr(world, made)()
        return Call(method, f"/api/transit/movements/{mrn}{suffix}", json,
                    f"/api/transit/movements/{UNKNOWN_MRN}{suffix}", json, (mrn, UNKNOWN_MRN), office,
                    sees=MOVEMENT_READ)
    return build


def pre_lodged_call(suffix: str, json: dict) -> Callable[[World], Call]:
    def build(world: World) -> Call:
        lrn = world.pre_lodged()
        unknown = "LRN-THAT-NOBODY-USED"
        return Call("POST", f"/api/transit/pre-lodged/{HOLDER_EORI}/{lrn}{suffix}", json,
                    f"/api/transit/pre-lodged/{HOLDER_EORI}/{unknown}{suffix}", json, (lrn, unknown),
                    sees=MOVEMENT_READ)
    return build


# A change of tractor only (seed 003 box 56): the new tractor, no attestation needed (C0240).
INCIDENT = {"code": "6", "text": "Kun trækkeren udskiftet",
            "Location": {"qualifierOfIdentification": "U", "UNLocode": "DKKOL", "country": "DK"},
            "Transhipment": {"containerIndicator": "0", "TransportMeans": {
                "typeOfIdentification": "30", "identificationNumber": "CD 98 765", "nationality": "DK"}}}


def holders_message(world: World) -> str:
    world.unloading()
    outbox = world.client.get("/api/transit/outbox", headers=world.headers("holder")).json()["messages"]
    return str(outbox[0]["id"])  # its CC928C


def guarantee_call(suffix: str, method: str = "GET", json: dict | None = None, ok=frozenset({200}),
                   consumed=frozenset({409}), sees: Rule = GUARANTEE_READ,
                   grn: Callable[[World], str] | None = None) -> Callable[[World], Call]:
    def build(world: World) -> Call:
        real = grn(world) if grn else world.guarantee()["grn"]
        path = suffix(world) if callable(suffix) else suffix
        return Call(method, f"/api/guarantees/{real}{path}", json, f"/api/guarantees/{UNKNOWN_GRN}{path}", json,
                    (real, UNKNOWN_GRN), GUARANTEE_OFFICE, ok, consumed, sees)
    return build


def first_code_id(world: World) -> str:
    grn = world.guarantee()["grn"]
    return f"/access-codes/{guarantees.access_codes(Party.company(HOLDER_EORI), grn)[0].id}"


def pending_document(world: World) -> str:
    found, _code = guarantees.register_individual_document(HOLDER_EORI, "500.00", office_of_guarantee=GUARANTEE_OFFICE)
    return found.grn


def failed_attempt(world: World) -> str:
    world.client.post("/api/guarantees/balance", json={"grn": world.guarantee()["grn"], "access_code": "QQ99"},
                      headers=world.headers("unrelated"))
    return f"/failed-attempts/{UNRELATED_EORI}/clear"


def batch_call(suffix: str, method: str = "POST") -> Callable[[World], Call]:
    def build(world: World) -> Call:
        batch = guarantees.sell_voucher_batch(HOLDER_EORI, 1, office_of_guarantee=GUARANTEE_OFFICE)
        return Call(method, f"/api/guarantees/voucher-batches/{batch.id}{suffix}", None,
                    f"/api/guarantees/voucher-batches/{UNKNOWN_ID}{suffix}", None, (str(batch.id), UNKNOWN_ID),
                    GUARANTEE_OFFICE, sees=guarantees_table.RULES["voucher.register"])
    return build


def reservation_call(suffix: str) -> Callable[[World], Call]:
    def build(world: World) -> Call:
        mrn = world.released()
        return Call("POST", f"/api/guarantees/reservations/{mrn}/{suffix}", None, None, None, (mrn, UNKNOWN_MRN),
                    GUARANTEE_OFFICE, consumed=frozenset({200}))
    return build


def company_call(suffix: str, method: str = "GET", json: dict | None = None, ok=frozenset({200}),
                 sees: Rule = COMPANY_READ) -> Callable[[World], Call]:
    return lambda world: Call(method, f"/api/companies/{HOLDER_EORI}{suffix}", json,
                              f"/api/companies/{UNREGISTERED_EORI}{suffix}", json, (HOLDER_EORI, UNREGISTERED_EORI),
                              ok=ok, sees=sees)


def authorisation_to_revoke(world: World) -> Call:
    granted = companies.grant(HOLDER_EORI, "letter_post", clock.local(clock.now()).date())
    return Call("POST", f"/api/companies/authorisations/{granted.id}/revoke", None,
                f"/api/companies/authorisations/{UNKNOWN_ID}/revoke", None, (str(granted.id), UNKNOWN_ID),
                sees=COMPANY_READ)


def power_to_revoke(world: World) -> Call:
    power = next(p for p in companies.powers_for(OPERATOR, HOLDER_EORI)
                 if p.representative_eori == REP_EORI and not p.revoked)
    return Call("POST", f"/api/companies/powers/{power.id}/revoke", None, f"/api/companies/powers/{UNKNOWN_ID}/revoke",
                None, (str(power.id), UNKNOWN_ID), sees=companies_table.RULES["power.list"])


def listing(url: str, holds: Callable[[object, object], bool], sees: Rule,
            made: Callable[[World], object] = lambda world: None, office: str = DEPARTURE) -> Callable[[World], Call]:
    def build(world: World) -> Call:
        thing = made(world)
        return Call("GET", url, sees=sees, office=office, listed=lambda answer: holds(thing, answer.json()))
    return build


def messages_by_lrn(world: World) -> Call:
    """Finding messages by LRN: the holder's declaration and its answers are found by whoever may read them."""
    mrn = world.unloading()
    lrn = world.client.get(f"/api/transit/movements/{mrn}", headers=world.headers("national_officer")).json()["lrn"]
    return Call("GET", f"/api/transit/messages?lrn={lrn}", sees=transit_table.RULES["message.read"],
                listed=lambda answer: any(m["messageType"] == "CC015C" for m in answer.json()["messages"]))


def arrival_for_unknown(world: World) -> Call:
    """Each party notifies arrival, as itself, of a movement that does not exist: companies are answered."""
    return Call("POST", "/api/transit/messages",
                lambda kind: example_arrival(UNKNOWN_MRN, COMPANY_KINDS.get(kind, HOLDER_EORI)))


def held_message(world: World) -> Call:
    """A message of the holder's that a queued window holds (as transit.service.admit holds one)."""
    held = intake.hold(system="dms_transit", environment="PRD", channel="file", handler="transit.message",
                       party=Party.company(HOLDER_EORI), payload=b"<CC015C/>", digest="0" * 64, key="MATRIX-HELD",
                       summary={"form": "xml", "messageType": "CC015C", "messageIdentification": "MATRIX-HELD"})
    return Call("GET", f"/api/transit/held/{held}", None, f"/api/transit/held/{UNKNOWN_ID}", None,
                (str(held), UNKNOWN_ID))


def board_window(begun: bool = False) -> int:
    """A service window on the board: tomorrow 12–13 Danish time, or (begun) from an hour ago to an hour ahead."""
    if begun:
        start, end = clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=1)
    else:
        tomorrow = clock.local(clock.now()).date() + timedelta(days=1)
        start, end = datetime.combine(tomorrow, time(12)), datetime.combine(tomorrow, time(13))
    return operations.create(systems=["dms_transit"], kind="service_window", title="PRD-servicewindow DMS",
                             window_start=start, window_end=end,
                             effects=[{"channel": "file", "state": "rejected"}]).id


def board_call(suffix: str, method: str = "POST", json: dict | None = None, consumed=frozenset({409}),
               begun: bool = False) -> Callable[[World], Call]:
    """An officer's act on a board message: a company is refused with 403 (the board is public)."""
    return lambda world: Call(method, f"/api/operations/messages/{board_window(begun)}{suffix}", json,
                              consumed=consumed)


SUBSCRIPTIONS = "/api/operations/subscriptions"
HOLDER_PARTY = Party.company(HOLDER_EORI)


@pytest.fixture(autouse=True)
def mail_server_configured(monkeypatch):
    """E-mail subscriptions need an SMTP server configured: one nobody listens on, so a mail waits (an hour)."""
    settings = config.settings()
    config.override(replace(settings, smtp=Smtp("127.0.0.1", 9)))
    monkeypatch.setattr(queue, "BACK_OFF", (3600,) * 7)
    yield
    config.override(settings)


def holders_subscription(kind: str) -> int:
    """A subscription the holder made: a webhook, or an e-mail address (once its confirmation has been tried, so
    that the attempt does not change the store while the parties act)."""
    if kind == "webhooks":
        return subscriptions.subscribe_webhook(HOLDER_PARTY, "https://erp.padborg.example.dk/board")["id"]
    made = subscriptions.subscribe_mail(HOLDER_PARTY, "drift@padborg.example.dk")["id"]
    deadline = monotonic() + 10
    log = subscriptions.mail_deliveries
    while not log(HOLDER_PARTY, made)["deliveries"][0]["last_error"] and monotonic() < deadline:
        sleep(0.02)
    return made


def subscription_call(kind: str, suffix: str = "", method: str = "GET", ok=frozenset({200}),
                      consumed=frozenset({409})) -> Callable[[World], Call]:
    """An act on the holder's own subscription: anyone else is answered as for an unknown one."""
    def build(world: World) -> Call:
        made = str(holders_subscription(kind))
        return Call(method, f"{SUBSCRIPTIONS}/{kind}/{made}{suffix}", None,
                    f"{SUBSCRIPTIONS}/{kind}/{UNKNOWN_ID}{suffix}", None, (made, UNKNOWN_ID), ok=ok, consumed=consumed)
    return build


def mail_link(purpose: str) -> Callable[[World], Call]:
    """The link mailed to the holder's address: anyone who has it may open it, with or without a token."""
    def build(world: World) -> Call:
        made = holders_subscription("email")
        with db.reading() as conn:
            row = conn.execute(select(operations_store.mail_subscriptions)
                               .where(operations_store.mail_subscriptions.c.id == made)).one()
        token = subscriptions.link_token(purpose, made, row.token_salt)
        return Call("POST", f"{SUBSCRIPTIONS}/email/{made}/{purpose}?token={token}", public=True,
                    consumed=frozenset({404}))
    return build


SIGNING_CA = pki.make_ca()


def holders_signer() -> tuple[pki.Signer, int]:
    """An OCES3 certificate of the holder's (NTRDK-<CVR>) with its key, registered by it, and its id."""
    signer = pki.issue(SIGNING_CA, pki.oces3_subject(HOLDER_EORI[2:]))
    return signer, signatures.register(HOLDER_EORI, signer.pem).id


def certificate_call(suffix: str, method: str = "GET", json: dict | None = None) -> Callable[[World], Call]:
    """An act on one of the holder's registered certificates, by its id."""
    def build(world: World) -> Call:
        real = str(holders_signer()[1])
        return Call(method, f"/api/signatures/certificates/{real}{suffix}", json,
                    f"/api/signatures/certificates/{UNKNOWN_ID}{suffix}", json, (real, UNKNOWN_ID),
                    sees=signatures_table.RULES["certificate.list"])
    return build


def signatures_call(suffix: str, method: str = "GET", json: Callable[[], dict] | None = None,
                    ok=frozenset({200})) -> Callable[[World], Call]:
    """An act on the holder's certificates by its EORI; the unknown object is an EORI nobody registered."""
    def build(world: World) -> Call:
        body = json() if json else None
        return Call(method, f"/api/signatures/{HOLDER_EORI}{suffix}", body,
                    f"/api/signatures/{UNREGISTERED_EORI}{suffix}", body, (HOLDER_EORI, UNREGISTERED_EORI), ok=ok,
                    sees=signatures_table.RULES["certificate.list"])
    return build


def new_holder_certificate() -> dict:
    return {"certificate": pki.issue(SIGNING_CA, pki.oces3_subject(HOLDER_EORI[2:])).pem.decode()}


def signed_by_holder() -> dict:
    return {"payload": base64.b64encode(pki.sign_xml(pki.MANIFEST, holders_signer()[0])).decode()}


def plain(method: str, url: str, json: dict | None = None, ok=frozenset({200}), office: str = DEPARTURE,
          public: bool = False) -> Callable[[World], Call]:
    return lambda world: Call(method, url, json, ok=ok, office=office, public=public)


SCENARIOS: dict[tuple[str, str], Callable[[World], Call]] = {
    # transit
    ("POST", "/api/transit/messages"): arrival_for_unknown,  # each message type: test_messages_matrix.py
    ("GET", "/api/transit/outbox"): plain("GET", "/api/transit/outbox"),
    ("GET", "/api/transit/held/{held_id}"): held_message,
    ("GET", "/api/transit/messages/{message_id}"): lambda w: (lambda i: Call(
        "GET", f"/api/transit/messages/{i}", None, f"/api/transit/messages/{UNKNOWN_ID}", None, (i, UNKNOWN_ID),
        sees=transit_table.RULES["message.read"]))(holders_message(w)),
    ("GET", "/api/transit/messages/{message_id}.xml"): lambda w: (lambda i: Call(
        "GET", f"/api/transit/messages/{i}.xml", None, f"/api/transit/messages/{UNKNOWN_ID}.xml", None,
        (i, UNKNOWN_ID), sees=transit_table.RULES["message.read"]))(holders_message(w)),
    ("GET", "/api/transit/movements"): listing(
        "/api/transit/movements", lambda mrn, body: any(m["mrn"] == mrn for m in body["movements"]), MOVEMENT_READ,
        lambda world: world.unloading()),
    ("GET", "/api/transit/movements/{mrn}"): movement_call("unloading"),
    ("GET", "/api/transit/movements/{mrn}/declaration"): movement_call("unloading", "/declaration"),
    ("GET", "/api/transit/movements/{mrn}/events"): movement_call("unloading", "/events"),
    ("GET", "/api/transit/movements/{mrn}/messages"): movement_call("unloading", "/messages"),
    ("GET", "/api/transit/movements/{mrn}/tad.pdf"): movement_call("unloading", "/tad.pdf"),
    ("POST", "/api/transit/movements/{mrn}/release"): movement_call("awaiting_release", "/release", "POST"),
    ("POST", "/api/transit/movements/{mrn}/control"): movement_call("awaiting_release", "/control", "POST",
                                                                    {"controls": ["A"]}),
    ("POST", "/api/transit/movements/{mrn}/no-release"): movement_call("awaiting_release", "/no-release", "POST",
                                                                       {"text": "Ingen gyldig sikkerhed"}),
    ("POST", "/api/transit/movements/{mrn}/control-result"): movement_call(
        "unloading", "/control-result", "POST", {"conform": True}, office=DESTINATION),
    ("POST", "/api/transit/movements/{mrn}/amendment-request"): movement_call(
        "awaiting_release", "/amendment-request", "POST",
        {"pointers": ["/CC015C/Consignment/grossMass"], "text": "Bruttovægten passer ikke med fragtbrevet"}),
    ("POST", "/api/transit/movements/{mrn}/invalidation"): movement_call(
        "awaiting_release", "/invalidation", "POST", {"text": "Angivet to gange"}),
    ("POST", "/api/transit/movements/{mrn}/incidents"): movement_call(
        "released", "/incidents", "POST", {"office": DEPARTURE, "incidents": [INCIDENT]}),
    ("POST", "/api/transit/movements/{mrn}/recovery"): movement_call(
        "released", "/recovery", "POST", {"text": "Varerne er ikke frembudt ved bestemmelsesstedet"}),
    ("POST", "/api/transit/movements/{mrn}/unloading-permission"): movement_call(
        "discrepancies", "/unloading-permission", "POST", office=DESTINATION),
    ("POST", "/api/transit/movements/{mrn}/discrepancies-resolved"): movement_call(
        "major_discrepancies", "/discrepancies-resolved", "POST", {"text": "Kolli fundet"}, office=DESTINATION),
    ("POST", "/api/transit/pre-lodged/{holder}/{lrn}/control"): pre_lodged_call("/control", {"controls": ["A"]}),
    ("POST", "/api/transit/pre-lodged/expire"): plain("POST", "/api/transit/pre-lodged/expire"),
    ("GET", "/api/transit/messages"): messages_by_lrn,
    ("PUT", "/api/transit/webhook"): plain("PUT", "/api/transit/webhook", {"url": "https://erp.example.dk/hook"}),
    # a webhook is the caller's own: every company reads, rotates and lists its own (404 while it has none)
    ("GET", "/api/transit/webhook"): plain("GET", "/api/transit/webhook", ok=frozenset({200, 404})),
    ("POST", "/api/transit/webhook/secret"): plain("POST", "/api/transit/webhook/secret", ok=frozenset({200, 404})),
    ("GET", "/api/transit/webhook/deliveries"): plain("GET", "/api/transit/webhook/deliveries"),
    ("DELETE", "/api/transit/webhook"): plain("DELETE", "/api/transit/webhook", ok=frozenset({204})),
    # guarantees
    ("POST", "/api/guarantees/comprehensive"): plain(
        "POST", "/api/guarantees/comprehensive", {"holder_eori": HOLDER_EORI, "reference_amount": "1000.00",
                                                  "office_of_guarantee": GUARANTEE_OFFICE},
        frozenset({201}), GUARANTEE_OFFICE),
    ("POST", "/api/guarantees/individual"): plain(
        "POST", "/api/guarantees/individual", {"holder_eori": HOLDER_EORI, "amount": "1000.00",
                                               "office_of_guarantee": GUARANTEE_OFFICE},
        frozenset({201}), GUARANTEE_OFFICE),
    ("POST", "/api/guarantees/{grn}/approve"): guarantee_call("/approve", "POST", grn=pending_document),
    ("POST", "/api/guarantees/{grn}/revoke"): guarantee_call("/revoke", "POST"),
    ("GET", "/api/guarantees"): listing(
        "/api/guarantees", lambda grn, body: any(g["grn"] == grn for g in body), GUARANTEE_READ,
        lambda world: world.guarantee()["grn"], GUARANTEE_OFFICE),
    ("GET", "/api/guarantees/{grn}"): guarantee_call(""),
    ("GET", "/api/guarantees/{grn}/ledger"): guarantee_call("/ledger"),
    ("POST", "/api/guarantees/balance"): lambda w: Call(
        "POST", "/api/guarantees/balance", {"grn": w.guarantee()["grn"], "access_code": w.guarantee()["access_code"]}),
    ("POST", "/api/guarantees/check-and-reserve"): lambda w: Call(
        "POST", "/api/guarantees/check-and-reserve",
        {"grn": w.guarantee()["grn"], "access_code": w.guarantee()["access_code"], "amount": "10.00",
         "route_countries": ["DK"], "movement_ref": "TEST-RESERVATION"},
        "/api/guarantees/check-and-reserve",
        {"grn": UNKNOWN_GRN, "access_code": w.guarantee()["access_code"], "amount": "10.00",
         "route_countries": ["DK"], "movement_ref": "TEST-RESERVATION"},
        (w.guarantee()["grn"], UNKNOWN_GRN), GUARANTEE_OFFICE, frozenset({201}), frozenset({201}), GUARANTEE_READ),
    ("GET", "/api/guarantees/{grn}/access-codes"): guarantee_call("/access-codes"),
    ("POST", "/api/guarantees/{grn}/access-codes"): guarantee_call("/access-codes", "POST", {"label": "Mette"},
                                                                   ok=frozenset({201})),
    ("POST", "/api/guarantees/{grn}/access-codes/{code_id}/change"): guarantee_call(
        lambda w: first_code_id(w) + "/change", "POST", {}, ok=frozenset({201})),
    ("POST", "/api/guarantees/{grn}/access-codes/{code_id}/revoke"): guarantee_call(
        lambda w: first_code_id(w) + "/revoke", "POST"),
    ("GET", "/api/guarantees/{grn}/failed-attempts"): guarantee_call("/failed-attempts"),
    ("POST", "/api/guarantees/{grn}/failed-attempts/{caller}/clear"): guarantee_call(
        failed_attempt, "POST", consumed=frozenset({404})),
    ("POST", "/api/guarantees/voucher-batches"): plain(
        "POST", "/api/guarantees/voucher-batches", {"buyer_eori": HOLDER_EORI, "count": 1,
                                                    "office_of_guarantee": GUARANTEE_OFFICE},
        frozenset({201}), GUARANTEE_OFFICE),
    ("POST", "/api/guarantees/voucher-batches/{batch_id}/register"): batch_call("/register"),
    ("GET", "/api/guarantees/voucher-batches"): listing(
        "/api/guarantees/voucher-batches", lambda batch, body: any(b["id"] == batch for b in body), GUARANTEE_READ,
        lambda world: guarantees.sell_voucher_batch(HOLDER_EORI, 1, office_of_guarantee=GUARANTEE_OFFICE).id,
        GUARANTEE_OFFICE),
    ("POST", "/api/guarantees/reservations/{movement_ref}/free"): reservation_call("free"),
    ("POST", "/api/guarantees/reservations/{movement_ref}/discharge"): reservation_call("discharge"),
    # companies
    ("POST", "/api/companies"): plain("POST", "/api/companies", {
        "eori": UNREGISTERED_EORI, "name": "Ny Spedition ApS", "street": "Vej 1", "city": "Vejle", "postcode": "7100",
        "registered_import": True}, frozenset({201})),
    ("GET", "/api/companies"): listing(
        "/api/companies", lambda _none, body: any(c["eori"] == HOLDER_EORI for c in body), COMPANY_READ),
    ("GET", "/api/companies/{eori}"): company_call(""),
    ("PATCH", "/api/companies/{eori}/registration"): company_call("/registration", "PATCH",
                                                                  {"registered_export": True}),
    ("GET", "/api/companies/{eori}/authorisations"): company_call("/authorisations"),
    ("POST", "/api/companies/{eori}/authorisations"): company_call(
        "/authorisations", "POST", {"kind": "periodic_declaration", "valid_from": "2026-01-01"}, frozenset({201})),
    ("POST", "/api/companies/authorisations/{authorisation_id}/revoke"): authorisation_to_revoke,
    ("POST", "/api/companies/{eori}/powers"): company_call(
        "/powers", "POST", {"representative_eori": ASSOCIATION_EORI, "valid_from": "2026-01-01"}, frozenset({201}),
        companies_table.RULES["power.list"]),
    ("GET", "/api/companies/{eori}/powers"): company_call("/powers", sees=companies_table.RULES["power.list"]),
    ("POST", "/api/companies/powers/{power_id}/revoke"): power_to_revoke,
    # reference data and the server
    ("GET", "/api/reference/offices"): plain("GET", "/api/reference/offices"),
    ("GET", "/api/reference/offices/{code}"): plain("GET", f"/api/reference/offices/{DEPARTURE}"),
    ("GET", "/api/reference/countries"): plain("GET", "/api/reference/countries"),
    ("GET", "/api/reference/currencies"): plain("GET", "/api/reference/currencies"),
    ("GET", "/api/reference/code-lists"): plain("GET", "/api/reference/code-lists"),
    ("GET", "/api/reference/code-lists/{list_id}"): plain("GET", "/api/reference/code-lists/CL251"),
    ("GET", "/health"): plain("GET", "/health", public=True),
    # the operations board: public to read, officers write
    ("GET", "/api/operations/messages"): plain("GET", "/api/operations/messages", public=True),
    ("GET", "/api/operations/messages/{message_id}"): lambda w: Call(
        "GET", f"/api/operations/messages/{board_window()}", public=True),
    ("GET", "/api/operations/board"): plain("GET", "/api/operations/board", public=True),
    ("GET", "/api/operations/systems"): plain("GET", "/api/operations/systems", public=True),
    ("GET", "/api/operations/status"): plain("GET", "/api/operations/status", public=True),
    ("GET", "/api/operations/availability"): plain("GET", "/api/operations/availability?system=dms_transit",
                                                   public=True),
    ("GET", "/api/operations/report"): plain("GET", "/api/operations/report?year=2026", public=True),
    ("GET", "/status"): plain("GET", "/status", public=True),
    ("GET", "/status/feed.rss"): plain("GET", "/status/feed.rss", public=True),
    ("GET", "/status/feed.atom"): plain("GET", "/status/feed.atom", public=True),
    ("GET", "/status/calendar.ics"): plain("GET", "/status/calendar.ics?system=dms_transit", public=True),
    ("POST", "/api/operations/messages"): plain("POST", "/api/operations/messages", {
        "systems": ["DMS Forsendelse (NCTS)"], "kind": "disruption", "title": "Technical difficulties in DMS NCTS"},
        frozenset({201})),
    ("PATCH", "/api/operations/messages/{message_id}"): board_call("", "PATCH", {"body": "Files are rejected."}),
    ("POST", "/api/operations/messages/{message_id}/extend"): board_call(
        "/extend", json={"until": "2099-01-01T00:00:00"}, consumed=frozenset({422})),
    ("POST", "/api/operations/messages/{message_id}/end"): board_call("/end", consumed=frozenset({422}),
                                                                            begun=True),
    ("POST", "/api/operations/messages/{message_id}/withdraw"): board_call("/withdraw", json={"note": "cancelled"}),
    **users_scenarios.SCENARIOS,  # the access room: users, sessions, the audit log
    **imports_scenarios.SCENARIOS,  # the imports room (DMS Import)
    # following the board: anyone signed in subscribes; a subscription is its maker's alone
    ("POST", "/api/operations/subscriptions/webhooks"): plain(
        "POST", f"{SUBSCRIPTIONS}/webhooks", {"url": "https://erp.example.dk/board"}, frozenset({201})),
    ("GET", "/api/operations/subscriptions/webhooks"): listing(
        f"{SUBSCRIPTIONS}/webhooks", lambda made, body: any(s["id"] == made for s in body["subscriptions"]),
        operations_table.RULES["subscription.own"], lambda world: holders_subscription("webhooks")),
    ("GET", "/api/operations/subscriptions/webhooks/{subscription_id}"): subscription_call("webhooks"),
    ("DELETE", "/api/operations/subscriptions/webhooks/{subscription_id}"): subscription_call(
        "webhooks", method="DELETE", ok=frozenset({204}), consumed=frozenset({404})),
    ("POST", "/api/operations/subscriptions/webhooks/{subscription_id}/secret"): subscription_call(
        "webhooks", "/secret", "POST"),
    ("GET", "/api/operations/subscriptions/webhooks/{subscription_id}/deliveries"): subscription_call(
        "webhooks", "/deliveries"),
    ("POST", "/api/operations/subscriptions/email"): lambda w: Call(
        "POST", f"{SUBSCRIPTIONS}/email", lambda kind: {"address": f"{kind}@example.dk"}, ok=frozenset({201})),
    ("GET", "/api/operations/subscriptions/email"): listing(
        f"{SUBSCRIPTIONS}/email", lambda made, body: any(s["id"] == made for s in body["subscriptions"]),
        operations_table.RULES["subscription.own"], lambda world: holders_subscription("email")),
    ("GET", "/api/operations/subscriptions/email/{subscription_id}"): subscription_call("email"),
    ("DELETE", "/api/operations/subscriptions/email/{subscription_id}"): subscription_call(
        "email", method="DELETE", ok=frozenset({204}), consumed=frozenset({404})),
    ("GET", "/api/operations/subscriptions/email/{subscription_id}/deliveries"): subscription_call(
        "email", "/deliveries"),
    ("POST", "/api/operations/subscriptions/email/{subscription_id}/confirm"): mail_link("confirm"),
    ("POST", "/api/operations/subscriptions/email/{subscription_id}/unsubscribe"): mail_link("unsubscribe"),
    # signing certificates (the company registers its own; it and officers see and revoke them) and verification
    ("POST", "/api/signatures/{eori}/certificates"): signatures_call("/certificates", "POST", new_holder_certificate,
                                                                     frozenset({201})),
    ("GET", "/api/signatures/{eori}/certificates"): signatures_call("/certificates"),
    ("GET", "/api/signatures/certificates/{certificate_id}"): certificate_call(""),
    ("POST", "/api/signatures/certificates/{certificate_id}/revoke"): certificate_call("/revoke", "POST",
                                                                                       {"reason": "key file lost"}),
    ("POST", "/api/signatures/{eori}/verify"): signatures_call("/verify", "POST", signed_by_holder),
}

# The document lists /api/v1/…; the tables and the scenarios name the paths without the version (the alias).
# The pages outside the API (app.PAGES: the status page and its feeds) are not in the document; they are added.
# The portal's pages (PageRoute) act by the session cookie, never a token: tests/web checks their rules.
OPERATIONS = sorted({(method.upper(), unversioned(path)) for path, operations in create_app().openapi()["paths"].items()
                     for method in operations}
                    | {(method, route.path) for router in PAGES for route in router.routes
                       if isinstance(route, APIRoute) and not isinstance(route, PageRoute) for method in route.methods})


# --- export: the holder's declaration (Declarant the holder, Agent its representative), in the state each step needs
EXPORT_UNKNOWN_MRN = "26DK0031020000XXA0"
EXPORT_OFFICE, EXIT_OFFICE = "DK003102", "DK004700"
EXPORT_READ = export_table.RULES["export.declaration.read"]


def export_declaration(lrn: str, type_code: str = "EXA") -> dict:
    """The B1 sample as data: the holder declares, its representative (Nordisk Import) is the Agent."""
    data = export_messages.parse_export(export_sample("b1_standard")).data
    return {**data, "FunctionalReferenceID": lrn, "TypeCode": type_code,
            "Declarant": {**data["Declarant"], "ID": HOLDER_EORI}, "Agent": {"ID": REP_EORI, "FunctionCode": "2"}}


def export_lodged(state: str) -> str:
    """The holder's export declaration moved on to `state` by the offices (export.service)."""
    pre = state == "pre_lodged"
    lrn = "LRN-MX-" + state.replace("_", "")[:12]
    read = export_service.read_data(export_declaration(lrn, "EXD" if pre else "EXA"))
    mrn = export_service.lodge(Party.company(HOLDER_EORI), read).mrn
    steps = [lambda: export_service.release(OPERATOR, mrn), lambda: export_service.present_at_exit(OPERATOR, mrn),
             lambda: export_service.arrive_at_exit(OPERATOR, export_service.read_data(export_arrival(mrn)))]
    order = ["accepted", "released", "presented_at_exit", "arrived_at_exit"]
    for step in steps[:order.index(state) if not pre else 0]:
        step()
    return mrn


def export_arrival(mrn: str) -> dict:
    data = export_messages.parse_export(export_sample("ie507_arrival_at_exit")).data
    return {**data, "ExportOperation": {**data["ExportOperation"], "MRN": mrn}}


def export_call(state: str, suffix: str = "", method: str = "GET", json=None, office: str = EXPORT_OFFICE
                ) -> Callable[[World], Call]:
    def build(world: World) -> Call:
        mrn = export_lodged(state)
        body = json(mrn) if callable(json) else json
        return Call(method, f"/api/export/declarations/{mrn}{suffix}", body,
                    f"/api/export/declarations/{EXPORT_UNKNOWN_MRN}{suffix}", body, (mrn, EXPORT_UNKNOWN_MRN), office,
                    sees=EXPORT_READ)
    return build


def export_lodging(world: World) -> Call:
    """Each kind lodges the holder's declaration naming itself as Agent (the holder: itself)."""
    def body(kind: str) -> dict:
        agent = COMPANY_KINDS.get(kind, HOLDER_EORI)
        return {**export_declaration(f"LRN-MX-{agent[-8:]}"), "Agent": {"ID": agent, "FunctionCode": "2"}}
    return Call("POST", "/api/export/messages", body)


def export_held(world: World) -> Call:
    held = intake.hold(system="dms_export", environment="PRD", channel="file", handler="export.message",
                       party=Party.company(HOLDER_EORI), payload=b"<Declaration/>", digest="0" * 64,
                       key="MATRIX-HELD", summary={"form": "xml", "kind": "declaration", "LRN": "MATRIX-HELD"})
    return Call("GET", f"/api/export/held/{held}", None, f"/api/export/held/{UNKNOWN_ID}", None,
                (str(held), UNKNOWN_ID))


def export_notification(world: World) -> Call:
    first = export_service.receive_data(Party.company(HOLDER_EORI), export_declaration("LRN-MX-NOTE"))
    found = str([n for n in first.notifications if n.party == HOLDER_EORI][0].id)
    return Call("GET", f"/api/export/notifications/{found}", None, f"/api/export/notifications/{UNKNOWN_ID}", None,
                (found, UNKNOWN_ID))


EXPORT_SCENARIOS: dict[tuple[str, str], Callable[[World], Call]] = {
    ("POST", "/api/export/messages"): export_lodging,
    ("GET", "/api/export/held/{held_id}"): export_held,
    ("GET", "/api/export/outbox"): plain("GET", "/api/export/outbox"),
    ("GET", "/api/export/notifications/{notification_id}"): export_notification,
    ("GET", "/api/export/declarations/{mrn}"): export_call("accepted"),
    ("GET", "/api/export/declarations/{mrn}/events"): export_call("accepted", "/events"),
    ("GET", "/api/export/declarations/{mrn}/notifications"): export_call("accepted", "/notifications"),
    ("POST", "/api/export/declarations/{mrn}/goods-presented"): export_call("pre_lodged", "/goods-presented", "POST"),
    ("POST", "/api/export/declarations/{mrn}/release"): export_call("accepted", "/release", "POST", {}),
    ("POST", "/api/export/declarations/{mrn}/control"): export_call("accepted", "/control", "POST", {}),
    ("POST", "/api/export/declarations/{mrn}/invalidation"): export_call("accepted", "/invalidation", "POST", {}),
    ("POST", "/api/export/declarations/{mrn}/presentation"): export_call("released", "/presentation", "POST",
                                                                          office=EXIT_OFFICE),
    ("POST", "/api/export/declarations/{mrn}/arrival"): export_call("presented_at_exit", "/arrival", "POST",
                                                                     export_arrival, EXIT_OFFICE),
    ("POST", "/api/export/declarations/{mrn}/exit"): export_call("arrived_at_exit", "/exit", "POST", {},
                                                                  EXIT_OFFICE),
}
SCENARIOS.update(EXPORT_SCENARIOS)


def send(world: World, kind: str, call: Call, url: str, json):
    body = json(kind) if callable(json) else json
    return world.client.request(call.method, url, json=body, headers=world.headers(kind, call.office))


def same_answer(answer, unknown, ids: tuple[str, str]) -> bool:
    """The two answers are the same once the object's id is written as the unknown one's."""
    real, other = ids
    text = re.sub(rf"\b{re.escape(real)}\b", other, answer.text) if real else answer.text
    return (answer.status_code, text) == (unknown.status_code, unknown.text)


def test_every_operation_has_a_rule_and_a_scenario():
    assert [op for op in OPERATIONS if rule_of(*op) is None] == []
    assert [op for op in OPERATIONS if op not in SCENARIOS] == []
    assert [op for op in SCENARIOS if op not in OPERATIONS] == []  # no scenario for a route that is gone


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_admits_exactly_the_parties_its_rule_names(sqlite_store, method, path):
    world = make_world(TestClient(create_app()))
    _room, _name, entry = rule_of(method, path)
    call = SCENARIOS[(method, path)](world)
    allowed = {kind: call.public or expected_allowed(kind, entry.actors) for kind in KINDS}
    acted = False
    for kind in sorted(KINDS, key=lambda k: allowed[k]):  # the refused first, while the object is untouched
        before = snapshot()
        answer = send(world, kind, call, call.url, call.json)
        if call.listed is not None:
            assert answer.status_code == 200, (kind, answer.text)
            assert call.listed(answer) == expected_allowed(kind, call.sees.actors), (kind, answer.text)
            continue
        if allowed[kind]:
            assert answer.status_code in (call.ok | call.consumed if acted else call.ok), (kind, answer.text)
            acted = True
            continue
        assert answer.status_code not in call.ok, (kind, answer.text)
        assert changes_beyond_own(before, snapshot(), world.own(kind, call.office)) == {}, kind
        sees = call.sees is not None and expected_allowed(kind, call.sees.actors)
        if call.unknown_url is None:
            assert answer.status_code == 403, (kind, answer.text)
        elif not (sees and answer.status_code == 403):
            unknown = send(world, kind, call, call.unknown_url, call.unknown_json)
            assert same_answer(answer, unknown, call.ids), (kind, answer.text, unknown.text)


def test_the_table_never_lets_a_stranger_or_another_office_act_on_anothers_object():
    for room_rules in (transit_table.RULES, transit_table.MESSAGES, guarantees_table.RULES, companies_table.RULES,
                       signatures_table.RULES, imports_table.RULES):
        for name, entry in room_rules.items():
            if entry.actors & {"anyone", "company"}:
                continue  # public data, or the caller's own (filtered listings, its outbox)
            assert not expected_allowed("unrelated", entry.actors), name
            assert not expected_allowed("officer_other_office", entry.actors) or "officer" in entry.actors, name
