"""Transport, containers, seals, offices and route rules (seed 003, boxes 18-21, 51, 53, C, D)."""

from __future__ import annotations

from tests.transit.test_declaration import declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit import rules_transport as rules

CONSIGNMENT = "/CC015C/Consignment"


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


# --- departure transport means (box 18) ----------------------------------------------------------

def test_tractor_and_trailer_may_both_be_given_with_the_tractors_nationality():
    data = valid_declaration_data()
    data["Consignment"]["DepartureTransportMeans"].append(
        {"sequenceNumber": "2", "typeOfIdentification": "31", "identificationNumber": "TR9876"})
    assert _check(rules.departure_transport_means_identity_and_nationality, data) == []
    assert problems(data) == []


def test_departure_transport_means_need_identity_and_the_tractors_nationality():
    data = valid_declaration_data()
    means = data["Consignment"]["DepartureTransportMeans"][0]
    del means["identificationNumber"], means["nationality"]
    found = _check(rules.departure_transport_means_identity_and_nationality, data)
    assert {p.pointer for p in found} == {f"{CONSIGNMENT}/DepartureTransportMeans[1]/identificationNumber",
                                          f"{CONSIGNMENT}/DepartureTransportMeans[1]/nationality"}


def test_departure_transport_nationality_is_a_country_code():
    data = valid_declaration_data()
    data["Consignment"]["DepartureTransportMeans"][0]["nationality"] = "XX"  # QQ is in CL008 (stores)
    assert [p.code for p in _check(rules.departure_transport_means_identity_and_nationality, data)] == [
        "transit.country.unknown"]


# --- container indicator (box 19) ----------------------------------------------------------------

def test_container_indicator_is_0_or_1():
    data = valid_declaration_data()
    data["Consignment"]["containerIndicator"] = "2"
    assert _check(rules.container_indicator_is_0_or_1, data).pointer == f"{CONSIGNMENT}/containerIndicator"
    del data["Consignment"]["containerIndicator"]
    assert _check(rules.container_indicator_is_0_or_1, data) is not None


def test_container_indicator_1_requires_container_numbers():
    data = valid_declaration_data()
    del data["Consignment"]["TransportEquipment"][0]["containerIdentificationNumber"]
    found = _check(rules.container_indicator_matches_container_numbers, data)
    assert [p.pointer for p in found] == [f"{CONSIGNMENT}/TransportEquipment[1]/containerIdentificationNumber"]
    del data["Consignment"]["TransportEquipment"]
    assert _check(rules.container_indicator_matches_container_numbers, data).code == "transit.container.numbers_missing"


def test_container_indicator_0_forbids_container_numbers():
    data = valid_declaration_data()
    data["Consignment"]["containerIndicator"] = "0"
    found = _check(rules.container_indicator_matches_container_numbers, data)
    assert [p.code for p in found] == ["transit.container.number_not_allowed"]
    del data["Consignment"]["TransportEquipment"][0]["containerIdentificationNumber"]
    assert problems(data) == []


# --- border-crossing active means (box 21) ----------------------------------------------------

def test_border_crossing_active_means_nationality_always_required():
    data = valid_declaration_data()
    del data["Consignment"]["ActiveBorderTransportMeans"][0]["nationality"]
    found = _check(rules.active_border_transport_means_state_nationality, data)
    assert [p.pointer for p in found] == [f"{CONSIGNMENT}/ActiveBorderTransportMeans[1]/nationality"]


# --- seals (box D) ---------------------------------------------------------------------------

def test_number_of_seals_matches_their_identifiers():
    data = valid_declaration_data()
    data["Consignment"]["TransportEquipment"][0]["numberOfSeals"] = "3"
    found = _check(rules.seals_state_number_and_identifiers, data)
    assert [p.code for p in found] == ["transit.seals.count_mismatch"]


def test_seals_fritaget_when_agreed_counts_as_no_seals():
    data = valid_declaration_data()
    equipment = data["Consignment"]["TransportEquipment"][0]
    equipment["numberOfSeals"] = "0"
    equipment["Seal"] = [{"sequenceNumber": "1", "identifier": "Fritaget"}]
    assert _check(rules.seals_state_number_and_identifiers, data) == []
    equipment["numberOfSeals"] = "1"
    assert len(_check(rules.seals_state_number_and_identifiers, data)) == 1


# --- offices (boxes C, 53, 51) ---------------------------------------------------------------

def test_office_of_departure_must_exist_with_role_dep():
    data = valid_declaration_data()
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "DK999999"
    assert _check(rules.office_of_departure_acts_as_departure, data).code == "transit.office.unknown"
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "DK000010"  # post office: exit roles only
    found = _check(rules.office_of_departure_acts_as_departure, data)
    assert found.code == "transit.office.role" and found.pointer == "/CC015C/CustomsOfficeOfDeparture/referenceNumber"


def test_office_of_destination_must_have_role_des():
    data = valid_declaration_data()
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "DK000010"
    assert _check(rules.office_of_destination_acts_as_destination, data).code == "transit.office.role"
    del data["CustomsOfficeOfDestinationDeclared"]
    assert _check(rules.office_of_destination_acts_as_destination, data).code == "transit.office.missing"


def test_offices_of_transit_must_have_role_tra():
    data = valid_declaration_data()
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DK009264"}]
    found = _check(rules.offices_of_transit_act_as_transit, data)
    assert [p.pointer for p in found] == ["/CC015C/CustomsOfficeOfTransitDeclared[1]/referenceNumber"]


def _to_italy_via_switzerland(*transit_offices: str) -> dict:
    data = valid_declaration_data()
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "IT279100"
    data["Consignment"]["countryOfDestination"] = "IT"
    data["Consignment"]["Consignee"]["Address"]["country"] = "IT"
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [
        {"sequenceNumber": str(n), "country": c} for n, c in enumerate(("DK", "DE", "CH", "IT"), start=1)]
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": str(n), "referenceNumber": office}
                                              for n, office in enumerate(transit_offices, start=1)]
    return data


def test_route_through_switzerland_back_into_eu_needs_both_offices():
    assert problems(_to_italy_via_switzerland("CH001251", "IT018100")) == []  # Basel, Bari: offices of transit
    found = _check(rules.offices_of_transit_cover_route_through_efta, _to_italy_via_switzerland("CH001251"))
    assert len(found) == 1 and "IT" in found[0].en and found[0].pointer == "/CC015C/CustomsOfficeOfTransitDeclared"
    found = _check(rules.offices_of_transit_cover_route_through_efta, _to_italy_via_switzerland())
    assert len(found) == 2


def test_route_into_norway_needs_the_norwegian_office_of_transit():
    data = valid_declaration_data()
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "NO365002"  # Oslo
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [{"sequenceNumber": "1", "country": "SE"}]
    found = _check(rules.offices_of_transit_cover_route_through_efta, data)
    assert len(found) == 1 and "NO" in found[0].en
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "NO371001"}]  # Svinesund
    assert _check(rules.offices_of_transit_cover_route_through_efta, data) == []


def test_route_inside_the_eu_needs_no_office_of_transit():
    data = valid_declaration_data()
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [{"sequenceNumber": "1", "country": "DK"},
                                                            {"sequenceNumber": "2", "country": "DE"}]
    assert _check(rules.offices_of_transit_cover_route_through_efta, data) == []
    assert rules.planned_route(declaration(data)) == ["DK", "DE"]
