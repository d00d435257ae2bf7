"""Transport, containers, seals, offices and route rules (boxes 18-21, 51, 53, C, D)."""

from __future__ import annotations

from tests.transit.test_declaration import declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit.rules import offices, transport

CONSIGNMENT = "/CC015C/Consignment"


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def _pointers(found) -> list[str]:
    return [p.pointer for p in (found if isinstance(found, list) else [found] if found else [])]


# --- departure transport means (box 18): seed, R0472, R0474, R0476, C0826 ----------------------

def test_tractor_and_trailer_may_both_be_given_with_the_tractors_nationality():
    data = valid_declaration_data()
    data["Consignment"]["DepartureTransportMeans"].append(
        {"sequenceNumber": "2", "typeOfIdentification": "31", "identificationNumber": "TR 98 76"})
    assert problems(data) == []


def test_seed_box_18_departure_means_state_identity_and_the_tractors_nationality():
    data = valid_declaration_data()
    means = data["Consignment"]["DepartureTransportMeans"][0]
    del means["identificationNumber"], means["nationality"]
    found = _check(transport.departure_means_state_identity_and_the_first_ones_nationality, data)
    assert _pointers(found) == [f"{CONSIGNMENT}/DepartureTransportMeans[1]/identificationNumber",
                                f"{CONSIGNMENT}/DepartureTransportMeans[1]/nationality"]
    assert all("seed 003" in p.en for p in found)


def test_b1897_by_rail_the_nationality_may_be_left_out():
    data = valid_declaration_data()
    data["Consignment"]["inlandModeOfTransport"] = "2"
    data["Consignment"]["DepartureTransportMeans"][0].update(typeOfIdentification="20", identificationNumber="31 80 4955 123-4")
    del data["Consignment"]["DepartureTransportMeans"][0]["nationality"]
    assert _check(transport.departure_means_state_identity_and_the_first_ones_nationality, data) == []


def test_r0472_the_identification_type_fits_the_inland_mode():
    data = valid_declaration_data()
    data["Consignment"]["inlandModeOfTransport"] = "1"  # by sea, but a road registration
    assert [p.code for p in _check(transport.departure_means_identified_as_the_inland_mode, data)] == [
        "transit.departure_means.identification_mode"]


def test_r0474_r0476_by_road_a_tractor_first_then_trailers():
    data = valid_declaration_data()
    data["Consignment"]["DepartureTransportMeans"].append(
        {"sequenceNumber": "2", "typeOfIdentification": "30", "identificationNumber": "XY99887"})
    assert _pointers(_check(transport.departure_means_identified_as_the_inland_mode, data)) == [
        f"{CONSIGNMENT}/DepartureTransportMeans[2]/typeOfIdentification"]


def test_c0826_no_departure_means_for_goods_sent_by_post():
    data = valid_declaration_data()
    data["Consignment"]["inlandModeOfTransport"] = "5"
    assert _pointers(_check(transport.no_departure_means_for_post, data)) == [
        f"{CONSIGNMENT}/DepartureTransportMeans[1]"]


def test_departure_nationality_from_the_nationality_list():
    data = valid_declaration_data()
    data["Consignment"]["DepartureTransportMeans"][0]["nationality"] = "QQ"
    assert [p.pointer for p in problems(data)] == [f"{CONSIGNMENT}/DepartureTransportMeans[1]/nationality"]


# --- containers (box 19): C0822, C0823, C0055, C0670 -------------------------------------------

def test_c0822_container_indicator_required_unless_pre_lodged():
    data = valid_declaration_data()
    del data["Consignment"]["containerIndicator"], data["Consignment"]["TransportEquipment"]
    assert _check(transport.container_indicator_stated_unless_pre_lodged, data).code == \
        "transit.container.indicator_missing"
    data["TransitOperation"]["additionalDeclarationType"] = "D"
    assert _check(transport.container_indicator_stated_unless_pre_lodged, data) is None


def test_c0823_no_transport_equipment_without_a_container_indicator():
    data = valid_declaration_data()
    data["TransitOperation"]["additionalDeclarationType"] = "D"
    del data["Consignment"]["containerIndicator"]
    assert _pointers(_check(transport.containers_match_the_container_indicator, data)) == [
        f"{CONSIGNMENT}/TransportEquipment[1]"]


def test_c0055_container_indicator_1_requires_a_container_number():
    data = valid_declaration_data()
    del data["Consignment"]["TransportEquipment"][0]["containerIdentificationNumber"]
    assert _check(transport.containers_match_the_container_indicator, data).code == "transit.container.number_missing"
    del data["Consignment"]["TransportEquipment"]
    assert _check(transport.containers_match_the_container_indicator, data).pointer == \
        f"{CONSIGNMENT}/TransportEquipment"


def test_c0055_container_indicator_0_allows_seals_but_no_container_number():
    data = valid_declaration_data()
    data["Consignment"]["containerIndicator"] = "0"
    assert [p.code for p in _check(transport.containers_match_the_container_indicator, data)] == [
        "transit.container.number_not_allowed"]
    del data["Consignment"]["TransportEquipment"][0]["containerIdentificationNumber"]
    assert problems(data) == []


def test_c0670_several_pieces_of_equipment_name_their_goods():
    data = valid_declaration_data()
    first = data["Consignment"]["TransportEquipment"][0]
    del first["GoodsReference"]
    assert _pointers(_check(transport.several_containers_name_their_goods, data)) == []
    data["Consignment"]["TransportEquipment"].append(
        {"sequenceNumber": "2", "containerIdentificationNumber": "MSKU7654321", "numberOfSeals": "0"})
    assert len(_check(transport.several_containers_name_their_goods, data)) == 2


def test_g0006_goods_references_name_declared_items():
    data = valid_declaration_data()
    data["Consignment"]["TransportEquipment"][0]["GoodsReference"][1]["declarationGoodsItemNumber"] = "7"
    assert [p.code for p in _check(transport.goods_references_name_declared_items, data)] == [
        "transit.transport_equipment.goods_unknown"]


# --- seals (box D): C0569, R0448, R0107, R0165 ----------------------------------------------------

def test_c0569_the_number_of_seals_matches_the_seals_listed():
    data = valid_declaration_data()
    data["Consignment"]["TransportEquipment"][0]["numberOfSeals"] = "3"
    assert [p.code for p in _check(transport.seals_match_their_number, data)] == ["transit.seals.count_mismatch"]


def test_c0569_no_seal_listed_when_the_number_is_0():
    data = valid_declaration_data()
    equipment = data["Consignment"]["TransportEquipment"][0]
    equipment["numberOfSeals"] = "0"
    assert [p.code for p in _check(transport.seals_match_their_number, data)] == ["transit.seals.not_allowed"]
    del equipment["Seal"]
    assert _check(transport.seals_match_their_number, data) == []


def test_r0448_equipment_without_a_container_is_there_for_its_seals():
    data = valid_declaration_data()
    data["Consignment"]["containerIndicator"] = "0"
    equipment = data["Consignment"]["TransportEquipment"][0]
    del equipment["containerIdentificationNumber"], equipment["Seal"]
    equipment["numberOfSeals"] = "0"
    assert [p.code for p in _check(transport.seals_match_their_number, data)] == ["transit.seals.none_without_container"]


def test_r0107_a_seal_identifier_appears_once():
    data = valid_declaration_data()
    data["Consignment"]["TransportEquipment"][0]["Seal"][1]["identifier"] = "DK0001"
    assert _pointers(_check(transport.seal_identifiers_unique_in_the_declaration, data)) == [
        f"{CONSIGNMENT}/TransportEquipment[1]/Seal[2]/identifier"]


def test_r0165_an_authorised_consignor_states_seals_only_where_its_authorisation_says_so():
    data = valid_declaration_data()
    data["Authorisation"] = [{"sequenceNumber": "1", "type": "C521", "referenceNumber": "DKACR1358562"}]
    data["Consignment"]["containerIndicator"] = "0"
    del data["Consignment"]["TransportEquipment"]
    assert _check(transport.authorised_consignor_states_seals_when_the_authorisation_says_so, data) is None
    found = _check(transport.authorised_consignor_states_seals_when_the_authorisation_says_so, data,
                   seals_required_by_authorisation=True)
    assert found.code == "transit.seals.required_by_authorisation"


# --- border-crossing active means (box 21): seed, C0806, R0789, C0531 ---------------------------

def test_seed_box_21_border_crossing_means_state_their_nationality():
    data = valid_declaration_data()
    del data["Consignment"]["ActiveBorderTransportMeans"][0]["nationality"]
    found = _check(transport.active_border_means_state_nationality, data)
    assert _pointers(found) == [f"{CONSIGNMENT}/ActiveBorderTransportMeans[1]/nationality"]


def test_customs_office_at_border_may_be_left_out():
    data = valid_declaration_data()
    del data["Consignment"]["ActiveBorderTransportMeans"][0]["customsOfficeAtBorderReferenceNumber"]
    assert problems(data) == []


def test_c0806_active_border_means_required_with_safety_data_by_road():
    data = valid_declaration_data()
    data["TransitOperation"]["security"] = "2"
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [{"sequenceNumber": "1", "country": "DK"}]
    data["Consignment"]["modeOfTransportAtTheBorder"] = "3"
    del data["Consignment"]["ActiveBorderTransportMeans"]
    assert _check(transport.active_border_means_stated_with_safety_data, data).code == "transit.border_means.missing"
    data["Consignment"]["modeOfTransportAtTheBorder"] = "2"  # B1806: by rail it may be left out
    assert _check(transport.active_border_means_stated_with_safety_data, data) is None


def test_r0789_one_active_border_means_without_offices_of_transit():
    data = valid_declaration_data()
    second = dict(data["Consignment"]["ActiveBorderTransportMeans"][0], sequenceNumber="2")
    data["Consignment"]["ActiveBorderTransportMeans"].append(second)
    assert _check(transport.active_border_means_once_without_offices_of_transit, data).code == \
        "transit.border_means.too_many"


def test_c0531_by_air_with_safety_data_the_flight_is_named():
    data = valid_declaration_data()
    data["TransitOperation"]["security"] = "2"
    data["Consignment"]["modeOfTransportAtTheBorder"] = "4"
    assert [p.code for p in _check(transport.flight_number_by_air_with_safety_data, data)] == [
        "transit.border_means.flight_missing"]


# --- offices (boxes C, 53, 51) -------------------------------------------------------------------

def test_office_of_departure_must_exist_with_role_dep():
    data = valid_declaration_data()
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "DK999999"
    assert _check(offices.office_of_departure_acts_as_departure, data).code == "transit.office.unknown"
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "DK000010"  # post office: exit roles only
    found = _check(offices.office_of_departure_acts_as_departure, data)
    assert found.code == "transit.office.role" and found.pointer == "/CC015C/CustomsOfficeOfDeparture/referenceNumber"


def test_office_of_destination_must_have_role_des():
    data = valid_declaration_data()
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "DK000010"
    assert _check(offices.office_of_destination_acts_as_destination, data).code == "transit.office.role"


def test_offices_of_transit_must_have_role_tra():
    data = valid_declaration_data()
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DK005600"}]
    assert _pointers(_check(offices.offices_of_transit_act_as_transit, data)) == [
        "/CC015C/CustomsOfficeOfTransitDeclared[1]/referenceNumber"]


def test_cl175_offices_of_exit_for_transit_have_role_txt():
    data = valid_declaration_data()
    data["CustomsOfficeOfExitForTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DK005600"}]
    assert [p.code for p in _check(offices.offices_of_exit_act_as_exit, data)] == ["transit.office.role"]
    data["CustomsOfficeOfExitForTransitDeclared"][0]["referenceNumber"] = "DK009262"
    assert _check(offices.offices_of_exit_act_as_exit, data) == []


def test_b1813_an_office_of_transit_named_twice_is_accepted():
    """R0003 would refuse it; B1813 switches R0003 off in the transitional state, so no rule refuses it."""
    data = valid_declaration_data()
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": str(n), "referenceNumber": "DE003353"} for n in (1, 2)]
    assert problems(data) == []


def _to(office: str, country: str, routing: tuple[str, ...], *transit_offices: str) -> dict:
    data = valid_declaration_data()
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = office
    data["Consignment"]["countryOfDestination"] = country
    data["Consignment"]["Consignee"]["Address"]["country"] = country
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [
        {"sequenceNumber": str(n), "country": c} for n, c in enumerate(routing, start=1)]
    if transit_offices:
        data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": str(n), "referenceNumber": office}
                                                  for n, office in enumerate(transit_offices, start=1)]
    return data


def test_seed_box_51_route_through_switzerland_back_into_the_eu_needs_both_offices():
    via = ("DK", "DE", "CH", "IT")
    assert problems(_to("IT279100", "IT", via, "CH001001", "IT018100")) == []
    found = _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country,
                   _to("IT279100", "IT", via, "CH001001"))
    assert len(found) == 1 and "IT" in found[0].en and found[0].pointer == "/CC015C/CustomsOfficeOfTransitDeclared"
    found = _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country, _to("IT279100", "IT", via))
    assert len(found) == 2


def test_r0006_route_into_norway_needs_the_norwegian_office_of_transit():
    data = _to("NO003600", "NO", ("DK", "SE"))
    found = _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country, data)
    assert len(found) == 1 and "NO" in found[0].en
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "NO001011"}]
    assert _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country, data) == []


def test_r0006_a_non_efta_common_transit_country_needs_its_office_of_transit_too():
    data = _to("GB000060", "GB", ("DK", "DE", "NL"))
    found = _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country, data)
    assert len(found) == 1 and "GB" in found[0].en
    assert problems(_to("GB000060", "GB", ("DK", "DE", "NL"), "GB000060")) == []


def test_r0006_a_route_through_turkey_to_bulgaria_needs_the_eu_office_of_reentry():
    data = _to("BG005800", "BG", ("DK", "DE", "TR"), "TR340001")
    found = _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country, data)
    assert [p.code for p in found] == ["transit.transit_office.border_missing"] and "BG" in found[0].en


def test_c0030_offices_of_transit_required_for_a_route_touching_a_ctc_country():
    data = _to("GB000060", "GB", ())
    del data["Consignment"]["CountryOfRoutingOfConsignment"]
    assert _check(offices.offices_of_transit_declared_where_required, data).code == "transit.transit_office.missing"


def test_c0030_offices_of_transit_required_for_t2_goods():
    data = valid_declaration_data()
    data["TransitOperation"]["declarationType"] = "T2"
    assert _check(offices.offices_of_transit_declared_where_required, data).code == "transit.transit_office.missing"


def test_c0030_no_office_of_transit_for_tir():
    data = valid_declaration_data()
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DE003353"}]
    data["TransitOperation"].update(declarationType="TIR", TIRCarnetNumber="XB25123456")
    assert _check(offices.offices_of_transit_declared_where_required, data).code == "transit.transit_office.not_allowed"


def test_route_inside_the_eu_needs_no_office_of_transit():
    data = _to("DE004851", "DE", ("DK", "DE"))
    assert _check(offices.offices_of_transit_cover_each_border_with_a_ctc_country, data) == []
    assert _check(offices.offices_of_transit_declared_where_required, data) is None
    assert offices.planned_route(declaration(data)) == ["DK", "DE"]


def test_r0901_tir_in_ncts_starts_and_ends_in_the_eu():
    data = _to("TR340001", "TR", ())
    data["TransitOperation"].update(declarationType="TIR", TIRCarnetNumber="XB25123456")
    assert _pointers(_check(offices.tir_movement_starts_and_ends_in_the_eu, data)) == [
        "/CC015C/CustomsOfficeOfDestinationDeclared/referenceNumber"]


def test_r0909_italy_to_san_marino_is_t2sm():
    data = valid_declaration_data()
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "IT279100"
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "SM000001"
    assert _check(offices.san_marino_movements_use_t2, data).code == "transit.declaration_type.san_marino"
    data["TransitOperation"]["declarationType"] = "T2SM"
    assert _check(offices.san_marino_movements_use_t2, data) is None


def test_r0103_an_office_of_exit_is_not_the_office_of_destination():
    data = valid_declaration_data()
    data["CustomsOfficeOfExitForTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DE004851"}]
    assert [p.code for p in _check(offices.office_of_exit_is_neither_transit_nor_destination, data)] == [
        "transit.exit_office.same_as_other"]


def test_c0587_an_office_of_exit_needs_exit_data():
    data = valid_declaration_data()
    data["CustomsOfficeOfExitForTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DK009262"}]
    assert _check(offices.office_of_exit_only_with_exit_data_leaving_the_security_area, data).code == \
        "transit.exit_office.not_allowed"
