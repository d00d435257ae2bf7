"""docs/fallback-rules.md names every public function of the fallback rules and the stamps' exact texts."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from toldsystem.fallback.documents.stamps import ECS_LINES, NCTS_LINES
from toldsystem.fallback.rules.export_paper import EXITED_REMARK, NO_MRN_REMARK

DOC = Path(__file__).resolve().parents[2] / "docs" / "fallback-rules.md"
MODULES = ["fallback.rules.permissions", "fallback.rules.decision", "fallback.rules.board", "fallback.rules.numbering",
           "fallback.rules.import_paper", "fallback.rules.transit", "fallback.rules.export_paper",
           "fallback.rules.manifest_paper", "fallback.rules.recovery", "fallback.documents.stamps"]


@pytest.mark.parametrize("name", MODULES)
def test_the_doc_names_every_rule(name: str) -> None:
    module = importlib.import_module(f"toldsystem.{name}")
    text = DOC.read_text(encoding="utf-8")
    public = [n for n, f in inspect.getmembers(module, inspect.isfunction)
              if f.__module__ == module.__name__ and not n.startswith("_")]
    assert public and [n for n in public if f"`{n}" not in text] == []


def test_the_doc_quotes_the_exact_stamp_texts_and_remarks() -> None:
    text = DOC.read_text(encoding="utf-8")
    for line in NCTS_LINES + ECS_LINES + (EXITED_REMARK, NO_MRN_REMARK):
        assert line in text
