"""The export docs name every message kind, and every rule they list exists."""

from __future__ import annotations

import re
from pathlib import Path

import toldsystem.export.rules as rules
from toldsystem.export.messages import KINDS
from toldsystem.export.messages import notifications

DOCS = Path(__file__).parents[2] / "docs"


def test_every_message_kind_and_notification_builder_is_documented():
    text = (DOCS / "export-messages.md").read_text()
    for kind in KINDS:
        assert f"`{kind}`" in text, kind
    for event in notifications.EVENT_TYPES:
        assert f"`{event}`" in text, event


def test_every_rule_the_docs_name_exists():
    text = (DOCS / "export-rules.md").read_text()
    named = set(re.findall(r"`([a-z_]+)\(", text))
    assert named, "the rules doc names no rule"
    modules = [rules, *(getattr(rules, m) for m in ("kinds", "mrn", "states", "fallback", "exit", "declaration",
                                                    "arrival"))]
    for name in named:
        assert any(hasattr(module, name) for module in modules), name
