"""docs/export.md names every service function there is and every route the API has."""

from __future__ import annotations

import re
from pathlib import Path

from toldsystem.export import authorisation, service

DOC = (Path(__file__).parents[3] / "docs" / "export.md").read_text()


def test_every_service_function_the_doc_names_exists_and_the_main_ones_are_named():
    named = set(re.findall(r"`([a-z_]+)\(", DOC))
    assert named >= {"lodge", "release", "select_for_control", "present_at_exit", "arrive_at_exit", "confirm_exit",
                     "confirm_departure", "invalidate", "amend", "receive"}
    assert all(hasattr(service, name) for name in named), named - set(dir(service))


def test_every_route_is_in_the_doc():
    for _method, path in authorisation.ROUTES:
        tail = path.removeprefix("/api/export")
        assert tail.replace("{mrn}", "").rstrip("/").split("/")[-1] in DOC, path
