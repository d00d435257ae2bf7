"""Code-list membership of every coded element, and the sequence numbers of repeated groups (R0987)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


from tests.transit.test_declaration import ITEM, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit.rules import code_lists, sequence
from toldsystem.transit.rules.facts import RuleContext

COMPARE_CODE_LISTS = Path(__file__).resolve().parents[2] / "tools" / "compare_code_lists.py"


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def test_each_coded_element_is_checked_against_the_list_its_rules_name():
    data = valid_declaration_data()
    data["TransitOperation"]["security"] = "7"
    data["Consignment"]["inlandModeOfTransport"] = "6"
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]["SupportingDocument"][0]["type"] = "N999"
    found = _check(code_lists.coded_elements_are_in_their_code_lists, data)
    assert [(p.code, p.pointer) for p in found] == [
        ("transit.code_list.unknown", "/CC015C/TransitOperation/security"),
        ("transit.code_list.unknown", "/CC015C/Consignment/inlandModeOfTransport"),
        ("transit.code_list.unknown", f"{ITEM}[2]/SupportingDocument[1]/type"),
    ]
    assert "CL217" in found[0].en and "CL217" in found[0].da


def test_a_list_that_is_not_loaded_is_not_checked():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Packaging"][0]["typeOfPackages"] = "ZZ"
    lists = {k: v for k, v in rule_context().code_lists.items() if k != "CL017"}
    assert _check(code_lists.coded_elements_are_in_their_code_lists, data, code_lists=lists) == []


def test_the_dms_takes_the_comprehensive_guarantee_authorisation_c505_beside_cl235():
    """NATIONAL_CODES: the agency's authorised-consignor template names CGU (C505); other codes stay refused."""
    data = valid_declaration_data()
    data["Authorisation"] = [{"sequenceNumber": "1", "type": "C505", "referenceNumber": "DKCGU13585628"},
                             {"sequenceNumber": "2", "type": "C599", "referenceNumber": "DKXYZ13585628"}]
    found = _check(code_lists.coded_elements_are_in_their_code_lists, data)
    assert [p.pointer for p in found] == ["/CC015C/Authorisation[2]/type"]
    lists = {k: v for k, v in rule_context().code_lists.items() if k != "CL235"}
    assert _check(code_lists.coded_elements_are_in_their_code_lists, data, code_lists=lists) == []


def test_fixed_technical_lists_are_known_without_loading():
    data = valid_declaration_data()
    data["Consignment"]["containerIndicator"] = "2"
    found = _check(code_lists.coded_elements_are_in_their_code_lists, data, code_lists={})
    assert [p.pointer for p in found] == ["/CC015C/Consignment/containerIndicator"]


def test_country_lists_fall_back_to_the_country_register_and_know_xi():
    from toldsystem.reference.rules import Country
    ctx = RuleContext(today=rule_context().today, holder_known=True, holder_eori_registered=True,
                      countries={"DK": Country("DK", "Danmark", True, False, True),
                                 "NO": Country("NO", "Norge", False, True, True)}, iso_country_codes={"US"})
    assert ctx.is_eu("DK") and ctx.is_eu("XI") and ctx.is_ctc("NO") and not ctx.is_ctc("DK")
    assert {"DK", "NO", "US", "XI"} <= set(ctx.codes("CL008"))


def test_values_with_inner_spaces_are_compared_whole():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Packaging"][0]["typeOfPackages"] = " CT "
    assert problems(data) == []


def test_repeated_element_given_as_one_object_is_checked_and_pointed_at_as_the_first():
    data = valid_declaration_data()
    data["Guarantee"] = dict(data["Guarantee"][0], guaranteeType="Q")
    found = _check(code_lists.coded_elements_are_in_their_code_lists, data)
    assert [p.pointer for p in found] == ["/CC015C/Guarantee[1]/guaranteeType"]


def _annotated_ctypes(directory: Path, lists: list[tuple[str, str]]) -> None:
    """A ctypes.xsd standing in for the official one: each element annotated with its code list, as they are."""
    elements = "".join(
        f'<xs:element name="{leaf}"><xs:annotation><xs:appinfo><codeList code="{list_id}"/></xs:appinfo>'
        f"</xs:annotation></xs:element>" for leaf, list_id in lists)
    (directory / "ctypes.xsd").write_text(
        f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:complexType name="T"><xs:sequence>'
        f"{elements}</xs:sequence></xs:complexType></xs:schema>")


def _compare_code_lists(directory: Path) -> tuple[int, str]:
    done = subprocess.run([sys.executable, str(COMPARE_CODE_LISTS), str(directory)], capture_output=True,
                          text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_the_code_list_tool_agrees_when_the_annotations_name_our_lists_and_names_each_that_differs(tmp_path):
    lists = [(path.rsplit("/", 1)[-1], list_id) for path, list_id in code_lists.DECLARATION_LISTS.items()]
    _annotated_ctypes(tmp_path, lists)
    assert _compare_code_lists(tmp_path) == (
        0, f"{len(code_lists.DECLARATION_LISTS)} coded element(s) compared, 0 difference(s)\n")
    _annotated_ctypes(tmp_path, [(leaf, "CL076" if leaf == "guaranteeType" else list_id) for leaf, list_id in lists])
    status, printed = _compare_code_lists(tmp_path)
    assert status == 1 and "Guarantee[]/guaranteeType: CL251 in ours, CL076 officially" in printed
    assert _compare_code_lists(tmp_path / "nowhere")[0] == 2


# --- R0987 --------------------------------------------------------------------------------------

def test_r0987_sequence_numbers_run_1_to_n_in_every_group():
    data = valid_declaration_data()
    assert _check(sequence.sequence_numbers_run_1_to_n, data) == []
    data["Consignment"]["TransportEquipment"][0]["Seal"][1]["sequenceNumber"] = "3"
    data["Guarantee"][0]["sequenceNumber"] = "2"
    found = _check(sequence.sequence_numbers_run_1_to_n, data)
    assert [p.pointer for p in found] == ["/CC015C/Guarantee[1]/sequenceNumber",
                                          "/CC015C/Consignment/TransportEquipment[1]/Seal[2]/sequenceNumber"]


def test_r0987_the_dms_extensions_number_themselves():
    data = valid_declaration_data()
    data["Extensions"] = [{"SequenceNumeric": "7", "Key": "isFallback", "Value": "0", "DataType": "text"}]
    assert _check(sequence.sequence_numbers_run_1_to_n, data) == []
