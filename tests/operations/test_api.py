"""The board over HTTP (SPEC O): anyone reads it without a token; officers write it; the JSON names what the
issue asks for (categories, environment, kind, title, updated, created, work_order, body, window_start,
window_end, the channel effects, fallback)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import FORWARDER, company_headers
from toldsystem.core import clock

CPH = clock.COPENHAGEN


@pytest.fixture
def may_20(store):
    previous = clock.install(clock.FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=CPH)))
    yield clock.clock
    clock.install(previous)


WINDOW = {"systems": ["DMS Forsendelse (NCTS)", "dms_import"], "kind": "service_window",
          "title": "PRD-servicewindow DMS Wednesday May 20, 2026", "body": "Files will be rejected.",
          "work_order": "WO0000001600001", "window_start": "2026-05-20T12:00", "window_end": "2026-05-20T13:00",
          "effects": [{"channel": "file", "state": "rejected"}, {"channel": "online", "state": "unavailable",
                                                                 "systems": ["dms_transit"]}],
          "fallback": "allowed"}


def publish(client, officer_headers, **fields) -> dict:
    answer = client.post("/api/v1/operations/messages", json=WINDOW | fields, headers=officer_headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_an_officer_publishes_and_anyone_reads_without_a_token(client, officer_headers, may_20):
    made = publish(client, officer_headers)
    assert {k: made[k] for k in ("categories", "environment", "kind", "title", "work_order", "window_start",
                                 "window_end", "file_access", "online_access", "sign_in", "extended_response_times",
                                 "fallback", "fallback_allowed", "created", "updated")} == {
        "categories": ["DMS Forsendelse (NCTS)", "DMS Import"], "environment": "PRD", "kind": "service_window",
        "title": WINDOW["title"], "work_order": "WO0000001600001", "window_start": "2026-05-20T12:00:00+02:00",
        "window_end": "2026-05-20T13:00:00+02:00", "file_access": "rejected", "online_access": "unavailable",
        "sign_in": None, "extended_response_times": False, "fallback": "allowed", "fallback_allowed": True,
        "created": "2026-05-20T09:00:00+02:00", "updated": "2026-05-20T09:00:00+02:00"}
    assert [h["action"] for h in made["history"]] == ["created"]
    listed = client.get("/api/v1/operations/messages").json()["messages"]
    assert [m["id"] for m in listed] == [made["id"]]
    assert client.get(f"/api/v1/operations/messages/{made['id']}").json()["body"] == "Files will be rejected."
    assert client.get("/api/v1/operations/messages?system=manifest").json()["messages"] == []
    assert client.get("/api/v1/operations/messages?environment=TFE").json()["messages"] == []
    upcoming = client.get("/api/v1/operations/board?system=dms_transit").json()
    assert [m["id"] for m in upcoming["upcoming"]] == [made["id"]] and upcoming["current"] == []


def test_the_availability_answer_names_the_window_and_its_end(client, officer_headers, may_20):
    made = publish(client, officer_headers)
    answer = client.get("/api/v1/operations/availability", params={
        "system": "DMS Forsendelse (NCTS)", "channel": "file", "at": "2026-05-20T12:30"}).json()
    assert answer == {"system": "dms_transit", "environment": "PRD", "channel": "file", "state": "rejected",
                      "until": "2026-05-20T13:00:00+02:00",
                      "message": {"id": made["id"], "title": WINDOW["title"], "work_order": "WO0000001600001",
                                  "kind": "service_window", "fallback": "allowed"}}
    online = client.get("/api/v1/operations/availability?system=dms_import&channel=online&at=2026-05-20T12:30").json()
    assert online["state"] == "available"  # the online effect names DMS Forsendelse only
    groups = {g["group"]: g for g in client.get("/api/v1/operations/status?at=2026-05-20T12:30").json()["groups"]}
    assert groups["dms"]["state"] == "rejected" and groups["dms"]["messages"] == [made["id"]]
    bad = client.get("/api/v1/operations/availability?system=ncts5")
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "ops.system_unknown"


def test_update_extend_end_and_withdraw_over_http(client, officer_headers, may_20):
    made = publish(client, officer_headers)
    url = f"/api/v1/operations/messages/{made['id']}"
    changed = client.patch(url, json={"body": "Files and online.", "note": "clearer"}, headers=officer_headers).json()
    assert changed["version"] == 2 and changed["history"][1]["changed"] == ["body"]
    extended = client.post(f"{url}/extend", json={"until": "2026-05-20T14:00+02:00"}, headers=officer_headers).json()
    assert extended["window_end"] == "2026-05-20T14:00:00+02:00"
    earlier = client.post(f"{url}/extend", json={"until": "2026-05-20T13:30"}, headers=officer_headers)
    assert earlier.status_code == 422 and earlier.json()["errors"][0]["code"] == "ops.extend_earlier"
    ended = client.post(f"{url}/end", json={"at": "2026-05-20T12:45"}, headers=officer_headers).json()
    assert (ended["status"], ended["window_end"]) == ("ended", "2026-05-20T12:45:00+02:00")
    withdrawn = client.post(f"{url}/withdraw", json={"note": "it did not happen after all"}, headers=officer_headers)
    assert withdrawn.json()["status"] == "withdrawn"
    assert [h["action"] for h in withdrawn.json()["history"]] == ["created", "updated", "extended", "ended", "withdrawn"]


def test_companies_may_not_write_the_board(client, officer_headers, may_20):
    made = publish(client, officer_headers)
    forwarder = company_headers(FORWARDER)
    refused = client.post("/api/v1/operations/messages", json=WINDOW, headers=forwarder)
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "auth.not_permitted"
    assert client.patch(f"/api/v1/operations/messages/{made['id']}", json={"title": "x"},
                        headers=forwarder).status_code == 403
    assert client.post("/api/v1/operations/messages", json=WINDOW).status_code == 401
    assert client.get(f"/api/v1/operations/messages/{made['id']}").json()["version"] == 1


def test_validation_names_the_field(client, officer_headers, may_20):
    answer = client.post("/api/v1/operations/messages", headers=officer_headers, json=WINDOW | {
        "window_end": "2026-05-20T11:00", "effects": [{"channel": "file", "state": "closed"}]})
    assert answer.status_code == 422
    assert {e["pointer"] for e in answer.json()["errors"]} == {"window_end", "effects/0/state"}
    assert client.get("/api/v1/operations/messages/999999").status_code == 404


def test_the_availability_history_as_json(client, officer_headers, may_20):
    publish(client, officer_headers)
    may_20.advance(hours=6)
    rows = client.get("/api/v1/operations/report?year=2026&system=dms_transit").json()["rows"]
    may = next(r for r in rows if r["month"] == 5)
    assert may == {"system": "dms_transit", "name": "DMS Forsendelse (NCTS)", "month": 5, "planned_minutes": 60,
                   "disruption_minutes": 0}
    assert len(rows) == 12
    systems = client.get("/api/v1/operations/systems").json()
    assert {"code": "dms_transit", "name": "DMS Forsendelse (NCTS)", "group": "dms"}.items() <= systems[2].items()


def test_a_recurring_window(client, officer_headers, may_20):
    made = publish(client, officer_headers, recurrence="FREQ=MONTHLY;BYDAY=+3TU", window_start="2026-05-19T18:00",
                   window_end="2026-05-19T23:00")
    answer = client.get("/api/v1/operations/availability?system=dms_transit&at=2026-06-16T22:00").json()
    assert answer["state"] == "rejected" and answer["message"]["id"] == made["id"]
    assert answer["until"] == "2026-06-16T23:00:00+02:00"
    bad = client.post("/api/v1/operations/messages", json=WINDOW | {"recurrence": "FREQ=SECONDLY"},
                      headers=officer_headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "ops.recurrence_frequency"


def test_times_far_outside_the_boards_years_are_refused(client, officer_headers, may_20):
    assert client.get("/api/v1/operations/availability?system=dms_transit&at=0001-01-01T00:00").status_code == 422
    answer = client.post("/api/v1/operations/messages", json=WINDOW | {"window_end": "9999-12-31T23:59:59+14:00"},
                         headers=officer_headers)
    assert answer.status_code == 422

