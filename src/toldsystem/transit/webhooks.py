"""Push: a company may register a webhook; each new answer for it is announced there (best effort).

The outbox stays the source of truth: a failed push is retried a few times and logged, and the
trader can always fetch the message from its outbox.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
from sqlalchemy import delete, insert, select

from toldsystem import db
from toldsystem.core import clock
from toldsystem.core.errors import Rejected, problem
from toldsystem.transit import store

log = logging.getLogger(__name__)
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="told-webhook")


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


def notify(answers) -> None:
    """Announce each answer to its recipient's webhook, after the answer is committed."""
    recipients = {a.party_eori for a in answers}
    if not recipients:
        return
    with db.reading() as conn:
        urls = {r.eori: r.url for r in conn.execute(select(store.webhooks).where(store.webhooks.c.eori.in_(recipients)))}
    for answer in answers:
        if answer.party_eori in urls:
            body = {"messageId": answer.id, "messageType": answer.message_type,
                    "messageIdentification": answer.message_identification,
                    "links": {"json": f"/api/transit/messages/{answer.id}", "xml": f"/api/transit/messages/{answer.id}.xml"}}
            _pool.submit(_post, urls[answer.party_eori], body)


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
