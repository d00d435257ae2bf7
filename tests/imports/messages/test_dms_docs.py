"""docs/imports-messages.md: its example is the sample the tests read, and it is accepted."""

from __future__ import annotations

import re
from pathlib import Path

from tests.imports.messages.helpers import sample
from toldsystem.imports.messages import ParsedDeclaration, parse_declaration

DOC = Path(__file__).parents[3] / "docs" / "imports-messages.md"


def test_the_example_is_the_sample_and_is_accepted():
    (example,) = re.findall(r"```xml\n(.*?)\n```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert example.encode() == sample("full_express_a").rstrip(b"\n")
    found = parse_declaration(example.encode())
    assert isinstance(found, ParsedDeclaration) and found.data["TypeCode"] == "IMA"


def test_every_kind_and_builder_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for name in ("`declaration`", "`amendment`", "`invalidation`", "`notification`", "accepted(", "rejected(",
                 "released(", "selected_for_control(", "supplementary_due(", "invalidated("):
        assert name in text, name
