"""The Danish DMS key/value extensions of a declaration (fallback and the like)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Extensions:
    """The Danish DMS key/value extensions, flattened to {Key: Value}; isFallback marks fallback."""

    values: dict[str, str]
    pointer: str

    @property
    def is_fallback(self) -> bool:
        return self.values.get("isFallback", "0").strip().lower() in {"1", "true"}


def flatten_extensions(value: Any) -> dict[str, str]:
    """DMS extensions as {Key: Value}: from a list of Key/Value entries (nested ones too) or a plain dict."""
    flat: dict[str, str] = {}
    if isinstance(value, dict) and "Key" not in value:
        return {str(k): str(v) for k, v in value.items() if not isinstance(v, (dict, list))}
    entries = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if entry.get("Key") is not None and entry.get("DataType") != "object":
            flat[str(entry["Key"])] = str(entry.get("Value", ""))
        flat.update(flatten_extensions(entry.get("Extensions")))
    return flat
