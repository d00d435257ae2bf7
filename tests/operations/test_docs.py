"""docs/operations-board.md tells the truth about the systems the board knows and the API's operations."""

from __future__ import annotations

import re
from pathlib import Path

from toldsystem.operations.authorisation import ROUTES
from toldsystem.operations.systems import SYSTEMS

PAGE = (Path(__file__).parents[2] / "docs" / "operations-board.md").read_text(encoding="utf-8")


def test_the_systems_table_lists_every_system_with_its_group():
    rows = re.findall(r"^\| `(\w+)` \| (.+?) \| (\w+) \|$", PAGE, re.M)
    assert [(code, group) for code, _name, group in rows] == [(s.code, s.group) for s in SYSTEMS.values()]
    assert all(name.startswith(SYSTEMS[code].page_name) for code, name, _group in rows)


def test_every_operation_is_described():
    for method, path in ROUTES:
        pattern = re.escape(path.replace("/api/", "/api/v1/")).replace(r"\{message_id\}", r"(?:\{id\}|1)")
        assert re.search(pattern + r"(?![\w/])", PAGE), (method, path)
