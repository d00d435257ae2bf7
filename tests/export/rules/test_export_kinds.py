"""The kinds of export declaration: standard, simplified with its supplementary, pre-lodged."""

from __future__ import annotations

import pytest

from toldsystem.core.errors import Problem
from toldsystem.export.rules import DeclarationKind, declaration_kind, kind_fits_schema
from toldsystem.export.rules.kinds import regular_simplified_is_authorised, supplementary_follows_its_simplified

K = DeclarationKind


@pytest.mark.parametrize(("code", "kind"), [
    ("EXA", K.STANDARD), ("EXD", K.PRE_LODGED_STANDARD), ("EXB", K.SIMPLIFIED), ("EXC", K.SIMPLIFIED),
    ("EXE", K.PRE_LODGED_SIMPLIFIED), ("EXF", K.PRE_LODGED_SIMPLIFIED), ("EXX", K.SUPPLEMENTARY),
    ("EXY", K.SUPPLEMENTARY), ("EXZ", K.SUPPLEMENTARY), ("COA", K.STANDARD), ("EUD", K.PRE_LODGED_STANDARD),
    ("exa", K.STANDARD)])
def test_the_kind_of_each_type_code(code, kind):
    assert declaration_kind(code) == kind


@pytest.mark.parametrize("code", ["IMA", "EXQ", "EX", "EXAA", ""])
def test_a_type_code_that_is_not_export_is_refused(code):
    found = declaration_kind(code)
    assert isinstance(found, Problem) and found.code == "export.kind.unknown"


@pytest.mark.parametrize(("code", "category"), [("EXA", "B1"), ("EXD", "B2"), ("COA", "B4"), ("EXB", "C1"),
                                                ("EXF", "C1"), ("EXY", "C1")])
def test_a_kind_in_its_schema(code, category):
    assert kind_fits_schema(code, category) is None


@pytest.mark.parametrize(("code", "category"), [("EXA", "C1"), ("EXC", "B1"), ("EXX", "B1"), ("IMA", "B1")])
def test_a_kind_in_the_wrong_schema(code, category):
    assert isinstance(kind_fits_schema(code, category), Problem)


def test_regular_use_needs_the_simplified_declaration_authorisation():
    assert regular_simplified_is_authorised("EXC", ["C512"]) is None
    assert regular_simplified_is_authorised("EXF", ["C512", "C514"]) is None
    assert regular_simplified_is_authorised("EXC", ["C514"]).code == "export.kind.no_authorisation"
    assert regular_simplified_is_authorised("EXB", []) is None  # occasional use needs none
    assert regular_simplified_is_authorised("EXA", []) is None


@pytest.mark.parametrize(("supplementary", "simplified"), [("EXX", "EXB"), ("EXX", "EXE"), ("EXY", "EXC"),
                                                           ("EXY", "EXF")])
def test_a_supplementary_completes_a_simplified_of_the_matching_type(supplementary, simplified):
    assert supplementary_follows_its_simplified(supplementary, simplified) is None


@pytest.mark.parametrize(("supplementary", "simplified"), [("EXX", "EXC"), ("EXY", "EXB"), ("EXY", None),
                                                           ("EXX", "EXA")])
def test_a_supplementary_without_its_simplified_is_refused(supplementary, simplified):
    found = supplementary_follows_its_simplified(supplementary, simplified)
    assert isinstance(found, Problem) and found.code == "export.kind.supplementary_mismatch"


def test_a_declaration_that_is_not_supplementary_needs_no_simplified():
    assert supplementary_follows_its_simplified("EXA", None) is None
