"""The pure rules of incidents on the way (C0240, seed 003 box 55), of box D at release (seed 003) and of the
state of the seals in unloading remarks (C0440)."""

from __future__ import annotations

from datetime import date

from toldsystem.transit import incidents, release_terms
from toldsystem.transit.rules import RuleContext, incident_problems, unloading_remarks_problems

LOCATION = {"qualifierOfIdentification": "U", "UNLocode": "DKKOL", "country": "DK"}
NEW_MEANS = {"containerIndicator": "0",
             "TransportMeans": {"typeOfIdentification": "30", "identificationNumber": "CD 98 765", "nationality": "DK"}}
ENDORSED = {"date": "2026-11-23", "authority": "Toldstyrelsen", "place": "Kolding", "country": "DK"}
EQUIPMENT = [{"sequenceNumber": "1", "numberOfSeals": "1", "Seal": [{"sequenceNumber": "1", "identifier": "X"}]}]


def codes(found) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in found]


def test_a_change_of_tractor_only_needs_the_new_tractor_and_no_attestation():
    tractor = {"code": "6", "text": "Ny trækker", "Location": LOCATION, "Transhipment": NEW_MEANS}
    assert incident_problems([tractor], "/CC007C/Consignment") == []


def test_a_transhipment_needs_the_new_means_and_the_attestation_of_customs():
    transhipped = {"code": "3", "text": "Omladet", "Location": LOCATION}
    assert codes(incident_problems([transhipped], "/CC007C/Consignment")) == [
        ("transit.incident.transhipment_missing", "/CC007C/Consignment/Incident[1]/Transhipment"),
        ("transit.incident.endorsement_missing", "/CC007C/Consignment/Incident[1]/Endorsement")]
    attested = transhipped | {"Transhipment": NEW_MEANS, "Endorsement": ENDORSED}
    assert incident_problems([attested], "/CC007C/Consignment") == []


def test_broken_seals_name_the_equipment_and_have_no_transhipment():
    broken = {"code": "2", "text": "Segl brudt", "Location": LOCATION, "Transhipment": NEW_MEANS}
    assert codes(incident_problems([{"code": "1", "text": "Omvej", "Location": LOCATION}, broken], "/x")) == [
        ("transit.incident.equipment_missing", "/x/Incident[2]/TransportEquipment"),
        ("transit.incident.transhipment_not_allowed", "/x/Incident[2]/Transhipment")]
    deviation = {"code": "1", "text": "Omvej", "Location": LOCATION, "TransportEquipment": EQUIPMENT}
    assert codes(incident_problems([deviation], "/x")) == [
        ("transit.incident.equipment_not_allowed", "/x/Incident[1]/TransportEquipment[1]")]


def test_the_recorded_incident_says_what_its_code_means():
    kept = incidents.recorded({"sequenceNumber": "1", "code": "6", "text": "Ny trækker", "Location": LOCATION,
                               "Transhipment": NEW_MEANS}, reported_by="arrival notification")
    assert kept["meaning"].startswith("an element of a single means of transport changed")
    assert kept["Transhipment"] == NEW_MEANS and "sequenceNumber" not in kept


def test_default_time_limit_grows_with_the_route_within_eight_days():
    released = date(2026, 11, 23)
    assert release_terms.default_limit_date(released, ["DK"]) == date(2026, 11, 25)
    assert release_terms.default_limit_date(released, ["DK", "DE"]) == date(2026, 11, 25)
    assert release_terms.default_limit_date(released, ["DK", "DE", "CH", "IT"]) == date(2026, 11, 29)
    assert release_terms.default_limit_date(released, ["DK", "DE", "AT", "SI", "HR", "RS", "MK"]) == date(2026, 12, 1)


def test_time_limit_may_not_be_before_the_release():
    assert release_terms.check_limit_date(date(2026, 11, 23), date(2026, 11, 23)) is None
    assert release_terms.check_limit_date(date(2026, 11, 22), date(2026, 11, 23)).pointer == "limit_date"


def test_seal_identifiers_are_phase_5_identifiers():
    assert release_terms.check_seals(["DK 0001 PADBORG"]) == []
    assert codes(release_terms.check_seals(["", " X", "Y" * 21])) == [
        ("release.seal_identifier", "seals/0"), ("release.seal_identifier", "seals/1"),
        ("release.seal_identifier", "seals/2")]
    assert codes(release_terms.check_seals(["S"] * 100)) == [("release.too_many_seals", "seals")]


def test_seals_go_on_the_first_equipment_or_a_sealed_vehicle_of_its_own():
    container = {"TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565"},
                                        {"sequenceNumber": "2", "Seal": [{"sequenceNumber": "1", "identifier": "Z"}]}]}
    sealed = release_terms.with_seals(container, ["A", "B"])
    assert sealed["TransportEquipment"][0]["numberOfSeals"] == "2"
    assert [s["identifier"] for s in sealed["TransportEquipment"][0]["Seal"]] == ["A", "B"]
    assert sealed["TransportEquipment"][1] == container["TransportEquipment"][1]
    vehicle = release_terms.with_seals({}, ["A"])
    assert vehicle["TransportEquipment"] == [{"sequenceNumber": "1", "numberOfSeals": "1",
                                              "Seal": [{"sequenceNumber": "1", "identifier": "A"}]}]
    assert release_terms.with_seals({}, []) == {}


def test_the_state_of_seals_is_stated_exactly_when_the_goods_were_sealed():
    ctx = RuleContext(today=date(2026, 11, 23), holder_known=False, holder_eori_registered=False)
    sealed = {"Consignment": {"TransportEquipment": [{"sequenceNumber": "1", "numberOfSeals": "2"}]}}
    unsealed = {"Consignment": {"TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "C"}]}}
    with_state = {"UnloadingRemark": {"conform": "1", "stateOfSeals": "1"}}
    without_state = {"UnloadingRemark": {"conform": "1"}}
    assert unloading_remarks_problems(with_state, sealed, ctx) == []
    assert unloading_remarks_problems(without_state, unsealed, ctx) == []
    assert [p.code for p in unloading_remarks_problems(without_state, sealed, ctx)] == [
        "transit.unloading.state_of_seals_missing"]
    assert [p.code for p in unloading_remarks_problems(with_state, unsealed, ctx)] == [
        "transit.unloading.state_of_seals_not_allowed"]
