"""docs/manifest-rules.md names every public function of the Manifest rules."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "manifest-rules.md"
MODULES = ["movements", "permission", "storage", "links", "amendments", "signature"]


@pytest.mark.parametrize("name", MODULES)
def test_the_doc_names_every_rule(name: str) -> None:
    module = importlib.import_module(f"toldsystem.manifest.rules.{name}")
    text = DOC.read_text(encoding="utf-8")
    public = [n for n, f in inspect.getmembers(module, inspect.isfunction)
              if f.__module__ == module.__name__ and not n.startswith("_")]
    assert public and [n for n in public if f"`{n}" not in text] == []
