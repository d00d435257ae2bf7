"""The office of destination's phase 5 flows over HTTP (TIS process flows): its rejections (CC057C),
incidents on the way (seed 003 boxes 55/56; CC182C from an office on the way; recovery), and its
decision on unloading remarks: conform, major discrepancies (CC025C, CC019C) resolved or recovered
(CC035C), a new unloading permission."""

from __future__ import annotations

import copy

from tests.transit.phase5_flows import (FORWARDER, HAMBURG, HOLDER, IMPORTER, OFFICER, TRADER, events, grn,
                                        outbox_types, released_and_unloading, remarks, send_json, send_xml, standard,
                                        state, types, world, xml_of)
from toldsystem import demo
from toldsystem.guarantees import service as guarantees
from toldsystem.transit.example import example_arrival

__all__ = ["world"]  # the fixture, used by name


# --- the office of destination answers CC057C ----------------------------------------------------

def test_arrival_refused_by_the_office_of_destination_gets_cc057c(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]  # not released yet
    early = send_json(client, HAMBURG, example_arrival(mrn, TRADER))
    assert types(early) == ["CC906C"]  # not released: even its trader may not learn of it yet (no oracle)
    client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    arrival = example_arrival(mrn, TRADER, simplified=False)
    # C0102: only the simplified procedure names the authorisation
    arrival["Authorisation"] = [{"sequenceNumber": "1", "type": "C522", "referenceNumber": f"ACE{TRADER}"}]
    refused = send_json(client, HAMBURG, arrival)
    assert types(refused) == ["CC057C"]
    rejection = xml_of(client, refused.json()["answers"][0])
    assert rejection.findtext("TransitOperation/businessRejectionType") == "007"
    assert rejection.findtext("CustomsOfficeOfDestinationActual/referenceNumber") == "DE004851"
    assert rejection.findtext("FunctionalError/errorCode") == "15"
    stranger = example_arrival(mrn, TRADER) | {"messageSender": "DK12345674"}
    assert types(send_json(client, IMPORTER, stranger)) == ["CC906C"]  # not entitled: as an unknown MRN
    assert state(client, mrn) == "released"


def test_unloading_remarks_out_of_sequence_get_cc057c(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    assert types(send_json(client, HAMBURG, remarks(mrn))) == ["CC906C"]  # before its arrival: as unknown
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER))) == ["CC043C"]
    unstated = remarks(mrn)
    del unstated["UnloadingRemark"]["stateOfSeals"]  # the container was sealed (DK0001, DK0002)
    refused = send_xml(client, HAMBURG, unstated)
    assert types(refused) == ["CC057C"]
    assert xml_of(client, refused.json()["answers"][0]).findtext("TransitOperation/businessRejectionType") == "044"
    assert refused.json()["answers"][0]["errors"][0]["pointer"] == "/CC044C/UnloadingRemark/stateOfSeals"
    assert state(client, mrn) == "unloading"
    assert types(send_json(client, HAMBURG, remarks(mrn))) == ["CC025C"]


# --- incidents on the way (seed 003 boxes 55 and 56) ---------------------------------------------

TRANSHIPMENT = {"sequenceNumber": "1", "code": "3", "text": "Omladet til ny lastbil efter motorstop ved Kolding",
                "Endorsement": {"date": "2026-11-23", "authority": "Toldstyrelsen Kolding", "place": "Kolding",
                                "country": "DK"},
                "Location": {"qualifierOfIdentification": "W", "country": "DK",
                             "GNSS": {"latitude": "55.49041", "longitude": "9.47216"}},
                "Transhipment": {"containerIndicator": "1",
                                 "TransportMeans": {"typeOfIdentification": "30", "identificationNumber": "CD 98 765",
                                                    "nationality": "DK"}},
                "TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565",
                                        "numberOfSeals": "1",
                                        "Seal": [{"sequenceNumber": "1", "identifier": "DK 0003 KOLDING"}]}]}
TRACTOR_CHANGED = {"sequenceNumber": "2", "code": "6", "text": "Kun trækkeren udskiftet; trailer og segl uændret",
                   "Location": {"qualifierOfIdentification": "Z", "country": "DE",
                                "Address": {"streetAndNumber": "Autohof Flensburg, Am Sophienhof 1",
                                            "postcode": "24941", "city": "Flensburg"}},
                   # the trailer travels on, not a container: C0040 asks for equipment only when it is one
                   "Transhipment": {"containerIndicator": "0",
                                    "TransportMeans": {"typeOfIdentification": "30",
                                                       "identificationNumber": "HH AB 1234", "nationality": "DE"}}}


def arrival_with(mrn: str, *incidents: dict) -> dict:
    arrival = example_arrival(mrn, TRADER)
    arrival["TransitOperation"]["incidentFlag"] = "1"
    arrival["Consignment"]["Incident"] = [copy.deepcopy(i) for i in incidents]
    return arrival


def test_arrival_with_a_transhipment_and_a_change_of_tractor_records_both(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    arrived = send_xml(client, HAMBURG, arrival_with(mrn, TRANSHIPMENT, TRACTOR_CHANGED))
    assert types(arrived) == ["CC043C"], arrived.text
    recorded = [e for e in events(client, mrn) if e["event"] == "incident_reported"]
    assert [e["detail"]["code"] for e in recorded] == ["3", "6"]
    assert recorded[0]["detail"]["Endorsement"]["authority"] == "Toldstyrelsen Kolding"
    assert recorded[1]["detail"]["Transhipment"]["TransportMeans"] == {
        "typeOfIdentification": "30", "identificationNumber": "HH AB 1234", "nationality": "DE"}
    assert "tractor" in recorded[1]["detail"]["meaning"]


def test_transhipment_without_the_attestation_of_customs_is_refused(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    unattested = {k: v for k, v in TRANSHIPMENT.items() if k != "Endorsement"}
    refused = send_json(client, HAMBURG, arrival_with(mrn, unattested))
    assert types(refused) == ["CC057C"]
    errors = refused.json()["answers"][0]["errors"]
    assert errors[0]["pointer"] == "/CC007C/Consignment/Incident[1]/Endorsement" and "55" in errors[0]["message"]
    tractor_without_means = {k: v for k, v in TRACTOR_CHANGED.items() if k != "Transhipment"}
    refused = send_json(client, HAMBURG, arrival_with(mrn, tractor_without_means))
    assert refused.json()["answers"][0]["errors"][0]["pointer"] == "/CC007C/Consignment/Incident[1]/Transhipment"
    assert state(client, mrn) == "released"


def test_incident_registered_on_the_way_is_forwarded_to_the_holder_then_recovery(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    registered = client.post(f"/api/transit/movements/{mrn}/incidents", headers=OFFICER,
                             json={"office": "DK003102", "incidents": [TRANSHIPMENT]})
    assert types(registered) == ["CC182C"], registered.text
    forwarded = xml_of(client, registered.json()["answers"][0])
    assert forwarded.findtext("CustomsOfficeOfIncidentRegistration/referenceNumber") == "DK003102"
    assert forwarded.findtext("Consignment/Incident/code") == "3"
    assert outbox_types(client, FORWARDER)[-1] == "CC182C"
    assert [e["event"] for e in events(client, mrn)][-1] == "incident_registered"

    bad = client.post(f"/api/transit/movements/{mrn}/incidents", headers=OFFICER,
                      json={"office": "DK003102", "incidents": [{"code": "3", "text": "uden sted"}]})
    assert bad.status_code == 422
    assert client.post(f"/api/transit/movements/{mrn}/incidents", headers=FORWARDER,
                       json={"office": "DK003102", "incidents": [TRANSHIPMENT]}).status_code == 403

    recovered = client.post(f"/api/transit/movements/{mrn}/recovery", headers=OFFICER,
                            json={"text": "Mistanke om svig efter omladning"})
    assert types(recovered) == ["CC035C", "CC045C"]
    notice = xml_of(client, recovered.json()["answers"][0])
    assert notice.findtext("RecoveryNotification/amountClaimed") == "1000.00"
    assert notice.findtext("CustomsOfficeOfRecoveryAtDeparture/referenceNumber") == "DK009264"
    assert state(client, mrn) == "recovered"
    assert guarantees.get(grn(world)).open_amount == 1000  # the guarantee answers for the debt


# --- unloading remarks and the office of destination's decision ----------------------------------

def test_conform_remarks_with_a_consignment_as_found_wait_for_the_office(world, client):
    mrn = released_and_unloading(client)
    found = remarks(mrn)
    found["Consignment"] = {"HouseConsignment": [{"sequenceNumber": "1", "ConsignmentItem": [{
        "goodsItemNumber": "1", "declarationGoodsItemNumber": "1",
        "Packaging": [{"sequenceNumber": "1", "typeOfPackages": "CT", "numberOfPackages": "9"}]}]}]}
    assert types(send_xml(client, HAMBURG, found)) == []  # no automatic CC025C
    assert state(client, mrn) == "discrepancies"
    assert [e for e in events(client, mrn) if e["event"] == "unloading_remarks"][0]["detail"]["found"]
    decided = client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER,
                          json={"conform": True, "text": "Fundet ved genoptælling"})
    assert types(decided) == ["CC025C", "CC045C"]
    assert state(client, mrn) == "closed"
    assert [r.state for r in guarantees.reservations(mrn)] == ["discharged"]


def test_major_discrepancies_tell_the_holder_and_are_resolved(world, client):
    mrn = released_and_unloading(client)
    assert types(send_json(client, HAMBURG, remarks(mrn, conform="0", stateOfSeals="0",
                                                    unloadingRemark="Segl DK0002 brudt; 2 kolli mangler"))) == []
    decided = client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER,
                          json={"conform": False, "text": "2 kolli mangler"})
    assert types(decided) == ["CC025C", "CC019C"]
    notice = xml_of(client, decided.json()["answers"][1])
    assert notice.findtext("TransitOperation/discrepanciesNotificationText") == "2 kolli mangler"
    assert decided.json()["answers"][1]["party"] == HOLDER and decided.json()["answers"][0]["party"] == TRADER
    assert state(client, mrn) == "major_discrepancies"
    resolved = client.post(f"/api/transit/movements/{mrn}/discrepancies-resolved", headers=OFFICER,
                           json={"text": "Kolli fundet hos speditøren"})
    assert types(resolved) == ["CC045C"]
    assert state(client, mrn) == "closed"


def test_major_discrepancies_not_resolved_end_in_recovery(world, client):
    mrn = released_and_unloading(client)
    send_json(client, HAMBURG, remarks(mrn, conform="0"))
    client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER, json={"conform": False})
    recovered = client.post(f"/api/transit/movements/{mrn}/recovery", headers=OFFICER,
                            json={"text": "Afvigelser ikke afklaret", "amount": "2345.60", "currency": "EUR"})
    assert types(recovered) == ["CC035C", "CC045C"]
    assert xml_of(client, recovered.json()["answers"][0]).findtext("RecoveryNotification/amountClaimed") == "2345.60"
    assert client.post(f"/api/transit/movements/{mrn}/discrepancies-resolved", headers=OFFICER).status_code == 409
    bad = client.post(f"/api/transit/movements/{released_and_unloading(client)}/recovery", headers=OFFICER,
                      json={"text": "x", "amount": "-5"})
    assert bad.status_code == 422


def test_unloading_not_completed_may_go_on_with_a_new_permission(world, client):
    mrn = released_and_unloading(client)
    assert types(send_json(client, HAMBURG, remarks(mrn, unloadingCompletion="0"))) == []
    assert state(client, mrn) == "discrepancies"
    again = client.post(f"/api/transit/movements/{mrn}/unloading-permission", headers=OFFICER)
    assert types(again) == ["CC043C"] and again.json()["answers"][0]["party"] == TRADER
    assert types(send_json(client, HAMBURG, remarks(mrn))) == ["CC025C"]
    assert state(client, mrn) == "closed"


def test_standard_arrival_with_major_discrepancies_found_in_the_office_control(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER, simplified=False))) == []
    decided = client.post(f"/api/transit/movements/{mrn}/control-result", headers=OFFICER,
                          json={"conform": False, "text": "Forkert varebeskrivelse"})
    assert types(decided) == ["CC025C", "CC019C"]
