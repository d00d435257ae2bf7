"""A request body that trickles in is refused once its time is up (core/bodies.py: BodyLimit), so a slow sender
holds a connection for TOLD_MAX_BODY_SECONDS and no longer; one that arrives in time reaches the application."""

from __future__ import annotations

import asyncio
import json
import time

from toldsystem.core.bodies import BodyLimit

SCOPE = {"type": "http", "method": "POST", "path": "/api/v1/transit/messages",
         "headers": [(b"content-type", b"application/xml"), (b"transfer-encoding", b"chunked")]}


def _run(chunks: list[bytes], pause: float, seconds: int) -> tuple[list[dict], list[bytes]]:
    """Send `chunks` with `pause` seconds before each; what the middleware answered and what the app was given."""
    sent: list[dict] = []
    given: list[bytes] = []

    async def receive() -> dict:
        if not chunks:
            await asyncio.sleep(3600)  # after the body: a client that waits for its answer
        await asyncio.sleep(pause)
        chunk = chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    async def app(scope, inner_receive, inner_send) -> None:
        given.append((await inner_receive())["body"])
        await inner_send({"type": "http.response.start", "status": 200, "headers": []})

    asyncio.run(BodyLimit(app, limit=lambda: 1024, seconds=lambda: seconds)(SCOPE, receive, send))
    return sent, given


def test_a_body_trickling_in_past_its_time_is_refused_with_408_and_never_reaches_the_application():
    started = time.monotonic()
    sent, given = _run([b"<a>"] * 100, pause=0.05, seconds=1)  # 5 s of trickle against 1 s allowed
    assert time.monotonic() - started < 3
    assert given == []
    assert sent[0]["status"] == 408 and (b"connection", b"close") in sent[0]["headers"]
    [error] = json.loads(sent[1]["body"])["errors"]
    assert error["code"] == "request.too_slow" and "1 seconds" in error["message"] and error["message_da"]


def test_a_body_that_arrives_within_its_time_is_handed_on_whole():
    sent, given = _run([b"<a>", b"</a>"], pause=0.01, seconds=1)
    assert given == [b"<a></a>"] and sent[0]["status"] == 200


def test_a_body_past_the_size_limit_is_still_a_413():
    sent, given = _run([b"x" * 600, b"x" * 600], pause=0, seconds=1)
    assert given == [] and sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["errors"][0]["code"] == "request.too_large"
