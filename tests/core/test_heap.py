"""The server's start keeps the cyclic garbage collector out of the requests' way (core/heap.py)."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from toldsystem.app import create_app
from toldsystem.core import heap


def test_the_server_start_freezes_what_exists_and_collects_the_youngest_generation_less_often(sqlite_store):
    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    gc.unfreeze()
    try:
        with TestClient(create_app()) as client:  # runs the lifespan, as `told serve` does
            assert client.get("/health").status_code == 200
            assert gc.get_threshold() == (heap.YOUNGEST, before[1], before[2])
            assert gc.get_freeze_count() > 10_000  # the modules, routes and schemas made at start
    finally:
        gc.set_threshold(*before)
