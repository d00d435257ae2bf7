"""Webhooks a vendor can trust: every post signed with the company's own secret (shown once, rotatable),
checkable with the code in docs/api.md; a failed post retried with growing pauses from a durable queue
that a restart does not empty; and a delivery log the company reads through the API."""

from __future__ import annotations

import dataclasses
import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from toldsystem import config, demo
from toldsystem.transit import webhooks

FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}
IMPORTER = {"Authorization": "Bearer told_demo_importer"}
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def documented_verify():
    """The `verify` function of docs/api.md, run as written there."""
    text = DOCS.read_text()
    code = re.search(r"<!-- webhook-verify[^>]*-->\n```python\n(.*?)```", text, re.S).group(1)
    scope: dict = {}
    exec(compile(code, "docs/api.md", "exec"), scope)  # noqa: S102 — our own documentation's example
    return scope["verify"]


class Receiver:
    """A webhook receiver on 127.0.0.1 that answers each post with the next of `statuses` (then 204)."""

    def __init__(self, statuses: list[int] | None = None, port: int = 0) -> None:
        self.posts: list[tuple[dict, bytes]] = []
        self.statuses = list(statuses or [])
        self.arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 — the standard library's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                self.end_headers()
                with receiver.arrived:
                    receiver.posts.append((dict(self.headers), body))
                    receiver.arrived.notify_all()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/ncts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, seconds: float = 20) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.posts) >= count, seconds), self.posts

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def world(store, receivers_on_this_machine):
    demo.load()


@pytest.fixture
def receivers_on_this_machine():
    """The test receivers listen on 127.0.0.1, as a vendor's does when TOLD_WEBHOOK_PRIVATE_TARGETS allows it."""
    settings = config.settings()
    config.override(dataclasses.replace(settings, webhook_private_targets=True))
    yield
    config.override(settings)


@pytest.fixture
def quick_retries(monkeypatch):
    """Retries after a tenth of a second instead of minutes, and a worker that looks often."""
    monkeypatch.setattr(webhooks, "BACK_OFF", (0.1,) * 7)
    monkeypatch.setattr(webhooks.Worker, "POLL", 0.05)


def deliveries(client, headers=FORWARDER, **params) -> dict:
    answer = client.get("/api/v1/transit/webhook/deliveries", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def tried(client, count: int, seconds: float = 20) -> dict:
    """The delivery log once `count` deliveries have had an attempt come back (delivered, or an error recorded)."""
    deadline = time.monotonic() + seconds
    while True:
        log = deliveries(client)
        back = [d for d in log["deliveries"] if d["state"] != "pending" or d["last_error"] or d["last_status"]]
        if len(back) >= count or time.monotonic() > deadline:
            return log
        time.sleep(0.05)


def settled(client, count: int, seconds: float = 20) -> dict:
    """The delivery log once `count` deliveries are no longer pending."""
    deadline = time.monotonic() + seconds
    while True:
        log = deliveries(client)
        if log["counts"]["delivered"] + log["counts"]["failed"] >= count or time.monotonic() > deadline:
            return log
        time.sleep(0.05)


def test_the_secret_is_shown_once_and_every_post_is_signed_with_it(world, client):
    receiver = Receiver()
    try:
        registered = client.put("/api/v1/transit/webhook", json={"url": receiver.url}, headers=FORWARDER).json()
        secret = registered["secret"]
        assert re.fullmatch(r"[0-9a-f]{64}", secret)
        assert "secret" not in client.get("/api/v1/transit/webhook", headers=FORWARDER).json()
        client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER)
        receiver.wait_for(3)
    finally:
        receiver.close()
    verify = documented_verify()
    for headers, body in receiver.posts:
        assert verify(secret, body, headers["X-Told-Timestamp"], headers["X-Told-Signature"])
        assert not verify(secret, body + b" ", headers["X-Told-Timestamp"], headers["X-Told-Signature"])
        assert not verify("0" * 64, body, headers["X-Told-Timestamp"], headers["X-Told-Signature"])
    kinds = sorted(json.loads(body)["messageType"] for _, body in receiver.posts)
    assert kinds == ["CC028C", "CC029C", "CC928C"]
    notice = json.loads(receiver.posts[0][1])
    assert client.get(notice["links"]["json"], headers=FORWARDER).json()["id"] == notice["messageId"]


def test_moving_the_webhook_keeps_the_secret_and_rotating_replaces_it(world, client):
    first = client.put("/api/v1/transit/webhook", json={"url": "http://127.0.0.1:9/a"}, headers=FORWARDER).json()
    moved = client.put("/api/v1/transit/webhook", json={"url": "http://127.0.0.1:9/b"}, headers=FORWARDER).json()
    assert "secret" not in moved and moved["url"] == "http://127.0.0.1:9/b"
    rotated = client.post("/api/v1/transit/webhook/secret", headers=FORWARDER).json()
    assert rotated["secret"] != first["secret"] and rotated["secret_made_at"] > first["secret_made_at"]
    client.delete("/api/v1/transit/webhook", headers=FORWARDER)
    assert client.get("/api/v1/transit/webhook", headers=FORWARDER).status_code == 404
    assert client.post("/api/v1/transit/webhook/secret", headers=FORWARDER).status_code == 404


def test_a_failed_post_is_retried_until_it_is_delivered(world, client, quick_retries):
    receiver = Receiver(statuses=[500, 503])
    try:
        client.put("/api/v1/transit/webhook", json={"url": receiver.url}, headers=FORWARDER)
        declaration = demo.declaration()
        del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]  # one answer each: CC928C …
        client.post("/api/v1/transit/messages", json=declaration, headers=FORWARDER)
        log = settled(client, 2)
    finally:
        receiver.close()
    assert log["counts"] == {"pending": 0, "delivered": 2, "failed": 0}
    attempts = sorted(d["attempts"] for d in log["deliveries"])
    assert attempts[-1] >= 2 and sum(attempts) == 4  # two refusals, each retried, then both delivered
    assert all(d["last_status"] == 204 and d["delivered_at"] for d in log["deliveries"])
    ids = [h["X-Told-Delivery"] for h, _ in receiver.posts]
    assert len(set(ids)) == 2 and len(ids) == 4  # a retry carries the same delivery id


def test_a_delivery_is_given_up_after_the_last_attempt(world, client, quick_retries, monkeypatch):
    monkeypatch.setattr(webhooks, "MAX_ATTEMPTS", 3)
    receiver = Receiver(statuses=[500] * 100)
    try:
        client.put("/api/v1/transit/webhook", json={"url": receiver.url}, headers=FORWARDER)
        client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER)
        log = settled(client, 3)
    finally:
        receiver.close()
    assert log["counts"]["failed"] == 3
    assert {(d["attempts"], d["last_status"], d["last_error"]) for d in log["deliveries"]} == {
        (3, 500, "the receiver answered 500")}
    assert deliveries(client, state="failed")["counts"]["failed"] == 3


def test_deliveries_survive_a_restart(world, client, quick_retries, monkeypatch):
    # A port nobody listens on yet: every post fails to connect.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client.put("/api/v1/transit/webhook", json={"url": f"http://127.0.0.1:{port}/ncts"}, headers=FORWARDER)
    monkeypatch.setattr(webhooks, "BACK_OFF", (0.5,) * 7)
    client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER)
    log = tried(client, 3)
    assert log["counts"]["pending"] == 3
    assert {d["last_error"] for d in log["deliveries"]} == {"could not connect to the receiver"}
    # The server stops (its worker ends; the pool finishes what it began); only the queue in the database is left.
    webhooks.stop_worker()
    webhooks._worker.thread.join(5)
    time.sleep(0.6)  # any retry due now has nobody to run it
    receiver = Receiver(port=port)
    try:
        webhooks.worker()  # what the server does at start (app.py)
        log = settled(client, 3)
    finally:
        receiver.close()
    assert log["counts"] == {"pending": 0, "delivered": 3, "failed": 0}
    assert len(receiver.posts) == 3


def test_removing_the_webhook_gives_up_what_waits(world, client, monkeypatch):
    monkeypatch.setattr(webhooks, "BACK_OFF", (3600,) * 7)
    client.put("/api/v1/transit/webhook", json={"url": "http://127.0.0.1:9/closed"}, headers=FORWARDER)
    client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER)
    tried(client, 1)  # under way: the others may be posting right now
    client.delete("/api/v1/transit/webhook", headers=FORWARDER)
    log = deliveries(client)
    assert log["counts"] == {"pending": 0, "delivered": 0, "failed": 3}
    assert {d["last_error"] for d in log["deliveries"]} == {"the webhook was removed"}


def test_the_delivery_log_is_the_companys_own(world, client):
    client.put("/api/v1/transit/webhook", json={"url": "http://127.0.0.1:9/closed"}, headers=FORWARDER)
    client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER)
    assert len(deliveries(client)["deliveries"]) == 3
    assert deliveries(client, IMPORTER) == {"page": 1, "page_size": 50, "has_more": False,
                                            "counts": {"pending": 0, "delivered": 0, "failed": 0}, "deliveries": []}


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/", "http://localhost:5432/", "http://10.0.0.7/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]:3306/",
                                 "http://[::ffff:127.0.0.1]/", "http://0.0.0.0:8000/"])
def test_a_webhook_to_a_loopback_private_or_link_local_address_is_refused_by_default(store, client, url):
    demo.load()
    answer = client.put("/api/v1/transit/webhook", json={"url": url}, headers=FORWARDER)
    assert answer.status_code == 422 and answer.json()["errors"][0]["code"] == "webhook.address"
    assert client.get("/api/v1/transit/webhook", headers=FORWARDER).status_code == 404


def test_a_host_that_is_no_longer_allowed_is_not_posted_to_and_the_log_says_only_that(world, client):
    receiver = Receiver()
    try:
        client.put("/api/v1/transit/webhook", json={"url": receiver.url}, headers=FORWARDER)
        settings = config.settings()
        config.override(dataclasses.replace(settings, webhook_private_targets=False))  # as if its name moved
        client.post("/api/v1/transit/messages", json=demo.declaration(), headers=FORWARDER)
        log = tried(client, 3)
        assert receiver.posts == []
        assert {d["last_error"] for d in log["deliveries"]} == {
            "not posted: the host is not a public address (TOLD_WEBHOOK_PRIVATE_TARGETS allows loopback and "
            "private ones)"}
    finally:
        receiver.close()
