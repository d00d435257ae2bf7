"""The export rules read from a parsed declaration's data."""

from __future__ import annotations

from tests.export.messages.helpers import sample
from toldsystem.core.errors import Problem
from toldsystem.export.messages import parse_export
from toldsystem.export.rules import (DeclarationKind, Status, declaration_problems, export_declaration_of,
                                     procedure_letter_of)


def data(name: str) -> dict:
    return parse_export(sample(name)).data


def test_the_samples_break_no_kind_rule():
    for name in ("b1_standard", "b1_prelodged_full", "c1_simplified"):
        assert declaration_problems(data(name)) == [], name


def test_a_regular_simplified_declaration_without_c512_is_refused():
    declaration = data("c1_simplified")
    declaration["Authorisation"] = [{**declaration["Authorisation"][0], "Type": "C514"}]
    assert [p.code for p in declaration_problems(declaration)] == ["export.kind.no_authorisation"]


def test_a_standard_type_in_the_c1_schema_is_refused():
    assert [p.code for p in declaration_problems({**data("c1_simplified"), "TypeCode": "EXA"})] == \
        ["export.kind.wrong_schema"]


def test_an_unknown_type_code_is_the_only_problem():
    assert [p.code for p in declaration_problems({**data("b1_standard"), "TypeCode": "IMA"})] == ["export.kind.unknown"]


def test_a_supplementary_is_checked_against_the_simplified_it_completes():
    supplementary = {**data("c1_simplified"), "TypeCode": "EXY"}
    assert declaration_problems(supplementary, simplified_type_code="EXC") == []
    assert [p.code for p in declaration_problems(supplementary, simplified_type_code="EXB")] == \
        ["export.kind.supplementary_mismatch"]


def test_the_procedure_letter_follows_the_security_code():
    assert procedure_letter_of(data("b1_standard")) == "A"
    assert procedure_letter_of(data("b1_prelodged_full")) == "B"
    assert isinstance(procedure_letter_of({"ProcedureCategory": "H1", "SecurityCode": "0"}), Problem)


def test_the_typed_declaration_of_the_data():
    pre_lodged = export_declaration_of(data("b1_prelodged_full"))
    assert pre_lodged.kind == DeclarationKind.PRE_LODGED_STANDARD and pre_lodged.status == Status.PRE_LODGED
    assert pre_lodged.exit_office == "DK005600" and pre_lodged.lrn == "LRN-EX-2026-000102" and pre_lodged.mrn is None
    standard = export_declaration_of(data("b1_standard"), mrn="26DK0031020000DWA2", status=Status.RELEASED,
                                     started_under_fallback=True)
    assert standard.mrn == "26DK0031020000DWA2" and standard.status == Status.RELEASED
    assert standard.started_under_fallback
    assert isinstance(export_declaration_of({"TypeCode": "IMA"}), Problem)
