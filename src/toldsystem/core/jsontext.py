"""JSON text for the store, digests and hot API answers, with orjson (several times faster than json)."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson


def dumps(value: Any) -> str:
    """Compact JSON text; datetimes in ISO 8601, anything else orjson does not know (Decimal) as str."""
    return orjson.dumps(value, default=str).decode()


def dump_bytes(value: Any) -> bytes:
    """The same JSON as UTF-8 bytes, for an HTTP body."""
    return orjson.dumps(value, default=str)


def loads(text: str | bytes) -> Any:
    return orjson.loads(text)


def digest(value: Any) -> str:
    """SHA-256 of the value's canonical JSON (sorted keys): equal data, equal digest, whatever the key order."""
    return hashlib.sha256(orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS)).hexdigest()
