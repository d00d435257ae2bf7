"""Following the board by e-mail (issue 10 item 5), against a real SMTP server on this machine (aiosmtpd): an
address is sent its confirmation and nothing else until the link in it is opened (nobody subscribes another's
address); then each change of a message for its systems, in Danish or English, each ending with the link that
stops them; mails wait in a durable queue while the mail server is away. Without a mail server configured,
subscribing says so."""

from __future__ import annotations

import dataclasses
import re
import socket
import threading
import time
from email import message_from_bytes, policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import FORWARDER, IMPORTER, company_headers
from toldsystem import config
from toldsystem.config import Smtp
from toldsystem.notifications import queue

MAILS = "/api/v1/operations/subscriptions/email"
WINDOW = {"systems": ["DMS Forsendelse (NCTS)"], "kind": "service_window", "title": "PRD-servicewindow DMS",
          "body": "Filer afvises i vinduet.", "work_order": "WO0000001600001", "window_start": "2099-05-20T12:00",
          "window_end": "2099-05-20T13:00", "effects": [{"channel": "file", "state": "rejected"}]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received, per recipient; it refuses the addresses in `refused` with 550."""

    def __init__(self) -> None:
        self.mails: list = []
        self.raw: list[bytes] = []  # as sent
        self.refused: set[str] = set()
        self.arrived = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 — aiosmtpd's name
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        with self.arrived:
            self.mails.append(message_from_bytes(envelope.content, policy=policy.default))
            self.raw.append(envelope.content)
            self.arrived.notify_all()
        return "250 Message accepted"

    def wait_for(self, count: int, seconds: float = 20) -> list:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.mails) >= count, seconds), self.mails
        return self.mails

    def to(self, address: str) -> list:
        return [m for m in self.mails if m["To"] == address]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mail_configured(store, smtp_port):
    settings = config.settings()
    config.override(dataclasses.replace(settings, smtp=Smtp("127.0.0.1", smtp_port, sender="drift@told.example.dk"),
                                        public_url="https://told.example.dk"))
    yield
    config.override(settings)


@pytest.fixture
def inbox(mail_configured, smtp_port):
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield found
    controller.stop()


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(queue, "BACK_OFF", (0.2,) * 7)
    monkeypatch.setattr(queue.Worker, "POLL", 0.05)


def subscribe(client, headers, address, **fields) -> dict:
    answer = client.post(MAILS, json={"address": address, "systems": ["dms_transit"]} | fields, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def publish(client, officer_headers, **fields) -> dict:
    answer = client.post("/api/v1/operations/messages", json=WINDOW | fields, headers=officer_headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def link_in(mail, purpose: str) -> str:
    """The path and query of the mail's link for `purpose` (confirm, unsubscribe), as a client opens it."""
    url = re.search(rf"https://told\.example\.dk(\S+/{purpose}\?token=\w+)", mail.get_content()).group(0)
    parts = urlsplit(url)
    assert parts.netloc == "told.example.dk"
    return f"{parts.path}?{parts.query}"


def sent(client, headers, subscription_id, count, seconds=20) -> dict:
    """The subscription's mail log once `count` of its mails are no longer pending."""
    deadline = time.monotonic() + seconds
    while True:
        log = client.get(f"{MAILS}/{subscription_id}/deliveries", headers=headers).json()
        if log["counts"]["delivered"] + log["counts"]["failed"] >= count or time.monotonic() > deadline:
            return log
        time.sleep(0.05)


def test_only_the_confirmation_is_sent_until_it_is_confirmed_then_each_change_until_unsubscribed(
        client, officer_headers, inbox):
    forwarder = company_headers(FORWARDER)
    made = subscribe(client, forwarder, "Drift@Spedition.example.dk", language="en")
    assert (made["address"], made["confirmed"]) == ("Drift@spedition.example.dk", False)
    confirmation = inbox.wait_for(1)[0]
    assert confirmation["To"] == "Drift@spedition.example.dk" and confirmation["From"] == "drift@told.example.dk"
    assert confirmation["Subject"] == "Confirm your subscription to operational messages"
    assert "operational messages from toldsystem for DMS Forsendelse (NCTS) (PRD)" in confirmation.get_content()
    message = publish(client, officer_headers)  # before confirming: nothing is sent about it
    time.sleep(0.5)
    assert len(inbox.mails) == 1
    confirm = link_in(confirmation, "confirm")
    opened = client.get(confirm)  # as a mail scanner or a link preview opens it: it only asks
    assert opened.status_code == 200 and "Drift@spedition.example.dk" in opened.text
    assert 'method="post"' in opened.text and opened.headers["cache-control"] == "no-store"
    assert client.get(f"{MAILS}/{made['id']}", headers=forwarder).json()["confirmed"] is False
    assert client.post(confirm).status_code == 200  # the button
    assert client.get(f"{MAILS}/{made['id']}", headers=forwarder).json()["confirmed"] is True
    assert client.post(confirm).status_code == 200  # pressed twice: still confirmed
    url = f"/api/v1/operations/messages/{message['id']}"
    assert client.post(f"{url}/extend", json={"until": "2099-05-20T14:00"}, headers=officer_headers).status_code == 200
    notice = inbox.wait_for(2)[1]
    assert notice["Subject"] == "[Operational message] Extended: PRD-servicewindow DMS"
    text = notice.get_content()
    assert "Planned service window" in text and "2099-05-20 12:00 – 2099-05-20 14:00" in text
    assert "WO0000001600001" in text and "Filer afvises i vinduet." in text
    assert f"https://told.example.dk/status?lang=en#message-{message['id']}" in text
    unsubscribe = link_in(notice, "unsubscribe")
    assert notice["List-Unsubscribe"] == f"<https://told.example.dk{unsubscribe}>"
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058
    assert f"List-Unsubscribe: <https://told.example.dk{unsubscribe}>\r\n".encode() in inbox.raw[1]  # one plain line
    log = sent(client, forwarder, made["id"], 2)
    assert [(d["kind"], d["state"], d["last_status"]) for d in log["deliveries"]] == [
        ("notice", "delivered", 250), ("confirmation", "delivered", 250)]
    assert client.get(unsubscribe).status_code == 200  # the page asks; the subscription stays
    assert client.get(f"{MAILS}/{made['id']}", headers=forwarder).status_code == 200
    # the mail program's one-click unsubscribe (RFC 8058) is the same POST as the page's button
    ended = client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}, headers={"Accept-Language": "en"})
    assert ended.status_code == 200 and "nothing more is sent" in ended.text
    assert client.post(unsubscribe).status_code == 404 and client.get(unsubscribe).status_code == 404
    assert client.post(f"{url}/withdraw", json={"note": "cancelled"}, headers=officer_headers).status_code == 200
    time.sleep(0.5)
    assert len(inbox.mails) == 2
    assert client.get(f"{MAILS}/{made['id']}", headers=forwarder).status_code == 404


def test_a_mail_is_in_the_subscribers_language_and_only_for_its_systems(client, officer_headers, inbox):
    forwarder, importer = company_headers(FORWARDER), company_headers(IMPORTER)
    danish = subscribe(client, forwarder, "drift@spedition.example.dk")
    other = subscribe(client, importer, "it@import.example.dk", systems=["ics2"], language="en")
    for mail in inbox.wait_for(2):
        assert client.post(link_in(mail, "confirm")).status_code == 200
    publish(client, officer_headers)
    notice = inbox.wait_for(3)[2]
    time.sleep(0.3)
    assert len(inbox.mails) == 3 and notice["To"] == "drift@spedition.example.dk"
    assert notice["Subject"] == "[Driftsmeddelelse] Ny: PRD-servicewindow DMS"
    text = notice.get_content()
    assert "Planlagt servicevindue" in text and "20-05-2099 12:00 – 20-05-2099 13:00" in text
    assert "Afmeld: https://told.example.dk/subscriptions/" in text
    assert [d["kind"] for d in sent(client, importer, other["id"], 1)["deliveries"]] == ["confirmation"]
    assert danish["language"] == "da"


def test_mails_wait_while_the_mail_server_is_away(client, officer_headers, mail_configured, smtp_port,
                                                  quick_retries):
    forwarder = company_headers(FORWARDER)
    made = subscribe(client, forwarder, "drift@spedition.example.dk")  # no server listens yet
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        entry = client.get(f"{MAILS}/{made['id']}/deliveries", headers=forwarder).json()["deliveries"][0]
        if entry["last_error"]:
            break
        time.sleep(0.05)
    assert (entry["state"], entry["last_error"]) == ("pending", "could not reach the mail server")
    queue.stop_worker()  # the server stops and starts again: the queue in the database is what is left
    queue.WORKER.thread.join(5)
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        queue.worker()
        found.wait_for(1)
        # read while the server still listens: the mail arrives before the worker has its last reply and records it
        log = sent(client, forwarder, made["id"], 1)
    finally:
        controller.stop()
    assert log["deliveries"][0]["state"] == "delivered" and log["deliveries"][0]["attempts"] >= 2


def test_an_address_the_mail_server_refuses_for_good_is_given_up_at_once(client, inbox):
    inbox.refused.add("nobody@spedition.example.dk")
    forwarder = company_headers(FORWARDER)
    made = subscribe(client, forwarder, "nobody@spedition.example.dk")
    log = sent(client, forwarder, made["id"], 1)
    assert [(d["state"], d["attempts"], d["last_status"], d["last_error"]) for d in log["deliveries"]] == [
        ("failed", 1, 550, "the mail server refused the address (550)")]


def test_without_a_mail_server_subscribing_by_mail_says_so(client, store):
    assert config.settings().smtp is None
    answer = client.post(MAILS, json={"address": "drift@spedition.example.dk"}, headers=company_headers(FORWARDER))
    assert answer.status_code == 503
    assert answer.json()["errors"][0]["code"] == "mail.not_configured"
    assert "TOLD_SMTP_HOST" in answer.json()["errors"][0]["message"]


def test_a_wrong_link_and_anothers_subscription_are_unknown(client, inbox):
    forwarder, importer = company_headers(FORWARDER), company_headers(IMPORTER)
    made = subscribe(client, forwarder, "drift@spedition.example.dk")
    confirm = link_in(inbox.wait_for(1)[0], "confirm")
    forged = re.sub(r"token=\w+", "token=" + "0" * 64, confirm)
    for method in ("GET", "POST"):
        assert client.request(method, forged).status_code == 404
        assert client.request(method, confirm.replace("/confirm?", "/unsubscribe?")).status_code == 404  # one purpose
    api = f"{MAILS}/{made['id']}/confirm?{urlsplit(confirm).query}"  # the API's own operation, for programs
    assert client.get(api).status_code == 405 and client.post(re.sub(r"token=\w+", "token=0", api)).status_code == 404
    assert client.post(api).json()["confirmed"] is True
    for method, suffix in (("GET", ""), ("DELETE", ""), ("GET", "/deliveries")):
        theirs = client.request(method, f"{MAILS}/{made['id']}{suffix}", headers=importer)
        unknown = client.request(method, f"{MAILS}/999999{suffix}", headers=importer)
        assert theirs.status_code == unknown.status_code == 404
        assert theirs.text == unknown.text.replace("999999", str(made["id"]))
    assert client.get(MAILS, headers=importer).json() == {"subscriptions": []}
    again = client.post(MAILS, json={"address": "drift@spedition.example.dk"}, headers=forwarder)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "subscription.exists"


@pytest.mark.parametrize("body, code, pointer", [
    ({"address": "not an address"}, "mail.address", "address"),
    ({"address": "a@" + "b" * 300 + ".dk"}, "mail.address", "address"),
    ({"address": "x" * 400 + "@example.dk"}, "request.string_too_long", "address"),
    ({"address": "drift@spedition.example.dk", "language": "de"}, "subscription.language", "language"),
    ({"address": "drift@spedition.example.dk", "systems": ["nope"]}, "subscription.system", "systems/0"),
])
def test_bad_mail_subscriptions_are_refused_naming_what_and_where(client, mail_configured, body, code, pointer):
    answer = client.post(MAILS, json=body, headers=company_headers(FORWARDER))
    assert answer.status_code == 422, answer.text
    found = answer.json()["errors"][0]
    assert (found["code"], found["pointer"].removeprefix("/body/")) == (code, pointer)


def test_the_smtp_password_is_never_shown():
    smtp = Smtp("mail.example.dk", 587, starttls=True, user="told", password="hemmeligt-kodeord")
    assert "hemmeligt-kodeord" not in repr(smtp) and "hemmeligt-kodeord" not in str(smtp)
