"""Header rules: LRN, declaration type, language, parties, holder, countries (seed 003, boxes 00-17)."""

from __future__ import annotations

from tests.transit.test_declaration import HOLDER, ITEM, codes, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit import rules


def _items(data: dict) -> list[dict]:
    return data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


# --- LRN ---------------------------------------------------------------------------------------

def test_lrn_at_most_22_characters():
    data = valid_declaration_data()
    assert _check(rules.lrn_at_most_22_characters, data) is None
    data["TransitOperation"]["LRN"] = "1358562820250303000001X"
    found = _check(rules.lrn_at_most_22_characters, data)
    assert found.code == "transit.lrn.malformed" and found.pointer == "/CC015C/TransitOperation/LRN"


def test_lrn_is_required():
    data = valid_declaration_data()
    del data["TransitOperation"]["LRN"]
    assert _check(rules.lrn_at_most_22_characters, data).code == "transit.lrn.missing"


def test_lrn_unique_per_holder():
    assert _check(rules.lrn_unique_per_holder, valid_declaration_data()) is None
    found = _check(rules.lrn_unique_per_holder, valid_declaration_data(), lrn_already_used=True)
    assert found.code == "transit.lrn.duplicate" and "LRN" in found.da


# --- declaration type (box 1) --------------------------------------------------------------------

def test_declaration_type_is_known():
    for kind in ("T1", "T2", "T2F", "TIR", "T"):
        data = valid_declaration_data()
        data["TransitOperation"]["declarationType"] = kind
        assert _check(rules.declaration_type_is_known, data) is None, kind
    data["TransitOperation"]["declarationType"] = "T3"
    assert _check(rules.declaration_type_is_known, data).code == "transit.declaration_type.unknown"


def _mixed(first: str | None, second: str | None) -> dict:
    data = valid_declaration_data()
    data["TransitOperation"]["declarationType"] = "T"
    for item, kind in zip(_items(data), (first, second)):
        if kind is not None:
            item["declarationType"] = kind
    return data


def test_mixed_consignment_items_state_t1_or_t2():
    assert _check(rules.mixed_consignment_items_state_t1_or_t2, _mixed("T1", "T2")) == []
    found = _check(rules.mixed_consignment_items_state_t1_or_t2, _mixed("T1", None))
    assert [p.pointer for p in found] == [f"{ITEM}[2]/declarationType"]


def test_mixed_consignment_items_may_not_be_of_header_type_t():
    found = _check(rules.mixed_consignment_items_state_t1_or_t2, _mixed("T1", "T"))
    assert [p.pointer for p in found] == [f"{ITEM}[2]/declarationType"]


def test_mixed_consignment_has_t1_and_t2_goods():
    assert _check(rules.mixed_consignment_has_t1_and_t2_goods, _mixed("T2F", "T1")) is None
    found = _check(rules.mixed_consignment_has_t1_and_t2_goods, _mixed("T1", "T1"))
    assert found.code == "transit.declaration_type.not_mixed" and "T1" in found.en


def test_mixed_declaration_passes_every_rule():
    assert problems(_mixed("T1", "T2")) == []


def test_item_declaration_type_only_in_mixed_consignment():
    data = valid_declaration_data()
    _items(data)[0]["declarationType"] = "T2"
    found = _check(rules.item_declaration_type_only_in_mixed_consignment, data)
    assert [p.pointer for p in found] == [f"{ITEM}[1]/declarationType"]


def test_tir_declaration_states_carnet_number():
    data = valid_declaration_data()
    data["TransitOperation"]["declarationType"] = "TIR"
    assert _check(rules.tir_declaration_states_carnet_number, data).code == "transit.tir.carnet_missing"
    data["TransitOperation"]["TIRCarnetNumber"] = "XB12345678"
    assert _check(rules.tir_declaration_states_carnet_number, data) is None


def test_security_indicator_is_0_to_3():
    data = valid_declaration_data()
    data["TransitOperation"]["security"] = "4"
    assert _check(rules.security_indicator_is_0_to_3, data).pointer == "/CC015C/TransitOperation/security"


def test_language_code_is_da():
    data = valid_declaration_data()
    data["TransitOperation"]["communicationLanguageAtDeparture"] = "EN"
    assert _check(rules.language_code_is_da, data).code == "transit.language.not_da"
    del data["TransitOperation"]["communicationLanguageAtDeparture"]
    assert _check(rules.language_code_is_da, data) is None


# --- consignor and consignee (boxes 2, 8) ----------------------------------------------------------

def _move_parties_to_house_level(data: dict, party: str) -> dict:
    house = data["Consignment"]["HouseConsignment"][0]
    house[party] = data["Consignment"].pop(party)
    return data


def test_consignor_at_header_or_item_level():
    data = _move_parties_to_house_level(valid_declaration_data(), "Consignor")
    assert _check(rules.consignor_at_header_or_item_level, data) == []
    assert problems(data) == []


def test_consignor_never_at_both_levels():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["Consignor"] = data["Consignment"]["Consignor"]
    found = _check(rules.consignor_at_header_or_item_level, data)
    assert [p.pointer for p in found] == ["/CC015C/Consignment/HouseConsignment[1]/Consignor"]


def test_consignor_is_required():
    data = valid_declaration_data()
    del data["Consignment"]["Consignor"]
    assert codes(data) == {"transit.consignor.missing"}


def test_consignee_never_at_both_levels():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["Consignee"] = data["Consignment"]["Consignee"]
    assert codes(data) == {"transit.consignee.both_levels"}


def test_consignee_required_when_established_in_the_eu():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]
    found = _check(rules.consignee_at_header_or_item_level, data)
    assert [p.pointer for p in found] == ["/CC015C/Consignment/HouseConsignment[1]/Consignee"]


def test_consignee_may_be_omitted_when_established_outside_eu_and_efta():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]
    data["Consignment"]["countryOfDestination"] = "US"
    assert _check(rules.consignee_at_header_or_item_level, data) == []


def test_consignee_required_when_destination_is_efta():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]
    data["Consignment"]["countryOfDestination"] = "NO"
    assert len(_check(rules.consignee_at_header_or_item_level, data)) == 1


def test_parties_state_full_name_and_address():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]["name"]
    del data["Consignment"]["Consignor"]["Address"]["city"]
    found = _check(rules.parties_state_full_name_and_address, data)
    assert {p.pointer for p in found} == {"/CC015C/Consignment/Consignee/name",
                                          "/CC015C/Consignment/Consignor/Address/city"}


# --- holder (box 50) ---------------------------------------------------------------------------

def test_holder_states_eori_name_and_address():
    data = valid_declaration_data()
    del data["HolderOfTheTransitProcedure"]["identificationNumber"]
    found = _check(rules.holder_states_eori_name_and_address, data)
    assert [p.pointer for p in found] == ["/CC015C/HolderOfTheTransitProcedure/identificationNumber"]
    del data["HolderOfTheTransitProcedure"]
    assert _check(rules.holder_states_eori_name_and_address, data).code == "transit.holder.missing"


def test_holder_is_known_and_eori_registered():
    data = valid_declaration_data()
    assert _check(rules.holder_is_known_and_eori_registered, data) is None
    found = _check(rules.holder_is_known_and_eori_registered, data, holder_known=False)
    assert found.code == "transit.holder.unknown" and HOLDER in found.en
    found = _check(rules.holder_is_known_and_eori_registered, data, holder_eori_registered=False)
    assert found.code == "transit.holder.not_registered"


# --- countries (boxes 15a, 17a) ------------------------------------------------------------------

def test_countries_of_dispatch_and_destination_are_iso_codes():
    data = valid_declaration_data()
    data["Consignment"]["countryOfDispatch"] = "XX"
    found = _check(rules.countries_of_dispatch_and_destination_are_iso_codes, data)
    assert [p.pointer for p in found] == ["/CC015C/Consignment/countryOfDispatch"]


def test_country_of_dispatch_may_be_any_iso_country():
    data = valid_declaration_data()
    data["Consignment"]["countryOfDispatch"] = "JP"
    assert _check(rules.countries_of_dispatch_and_destination_are_iso_codes, data) == []


def test_country_of_destination_at_item_level_when_several():
    data = valid_declaration_data()
    del data["Consignment"]["countryOfDestination"]
    _items(data)[0]["countryOfDestination"] = "DE"
    _items(data)[1]["countryOfDestination"] = "NL"
    assert problems(data) == []


def test_country_of_destination_never_at_both_levels():
    data = valid_declaration_data()
    _items(data)[1]["countryOfDestination"] = "NL"
    found = _check(rules.country_of_destination_at_header_or_item_level, data)
    assert [p.pointer for p in found] == [f"{ITEM}[2]/countryOfDestination"]


def test_country_of_destination_required_for_every_item():
    data = valid_declaration_data()
    del data["Consignment"]["countryOfDestination"]
    _items(data)[0]["countryOfDestination"] = "DE"
    found = _check(rules.country_of_destination_at_header_or_item_level, data)
    assert [p.pointer for p in found] == [f"{ITEM}[2]/countryOfDestination"]


def test_country_of_dispatch_never_at_both_levels_but_may_be_left_out():
    data = valid_declaration_data()
    _items(data)[0]["countryOfDispatch"] = "SE"
    assert len(_check(rules.country_of_dispatch_at_header_or_item_level, data)) == 1
    del data["Consignment"]["countryOfDispatch"], _items(data)[0]["countryOfDispatch"]
    assert _check(rules.country_of_dispatch_at_header_or_item_level, data) == []
