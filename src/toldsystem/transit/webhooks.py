"""Push: a company registers a webhook; each new answer for it is announced there, signed, until delivered.

Every announcement is a row of the delivery queue (transit_webhook_deliveries), written in the unit of work
that made the answer: none is lost at a crash or a restart. The queue, its retries and its worker, the
signatures and the refusal of private addresses are shared with the board's subscriptions
(toldsystem.notifications): this module says only who is told what. The outbox stays the source of truth: the
announcement carries no message content, only where to fetch it. The company's secret is HMAC(server key,
salt) and is shown when the webhook is first registered and when it is rotated.
"""

from __future__ import annotations

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update

from toldsystem import db
from toldsystem.core import clock, jsontext
from toldsystem.core.api import API_ROOT
from toldsystem.core.errors import NotFound, problem
from toldsystem.notifications import queue
from toldsystem.notifications.queue import Outcome, Worker, stop_worker, worker
from toldsystem.notifications.webhooks import check_url, new_salt, post, secret_of
from toldsystem.prepared import Prepared
from toldsystem.transit import store

# Transit's retry policy: the shared one, named here (and read at each attempt) so its tests can shorten it.
MAX_ATTEMPTS = queue.MAX_ATTEMPTS
BACK_OFF = queue.BACK_OFF
# The process's one delivery worker, shared with the board (app.py starts it), as transit's callers know it.
_worker = queue.WORKER
__all__ = ["BACK_OFF", "MAX_ATTEMPTS", "Worker", "attempt", "deliveries", "due", "enqueue", "push", "register",
           "registration", "rotate_secret", "stop_worker", "unregister", "worker"]

_HOOK_OF = Prepared(select(store.webhooks.c.url).where(store.webhooks.c.eori == bindparam("eori")))
_d = store.webhook_deliveries
_NONE = problem("webhook.none", "webhook", "no webhook is registered", "der er ingen webhook registreret")


# --- registration ------------------------------------------------------------------------------------

def register(eori: str, url: str) -> dict:
    """Register the company's webhook URL, or replace it; a first registration makes its secret (shown once)."""
    check_url(url)
    now = clock.now()
    w = store.webhooks
    with db.transaction() as conn:
        replaced = conn.execute(update(w).where(w.c.eori == eori).values(url=url)).rowcount
        salt = None
        if not replaced:
            salt = new_salt()
            conn.execute(insert(w).values(eori=eori, url=url, created_at=now, secret_salt=salt, secret_made_at=now))
    found = registration(eori)
    return found | {"secret": secret_of(salt)} if salt else found


def registration(eori: str) -> dict:
    """The company's webhook: where it points and since when its secret holds (never the secret)."""
    w = store.webhooks
    with db.reading() as conn:
        row = conn.execute(select(w).where(w.c.eori == eori)).first()
    if row is None:
        raise NotFound(_NONE)
    return {"eori": row.eori, "url": row.url, "created_at": row.created_at.isoformat(),
            "secret_made_at": row.secret_made_at.isoformat()}


def rotate_secret(eori: str) -> dict:
    """A new signing secret (shown once); posts from now on are signed with it, the old one stops counting."""
    salt, w = new_salt(), store.webhooks
    with db.transaction() as conn:
        done = conn.execute(update(w).where(w.c.eori == eori).values(secret_salt=salt, secret_made_at=clock.now()))
    if not done.rowcount:
        raise NotFound(_NONE)
    return registration(eori) | {"secret": secret_of(salt)}


def unregister(eori: str) -> None:
    """Stop pushing to the company; deliveries still waiting are given up."""
    with db.transaction() as conn:
        _queue.give_up(conn, _d.c.eori == eori, "the webhook was removed")
        conn.execute(delete(store.webhooks).where(store.webhooks.c.eori == eori))


# --- the queue -----------------------------------------------------------------------------------------------

def _send(claimed: Row) -> Outcome:
    """Post a claimed delivery, signed with its company's secret as it is now."""
    with db.reading() as conn:
        salt = conn.execute(select(store.webhooks.c.secret_salt).where(store.webhooks.c.eori == claimed.eori)).scalar()
    if salt is None:
        return Outcome(error="the webhook was removed", permanent=True)
    return post(claimed.url, claimed.body, salt, claimed.id)


_queue = queue.Queue("transit webhook", _d, _send, retries=lambda: (MAX_ATTEMPTS, BACK_OFF))
push = _queue.push  # after the commit: post the new deliveries now; the worker retries what fails
attempt = _queue.attempt
due = _queue.due


def enqueue(conn: Connection, answers) -> list[int]:
    """Inside the unit of work that made the answers: one delivery per answer whose recipient has a webhook."""
    urls = {}
    for eori in {a.party_eori for a in answers}:  # one or two recipients: a lookup each is cheapest
        found = _HOOK_OF.run(conn, {"eori": eori}).scalar()
        if found:
            urls[eori] = found
    if not urls:
        return []
    ids = []
    for a in answers:
        if a.party_eori in urls:
            body = jsontext.dumps({"messageId": a.id, "messageType": a.message_type,
                                   "messageIdentification": a.message_identification,
                                   "links": {"json": f"{API_ROOT}/transit/messages/{a.id}",
                                             "xml": f"{API_ROOT}/transit/messages/{a.id}.xml"}})
            ids.append(_queue.add(conn, eori=a.party_eori, url=urls[a.party_eori], message_id=a.id, body=body))
    return ids


def deliveries(eori: str, *, state: str | None = None, page: int = 1, page_size: int = 50) -> dict:
    """The company's delivery log, newest first."""
    return _queue.log(_d.c.eori == eori, lambda row: {"message_id": row.message_id, "url": row.url},
                      state=state, page=page, page_size=page_size)
