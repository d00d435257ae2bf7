"""Signed webhook posts, the same for every room that pushes (transit's answers, the board's messages).

Each post is signed (docs/api.md shows how to check it):
  X-Told-Timestamp   Unix time of this attempt, in seconds
  X-Told-Signature   v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the subscriber's secret>
  X-Told-Delivery    the delivery's id, the same at every attempt (to spot a repeat)
The secret is the subscriber's own, shown when the webhook is first registered and when it is rotated. It is
not stored: the database keeps a random salt, and the secret is HMAC(server key, salt), so a copy of the
database does not give it away.

A webhook posts only to public addresses unless TOLD_WEBHOOK_PRIVATE_TARGETS allows loopback and private ones
(a vendor's receiver on its own machine): otherwise a subscriber could make the server probe the services
beside it. The host is resolved at registration and again before each post, and the delivery log says what
kind of failure happened, never what answered on a port.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from urllib.parse import urlparse

import httpx

from toldsystem import config
from toldsystem.core.errors import Rejected, problem
from toldsystem.notifications.queue import Outcome

TIMEOUT = 5.0  # seconds a receiver has to answer
URL_MAX = 500


def check_url(url: str) -> None:
    """A webhook's URL: http(s), at most 500 characters, to a host it may post to (else Rejected)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or len(url) > URL_MAX:
        raise Rejected(problem("webhook.url", "url", f"the webhook must be an http(s) URL of at most {URL_MAX} "
                               "characters", f"webhooken skal være en http(s)-adresse på højst {URL_MAX} tegn"))
    refused = address_refusal(parsed.hostname)
    if refused:
        raise Rejected(problem("webhook.address", "url", f"the webhook's host {refused[0]}",
                               f"webhookens vært {refused[1]}"))


def address_refusal(host: str) -> tuple[str, str] | None:
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


def new_salt() -> str:
    """A fresh salt for a subscriber's secret (the secret itself is never stored)."""
    return secrets.token_hex(32)


def secret_of(salt: str) -> str:
    """The signing secret a salt stands for: HMAC(server key, salt)."""
    return hmac.new(config.settings().secret_key, b"webhook:" + salt.encode(), hashlib.sha256).hexdigest()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Told-Signature value: v1= and the hex HMAC-SHA256 of "<timestamp>.<body>" under the secret."""
    return "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def post(url: str, body: str, salt: str, delivery_id: int) -> Outcome:
    """Post one signed delivery; delivered on a 2xx answer."""
    refused = address_refusal(urlparse(url).hostname or "")  # again: a name may resolve elsewhere now
    if refused:
        return Outcome(error=f"not posted: the host {refused[0]}")
    content = body.encode()
    timestamp = str(int(time.time()))  # the receiver compares it with its own clock: the real time, not the injected
    headers = {"Content-Type": "application/json", "X-Told-Timestamp": timestamp,
               "X-Told-Signature": signature(secret_of(salt), timestamp, content), "X-Told-Delivery": str(delivery_id),
               "User-Agent": "toldsystem-webhook"}
    try:
        response = httpx.post(url, content=content, headers=headers, timeout=TIMEOUT, follow_redirects=False)
    except httpx.HTTPError as failure:
        return Outcome(error=_failure(failure))
    if 200 <= response.status_code < 300:
        return Outcome(response.status_code)
    return Outcome(response.status_code, f"the receiver answered {response.status_code}")


def _failure(error: httpx.HTTPError) -> str:
    """What the delivery log says of a failed post: the kind of failure, not the text of whatever answered."""
    if isinstance(error, httpx.TimeoutException):
        return f"the receiver did not answer within {TIMEOUT:g} s"
    if isinstance(error, httpx.ConnectError):
        return "could not connect to the receiver"
    return "the receiver did not answer over HTTP"
