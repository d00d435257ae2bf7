"""The imports room's operations for the matrix (test_operations_matrix.py): the holder's import declarations.

The holder lodges as Declarant with the representative as its Agent, for the trader at destination as the goods'
consignee (Importer), presented at the competent officer's office (DEPARTURE in the world)."""

from __future__ import annotations

import copy
import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from tests.access.world import DEPARTURE, HOLDER_EORI, REP_EORI, TRADER_EORI, UNKNOWN_MRN, World, bearer
from toldsystem import db
from toldsystem.access.rules import HOLDER, OFFICER_AT_DESTINATION, OPERATOR, REPRESENTATIVE, Party, rule
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.imports import authorisation as imports_table
from toldsystem.imports import service, store
from toldsystem.imports.messages import parse_declaration
from toldsystem.intake import service as intake

SAMPLES = Path(__file__).parents[1] / "imports" / "messages" / "samples"
READ = imports_table.RULES["import.declaration.read"]
UNKNOWN_ID = "999999"
ROOT = "/api/imports"


def _sample(name: str) -> dict:
    return copy.deepcopy(parse_declaration((SAMPLES / f"{name}.xml").read_bytes()).data)


def full_express(declarant: str = HOLDER_EORI, agent: str | None = REP_EORI, consignee: str = TRADER_EORI,
                 type_code: str = "IMA") -> dict:
    data = _sample("full_express_a")
    data["FunctionalReferenceID"] = f"M-{uuid.uuid4().hex[:20]}"
    data["TypeCode"] = type_code
    data["Submitter"] = {"Name": "Matrix ApS", "ID": declarant}
    data["Declarant"] = {"ID": declarant}
    if agent:
        data["Agent"] = {"ID": agent, "FunctionCode": "2"}
    else:
        data.pop("Agent", None)
    data["GoodsShipment"]["Importer"] = {"ID": consignee}
    data["PresentationOffice"] = {"ID": DEPARTURE}
    return data


def lodged(world: World, data: dict | None = None) -> str:
    answer = world.client.post(f"{ROOT}/declarations", json=data or full_express(), headers=bearer("told_demo_forwarder"))
    assert answer.status_code == 200 and answer.json()["mrn"], answer.text
    return answer.json()["mrn"]


def under_control(world: World) -> str:
    service.set_rules(OPERATOR, "commodity 85* -> yellow\n", seed="matrix")
    return lodged(world)


def with_notice(world: World) -> str:
    """A declaration with a notice to its consignee on record (as a forwarder's simplified express has)."""
    mrn = lodged(world)
    with db.transaction() as conn:
        row = conn.execute(select(store.declarations.c.id).where(store.declarations.c.mrn == mrn)).one()
        pdf = b"%PDF-1.4 matrix"
        conn.execute(insert(store.consignee_notices).values(
            declaration_id=row.id, consignee_id=TRADER_EORI, forwarder_eori=REP_EORI, pdf=pdf,
            digest=hashlib.sha256(pdf).hexdigest(), sent_at=clock.now(), channel="outbox"))
    return mrn


def simplified_due(world: World) -> str:
    """A simplified express declaration by the holder as forwarder for the representative (its consignee), whose
    supplementary declaration is due."""
    companies.grant_power(REP_EORI, HOLDER_EORI, ["transit.declare"], date(2026, 1, 1))
    service.set_credit(OPERATOR, REP_EORI, "granted", date(2026, 1, 1))
    data = _sample("simplified_c")
    data["FunctionalReferenceID"] = f"M-{uuid.uuid4().hex[:20]}"
    data["Authorisation"] = [{"SequenceNumeric": "1", "ID": "DEMO", "Type": "C512", "AuthorisationHolder": REP_EORI}]
    data["Agent"] = {"ID": HOLDER_EORI, "FunctionCode": "2"}
    data["Declarant"] = {"ID": HOLDER_EORI}
    data["Submitter"] = {"Name": "Padborg Spedition A/S", "ID": HOLDER_EORI}
    data["GoodsShipment"]["Importer"] = {"ID": REP_EORI}
    data["PresentationOffice"] = {"ID": DEPARTURE}
    return lodged(world, data)


def declaration_call(made, suffix: str = "", method: str = "GET", json: dict | None = None, ok=frozenset({200}),
                     consumed=frozenset({409})):
    def build(world: World):
        from tests.access.test_operations_matrix import Call

        mrn = made(world)
        return Call(method, f"{ROOT}/declarations/{mrn}{suffix}", json, f"{ROOT}/declarations/{UNKNOWN_MRN}{suffix}",
                    json, (mrn, UNKNOWN_MRN), DEPARTURE, ok, consumed, sees=READ)
    return build


def lodge_as_each(world: World):
    """Each company lodges a full express declaration of its own; officers are refused (403)."""
    from tests.access.test_operations_matrix import Call
    from tests.access.world import COMPANY_KINDS

    return Call("POST", f"{ROOT}/declarations",
                lambda kind: full_express(COMPANY_KINDS.get(kind, HOLDER_EORI), None,
                                          COMPANY_KINDS.get(kind, HOLDER_EORI)))


def holders_notification(world: World):
    from tests.access.test_operations_matrix import Call

    lodged(world)
    outbox = world.client.get(f"{ROOT}/outbox", headers=world.headers("holder")).json()["notifications"]
    real = str(outbox[0]["id"])
    return Call("GET", f"{ROOT}/notifications/{real}", None, f"{ROOT}/notifications/{UNKNOWN_ID}", None,
                (real, UNKNOWN_ID))


def held_declaration(world: World):
    from tests.access.test_operations_matrix import Call

    held = intake.hold(system="dms_import", environment="PRD", channel="file", handler="imports.declaration",
                       party=Party.company(HOLDER_EORI), payload=b"<Declaration/>", digest="0" * 64,
                       key="MATRIX-HELD", summary={"form": "xml", "kind": "declaration", "LRN": "MATRIX-HELD"})
    return Call("GET", f"{ROOT}/held/{held}", None, f"{ROOT}/held/{UNKNOWN_ID}", None, (str(held), UNKNOWN_ID))


def open_case(world: World):
    from tests.access.test_operations_matrix import Call

    mrn = simplified_due(world)
    with db.transaction() as conn:
        row = conn.execute(select(store.declarations.c.id).where(store.declarations.c.mrn == mrn)).one()
        case = conn.execute(insert(store.assessment_cases).values(
            declaration_id=row.id, due=clock.local(clock.now()).date() - timedelta(days=1), opened_at=clock.now(),
            state="open")).inserted_primary_key[0]
    return Call("POST", f"{ROOT}/cases/{case}/close", {"note": "anslået"}, f"{ROOT}/cases/{UNKNOWN_ID}/close",
                {"note": "anslået"}, (str(case), UNKNOWN_ID))


def _plain(method: str, url: str, json: dict | None = None):
    def build(world: World):
        from tests.access.test_operations_matrix import Call

        return Call(method, url, json)
    return build


def _listing(url: str, made, holds, sees):
    def build(world: World):
        from tests.access.test_operations_matrix import Call

        thing = made(world)
        return Call("GET", url, sees=sees, listed=lambda answer: holds(thing, answer.json()))
    return build


# The simplified declaration's parties: the holder (declarant and forwarder), the representative (its consignee).
DUE_SEES = rule({HOLDER, REPRESENTATIVE, OFFICER_AT_DESTINATION}, "the simplified declaration")

SCENARIOS = {
    ("POST", f"{ROOT}/declarations"): lodge_as_each,
    ("GET", f"{ROOT}/declarations"): _listing(f"{ROOT}/declarations", lodged,
                                              lambda mrn, body: any(d["mrn"] == mrn for d in body), READ),
    ("GET", f"{ROOT}/declarations/{{mrn}}"): declaration_call(lodged),
    ("GET", f"{ROOT}/declarations/{{mrn}}/notifications"): declaration_call(lodged, "/notifications"),
    ("POST", f"{ROOT}/declarations/{{mrn}}/presentation"): declaration_call(
        lambda w: lodged(w, full_express(type_code="IMD")), "/presentation", "POST", {}),
    ("POST", f"{ROOT}/declarations/{{mrn}}/control-result"): declaration_call(
        under_control, "/control-result", "POST", {"released": True}),
    ("GET", f"{ROOT}/declarations/{{mrn}}/consignee-notice.pdf"): declaration_call(with_notice,
                                                                                  "/consignee-notice.pdf"),
    ("GET", f"{ROOT}/outbox"): _plain("GET", f"{ROOT}/outbox"),
    ("GET", f"{ROOT}/notifications/{{notification_id}}"): holders_notification,
    ("GET", f"{ROOT}/held/{{held_id}}"): held_declaration,
    ("GET", f"{ROOT}/due"): _listing(f"{ROOT}/due", simplified_due,
                                     lambda mrn, body: any(d["mrn"] == mrn for d in body), DUE_SEES),
    ("POST", f"{ROOT}/due/sweep"): _plain("POST", f"{ROOT}/due/sweep"),
    ("GET", f"{ROOT}/cases"): _plain("GET", f"{ROOT}/cases"),
    ("POST", f"{ROOT}/cases/{{case_id}}/close"): open_case,
    ("GET", f"{ROOT}/settings/rules"): _plain("GET", f"{ROOT}/settings/rules"),
    ("PUT", f"{ROOT}/settings/rules"): _plain("PUT", f"{ROOT}/settings/rules", {"text": "random red 1%\n"}),
    ("GET", f"{ROOT}/settings/tariff"): _plain("GET", f"{ROOT}/settings/tariff"),
    ("PUT", f"{ROOT}/settings/tariff"): _plain("PUT", f"{ROOT}/settings/tariff",
                                               {"text": "commodity_code,duty_rate\n85,2\n"}),
    ("GET", f"{ROOT}/settings/credit/{{eori}}"): _plain("GET", f"{ROOT}/settings/credit/{REP_EORI}"),
    ("PUT", f"{ROOT}/settings/credit/{{eori}}"): _plain("PUT", f"{ROOT}/settings/credit/{REP_EORI}",
                                                        {"status": "granted"}),
}
