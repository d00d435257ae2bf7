"""Header, party and consignment rules: LRN, declaration type, TIR, holder, consignor, consignee, countries."""

from __future__ import annotations

from tests.transit.test_declaration import HOLDER, ITEM, codes, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit.rules import consignment, header, parties

HOUSE = "/CC015C/Consignment/HouseConsignment[1]"


def _items(data: dict) -> list[dict]:
    return data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def _pointers(found) -> list[str]:
    return [p.pointer for p in (found if isinstance(found, list) else [found] if found else [])]


# --- LRN (box 00) --------------------------------------------------------------------------------

def test_lrn_has_at_most_22_characters_and_may_hold_inner_spaces():
    data = valid_declaration_data()
    data["TransitOperation"]["LRN"] = "DK 2025 03 03 LRN 0001"  # 22 characters with spaces
    assert _check(header.lrn_stated_with_at_most_22_characters, data) is None
    data["TransitOperation"]["LRN"] = "1358562820250303000001X"
    found = _check(header.lrn_stated_with_at_most_22_characters, data)
    assert found.code == "transit.lrn.too_long" and found.pointer == "/CC015C/TransitOperation/LRN"


def test_lrn_is_required():
    data = valid_declaration_data()
    del data["TransitOperation"]["LRN"]
    assert _check(header.lrn_stated_with_at_most_22_characters, data).code == "transit.lrn.missing"


def test_lrn_unique_per_holder():
    assert _check(header.lrn_unique_per_holder, valid_declaration_data()) is None
    found = _check(header.lrn_unique_per_holder, valid_declaration_data(), lrn_already_used=True)
    assert found.code == "transit.lrn.already_used" and "LRN" in found.da


# --- declaration type (box 1): C0045, R0507 -------------------------------------------------------

def _mixed(first: str | None, second: str | None) -> dict:
    data = valid_declaration_data()
    data["TransitOperation"]["declarationType"] = "T"
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DE003353"}]  # C0030: T2
    for item, kind in zip(_items(data), (first, second)):
        if kind is not None:
            item["declarationType"] = kind
    return data


def test_c0045_every_item_of_a_mixed_declaration_states_its_type():
    assert _check(header.items_of_a_mixed_declaration_state_their_type, _mixed("T1", "T2")) == []
    found = _check(header.items_of_a_mixed_declaration_state_their_type, _mixed("T1", None))
    assert _pointers(found) == [f"{ITEM}[2]/declarationType"]


def test_c0045_items_state_a_type_only_in_a_mixed_declaration():
    data = valid_declaration_data()
    _items(data)[0]["declarationType"] = "T2"
    found = _check(header.item_declaration_type_only_in_a_mixed_declaration, data)
    assert [(p.code, p.pointer) for p in found] == [("transit.declaration_type.item_not_allowed",
                                                     f"{ITEM}[1]/declarationType")]


def test_cl232_an_item_of_a_mixed_declaration_is_not_itself_mixed():
    assert [p.pointer for p in problems(_mixed("T1", "T"))] == [f"{ITEM}[2]/declarationType"]


def test_r0507_a_mixed_declaration_whose_items_all_say_t1_is_a_t1():
    assert _check(header.mixed_declaration_has_goods_of_more_than_one_type, _mixed("T2F", "T1")) is None
    found = _check(header.mixed_declaration_has_goods_of_more_than_one_type, _mixed("T1", "T1"))
    assert found.code == "transit.declaration_type.not_mixed" and "T1" in found.en


def test_mixed_declaration_of_t1_and_t2_goods_passes_every_rule():
    assert problems(_mixed("T1", "T2")) == []


# --- TIR: C0411, R0990, R0849 --------------------------------------------------------------------

def test_c0411_a_tir_declaration_states_its_carnet_number_and_others_do_not():
    data = valid_declaration_data()
    data["TransitOperation"]["declarationType"] = "TIR"
    assert _check(header.tir_carnet_number_with_tir_only, data).code == "transit.tir.carnet_missing"
    data["TransitOperation"]["TIRCarnetNumber"] = "XB25123456"
    assert _check(header.tir_carnet_number_with_tir_only, data) is None
    data["TransitOperation"]["declarationType"] = "T1"
    assert _check(header.tir_carnet_number_with_tir_only, data).code == "transit.tir.carnet_not_allowed"


def test_r0990_a_tir_carnet_number_has_10_or_11_characters():
    data = valid_declaration_data()
    data["TransitOperation"].update(declarationType="TIR", TIRCarnetNumber="XB123")
    assert _check(header.tir_carnet_number_with_tir_only, data).code == "transit.tir.carnet_format"


def test_r0849_tir_uses_the_full_data_set():
    data = valid_declaration_data()
    data["TransitOperation"].update(declarationType="TIR", reducedDatasetIndicator="1")
    assert _check(header.tir_declaration_uses_the_full_data_set, data).pointer.endswith("reducedDatasetIndicator")


# --- reduced data set: C0101, R0859 --------------------------------------------------------------

def test_r0859_the_reduced_data_set_names_authorisation_c524_and_only_it_does():
    data = valid_declaration_data()
    data["TransitOperation"]["reducedDatasetIndicator"] = "1"
    found = _check(header.reduced_data_set_needs_its_authorisation, data)
    assert found.code == "transit.authorisation.reduced_data_set_missing"
    data["Authorisation"] = [{"sequenceNumber": "1", "type": "C524", "referenceNumber": "DKRDS1358"}]
    assert _check(header.reduced_data_set_needs_its_authorisation, data) is None
    data["TransitOperation"]["reducedDatasetIndicator"] = "0"
    assert _pointers(_check(header.reduced_data_set_needs_its_authorisation, data)) == [
        "/CC015C/Authorisation[1]/type"]


# --- language (seed 003) -----------------------------------------------------------------------

def test_language_code_is_da_as_the_seed_says_and_the_message_says_so():
    data = valid_declaration_data()
    data["TransitOperation"]["communicationLanguageAtDeparture"] = "EN"
    found = _check(header.language_code_is_da, data)
    assert found.code == "transit.language.not_da" and "seed 003" in found.en and "seed 003" in found.da
    del data["TransitOperation"]["communicationLanguageAtDeparture"]
    assert _check(header.language_code_is_da, data) is None


# --- holder (box 50): C0250, C0904, R0850 -----------------------------------------------------------

def test_c0250_holder_name_and_address_absent_when_eori_given():
    data = valid_declaration_data()
    holder = data["HolderOfTheTransitProcedure"]
    del holder["name"], holder["Address"]
    assert problems(data) == []


def test_c0250_holder_name_and_address_may_still_be_sent_beside_a_valid_eori():
    assert _check(parties.holder_name_and_address_unless_eori_is_valid, valid_declaration_data()) is None


def test_c0250_holder_without_a_valid_eori_states_name_and_address():
    data = valid_declaration_data()
    del data["HolderOfTheTransitProcedure"]["name"], data["HolderOfTheTransitProcedure"]["Address"]
    found = _check(parties.holder_name_and_address_unless_eori_is_valid, data, holder_known=False)
    assert _pointers(found) == ["/CC015C/HolderOfTheTransitProcedure/name",
                                "/CC015C/HolderOfTheTransitProcedure/Address"]


def test_holder_states_its_eori_as_the_seed_says():
    data = valid_declaration_data()
    del data["HolderOfTheTransitProcedure"]["identificationNumber"]
    found = _check(parties.holder_states_an_eori_number, data)
    assert found.pointer == "/CC015C/HolderOfTheTransitProcedure/identificationNumber" and "seed 003" in found.en
    del data["HolderOfTheTransitProcedure"]
    assert _check(parties.holder_states_an_eori_number, data).code == "transit.holder.missing"


def test_holder_is_known_and_eori_registered():
    data = valid_declaration_data()
    assert _check(parties.holder_is_known_and_eori_registered, data) is None
    found = _check(parties.holder_is_known_and_eori_registered, data, holder_known=False)
    assert found.code == "transit.holder.unknown" and HOLDER in found.en
    found = _check(parties.holder_is_known_and_eori_registered, data, holder_eori_registered=False)
    assert found.code == "transit.holder.not_registered"


def test_c0904_the_tir_holder_identification_goes_with_tir_only():
    data = valid_declaration_data()
    data["HolderOfTheTransitProcedure"]["TIRHolderIdentificationNumber"] = "DNK/123/45"
    assert _check(parties.tir_holder_identification_with_tir_only, data).code == \
        "transit.holder.tir_identification_not_allowed"
    data["TransitOperation"]["declarationType"] = "TIR"
    assert _check(parties.tir_holder_identification_with_tir_only, data) is None
    del data["HolderOfTheTransitProcedure"]["TIRHolderIdentificationNumber"]
    assert _check(parties.tir_holder_identification_with_tir_only, data).code == \
        "transit.holder.tir_identification_missing"


def test_r0850_identification_numbers_are_eori_or_tcuin_shaped():
    data = valid_declaration_data()
    data["Consignment"]["Consignor"]["identificationNumber"] = "dk12345678"
    data["Representative"] = {"identificationNumber": "GB123456789000", "status": "2"}
    assert _pointers(_check(parties.identification_numbers_are_eori_or_tcuin, data)) == [
        "/CC015C/Consignment/Consignor/identificationNumber"]


# --- consignor (box 2): C0542 --------------------------------------------------------------------

def _move_to_house_level(data: dict, party: str) -> dict:
    data["Consignment"]["HouseConsignment"][0][party] = data["Consignment"].pop(party)
    return data


def test_c0542_consignor_may_be_omitted():
    data = valid_declaration_data()
    del data["Consignment"]["Consignor"]
    assert problems(data) == []


def test_c0542_consignor_at_house_level():
    assert problems(_move_to_house_level(valid_declaration_data(), "Consignor")) == []


def test_c0542_consignor_never_at_both_levels():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["Consignor"] = data["Consignment"]["Consignor"]
    found = _check(parties.consignor_at_one_level_and_left_out_with_the_reduced_data_set, data)
    assert [(p.code, p.pointer) for p in found] == [("transit.consignor.both_levels_not_allowed", f"{HOUSE}/Consignor")]


def test_c0542_no_consignor_without_safety_data_and_with_the_reduced_data_set():
    data = valid_declaration_data()
    data["TransitOperation"]["reducedDatasetIndicator"] = "1"
    found = _check(parties.consignor_at_one_level_and_left_out_with_the_reduced_data_set, data)
    assert _pointers(found) == ["/CC015C/Consignment/Consignor"]


# --- consignee (box 8): C0001, B1823 ------------------------------------------------------------

def test_c0001_consignee_required_when_the_goods_go_to_a_common_transit_country():
    for destination, office in (("DE", "DE004851"), ("NO", "NO003600"), ("GB", "GB000060")):
        data = valid_declaration_data()
        del data["Consignment"]["Consignee"]
        data["Consignment"]["countryOfDestination"] = destination
        data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = office
        found = _check(parties.consignee_stated_when_the_destination_is_a_common_transit_country, data)
        assert _pointers(found) == [f"{HOUSE}/Consignee"], destination


def test_c0001_consignee_may_be_omitted_when_the_goods_go_outside_common_transit():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]
    data["Consignment"]["countryOfDestination"] = "US"
    assert _check(parties.consignee_stated_when_the_destination_is_a_common_transit_country, data) == []


def test_b1823_consignee_on_every_goods_item_also_does():
    data = valid_declaration_data()
    consignee = data["Consignment"].pop("Consignee")
    for item in _items(data):
        item["Consignee"] = consignee
    assert _check(parties.consignee_stated_when_the_destination_is_a_common_transit_country, data) == []


def test_c0001_consignee_never_at_two_levels():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["Consignee"] = data["Consignment"]["Consignee"]
    assert codes(data) == {"transit.consignee.both_levels_not_allowed"}


# --- names and addresses: C0250, C0505 -----------------------------------------------------------

def test_c0250_consignee_without_an_eori_states_name_and_address():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]["name"]
    assert _pointers(_check(parties.parties_name_and_address_unless_eori_is_valid, data)) == [
        "/CC015C/Consignment/Consignee/name"]


def test_c0250_consignor_with_a_valid_eori_needs_no_name_or_address():
    data = valid_declaration_data()
    data["Consignment"]["Consignor"] = {"identificationNumber": "DK12345674"}
    assert _check(parties.parties_name_and_address_unless_eori_is_valid, data,
                  known_eoris=frozenset({"DK12345674"})) == []
    assert len(_check(parties.parties_name_and_address_unless_eori_is_valid, data)) == 2


def test_c0505_postcode_required_unless_the_country_has_none():
    data = valid_declaration_data()
    del data["Consignment"]["Consignee"]["Address"]["postcode"]
    assert _pointers(_check(parties.postcode_unless_the_country_has_none, data)) == [
        "/CC015C/Consignment/Consignee/Address/postcode"]
    data["Consignment"]["Consignee"]["Address"]["country"] = "HK"
    assert _check(parties.postcode_unless_the_country_has_none, data) == []


def test_postcode_with_inner_spaces_is_a_postcode():
    data = valid_declaration_data()
    data["Consignment"]["Consignee"]["Address"].update(postcode="GB DEP E20 1HZ", country="GB")
    assert _check(parties.postcode_unless_the_country_has_none, data) == []


def test_r0506_house_consignments_do_not_all_repeat_the_same_consignor():
    data = _move_to_house_level(valid_declaration_data(), "Consignor")
    house = data["Consignment"]["HouseConsignment"][0]
    second = {**house, "sequenceNumber": "2", "ConsignmentItem": [dict(_items(data)[1], goodsItemNumber="1")]}
    house["ConsignmentItem"] = house["ConsignmentItem"][:1]
    data["Consignment"]["HouseConsignment"].append(second)
    found = _check(parties.house_consignments_do_not_all_repeat_one_party, data)
    assert [p.code for p in found] == ["transit.consignor.same_on_every_house_consignment"]


# --- countries (boxes 15a, 17a): C0343, C0909, B1965 -------------------------------------------

def test_c0343_country_of_destination_per_item_when_there_are_several():
    data = valid_declaration_data()
    del data["Consignment"]["countryOfDestination"]
    _items(data)[0]["countryOfDestination"] = "DE"
    _items(data)[1]["countryOfDestination"] = "NL"
    assert problems(data) == []


def test_c0343_country_of_destination_never_at_two_levels():
    data = valid_declaration_data()
    _items(data)[1]["countryOfDestination"] = "NL"
    found = _check(consignment.country_of_destination_stated_at_one_level, data)
    assert _pointers(found) == [f"{ITEM}[2]/countryOfDestination"]


def test_c0343_country_of_destination_required_for_every_item():
    data = valid_declaration_data()
    del data["Consignment"]["countryOfDestination"]
    _items(data)[0]["countryOfDestination"] = "DE"
    found = _check(consignment.country_of_destination_stated_at_one_level, data)
    assert [(p.code, p.pointer) for p in found] == [("transit.countryOfDestination.missing",
                                                     f"{ITEM}[2]/countryOfDestination")]


def test_b1965_country_of_dispatch_may_be_left_out_but_not_stated_twice():
    data = valid_declaration_data()
    _items(data)[0]["countryOfDispatch"] = "SE"
    assert len(_check(consignment.country_of_dispatch_at_one_level_at_most, data)) == 1
    del data["Consignment"]["countryOfDispatch"], _items(data)[0]["countryOfDispatch"]
    assert problems(data) == []


def test_r0507_every_item_with_the_same_country_of_dispatch_belongs_one_level_up():
    data = valid_declaration_data()
    del data["Consignment"]["countryOfDispatch"]
    for item in _items(data):
        item["countryOfDispatch"] = "SE"
    found = _check(consignment.lower_levels_do_not_all_repeat_one_country, data)
    assert _pointers(found) == [f"{ITEM}[2]/countryOfDispatch"]
    _items(data)[1]["countryOfDispatch"] = "FI"
    assert _check(consignment.lower_levels_do_not_all_repeat_one_country, data) == []


def test_xi_is_a_country_of_destination():
    data = valid_declaration_data()
    data["Consignment"]["countryOfDestination"] = "XI"
    data["Consignment"]["Consignee"]["Address"]["country"] = "XI"
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "XI000142"
    assert problems(data) == []


def test_an_unknown_country_is_refused_with_code_12_semantics():
    data = valid_declaration_data()
    data["Consignment"]["countryOfDispatch"] = "QQ"
    assert [(p.code, p.pointer) for p in problems(data)] == [("transit.code_list.unknown",
                                                              "/CC015C/Consignment/countryOfDispatch")]


# --- routing, UCR, places, location of goods ---------------------------------------------------

def test_c0586_routing_required_with_safety_data():
    data = valid_declaration_data()
    data["TransitOperation"]["security"] = "2"
    assert _check(consignment.countries_of_routing_with_safety_data, data).code == "transit.routing.missing"
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [{"sequenceNumber": "1", "country": "DK"},
                                                            {"sequenceNumber": "2", "country": "DE"}]
    assert _check(consignment.countries_of_routing_with_safety_data, data) is None


def test_c0502_ucr_of_the_consignment_is_not_repeated_on_items_and_may_hold_spaces():
    data = valid_declaration_data()
    data["Consignment"]["referenceNumberUCR"] = "5DK 13585628 ORDER 77"
    assert _check(consignment.ucr_at_header_level_is_not_repeated_on_items, data) == []
    _items(data)[0]["referenceNumberUCR"] = "5DK 13585628 ORDER 77"
    assert _pointers(_check(consignment.ucr_at_header_level_is_not_repeated_on_items, data)) == [
        f"{ITEM}[1]/referenceNumberUCR"]


def test_c0186_no_transport_charges_without_safety_data():
    data = valid_declaration_data()
    data["Consignment"]["TransportCharges"] = {"methodOfPayment": "A"}
    found = _check(consignment.transport_charges_only_with_safety_data_and_at_one_level, data)
    assert [p.code for p in found] == ["transit.transport_charges.not_allowed"]


def test_c0191_place_of_unloading_never_without_safety_data():
    data = valid_declaration_data()
    data["Consignment"]["PlaceOfUnloading"] = {"UNLocode": "DEHAM"}
    assert _check(consignment.place_of_unloading_with_entry_data_only, data).code == \
        "transit.place_of_unloading.not_allowed"


def test_c0387_a_place_without_un_locode_names_country_and_location():
    data = valid_declaration_data()
    data["TransitOperation"]["security"] = "2"
    data["Consignment"]["PlaceOfLoading"] = {"country": "DK"}
    found = _check(consignment.places_name_country_and_location_without_un_locode, data)
    assert _pointers(found) == ["/CC015C/Consignment/PlaceOfLoading/location"]


def test_c0394_location_of_goods_identified_as_its_qualifier_says():
    data = valid_declaration_data()
    data["Consignment"]["LocationOfGoods"] = {"typeOfLocation": "B", "qualifierOfIdentification": "Y",
                                              "authorisationNumber": "DKACR13585628"}
    assert _check(consignment.location_of_goods_identified_as_its_qualifier_says, data) == []
    data["Consignment"]["LocationOfGoods"]["qualifierOfIdentification"] = "V"
    found = _check(consignment.location_of_goods_identified_as_its_qualifier_says, data)
    assert [p.code for p in found] == ["transit.location.identification_missing",
                                       "transit.location.identification_not_allowed"]
