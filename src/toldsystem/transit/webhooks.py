"""Push: a company may register a webhook; each new answer for it is announced there (best effort).

The outbox stays the source of truth: a failed push is retried a few times and logged, and the
trader can always fetch the message from its outbox.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
from sqlalchemy import Connection, bindparam, delete, insert, select

from toldsystem import db
from toldsystem.core import clock
from toldsystem.core.errors import Rejected, problem
from toldsystem.prepared import Prepared
from toldsystem.transit import store

log = logging.getLogger(__name__)
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="told-webhook")
_URL_OF = Prepared(select(store.webhooks.c.url).where(store.webhooks.c.eori == bindparam("eori")))


def register(eori: str, url: str) -> dict:
    """Register (or replace) the company's webhook URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise Rejected(problem("webhook.url", "url", "the webhook must be an http(s) URL",
                               "webhooken skal være en http(s)-adresse"))
    with db.transaction() as conn:
        conn.execute(delete(store.webhooks).where(store.webhooks.c.eori == eori))
        conn.execute(insert(store.webhooks).values(eori=eori, url=url, created_at=clock.now()))
    return {"eori": eori, "url": url}


def unregister(eori: str) -> None:
    """Stop pushing to the company."""
    with db.transaction() as conn:
        conn.execute(delete(store.webhooks).where(store.webhooks.c.eori == eori))


def targets(conn: Connection, answers) -> list[tuple[str, dict]]:
    """Where to announce each answer: looked up inside the unit of work that made the answers."""
    urls = {}
    for eori in {a.party_eori for a in answers}:  # one or two recipients: a lookup each is cheapest
        found = _URL_OF.run(conn, {"eori": eori}).scalar()
        if found:
            urls[eori] = found
    return [(urls[a.party_eori], {"messageId": a.id, "messageType": a.message_type,
                                  "messageIdentification": a.message_identification,
                                  "links": {"json": f"/api/transit/messages/{a.id}",
                                            "xml": f"/api/transit/messages/{a.id}.xml"}})
            for a in answers if a.party_eori in urls]


def push(found: list[tuple[str, dict]]) -> None:
    """Post the announcements in the background, after the answers are committed."""
    for url, body in found:
        _pool.submit(_post, url, body)


def _post(url: str, body: dict, attempts: int = 3) -> bool:
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.post(url, json=body, timeout=5)
            if response.status_code < 300:
                return True
            log.warning("webhook %s answered %s (attempt %d)", url, response.status_code, attempt)
        except httpx.HTTPError as error:
            log.warning("webhook %s failed: %s (attempt %d)", url, error, attempt)
    return False
