"""Rules on CC013C (amendment), CC014C (invalidation request), CC007C (arrival) and CC044C (unloading remarks)."""

from __future__ import annotations

import copy

from tests.transit.test_declaration import rule_context, valid_declaration_data
from toldsystem.transit.rules import (amendment_problems, arrival_notification_problems, invalidation_request_problems,
                                      unloading_remarks_problems)

MRN = "25DK009264000001J0"


def _amendment(flag: str = "0") -> tuple[dict, dict]:
    declared = valid_declaration_data()
    amendment = copy.deepcopy(declared)
    amendment["messageType"] = "CC013C"
    amendment["TransitOperation"] = {**amendment["TransitOperation"], "MRN": MRN, "amendmentTypeFlag": flag}
    del amendment["TransitOperation"]["LRN"]
    return amendment, declared


def _codes(found) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in found]


# --- CC013C: C0467, R0520 ------------------------------------------------------------------------

def test_c0467_an_amendment_names_the_movement_by_its_mrn_not_both():
    amendment, declared = _amendment()
    assert amendment_problems(amendment, declared, guarantee_under_amendment=False) == []
    amendment["TransitOperation"]["LRN"] = declared["TransitOperation"]["LRN"]
    assert _codes(amendment_problems(amendment, declared, False)) == [
        ("transit.movement.lrn_not_allowed", "/CC013C/TransitOperation/LRN")]


def test_r0520_a_guarantee_amendment_changes_only_the_guarantee():
    amendment, declared = _amendment("1")
    amendment["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "9876"
    assert amendment_problems(amendment, declared, guarantee_under_amendment=True) == []
    amendment["Consignment"]["grossMass"] = "1300"
    assert _codes(amendment_problems(amendment, declared, True)) == [
        ("transit.amendment.only_guarantee", "/CC013C/Consignment")]


def test_r0520_an_amendment_keeps_the_holder_the_office_of_departure_and_the_commodity_codes():
    amendment, declared = _amendment("0")
    amendment["Consignment"]["grossMass"] = "1300"  # may change
    amendment["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "NL000510"  # may change
    assert amendment_problems(amendment, declared, False) == []
    amendment["CustomsOfficeOfDeparture"]["referenceNumber"] = "DK009262"
    amendment["TransitOperation"]["security"] = "2"
    item = amendment["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]
    item["Commodity"]["CommodityCode"]["harmonizedSystemSubHeadingCode"] = "847150"
    assert [p.pointer for p in amendment_problems(amendment, declared, False)] == [
        "/CC013C/CustomsOfficeOfDeparture", "/CC013C/TransitOperation/security",
        "/CC013C/Consignment/HouseConsignment[1]/ConsignmentItem[2]/Commodity/CommodityCode/"
        "harmonizedSystemSubHeadingCode"]


def test_r0520_inner_spaces_and_a_list_of_one_are_no_change():
    amendment, declared = _amendment("0")
    amendment["HolderOfTheTransitProcedure"]["name"] = " Padborg Spedition A/S "
    amendment["Guarantee"] = amendment["Guarantee"][0]
    assert amendment_problems(amendment, declared, False) == []


# --- CC014C: C0467, C0128, C0129, C0137, C0870 ---------------------------------------------------

def _invalidation(**invalidation) -> dict:
    return {"messageSender": "DK13585628", "messageRecipient": "NTA.DK", "messageType": "CC014C",
            "TransitOperation": {"MRN": MRN},
            "Invalidation": {"requestDateAndTime": "2025-03-03T10:00:00", "initiatedByCustoms": "0",
                             "justification": "Kunden har annulleret"} | invalidation,
            "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
            "HolderOfTheTransitProcedure": {"identificationNumber": "DK13585628"}}


def test_c0129_c0137_a_traders_request_has_its_date_and_justification():
    assert invalidation_request_problems(_invalidation(), rule_context()) == []
    request = _invalidation()
    del request["Invalidation"]["requestDateAndTime"], request["Invalidation"]["justification"]
    assert [p.code for p in invalidation_request_problems(request, rule_context())] == [
        "transit.invalidation.request_date_missing", "transit.invalidation.justification_missing"]


def test_c0128_c0870_the_decision_is_left_to_customs():
    found = invalidation_request_problems(_invalidation(decision="1", decisionDateAndTime="2025-03-03T10:05:00"),
                                          rule_context())
    assert [p.pointer for p in found] == ["/CC014C/Invalidation/decision", "/CC014C/Invalidation/decisionDateAndTime"]


def test_c0467_an_invalidation_request_names_the_movement():
    request = _invalidation()
    request["TransitOperation"] = {}
    assert _codes(invalidation_request_problems(request, rule_context())) == [
        ("transit.movement.mrn_missing", "/CC014C/TransitOperation/MRN")]


# --- CC007C: C0102, C0394, incidents -----------------------------------------------------------

def _arrival(simplified: bool = True) -> dict:
    arrival = {"messageType": "CC007C",
               "TransitOperation": {"MRN": MRN, "arrivalNotificationDateAndTime": "2025-03-05T08:00:00",
                                    "simplifiedProcedure": "1" if simplified else "0", "incidentFlag": "0"},
               "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
               "TraderAtDestination": {"identificationNumber": "DE123456789012345"},
               "Consignment": {"LocationOfGoods": {"typeOfLocation": "B", "qualifierOfIdentification": "Y",
                                                   "authorisationNumber": "ACEDE123456789012345"}}}
    if simplified:
        arrival["Authorisation"] = [{"sequenceNumber": "1", "type": "C522", "referenceNumber": "ACEDE1234567"}]
    return arrival


def test_c0102_an_arrival_in_the_simplified_procedure_names_the_authorisation():
    assert arrival_notification_problems(_arrival(), rule_context()) == []
    arrival = _arrival()
    del arrival["Authorisation"]
    assert _codes(arrival_notification_problems(arrival, rule_context())) == [
        ("transit.arrival.authorisation_missing", "/CC007C/Authorisation")]


def test_c0102_the_standard_procedure_names_none():
    arrival = _arrival(simplified=False)
    assert arrival_notification_problems(arrival, rule_context()) == []
    arrival["Authorisation"] = _arrival()["Authorisation"]
    assert [p.code for p in arrival_notification_problems(arrival, rule_context())] == [
        "transit.arrival.authorisation_not_allowed"]


def test_cl236_the_authorisation_at_destination_is_from_its_list():
    arrival = _arrival()
    arrival["Authorisation"][0]["type"] = "C521"
    assert [p.pointer for p in arrival_notification_problems(arrival, rule_context())] == [
        "/CC007C/Authorisation[1]/type"]


def test_c0394_the_arrival_location_is_identified_as_its_qualifier_says():
    arrival = _arrival()
    arrival["Consignment"]["LocationOfGoods"]["qualifierOfIdentification"] = "U"
    assert [p.code for p in arrival_notification_problems(arrival, rule_context())] == [
        "transit.location.identification_missing", "transit.location.identification_not_allowed"]


def test_c0240_a_transhipment_incident_describes_the_new_means():
    arrival = _arrival()
    arrival["TransitOperation"]["incidentFlag"] = "1"
    incident = {"sequenceNumber": "1", "code": "3", "text": "Omladet efter uheld",
                "Location": {"qualifierOfIdentification": "U", "UNLocode": "DEHAM", "country": "DE"},
                "Endorsement": {"date": "2026-11-23", "authority": "Zoll", "place": "Hamburg", "country": "DE"}}
    arrival["Consignment"]["Incident"] = [incident]
    assert [p.code for p in arrival_notification_problems(arrival, rule_context())] == [
        "transit.incident.transhipment_missing"]
    incident["Transhipment"] = {"containerIndicator": "0", "TransportMeans": {
        "typeOfIdentification": "30", "identificationNumber": "HH AB 123", "nationality": "DE"}}
    assert arrival_notification_problems(arrival, rule_context()) == []


def test_c0460_an_incident_located_by_gnss_gives_no_address():
    arrival = _arrival()
    arrival["Consignment"]["Incident"] = [{"sequenceNumber": "1", "code": "1", "text": "Afvigelse fra rute",
                                           "Location": {"qualifierOfIdentification": "W", "country": "DE",
                                                        "Address": {"streetAndNumber": "A7", "city": "Flensburg"}}}]
    assert [p.code for p in arrival_notification_problems(arrival, rule_context())] == [
        "transit.incident.location_missing", "transit.incident.location_not_allowed"]


# --- CC044C: C0440, R0054, R0107 ---------------------------------------------------------------

def _remarks(**remark) -> dict:
    return {"messageType": "CC044C", "TransitOperation": {"MRN": MRN},
            "CustomsOfficeOfDestinationActual": {"referenceNumber": "DE004851"},
            "TraderAtDestination": {"identificationNumber": "DE123456789012345"},
            "UnloadingRemark": {"conform": "1", "unloadingCompletion": "1", "unloadingDate": "2025-03-05"} | remark}


def test_c0440_state_of_seals_exactly_when_the_goods_travelled_under_seal():
    sealed = valid_declaration_data()
    assert _codes(unloading_remarks_problems(_remarks(), sealed, rule_context())) == [
        ("transit.unloading.state_of_seals_missing", "/CC044C/UnloadingRemark/stateOfSeals")]
    assert unloading_remarks_problems(_remarks(stateOfSeals="1"), sealed, rule_context()) == []
    unsealed = valid_declaration_data()
    del unsealed["Consignment"]["TransportEquipment"]
    assert [p.code for p in unloading_remarks_problems(_remarks(stateOfSeals="1"), unsealed, rule_context())] == [
        "transit.unloading.state_of_seals_not_allowed"]


def test_r0054_a_discrepancy_names_each_declared_group_once():
    remarks = _remarks(conform="0", stateOfSeals="1")
    remarks["Consignment"] = {"TransportEquipment": [
        {"sequenceNumber": "1", "numberOfSeals": "1", "Seal": [{"sequenceNumber": "1", "identifier": "DK0001"}]},
        {"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565"}]}
    assert _codes(unloading_remarks_problems(remarks, valid_declaration_data(), rule_context())) == [
        ("transit.unloading.sequence_number_twice", "/CC044C/Consignment/TransportEquipment[2]/sequenceNumber")]


def test_r0054_a_new_group_continues_the_declarations_numbers():
    remarks = _remarks(conform="0", stateOfSeals="0")
    remarks["Consignment"] = {"TransportEquipment": [{"sequenceNumber": "2", "containerIdentificationNumber": "TGHU7654322"}]}
    assert unloading_remarks_problems(remarks, valid_declaration_data(), rule_context()) == []
