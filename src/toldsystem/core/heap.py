"""How the server's process keeps Python's cyclic garbage collector out of the way of requests.

What exists at start (modules, routes, schemas, reference data) lives as long as the process: `settle()` moves it
out of the collector's scans (gc.freeze), or a full collection would stall a request now and then. And the
youngest generation is collected after 20,000 net new container objects instead of 700: a declaration creates and
frees tens of thousands of objects, nearly all freed at once by their reference counts, so at 700 the collector
ran every dozen declarations to find next to nothing (measured: about 2 % of a declaration's CPU time, none at
20,000); the cyclic garbage that may wait meanwhile is a few megabytes at most.
"""

from __future__ import annotations

import gc

YOUNGEST = 20_000  # net new container objects between collections of the youngest generation (Python's default: 700)


def settle() -> None:
    """At start, once everything that lives as long as the process is made."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST, middle, oldest)
