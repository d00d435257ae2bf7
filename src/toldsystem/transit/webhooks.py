"""Push: a company registers a webhook; each new answer for it is announced there, signed, until delivered.

Every announcement is a row of the delivery queue (transit_webhook_deliveries), written in the
unit of work that made the answer: none is lost at a crash or a restart. Once that unit has
committed it is posted at once; a post that fails is retried by the delivery worker after growing
pauses (`BACK_OFF`) and given up after `MAX_ATTEMPTS`. The rows are also the delivery log the
company reads through the API. The outbox stays the source of truth: the announcement carries no
message content, only where to fetch it.

Each post is signed (docs/api.md shows how to check it):
  X-Told-Timestamp   Unix time of this attempt, in seconds
  X-Told-Signature   v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the company's secret>
  X-Told-Delivery    the delivery's id, the same at every attempt (to spot a repeat)
The secret is the company's own, shown when the webhook is first registered and when it is
rotated. It is not stored: the database keeps a random salt, and the secret is HMAC(server key,
salt), so a copy of the database does not give it away.

A webhook posts only to public addresses unless TOLD_WEBHOOK_PRIVATE_TARGETS allows loopback and
private ones (a vendor's receiver on its own machine): otherwise a company could make the server
probe the services beside it. The host is resolved at registration and again before each post,
and the delivery log says what kind of failure happened, never what answered on a port.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from urllib.parse import urlparse

import httpx
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update

from toldsystem import config, db
from toldsystem.core import clock, jsontext
from toldsystem.core.api import API_ROOT
from toldsystem.core.errors import NotFound, Rejected, problem
from toldsystem.prepared import Prepared, insert_row
from toldsystem.transit import store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACK_OFF = (10, 30, 60, 300, 900, 3600, 3 * 3600)  # seconds to wait after attempt 1, 2, …
TIMEOUT = 5.0  # seconds a receiver has to answer
LEASE = 60  # seconds an attempt holds its delivery, so no other worker posts it meanwhile

_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="told-webhook")
_HOOK_OF = Prepared(select(store.webhooks.c.url).where(store.webhooks.c.eori == bindparam("eori")))
_NEW_DELIVERY = insert_row(store.webhook_deliveries, store.webhook_deliveries.c.id)
_d = store.webhook_deliveries


# --- registration ------------------------------------------------------------------------------------

def register(eori: str, url: str) -> dict:
    """Register the company's webhook URL, or replace it; a first registration makes its secret (shown once)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or len(url) > 500:
        raise Rejected(problem("webhook.url", "url", "the webhook must be an http(s) URL of at most 500 characters",
                               "webhooken skal være en http(s)-adresse på højst 500 tegn"))
    refused = _address_refusal(parsed.hostname)
    if refused:
        raise Rejected(problem("webhook.address", "url", f"the webhook's host {refused[0]}",
                               f"webhookens vært {refused[1]}"))
    now = clock.now()
    w = store.webhooks
    with db.transaction() as conn:
        replaced = conn.execute(update(w).where(w.c.eori == eori).values(url=url)).rowcount
        salt = None
        if not replaced:
            salt = secrets.token_hex(32)
            conn.execute(insert(w).values(eori=eori, url=url, created_at=now, secret_salt=salt, secret_made_at=now))
    found = registration(eori)
    return found | {"secret": _secret(salt)} if salt else found


def registration(eori: str) -> dict:
    """The company's webhook: where it points and since when its secret holds (never the secret)."""
    w = store.webhooks
    with db.reading() as conn:
        row = conn.execute(select(w).where(w.c.eori == eori)).first()
    if row is None:
        raise NotFound(problem("webhook.none", "webhook", "no webhook is registered", "der er ingen webhook registreret"))
    return {"eori": row.eori, "url": row.url, "created_at": row.created_at.isoformat(),
            "secret_made_at": row.secret_made_at.isoformat()}


def rotate_secret(eori: str) -> dict:
    """A new signing secret (shown once); posts from now on are signed with it, the old one stops counting."""
    salt, w = secrets.token_hex(32), store.webhooks
    with db.transaction() as conn:
        done = conn.execute(update(w).where(w.c.eori == eori).values(secret_salt=salt, secret_made_at=clock.now()))
    if not done.rowcount:
        raise NotFound(problem("webhook.none", "webhook", "no webhook is registered", "der er ingen webhook registreret"))
    return registration(eori) | {"secret": _secret(salt)}


def unregister(eori: str) -> None:
    """Stop pushing to the company; deliveries still waiting are given up."""
    with db.transaction() as conn:
        conn.execute(update(_d).where((_d.c.eori == eori) & (_d.c.state == "pending"))
                     .values(state="failed", last_error="the webhook was removed"))
        conn.execute(delete(store.webhooks).where(store.webhooks.c.eori == eori))


def _address_refusal(host: str) -> tuple[str, str] | None:
    """Why a webhook may not post to this host, in English and Danish; None when it may."""
    if config.settings().webhook_private_targets:
        return None
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return None  # nowhere to post to yet; the post itself will fail (and is checked again before it)
    for *_, address in found:
        ip = ipaddress.ip_address(address[0].split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global:
            return ("is not a public address (TOLD_WEBHOOK_PRIVATE_TARGETS allows loopback and private ones)",
                    "er ikke en offentlig adresse (TOLD_WEBHOOK_PRIVATE_TARGETS tillader lokale og private)")
    return None


def _failure(error: httpx.HTTPError) -> str:
    """What the delivery log says of a failed post: the kind of failure, not the text of whatever answered."""
    if isinstance(error, httpx.TimeoutException):
        return f"the receiver did not answer within {TIMEOUT:g} s"
    if isinstance(error, httpx.ConnectError):
        return "could not connect to the receiver"
    return "the receiver did not answer over HTTP"


def _secret(salt: str) -> str:
    return hmac.new(config.settings().secret_key, b"webhook:" + salt.encode(), hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Told-Signature value: v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" under the secret."""
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


# --- the queue -----------------------------------------------------------------------------------------------

def enqueue(conn: Connection, answers) -> list[int]:
    """Inside the unit of work that made the answers: one delivery per answer whose recipient has a webhook."""
    urls = {}
    for eori in {a.party_eori for a in answers}:  # one or two recipients: a lookup each is cheapest
        found = _HOOK_OF.run(conn, {"eori": eori}).scalar()
        if found:
            urls[eori] = found
    if not urls:
        return []
    now = clock.now()
    ids = []
    for a in answers:
        if a.party_eori in urls:
            body = jsontext.dumps({"messageId": a.id, "messageType": a.message_type,
                                   "messageIdentification": a.message_identification,
                                   "links": {"json": f"{API_ROOT}/transit/messages/{a.id}",
                                             "xml": f"{API_ROOT}/transit/messages/{a.id}.xml"}})
            ids.append(_NEW_DELIVERY.run(conn, {
                "eori": a.party_eori, "url": urls[a.party_eori], "message_id": a.id, "body": body, "state": "pending",
                "attempts": 0, "next_attempt_at": now, "last_status": None, "last_error": None, "created_at": now,
                "delivered_at": None}).scalar_one())
    return ids


def push(delivery_ids: list[int]) -> None:
    """After the commit: post the new deliveries now, in the background; the worker retries what fails."""
    worker()
    for delivery_id in delivery_ids:
        _pool.submit(attempt, delivery_id)


def attempt(delivery_id: int) -> str | None:
    """Post one delivery if it is due and no one else is posting it; returns its state afterwards (None: not due)."""
    now = clock.now()
    with db.transaction() as conn:
        claimed = conn.execute(
            update(_d).where((_d.c.id == delivery_id) & (_d.c.state == "pending") & (_d.c.next_attempt_at <= now))
            .values(attempts=_d.c.attempts + 1, next_attempt_at=now + timedelta(seconds=LEASE))
            .returning(_d.c.eori, _d.c.url, _d.c.body, _d.c.attempts)).first()
        if claimed is None:
            return None
        salt = conn.execute(select(store.webhooks.c.secret_salt).where(store.webhooks.c.eori == claimed.eori)).scalar()
    if salt is None:
        return _record(delivery_id, "failed", None, "the webhook was removed")
    body = claimed.body.encode()
    timestamp = str(int(time.time()))  # the receiver compares it with its own clock: the real time, not the injected
    headers = {"Content-Type": "application/json", "X-Told-Timestamp": timestamp,
               "X-Told-Signature": signature(_secret(salt), timestamp, body), "X-Told-Delivery": str(delivery_id),
               "User-Agent": "toldsystem-webhook"}
    status, error = None, None
    refused = _address_refusal(urlparse(claimed.url).hostname or "")  # again: a name may resolve elsewhere now
    if refused:
        error = f"not posted: the host {refused[0]}"
    else:
        try:
            response = httpx.post(claimed.url, content=body, headers=headers, timeout=TIMEOUT, follow_redirects=False)
            status = response.status_code
            if 200 <= status < 300:
                return _record(delivery_id, "delivered", status, None)
            error = f"the receiver answered {status}"
        except httpx.HTTPError as failure:
            error = _failure(failure)
    log.warning("webhook delivery %s to %s failed (attempt %d): %s", delivery_id, claimed.url, claimed.attempts, error)
    if claimed.attempts >= MAX_ATTEMPTS:
        return _record(delivery_id, "failed", status, error)
    pause = BACK_OFF[min(claimed.attempts, len(BACK_OFF)) - 1]
    return _record(delivery_id, "pending", status, error, clock.now() + timedelta(seconds=pause))


def _record(delivery_id: int, state: str, status: int | None, error: str | None,
            next_attempt: datetime | None = None) -> str:
    values = {"state": state, "last_status": status, "last_error": error}
    if state == "delivered":
        values["delivered_at"] = clock.now()
    if next_attempt is not None:
        values["next_attempt_at"] = next_attempt
    with db.transaction() as conn:
        # Only a delivery still pending: one given up meanwhile (the webhook removed) stays given up.
        conn.execute(update(_d).where((_d.c.id == delivery_id) & (_d.c.state == "pending")).values(**values))
    return state


def due(limit: int = 50) -> list[int]:
    """Deliveries waiting whose time has come, the longest waiting first."""
    with db.reading() as conn:
        return list(conn.execute(select(_d.c.id).where((_d.c.state == "pending") & (_d.c.next_attempt_at <= clock.now()))
                                 .order_by(_d.c.next_attempt_at).limit(limit)).scalars())


def deliveries(eori: str, *, state: str | None = None, page: int = 1, page_size: int = 50) -> dict:
    """The company's delivery log, newest first."""
    condition = _d.c.eori == eori
    if state:
        condition = condition & (_d.c.state == state)
    with db.reading() as conn:
        rows = conn.execute(select(_d).where(condition).order_by(_d.c.id.desc())
                            .limit(page_size + 1).offset((page - 1) * page_size)).all()
        counts = dict(conn.execute(select(_d.c.state, func.count()).where(_d.c.eori == eori).group_by(_d.c.state)).all())
    return {"page": page, "page_size": page_size, "has_more": len(rows) > page_size,
            "counts": {s: counts.get(s, 0) for s in ("pending", "delivered", "failed")},
            "deliveries": [_delivery_out(r) for r in rows[:page_size]]}


def _delivery_out(row) -> dict:
    return {"id": row.id, "message_id": row.message_id, "url": row.url, "state": row.state,
            "attempts": row.attempts, "last_status": row.last_status, "last_error": row.last_error,
            "created_at": row.created_at.isoformat(),
            "next_attempt_at": row.next_attempt_at.isoformat() if row.state == "pending" else None,
            "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None}


# --- the worker --------------------------------------------------------------------------------------------------

class Worker:
    """A thread that hands due deliveries to the posting pool while any wait, for the database it was started on.

    It ends when nothing is pending (a new delivery starts it again), when stopped, or when the
    process's database is another (tests swap them)."""

    POLL = 1.0  # seconds between looks at the queue

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="told-webhook-worker", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def alive(self) -> bool:
        return self.thread.is_alive() and not self.stopped.is_set()

    def _run(self) -> None:
        while not self.stopped.is_set() and db.installed() is self.engine:
            try:
                found = due()
                for delivery_id in found:
                    _pool.submit(_attempt_on, self.engine, delivery_id)
                if not found and not _pending():
                    break
            except Exception:  # noqa: BLE001 — e.g. the database is away: the next push starts a worker again
                log.exception("webhook worker could not read the queue; it stops until the next delivery")
                break
            self.stopped.wait(self.POLL)


def _attempt_on(engine: Engine, delivery_id: int) -> str | None:
    """An attempt the worker scheduled, if its database is still the process's."""
    return attempt(delivery_id) if db.installed() is engine else None


def _pending() -> bool:
    with db.reading() as conn:
        return conn.execute(select(_d.c.id).where(_d.c.state == "pending").limit(1)).first() is not None


_worker: Worker | None = None
_worker_lock = threading.Lock()


def worker() -> Worker:
    """The delivery worker for the process's database, started if none runs (at server start, and by each push)."""
    global _worker
    engine = db.engine()
    with _worker_lock:
        if _worker is None or _worker.engine is not engine or not _worker.alive():
            _worker = Worker(engine)
        return _worker


def stop_worker() -> None:
    """At server stop: the worker ends; what is pending stays in the queue for the next start."""
    with _worker_lock:
        if _worker is not None:
            _worker.stop()
