"""The board governs transit's message intake (SPEC O, issue 10 part 3): a window that rejects DMS Forsendelse
(NCTS) file access answers 503 naming it, in JSON and in a CC917C; one that queues holds each message (202, and
where its outcome will be found) and processes them in arrival order once it ends; extended response times are
said in a header. Hostile: another company's held message is unknown, a malformed or huge message is refused at
once as always, and the queue is bounded per sender."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import company_headers
from tests.transit.phase5_flows import FORWARDER, OFFICER, assert_valid, send_json, send_xml, world  # noqa: F401
from toldsystem import config, demo
from toldsystem.core import clock
from toldsystem.intake import rules as queue_rules
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations.rules import Effect

NS = {"n": "http://ncts.dgtaxud.ec"}
TITLE = "PRD-servicewindow DMS Forsendelse (NCTS)"
WORK_ORDER = "WO0000001650001"


def window(*effects: Effect, minutes: int = 60, system: str = "dms_transit", end: bool = True, kind="service_window"):
    """A window on `system` that started ten minutes ago and ends in `minutes` (`end=False`: a message without a
    window, in force from now until it is ended)."""
    now = clock.now()
    return operations.create(systems=[system], kind=kind, title=TITLE, work_order=WORK_ORDER,
                             window_start=now - timedelta(minutes=10) if end else None,
                             window_end=now + timedelta(minutes=minutes) if end else None, effects=list(effects))


REJECTED = (Effect("file", "rejected"), Effect("online", "unavailable"))
QUEUED = (Effect("file", "queued"),)


def nothing_received(client, lrn: str) -> None:
    assert client.get("/api/transit/outbox", headers=FORWARDER).json()["messages"] == []
    assert client.get(f"/api/transit/messages?lrn={lrn}", headers=OFFICER).json()["messages"] == []
    assert client.get(f"/api/transit/movements?lrn={lrn}", headers=OFFICER).json()["movements"] == []


def test_a_rejecting_window_answers_503_naming_it_and_receives_nothing_json(client, world):
    window(*REJECTED, minutes=90)
    declaration = demo.declaration()
    answered = send_json(client, FORWARDER, declaration)
    assert answered.status_code == 503
    assert 89 * 60 < int(answered.headers["Retry-After"]) <= 90 * 60
    [error] = answered.json()["errors"]
    assert error["code"] == "service.unavailable"
    for text in (error["message"], error["message_da"]):
        assert TITLE in text and WORK_ORDER in text
    assert "service window" in error["message"] and "servicevinduet" in error["message_da"]
    nothing_received(client, declaration["TransitOperation"]["LRN"])


def test_a_rejecting_window_answers_an_xml_sender_with_a_cc917c_that_validates(client, world):
    window(*REJECTED)
    declaration = demo.declaration()
    answered = client.post("/api/transit/messages", content=_xml(declaration),
                           headers=FORWARDER | {"Content-Type": "application/xml"})
    assert answered.status_code == 503 and answered.headers["X-Told-Message-Type"] == "CC917C"
    root = assert_valid("CC917C", answered.content)
    assert root.findtext("correlationIdentifier") == declaration["messageIdentification"]
    assert root.findtext("messageRecipient") == "DK13585628"
    text = root.findtext("XMLError/errorText")
    assert TITLE in text and WORK_ORDER in text
    assert root.findtext("Header/LRN") == declaration["TransitOperation"]["LRN"]
    nothing_received(client, declaration["TransitOperation"]["LRN"])


def test_a_disruption_without_an_announced_end_gives_no_retry_after(client, world):
    window(Effect("file", "rejected"), kind="disruption", end=False)
    answered = send_json(client, FORWARDER, demo.declaration())
    assert answered.status_code == 503 and "Retry-After" not in answered.headers
    assert "until further notice" in answered.json()["errors"][0]["message"]


def test_a_window_on_another_system_leaves_transit_alone(client, world):
    window(*REJECTED, system="dms_import")
    answered = send_json(client, FORWARDER, demo.declaration())
    assert answered.status_code == 200 and "X-Told-Availability" not in answered.headers


def test_without_a_token_it_is_401_even_in_a_window(client, world):
    window(*REJECTED)
    assert client.post("/api/transit/messages", json=demo.declaration()).status_code == 401


def test_extended_response_times_are_processed_and_said_in_a_header(client, world):
    window(Effect("response_times", "extended"))
    answered = send_json(client, FORWARDER, demo.declaration())
    assert answered.status_code == 200 and answered.json()["answers"]
    assert answered.headers["X-Told-Availability"] == f"degraded: {TITLE} ({WORK_ORDER})"


def test_a_queued_window_holds_each_message_and_processes_them_in_arrival_order_after_it(client, world):
    made = window(*QUEUED)
    sent = [demo.declaration() for _ in range(4)]
    locations = []
    for n, declaration in enumerate(sent):
        answered = (send_xml if n % 2 else send_json)(client, FORWARDER, declaration)
        assert answered.status_code == 202, answered.text
        body = answered.json()
        assert body["state"] == "held" and body["LRN"] == declaration["TransitOperation"]["LRN"]
        assert answered.headers["Location"] == body["links"]["self"]
        locations.append(answered.headers["Location"])
    assert client.get("/api/transit/outbox", headers=FORWARDER).json()["messages"] == []
    assert intake.drain() == 0  # the window still holds them
    assert client.get(locations[0], headers=FORWARDER).json()["state"] == "held"
    operations.end(made.id)  # the officer ends the window
    assert intake.drain() == 4
    outcomes = [client.get(location, headers=FORWARDER).json() for location in locations]
    assert [o["state"] for o in outcomes] == ["processed"] * 4
    assert [o["repeated"] for o in outcomes] == [False] * 4
    assert all(o["answers"] and o["links"]["movement"].endswith(o["mrn"]) for o in outcomes)
    first_answers = [o["answers"][0]["id"] for o in outcomes]
    assert first_answers == sorted(first_answers)  # arrival order
    for outcome, declaration in zip(outcomes, sent):
        movement = client.get(outcome["links"]["movement"], headers=FORWARDER).json()
        assert movement["lrn"] == declaration["TransitOperation"]["LRN"]
        assert client.get(outcome["answers"][0]["links"]["self"], headers=FORWARDER).status_code == 200
    assert intake.drain() == 0


def test_the_same_message_again_during_the_window_is_the_same_held_message(client, world):
    window(*QUEUED)
    declaration = demo.declaration()
    first, again = send_json(client, FORWARDER, declaration), send_json(client, FORWARDER, declaration)
    assert first.headers["Location"] == again.headers["Location"]
    assert intake.held_count() == 1


def test_another_company_cannot_read_a_held_message(client, world):
    window(*QUEUED)
    location = send_json(client, FORWARDER, demo.declaration()).headers["Location"]
    stranger = company_headers("DK30507096")
    refused, unknown = client.get(location, headers=stranger), client.get(location + "999", headers=stranger)
    assert refused.status_code == unknown.status_code == 404
    assert refused.json()["errors"][0]["code"] == unknown.json()["errors"][0]["code"]
    assert client.get(location, headers=OFFICER).json()["state"] == "held"


def test_a_malformed_or_huge_message_in_a_queued_window_is_refused_at_once_not_held(client, world):
    window(*QUEUED)
    broken = _xml(demo.declaration()).replace(b"</ncts:CC015C>", b"")
    answered = client.post("/api/transit/messages", content=broken,
                           headers=FORWARDER | {"Content-Type": "application/xml"})
    assert answered.status_code == 400 and answered.headers["X-Told-Message-Type"] == "CC917C"
    invalid = demo.declaration()
    invalid["Consignment"]["grossMass"] = "heavy"
    assert send_json(client, FORWARDER, invalid).status_code == 400
    huge = b"<a>" + b" " * config.settings().limits.max_body_bytes + b"</a>"
    assert client.post("/api/transit/messages", content=huge,
                       headers=FORWARDER | {"Content-Type": "application/xml"}).status_code == 413
    assert intake.held_count() == 0


def test_an_empty_json_body_is_refused_naming_the_body_not_a_server_error(client, world):
    window(*QUEUED)
    answered = client.post("/api/transit/messages", content=b"",
                           headers=FORWARDER | {"Content-Type": "application/json"})
    assert answered.status_code == 422 and answered.json()["errors"][0]["code"] == "request.json_invalid"
    assert intake.held_count() == 0


def test_an_officer_cannot_send_messages_in_a_queued_window_either(client, world):
    window(*QUEUED)
    assert send_json(client, OFFICER, demo.declaration()).status_code == 403
    assert intake.held_count() == 0


def test_the_queue_is_bounded_per_sender(client, world, monkeypatch):
    window(*QUEUED)
    monkeypatch.setattr(queue_rules, "MAX_HELD_PER_SENDER", 2)
    assert [send_json(client, FORWARDER, demo.declaration()).status_code for _ in range(3)] == [202, 202, 429]
    assert intake.held_count() == 2


def _xml(declaration: dict) -> bytes:
    from toldsystem.transit.messages import render

    return render("CC015C", declaration)
