"""Request bodies as every API reads them: bounded in size while they stream in, JSON bounded in depth.

`BodyLimit` is ASGI middleware: it refuses a declared Content-Length over the limit before reading
a byte, and otherwise reads the body chunk by chunk, answering 413 as soon as the count passes the
limit — a 200 MB upload costs the server no more than the limit — and 408 when the whole body has
not arrived within its time limit, so a sender trickling a byte a second holds a connection for
that long and no longer. The body it read is handed on to the application whole, so nothing after
it reads the network.

`read_json` parses with orjson (which stops at 1,024 levels instead of overflowing the stack) and
then refuses JSON nested deeper than the configured depth, pointing at where it goes too deep, and
strings holding NUL characters (no database column stores them).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import orjson

from toldsystem.core.errors import Problem, Rejected, Unreadable, problem

MIB = 1024 * 1024


def too_large(limit: int) -> Problem:
    """The problem of a body over the limit."""
    return problem("request.too_large", "body",
                   f"the body is larger than {_size(limit)}, the most this server accepts",
                   f"indholdet er større end {_size(limit)}, som er det mest, serveren tager imod")


def too_slow(seconds: int) -> Problem:
    """The problem of a body that did not arrive in full within the time allowed."""
    return problem("request.too_slow", "body",
                   f"the body did not arrive within {seconds} seconds, the most this server waits for one: "
                   "send it again in one go",
                   f"indholdet nåede ikke frem inden for {seconds} sekunder, som er det længste, serveren venter: "
                   "send det igen i ét stræk")


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB ({limit} bytes)" if limit % MIB == 0 else f"{limit} bytes"


class BodyLimit:
    """ASGI middleware: a request body over `limit()` bytes is refused with 413, counted while it streams; one that
    takes longer than `seconds()` to arrive, with 408."""

    def __init__(self, app: Callable, limit: Callable[[], int], seconds: Callable[[], int]) -> None:
        self.app = app
        self.limit = limit
        self.seconds = seconds

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _declared_length(scope["headers"])
        if not declared and not chunked:  # no body: nothing to count
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        if declared is not None and declared > limit:
            await _refuse(send, 413, too_large(limit))
            return
        seconds = self.seconds()
        try:
            async with asyncio.timeout(seconds):
                chunks = await _read(receive, limit)
        except TimeoutError:
            await _refuse(send, 408, too_slow(seconds))  # the server closes the connection
            return
        if chunks is None:  # the client went away
            return
        if chunks is _TOO_LARGE:
            await _refuse(send, 413, too_large(limit))  # the rest is never read; the server closes the connection
            return
        body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        handed_on = False

        async def replay() -> dict:
            nonlocal handed_on
            if handed_on:
                return await receive()  # after the body: wait for the disconnect, as the server would
            handed_on = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


_TOO_LARGE: list[bytes] = []


async def _read(receive: Callable, limit: int) -> list[bytes] | None:
    """The body's chunks; None when the client disconnected, _TOO_LARGE as soon as the count passes `limit`."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return _TOO_LARGE
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks


def _declared_length(headers: list[tuple[bytes, bytes]]) -> tuple[int | None, bool]:
    """Content-Length (None when absent) and whether the body comes chunked."""
    declared, chunked = None, False
    for name, value in headers:
        if name == b"content-length" and value.isdigit():
            declared = int(value)
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked


async def _refuse(send: Callable, status: int, refusal: Problem) -> None:
    body = orjson.dumps({"errors": [refusal.as_dict()]})
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


# --- JSON ------------------------------------------------------------------------------------------

def read_json(body: bytes, max_depth: int) -> Any:
    """The body as JSON; 422 when it is not JSON, 400 when nested deeper than `max_depth`, 422 for a NUL character."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error) or "recursion" in str(error).lower():
            raise Unreadable(_too_deep(_pointer_past_depth(body, max_depth), max_depth)) from None
        raise Rejected(problem("request.json_invalid", "body", f"the body is not JSON: {error}",
                               f"indholdet er ikke gyldig JSON ({error})")) from None
    _check_shape(value, max_depth)
    return value


def _too_deep(pointer: str, max_depth: int) -> Problem:
    return problem("request.json_too_deep", pointer, f"JSON is nested deeper than {max_depth} levels here",
                   f"JSON er indlejret dybere end {max_depth} niveauer her")


def _check_shape(value: Any, max_depth: int) -> None:
    """Walk the parsed value once, without recursion: depth within bounds, no NUL in any key or string."""
    if type(value) is str and "\x00" in value:
        raise Rejected(_nul(""))
    # Each container found is linked to its parent's link and its key there, so the walk can name
    # where it stopped without keeping a path per node.
    links: list[tuple[int, Any]] = [(-1, None)]
    stack: list[tuple[Any, int, int]] = [(value, 1, 0)]
    while stack:
        node, depth, link = stack.pop()
        if type(node) is dict:
            items = node.items()
        elif type(node) is list:
            items = enumerate(node)
        else:
            continue
        if depth > max_depth:
            raise Unreadable(_too_deep(_pointer(_path(links, link)), max_depth))
        for key, child in items:
            if (type(key) is str and "\x00" in key) or (type(child) is str and "\x00" in child):
                raise Rejected(_nul(_pointer([*_path(links, link), key])))
            if type(child) is dict or type(child) is list:
                links.append((link, key))
                stack.append((child, depth + 1, len(links) - 1))


def _nul(pointer: str) -> Problem:
    return problem("request.nul_character", pointer, "NUL characters are not allowed", "NUL-tegn er ikke tilladt")


def _path(links: list[tuple[int, Any]], link: int) -> list[Any]:
    """The keys from the top down to the container of `link`."""
    path = []
    while link > 0:
        link, key = links[link]
        path.append(key)
    return path[::-1]


# One token of JSON that matters for nesting: a string (skipped whole), a bracket, or a comma.
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{},:]')


def _pointer_past_depth(body: bytes, max_depth: int) -> str:
    """Where JSON too deep for the parser first passes `max_depth`: scanned, since it cannot be parsed."""
    frames: list[list] = []  # per open container: its bracket and where in it we are (index or key)
    last_string = ""
    for token in _TOKEN.finditer(body):
        text = token.group()
        if text in (b"[", b"{"):
            if len(frames) >= max_depth:
                return _pointer([position for _bracket, position in frames])
            frames.append([text, 0 if text == b"[" else ""])
        elif text in (b"]", b"}"):
            if frames:
                frames.pop()
        elif text == b",":
            if frames and frames[-1][0] == b"[":
                frames[-1][1] += 1
        elif text == b":":
            if frames:
                frames[-1][1] = last_string
        else:
            last_string = text[1:-1].decode("utf-8", "replace")
    return ""


def _pointer(path: list[Any]) -> str:
    # A NUL character is named, not echoed: it is what the pointer points at.
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1").replace("\x00", "\\u0000") for step in path)
