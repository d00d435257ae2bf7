"""Code-list membership of every coded element, and the sequence numbers of repeated groups (R0987)."""

from __future__ import annotations

import os

from lxml import etree

from tests.transit.test_declaration import ITEM, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit.rules import code_lists, sequence
from toldsystem.transit.rules.facts import RuleContext

# The official v2.1 XSDs, where TOLD_OFFICIAL_XSD names their directory (as the message tests read it).
OFFICIAL = os.environ.get("TOLD_OFFICIAL_XSD", "")


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


def test_the_table_names_the_lists_the_official_schema_annotates():
    """Our table against the official CC015C schema's annotations, where TOLD_OFFICIAL_XSD names them."""
    import pytest
    from pathlib import Path
    if not OFFICIAL or not Path(OFFICIAL, "ctypes.xsd").exists():
        pytest.skip("TOLD_OFFICIAL_XSD does not name the official XSDs")
    annotated = {}
    for element in etree.parse(f"{OFFICIAL}/ctypes.xsd").iter("{http://www.w3.org/2001/XMLSchema}element"):
        found = [c for c in element.iter() if isinstance(c.tag, str) and c.tag.endswith("codeList")]
        if found:
            annotated.setdefault(element.get("name"), set()).add(found[0].get("code"))
    for path, list_id in code_lists.DECLARATION_LISTS.items():
        leaf = path.rsplit("/", 1)[-1]
        assert list_id in annotated.get(leaf, {list_id}), (path, list_id, annotated.get(leaf))


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
