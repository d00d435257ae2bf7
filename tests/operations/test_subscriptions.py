"""Following the board by webhook (issue 10 item 5): every change of a message that concerns a subscriber's systems
reaches its receiver, signed with its own secret (checked with docs/api.md's code), retried with growing pauses
from a queue that a restart does not empty, with a delivery log the subscriber alone reads; hostile input is
refused clearly and another's subscription is as unknown."""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from datetime import datetime
from pathlib import Path

import pytest

from sqlalchemy import select

from tests.api.test_webhooks import Receiver, documented_verify
from tests.conftest import FORWARDER, IMPORTER, company_headers
from toldsystem import config, db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.notifications import queue
from toldsystem.operations import service
from toldsystem.operations import store as tables
from toldsystem.operations.service import subscriptions

HOOKS = "/api/v1/operations/subscriptions/webhooks"
WINDOW = {"systems": ["DMS Forsendelse (NCTS)"], "kind": "service_window", "title": "PRD-servicewindow DMS",
          "work_order": "WO0000001600001", "window_start": "2099-05-20T12:00", "window_end": "2099-05-20T13:00",
          "effects": [{"channel": "file", "state": "rejected"}]}


@pytest.fixture
def receivers_on_this_machine(store):
    """The receivers listen on 127.0.0.1, as a vendor's does when TOLD_WEBHOOK_PRIVATE_TARGETS allows it."""
    settings = config.settings()
    config.override(dataclasses.replace(settings, webhook_private_targets=True))
    yield
    config.override(settings)


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(queue, "BACK_OFF", (0.3,) * 7)
    monkeypatch.setattr(queue.Worker, "POLL", 0.05)


def subscribe(client, headers, url, **fields) -> dict:
    answer = client.post(HOOKS, json={"url": url} | fields, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def publish(client, officer_headers, **fields) -> dict:
    answer = client.post("/api/v1/operations/messages", json=WINDOW | fields, headers=officer_headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def log_of(client, headers, subscription_id, **params) -> dict:
    answer = client.get(f"{HOOKS}/{subscription_id}/deliveries", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def settled(client, headers, subscription_id, count, seconds=20) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        log = log_of(client, headers, subscription_id)
        if log["counts"]["delivered"] + log["counts"]["failed"] >= count or time.monotonic() > deadline:
            return log
        time.sleep(0.05)


def test_each_change_of_a_message_reaches_the_subscriber_signed_with_its_secret(
        client, officer_headers, receivers_on_this_machine):
    forwarder = company_headers(FORWARDER)
    receiver, elsewhere = Receiver(), Receiver()
    try:
        made = subscribe(client, forwarder, receiver.url, systems=["dms_transit"])
        subscribe(client, forwarder, elsewhere.url, systems=["ics2"])  # another system: told nothing
        subscribe(client, company_headers(IMPORTER), elsewhere.url, environments=["TFE"])  # every system, in TFE
        message = publish(client, officer_headers)
        url = f"/api/v1/operations/messages/{message['id']}"
        assert client.patch(url, json={"body": "Files are rejected."}, headers=officer_headers).status_code == 200
        extended = client.post(f"{url}/extend", json={"until": "2099-05-20T14:00"}, headers=officer_headers)
        assert extended.status_code == 200
        assert client.post(f"{url}/withdraw", json={"note": "cancelled"}, headers=officer_headers).status_code == 200
        receiver.wait_for(4)
        time.sleep(0.3)  # a stray post to the others would have come by now
    finally:
        receiver.close()
        elsewhere.close()
    assert elsewhere.posts == []
    verify = documented_verify()
    for headers, body in receiver.posts:
        assert verify(made["secret"], body, headers["X-Told-Timestamp"], headers["X-Told-Signature"])
        assert not verify(made["secret"], body + b" ", headers["X-Told-Timestamp"], headers["X-Told-Signature"])
    notices = sorted((json.loads(body) for _, body in receiver.posts), key=lambda n: n["version"])
    assert [(n["event"], n["version"]) for n in notices] == [("created", 1), ("updated", 2), ("extended", 3),
                                                              ("withdrawn", 4)]
    first = notices[0]
    assert {k: first[k] for k in ("message_id", "systems", "categories", "environments", "kind", "title",
                                  "window_start", "window_end")} == {
        "message_id": message["id"], "systems": ["dms_transit"], "categories": ["DMS Forsendelse (NCTS)"],
        "environments": ["PRD"], "kind": "service_window", "title": "PRD-servicewindow DMS",
        "window_start": "2099-05-20T12:00:00+02:00", "window_end": "2099-05-20T13:00:00+02:00"}
    assert notices[2]["window_end"] == "2099-05-20T14:00:00+02:00"
    assert client.get(first["links"]["json"]).json()["id"] == message["id"]  # public: no token needed
    log = log_of(client, forwarder, made["id"])
    assert log["counts"] == {"pending": 0, "delivered": 4, "failed": 0}
    assert {(d["event"], d["message_id"], d["last_status"]) for d in log["deliveries"]} == {
        (e, message["id"], 204) for e in ("created", "updated", "extended", "withdrawn")}


def test_a_failed_post_is_retried_after_a_pause_and_the_log_shows_each_attempt(
        client, officer_headers, receivers_on_this_machine, quick_retries):
    forwarder = company_headers(FORWARDER)
    receiver = Receiver(statuses=[500, 503])
    arrivals = []
    try:
        made = subscribe(client, forwarder, receiver.url)
        publish(client, officer_headers)
        for count in (1, 2, 3):
            receiver.wait_for(count)
            arrivals.append(time.monotonic())
        log = settled(client, forwarder, made["id"], 1)
    finally:
        receiver.close()
    assert [d["attempts"] for d in log["deliveries"]] == [3]
    assert log["deliveries"][0]["state"] == "delivered" and log["deliveries"][0]["last_status"] == 204
    assert arrivals[1] - arrivals[0] >= 0.25 and arrivals[2] - arrivals[1] >= 0.25  # paused, not hammered
    assert len({h["X-Told-Delivery"] for h, _ in receiver.posts}) == 1  # the same delivery each time


def test_a_failing_receiver_is_given_up_after_the_last_attempt(client, officer_headers, receivers_on_this_machine,
                                                               quick_retries, monkeypatch):
    monkeypatch.setattr(queue, "MAX_ATTEMPTS", 3)
    monkeypatch.setattr(queue, "BACK_OFF", (0.05,) * 7)
    forwarder = company_headers(FORWARDER)
    receiver = Receiver(statuses=[500] * 10)
    try:
        made = subscribe(client, forwarder, receiver.url)
        publish(client, officer_headers)
        log = settled(client, forwarder, made["id"], 1)
    finally:
        receiver.close()
    assert [(d["state"], d["attempts"], d["last_status"], d["last_error"]) for d in log["deliveries"]] == [
        ("failed", 3, 500, "the receiver answered 500")]
    assert log_of(client, forwarder, made["id"], state="failed")["counts"]["failed"] == 1


def test_what_was_not_delivered_before_a_restart_is_delivered_after_it(
        client, officer_headers, receivers_on_this_machine, quick_retries):
    with socket.socket() as s:  # a port nobody listens on yet: every post fails to connect
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    forwarder = company_headers(FORWARDER)
    made = subscribe(client, forwarder, f"http://127.0.0.1:{port}/board")
    publish(client, officer_headers)
    deadline = time.monotonic() + 10
    while not log_of(client, forwarder, made["id"])["deliveries"][0]["last_error"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log_of(client, forwarder, made["id"])["deliveries"][0]["last_error"] == "could not connect to the receiver"
    queue.stop_worker()  # the server stops: only the queue in the database is left
    queue.WORKER.thread.join(5)
    receiver = Receiver(port=port)
    try:
        queue.worker()  # what the server does at start (app.py)
        log = settled(client, forwarder, made["id"], 1)
    finally:
        receiver.close()
    assert log["counts"] == {"pending": 0, "delivered": 1, "failed": 0}
    assert json.loads(receiver.posts[0][1])["event"] == "created"


def test_what_another_process_queued_is_sent_by_the_servers_idle_worker(
        client, officer_headers, receivers_on_this_machine, monkeypatch):
    monkeypatch.setattr(queue.Worker, "IDLE_POLL", 0.1)
    forwarder = company_headers(FORWARDER)
    receiver = Receiver()
    try:
        made = subscribe(client, forwarder, receiver.url)
        queue.worker()  # the server's, with nothing to do
        # The terminal (`told ops create`) writes the delivery with the message; it posts nothing itself.
        monkeypatch.setattr(subscriptions._hook_queue, "push", lambda ids: None)
        publish(client, officer_headers)
        receiver.wait_for(1)
    finally:
        receiver.close()
    assert log_of(client, forwarder, made["id"])["counts"]["delivered"] == 1


def test_a_rotated_secret_signs_from_then_on_and_removing_gives_up_what_waits(
        client, officer_headers, receivers_on_this_machine, monkeypatch):
    monkeypatch.setattr(queue, "BACK_OFF", (3600,) * 7)
    forwarder = company_headers(FORWARDER)
    receiver = Receiver()
    try:
        made = subscribe(client, forwarder, receiver.url)
        rotated = client.post(f"{HOOKS}/{made['id']}/secret", headers=forwarder).json()
        assert rotated["secret"] != made["secret"] and "secret" not in client.get(f"{HOOKS}/{made['id']}",
                                                                                 headers=forwarder).json()
        publish(client, officer_headers)
        receiver.wait_for(1)
    finally:
        receiver.close()
    headers, body = receiver.posts[0]
    verify = documented_verify()
    assert verify(rotated["secret"], body, headers["X-Told-Timestamp"], headers["X-Told-Signature"])
    assert not verify(made["secret"], body, headers["X-Told-Timestamp"], headers["X-Told-Signature"])
    closed = subscribe(client, forwarder, "http://127.0.0.1:9/closed")
    publish(client, officer_headers)
    assert client.delete(f"{HOOKS}/{closed['id']}", headers=forwarder).status_code == 204
    assert client.get(f"{HOOKS}/{closed['id']}", headers=forwarder).status_code == 404
    assert [s["id"] for s in client.get(HOOKS, headers=forwarder).json()["subscriptions"]] == [made["id"]]


def test_a_subscription_is_its_makers_alone(client, officer_headers, store):
    forwarder, importer = company_headers(FORWARDER), company_headers(IMPORTER)
    made = subscribe(client, forwarder, "https://erp.example.dk/board")
    mine = subscribe(client, officer_headers, "https://intra.example.dk/board", systems=["ics2"])
    assert [s["id"] for s in client.get(HOOKS, headers=importer).json()["subscriptions"]] == []
    assert [s["id"] for s in client.get(HOOKS, headers=officer_headers).json()["subscriptions"]] == [mine["id"]]
    for method, suffix in (("GET", ""), ("DELETE", ""), ("POST", "/secret"), ("GET", "/deliveries")):
        theirs = client.request(method, f"{HOOKS}/{made['id']}{suffix}", headers=importer)
        unknown = client.request(method, f"{HOOKS}/999999{suffix}", headers=importer)
        assert theirs.status_code == unknown.status_code == 404, (method, suffix)
        assert theirs.text == unknown.text.replace("999999", str(made["id"]))
        assert client.request(method, f"{HOOKS}/{made['id']}{suffix}", headers=officer_headers).status_code == 404
    assert client.get(f"{HOOKS}/{made['id']}", headers=forwarder).status_code == 200  # still there
    assert client.post(HOOKS, json={"url": "https://erp.example.dk/x"}).status_code == 401


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/", "http://localhost:5432/", "http://10.0.0.7/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]:3306/"])
def test_a_subscription_to_a_private_address_is_refused(client, store, url):
    answer = client.post(HOOKS, json={"url": url}, headers=company_headers(FORWARDER))
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "webhook.address"


@pytest.mark.parametrize("body, code, pointer", [
    ({"url": "ftp://erp.example.dk/x"}, "webhook.url", "url"),
    ({"url": "https://erp.example.dk/" + "x" * 600}, "webhook.url", "url"),
    ({"url": "https://erp.example.dk/" + "x" * 5000}, "request.string_too_long", "url"),
    ({"url": "https://erp.example.dk/x", "systems": ["dms_transit", "no such system"]}, "subscription.system",
     "systems/1"),
    ({"url": "https://erp.example.dk/x", "environments": ["PRD", "XYZ"]}, "subscription.environment",
     "environments/1"),
    ({"url": "https://erp.example.dk/x", "environments": []}, "request.too_short", "environments"),
    ({"url": "https://erp.example.dk/x", "systems": ["dms_transit"] * 31}, "request.too_long", "systems"),
    ({"systems": ["dms_transit"]}, "request.missing", "url"),
])
def test_bad_input_is_refused_naming_what_and_where(client, store, body, code, pointer):
    answer = client.post(HOOKS, json=body, headers=company_headers(FORWARDER))
    assert answer.status_code == 422, answer.text
    assert (answer.json()["errors"][0]["code"], answer.json()["errors"][0]["pointer"].removeprefix("/body/")) == (
        code, pointer), answer.text


def test_malformed_json_and_too_many_subscriptions_are_refused(client, store):
    forwarder = company_headers(FORWARDER)
    answer = client.post(HOOKS, content=b'{"url": "https://erp.example.dk/x"', headers=forwarder | {
        "Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500 and answer.json()["errors"]
    for n in range(20):
        subscribe(client, forwarder, f"https://erp.example.dk/{n}")
    answer = client.post(HOOKS, json={"url": "https://erp.example.dk/21"}, headers=forwarder)
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "subscription.too_many"


def test_the_operator_lists_and_removes_every_subscription_at_the_terminal(client, officer_headers, store):
    from typer.testing import CliRunner

    from toldsystem.cli import app
    from toldsystem.core.errors import NotFound

    made = subscribe(client, company_headers(FORWARDER), "https://erp.example.dk/board", systems=["ics2"])
    subscribe(client, officer_headers, "https://intra.example.dk/board")
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["ops", "subscriptions", "list", "--json"]).stdout)
    assert [(s["owner"], s["url"], s["systems"]) for s in listed["webhook"]] == [
        (FORWARDER, "https://erp.example.dk/board", ["ics2"]),
        ("officer:Officer Olsen", "https://intra.example.dk/board", [])]
    assert listed["email"] == [] and all("secret" not in s for s in listed["webhook"])
    table = runner.invoke(app, ["ops", "subscriptions", "list"])  # however wide the terminal: one row each
    assert table.exit_code == 0 and table.stdout.count("webhook") == 2 and FORWARDER in table.stdout
    removed = runner.invoke(app, ["ops", "subscriptions", "remove", "webhook", str(made["id"])])
    assert removed.exit_code == 0, removed.stdout
    assert client.get(f"{HOOKS}/{made['id']}", headers=company_headers(FORWARDER)).status_code == 404
    again = runner.invoke(app, ["ops", "subscriptions", "remove", "webhook", str(made["id"])])
    assert isinstance(again.exception, NotFound)
    assert runner.invoke(app, ["ops", "subscriptions", "remove", "fax", "1"]).exit_code == 2


AGENCY = Path(__file__).parent / "data" / "driftsmeddelelser-2024-2025.txt"
NEMLOG_IN = "PRD-servicewindow NemLog-In (MitID) December 18, 2025"


def announced() -> list[str]:
    """The titles the board's webhook queue holds announcements of."""
    with db.reading() as conn:
        return [json.loads(body)["title"] for body in conn.execute(select(tables.webhook_deliveries.c.body)).scalars()]


@pytest.fixture
def a_subscriber_of_everything(store):
    subscriptions.subscribe_webhook(Party.company(FORWARDER), "https://erp.example.dk/board")


def imported_at(at: datetime, text: str) -> None:
    previous = clock.install(clock.FixedClock(at))
    try:
        service.import_text(text)
    finally:
        clock.install(previous)


def test_importing_the_pages_history_tells_no_one(a_subscriber_of_everything):
    imported_at(datetime(2026, 12, 1, 12, 0, tzinfo=clock.COPENHAGEN), AGENCY.read_text(encoding="utf-8"))
    assert announced() == []  # 234 messages, every window long past
    service.create(systems=["dms_transit"], kind="information", title="An officer's message is always news")
    assert announced() == ["An officer's message is always news"]


def test_a_window_imported_before_it_begins_is_news(a_subscriber_of_everything):
    lines = AGENCY.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if NEMLOG_IN in line)
    end = lines.index("17-12-2025 10:26:00", start)  # the block ends with its created time
    imported_at(datetime(2025, 12, 17, 23, 0, tzinfo=clock.COPENHAGEN), "\n".join(lines[start:end + 1]) + "\n")
    assert announced() == [NEMLOG_IN]
