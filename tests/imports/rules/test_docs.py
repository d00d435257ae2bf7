"""docs/imports-rules.md stays in sync: its rule-language examples parse, and it names every rule."""

from __future__ import annotations

import re
from pathlib import Path

from toldsystem.imports.rules import RULES
from toldsystem.imports.rules.selectivity_language import RuleSet, parse_rules

DOC = Path(__file__).resolve().parents[3] / "docs" / "imports-rules.md"


def test_every_rule_language_example_in_the_doc_parses() -> None:
    blocks = re.findall(r"```selectivity\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        parsed = parse_rules(block)
        assert isinstance(parsed, RuleSet), parsed
        assert parsed.criteria


def test_the_doc_names_every_rule_of_check_declaration() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [rule.__name__ for rule in RULES if f"`{rule.__name__}`" not in text]
    assert missing == []
