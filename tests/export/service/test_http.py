"""The export room over HTTP, end to end: a hand-written XML declaration and the same as JSON from lodging to exit
confirmed, answers as DMS notifications in JSON or XML, the same 404 for another's MRN as for an unknown one,
hostile bodies refused, and the board's gating (503 + Retry-After; 202 held, then processed)."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree

from tests.conftest import company_headers
from tests.export.messages.helpers import replaced, sample
from tests.export.service.helpers import arrival, b1
from toldsystem.access import service as access
from toldsystem.core import clock
from toldsystem.export import messages
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations.rules import Effect

ROOT = "/api/v1/export"
XML = {"Content-Type": "application/xml"}


def officer(office: str) -> dict:
    return {"Authorization": f"Bearer {access.issue_officer_token(f'Officer {office}', office=office)}"}


def test_from_an_xml_declaration_to_exit_confirmed(client, store):
    declarant = company_headers("DK13585628")
    lodged = client.post(f"{ROOT}/messages", content=b1(), headers=declarant | XML)
    assert lodged.status_code == 200 and lodged.headers["X-Told-Event"] == "ACCEPTED"
    answer = etree.fromstring(lodged.content)
    mrn = answer.findtext("Declaration/MRN")
    assert lodged.headers["Location"].endswith(f"/declarations/{mrn}")
    assert messages.schema_problems("notification", etree.ElementTree(answer)) == []  # valid against our schema
    export_office, exit_office = officer("DK003102"), officer("DK004700")
    steps = [(f"/declarations/{mrn}/release", export_office, {"reason": "green"}, "released"),
             (f"/declarations/{mrn}/presentation", exit_office, None, "presented_at_exit")]
    for path, headers, body, status in steps:
        done = client.post(ROOT + path, json=body or {}, headers=headers)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == status
    assert client.post(f"{ROOT}/messages", content=arrival(mrn), headers=exit_office | XML).status_code == 403
    arrived = client.post(f"{ROOT}/declarations/{mrn}/arrival", content=arrival(mrn), headers=exit_office | XML)
    assert arrived.status_code == 200 and arrived.headers["X-Told-Event"] == "ARRIVED_AT_EXIT"
    exited = client.post(f"{ROOT}/declarations/{mrn}/exit", json={"document": "BL-1"}, headers=exit_office)
    assert exited.json()["status"] == "exited"
    seen = client.get(f"{ROOT}/declarations/{mrn}", headers=declarant).json()
    assert seen["status"] == "exited" and seen["times"]["exited_at"]
    assert client.get(f"{ROOT}/declarations/{mrn}", headers=declarant | {"Accept": "application/xml"}).text == (
        b1().decode())
    outbox = client.get(f"{ROOT}/outbox", headers=declarant).json()["notifications"]
    assert [n["event"] for n in outbox] == ["ACCEPTED", "RELEASED_FOR_EXPORT", "PRESENTED_AT_EXIT",
                                            "ARRIVED_AT_EXIT", "EXIT_CONFIRMED"]
    as_xml = client.get(f"{ROOT}/notifications/{outbox[-1]['id']}", headers=declarant | {"Accept": "application/xml"})
    assert etree.fromstring(as_xml.content).findtext("NotificationEventType") == "EXIT_CONFIRMED"


def test_the_same_declaration_as_json_is_accepted_and_replayed(client, store):
    declarant = company_headers("DK13585628")
    data = messages.parse_export(b1("LRN-JSON-HTTP")).data
    first = client.post(f"{ROOT}/messages", json=data, headers=declarant)
    assert first.status_code == 200 and first.json()["status"] == "accepted"
    [note] = first.json()["notifications"]
    assert note["event"] == "ACCEPTED" and note["data"]["Declaration"]["LRN"] == "LRN-JSON-HTTP"
    again = client.post(f"{ROOT}/messages", json=data, headers=declarant)
    assert again.headers["X-Told-Replay"] == "true" and again.json()["mrn"] == first.json()["mrn"]


def test_refusals_answer_400_or_422_with_the_rejected_notification(client, store):
    declarant = company_headers("DK13585628")
    broken = client.post(f"{ROOT}/messages", content=b"<Declaration", headers=declarant | XML)
    assert broken.status_code == 400
    assert etree.fromstring(broken.content).findtext("NotificationEventType") == "REJECTED"
    wrong = client.post(f"{ROOT}/messages", content=replaced(b1(), "<TypeCode>EXA", "<TypeCode>EXX"),
                        headers=declarant | {"Content-Type": "application/xml", "Accept": "application/json"})
    assert wrong.status_code == 422 and wrong.json()["mrn"] is None
    assert wrong.json()["notifications"][0]["data"]["NotificationEventType"] == "REJECTED"


def test_another_companys_mrn_is_the_same_404_as_an_unknown_one(client, store):
    declarant, other = company_headers("DK13585628"), company_headers("DK12345674")
    mrn = client.post(f"{ROOT}/messages", content=b1(), headers=declarant | XML | {"Accept": JSON_}).json()["mrn"]
    unknown = "26DK0031020000XXA0"
    for method, path in (("get", ""), ("get", "/events"), ("post", "/invalidation")):
        theirs = getattr(client, method)(f"{ROOT}/declarations/{mrn}{path}", headers=other,
                                         **({"json": {}} if method == "post" else {}))
        none = getattr(client, method)(f"{ROOT}/declarations/{unknown}{path}", headers=other,
                                       **({"json": {}} if method == "post" else {}))
        assert theirs.status_code == none.status_code == 404
        assert theirs.json()["errors"][0]["code"] == none.json()["errors"][0]["code"] == "export.mrn.unknown"


JSON_ = "application/json"


def test_an_arrival_naming_another_mrn_than_its_path_is_unknown_and_companies_cannot_send_one(client, store):
    declarant, exit_office = company_headers("DK13585628"), officer("DK004700")
    mrn = client.post(f"{ROOT}/messages", content=b1(), headers=declarant | XML | {"Accept": JSON_}).json()["mrn"]
    other = "26DK0031020000XXA0"
    assert client.post(f"{ROOT}/declarations/{other}/arrival", content=arrival(mrn),
                       headers=exit_office | XML).status_code == 404
    assert client.post(f"{ROOT}/declarations/{mrn}/arrival", content=arrival(mrn),
                       headers=declarant | XML).status_code == 403


def test_hostile_bodies_are_refused_without_harm(client, store):
    declarant = company_headers("DK13585628")
    deep = b"<Declaration xmlns='urn:wco:datamodel:WCO:DEC-DMS:2'>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</Declaration>"
    entity = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Declaration>&x;</Declaration>'
    for body in (deep, entity, b"\xff\xfe garbage", b"x" * 20_000_000):
        answered = client.post(f"{ROOT}/messages", content=body, headers=declarant | XML)
        assert answered.status_code in (400, 413), answered.status_code
    nested: dict = {}
    node = nested
    for _ in range(300):
        node["GoodsShipment"] = {}
        node = node["GoodsShipment"]
    answered = client.post(f"{ROOT}/messages", json=nested, headers=declarant)
    assert answered.status_code in (400, 422)
    assert client.get(f"{ROOT}/outbox", headers=company_headers("DK12345674")).json()["notifications"] == []


def _window(effect: str, minutes: int = 60):
    now = clock.now()
    return operations.create(systems=["dms_export"], kind="service_window", title="PRD-servicevindue DMS Export",
                             work_order="WO0000001650002", window_start=now - timedelta(minutes=10),
                             window_end=now + timedelta(minutes=minutes), effects=[Effect("file", effect)])


def test_a_rejecting_window_answers_503_with_retry_after_and_receives_nothing(client, store):
    declarant = company_headers("DK13585628")
    _window("rejected", minutes=90)
    answered = client.post(f"{ROOT}/messages", content=b1(), headers=declarant | XML)
    assert answered.status_code == 503 and 89 * 60 < int(answered.headers["Retry-After"]) <= 90 * 60
    assert answered.json()["errors"][0]["code"] == "service.unavailable"
    assert client.get(f"{ROOT}/outbox", headers=declarant).json()["notifications"] == []


def test_a_queueing_window_holds_the_declaration_and_processes_it_after(client, store):
    declarant = company_headers("DK13585628")
    made = _window("queued")
    held = client.post(f"{ROOT}/messages", content=b1(), headers=declarant | XML)
    assert held.status_code == 202 and held.json()["state"] == "held"
    assert client.get(f"{ROOT}/outbox", headers=declarant).json()["notifications"] == []
    operations.end(made.id)
    assert intake.drain() == 1
    outcome = client.get(held.headers["Location"], headers=declarant).json()
    assert outcome["state"] == "processed" and outcome["outcome"]["status"] == "accepted"
    assert [n["event"] for n in client.get(f"{ROOT}/outbox", headers=declarant).json()["notifications"]] == [
        "ACCEPTED"]
