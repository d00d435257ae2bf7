"""Facts looked up in the last second, kept per process: every intake asks, few need the store.

A change made through this process forgets them at once (its service calls `forget` after the
commit); one made by another process (the CLI, another server) takes effect within `seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Recent(Generic[Value]):
    """Values by key for `seconds`; past `most` distinct keys it starts over (a flood costs no memory)."""

    def __init__(self, seconds: float = 1.0, most: int = 10_000) -> None:
        self.seconds = seconds
        self.most = most
        self._kept: dict[Hashable, tuple[float, Value]] = {}
        self.now = time.monotonic  # a test may move it on

    def get(self, key: Hashable) -> Value | None:
        found = self._kept.get(key)
        if found is None or self.now() - found[0] > self.seconds:
            return None
        return found[1]

    def keep(self, key: Hashable, value: Value) -> None:
        if len(self._kept) >= self.most:
            self._kept.clear()
        self._kept[key] = (self.now(), value)

    def forget(self) -> None:
        self._kept.clear()
