"""The office of departure's phase 5 flows over HTTP (TIS process flows): amendments accepted with
CC004C, the guarantee kept when it stands; pre-lodged declarations presented with CC170C, corrected,
cancelled, expired, announced for control; box D and seals at release; control, refusal,
invalidation by customs and after release; notification to amend (CC022C)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.transit.phase5_flows import (FORWARDER, HAMBURG, HOLDER, OFFICER, TRADER, amendment, by_lrn, events, grn,
                                        invalidation_request, pre_lodged, presentation, released_and_unloading,
                                        send_json, send_xml, standard, state, types, world, xml_of)
from toldsystem.access.rules import Party
from toldsystem import db, demo
from toldsystem.core import clock
from toldsystem.guarantees import service as guarantees
from toldsystem.transit import store as transit_store
from toldsystem.transit.example import example_arrival

__all__ = ["world"]  # the fixture, used by name


# --- CC013C: the bug, and CC004C -----------------------------------------------------------------

def test_amendment_with_the_same_valid_guarantee_keeps_its_reservation_and_is_accepted(world, client):
    declaration = standard()
    answer = send_json(client, FORWARDER, declaration)
    assert types(answer) == ["CC928C", "CC028C"]
    mrn = answer.json()["mrn"]
    assert guarantees.get(grn(world)).open_amount == 1000

    corrected = amendment(declaration, {"MRN": mrn})
    corrected["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Commodity"]["descriptionOfGoods"] = \
        "Bærbare computere, 14 tommer"
    accepted = send_xml(client, FORWARDER, corrected)
    assert types(accepted) == ["CC004C"], accepted.text  # was CC055C "reservation … was freed"
    acceptance = xml_of(client, accepted.json()["answers"][0])
    assert acceptance.findtext("TransitOperation/MRN") == mrn
    assert acceptance.findtext("TransitOperation/amendmentAcceptanceDateAndTime")
    assert state(client, mrn) == "awaiting_release"
    assert guarantees.get(grn(world)).open_amount == 1000  # still held once, not freed nor held twice
    assert [r.state for r in guarantees.reservations(mrn)] == ["reserved"]
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Commodity"][
        "descriptionOfGoods"] == "Bærbare computere, 14 tommer"
    assert types(client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)) == ["CC029C"]


def test_amendment_with_another_amount_frees_the_old_and_reserves_the_new(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    raised = amendment(declaration, {"MRN": mrn})
    raised["Guarantee"][0]["GuaranteeReference"][0]["amountToBeCovered"] = "1500.00"
    assert types(send_json(client, FORWARDER, raised)) == ["CC004C"]
    assert state(client, mrn) == "awaiting_release"
    assert guarantees.get(grn(world)).open_amount == 1500
    assert guarantees.ledger_balance(grn(world)) == 1500
    client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    assert types(send_json(client, HAMBURG, example_arrival(mrn, TRADER, simplified=False))) == []
    assert guarantees.get(grn(world)).open_amount == 0  # arrival frees what the amendment reserved


def test_amendment_after_a_guarantee_not_valid_is_accepted_then_released(world, client):
    declaration = demo.declaration()
    right = declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"]
    declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "XXXX"
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    fixed = amendment(declaration, {"MRN": mrn})
    fixed["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = right
    assert types(send_json(client, FORWARDER, fixed)) == ["CC004C", "CC029C"]
    assert state(client, mrn) == "released"


def test_amendment_with_a_withdrawn_access_code_answers_cc055c_and_holds_nothing(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    wrong = amendment(declaration, {"MRN": mrn})
    wrong["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZZ9"
    assert types(send_json(client, FORWARDER, wrong)) == ["CC004C", "CC055C"]
    assert state(client, mrn) == "guarantee_invalid"
    assert guarantees.get(grn(world)).open_amount == 0


def test_pre_lodged_declaration_waits_for_presentation_before_mrn_guarantee_and_release(world, client):
    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    lodged = send_json(client, FORWARDER, declaration)
    assert types(lodged) == ["CC928C"]
    assert lodged.json()["mrn"] is None and "Location" not in lodged.headers
    assert by_lrn(client, lrn)["state"] == "pre_lodged" and by_lrn(client, lrn)["mrn"] is None
    assert guarantees.get(grn(world)).open_amount == 0  # the guarantee is checked at presentation

    presented = send_xml(client, FORWARDER, presentation(lrn))
    assert types(presented) == ["CC028C"], presented.text
    mrn = presented.json()["mrn"]
    assert xml_of(client, presented.json()["answers"][0]).findtext("TransitOperation/MRN") == mrn
    assert state(client, mrn) == "awaiting_release"
    assert guarantees.get(grn(world)).open_amount == 1000  # checked with the kept proof of the access code
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["Consignment"]["DepartureTransportMeans"][0]["identificationNumber"] == "CD 98 765"
    assert declared["Consignment"]["LocationOfGoods"]["typeOfLocation"] == "A"
    release = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)
    assert types(release) == ["CC029C"]
    assert xml_of(client, release.json()["answers"][0]).findtext("TransitOperation/additionalDeclarationType") == "D"
    assert [e["event"] for e in events(client, mrn)] == ["pre_lodged", "presented", "guarantee_accepted", "released"]


def test_pre_lodged_by_an_authorised_consignor_is_released_on_presentation(world, client):
    declaration = pre_lodged(demo.declaration())
    send_json(client, FORWARDER, declaration)
    assert types(send_json(client, FORWARDER, presentation(declaration["TransitOperation"]["LRN"]))) == [
        "CC028C", "CC029C"]


def test_presentation_without_a_container_drops_the_pre_lodged_container(world, client):
    """C0823 on the CC170C: the goods came without a container (indicator 0, no equipment stated), so the
    container the pre-lodged declaration named goes; with indicator 1 and no equipment it stays."""
    without, within = pre_lodged(standard()), pre_lodged(standard())
    for declaration in (without, within):
        send_json(client, FORWARDER, declaration)
    no_container = presentation(without["TransitOperation"]["LRN"])
    no_container["Consignment"]["containerIndicator"] = "0"
    presented = send_xml(client, FORWARDER, no_container)
    assert types(presented) == ["CC028C"], presented.text
    declared = client.get(f"/api/transit/movements/{presented.json()['mrn']}/declaration", headers=FORWARDER).json()
    assert declared["Consignment"]["containerIndicator"] == "0" and "TransportEquipment" not in declared["Consignment"]

    kept = send_xml(client, FORWARDER, presentation(within["TransitOperation"]["LRN"]))
    declared = client.get(f"/api/transit/movements/{kept.json()['mrn']}/declaration", headers=FORWARDER).json()
    assert declared["Consignment"]["TransportEquipment"][0]["containerIdentificationNumber"] == "MSKU1234565"


def test_presentation_with_an_access_code_withdrawn_meanwhile_answers_cc055c(world, client):
    declaration = pre_lodged(standard())
    send_json(client, FORWARDER, declaration)
    code_id = next(c.id for c in guarantees.access_codes(Party.company(HOLDER), grn(world)))
    guarantees.revoke_access_code(Party.company(HOLDER), grn(world), code_id)
    assert types(send_json(client, FORWARDER, presentation(declaration["TransitOperation"]["LRN"]))) == [
        "CC028C", "CC055C"]
    assert guarantees.get(grn(world)).open_amount == 0


def test_presentation_of_a_type_a_declaration_twice_or_elsewhere_is_refused(world, client):
    declared_a = standard()
    mrn = send_json(client, FORWARDER, declared_a).json()["mrn"]
    refused = send_json(client, FORWARDER, presentation(declared_a["TransitOperation"]["LRN"]))
    assert types(refused) == ["CC056C"]
    rejection = xml_of(client, refused.json()["answers"][0])
    assert rejection.findtext("TransitOperation/businessRejectionType") == "170"
    assert rejection.findtext("FunctionalError/errorPointer") == "/CC170C/TransitOperation/LRN"
    assert state(client, mrn) == "awaiting_release"

    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    elsewhere = send_json(client, FORWARDER, presentation(lrn, office="DK009761"))
    assert types(elsewhere) == ["CC056C"]
    assert elsewhere.json()["answers"][0]["errors"][0]["pointer"] == "/CC170C/CustomsOfficeOfDeparture/referenceNumber"
    assert types(send_json(client, FORWARDER, presentation(lrn))) == ["CC028C"]
    again = send_json(client, FORWARDER, presentation(lrn))
    assert types(again) == ["CC056C"]
    assert xml_of(client, again.json()["answers"][0]).findtext("FunctionalError/errorCode") == "92"


def test_pre_lodged_declaration_corrected_and_cancelled_before_presentation(world, client):
    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    correction = amendment(declaration, {"LRN": lrn})
    correction["Consignment"]["grossMass"] = "1655.5"
    correction["Consignment"]["HouseConsignment"][0]["grossMass"] = "1655.5"
    accepted = send_json(client, FORWARDER, correction)
    assert types(accepted) == ["CC004C"], accepted.text
    acceptance = xml_of(client, accepted.json()["answers"][0])
    assert acceptance.findtext("TransitOperation/LRN") == lrn and acceptance.find("TransitOperation/MRN") is None
    assert by_lrn(client, lrn)["state"] == "pre_lodged"

    cancelled = send_xml(client, FORWARDER, invalidation_request({"LRN": lrn}))
    assert types(cancelled) == ["CC009C"]
    assert xml_of(client, cancelled.json()["answers"][0]).findtext("Invalidation/decision") == "1"
    assert by_lrn(client, lrn)["state"] == "invalidated"
    assert types(send_json(client, FORWARDER, presentation(lrn))) == ["CC056C"]


def test_goods_not_presented_within_30_days_end_the_pre_lodged_declaration(world, client, fixed_clock):
    late, later = pre_lodged(standard()), pre_lodged(standard())
    send_json(client, FORWARDER, late)
    fixed_clock.advance(days=20)
    send_json(client, FORWARDER, later)
    fixed_clock.advance(days=11)  # 31 days after the first, 11 after the second
    refused = send_json(client, FORWARDER, presentation(late["TransitOperation"]["LRN"]))
    assert types(refused) == ["CC056C"]
    assert refused.json()["answers"][0]["errors"][0]["code"] == "presentation.time_limit_expired"
    assert client.post("/api/transit/pre-lodged/expire", headers=FORWARDER).status_code == 403
    ended = client.post("/api/transit/pre-lodged/expire", headers=OFFICER)
    assert types(ended) == ["CC056C"] and ended.json()["answers"][0]["party"] == HOLDER
    assert xml_of(client, ended.json()["answers"][0]).findtext("TransitOperation/LRN") == late["TransitOperation"]["LRN"]
    assert by_lrn(client, late["TransitOperation"]["LRN"])["state"] == "not_presented"
    assert by_lrn(client, later["TransitOperation"]["LRN"])["state"] == "pre_lodged"
    assert types(client.post("/api/transit/pre-lodged/expire", headers=OFFICER)) == []
    assert types(send_json(client, FORWARDER, presentation(later["TransitOperation"]["LRN"]))) == ["CC028C"]


def test_access_codes_of_a_pre_lodged_declaration_are_kept_only_as_proofs(world, client):
    declaration = pre_lodged(standard())
    send_xml(client, FORWARDER, declaration)
    code = world["1:" + HOLDER]["access_code"]
    with db.reading() as conn:
        kept = [str(v) for table in (transit_store.messages, transit_store.movements, transit_store.movement_events)
                for row in conn.execute(select(table)) for v in row]
    assert not any(f"<accessCode>{code}</accessCode>" in v or f'"accessCode": "{code}"' in v for v in kept)


# --- the office of departure: box D and seals, control, refusal, invalidation, CC022C -------------

def test_standard_release_sets_the_time_limit_and_the_seals(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    limit = (clock.local(clock.now()).date() + timedelta(days=3)).isoformat()
    released = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER,
                           json={"limit_date": limit, "seals": ["DK 0101 PADBORG", "DK 0102 PADBORG"]})
    assert types(released) == ["CC029C"]
    release = xml_of(client, released.json()["answers"][0])
    equipment = release.find("Consignment/TransportEquipment")
    assert equipment.findtext("numberOfSeals") == "2"
    assert [s.findtext("identifier") for s in equipment.findall("Seal")] == ["DK 0101 PADBORG", "DK 0102 PADBORG"]
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["TransitOperation"]["limitDate"] == limit
    assert events(client, mrn)[-1]["detail"] == {"limitDate": limit, "seals": ["DK 0101 PADBORG", "DK 0102 PADBORG"]}
    assert client.get(f"/api/transit/movements/{mrn}/tad.pdf", headers=FORWARDER).status_code == 200


def test_standard_release_without_terms_takes_the_route_default_and_the_declared_seals(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    assert types(client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)) == ["CC029C"]
    detail = events(client, mrn)[-1]["detail"]
    today = clock.local(clock.now()).date()
    assert date.fromisoformat(detail["limitDate"]) == today + timedelta(days=2)  # DK → DE: two countries
    assert detail["seals"] == ["DK0001", "DK0002"]


def test_release_with_a_time_limit_in_the_past_or_a_bad_seal_is_refused(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    past = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER, json={"limit_date": "2020-01-01"})
    assert past.status_code == 422 and past.json()["errors"][0]["pointer"] == "limit_date"
    long_seal = client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER, json={"seals": ["X" * 21]})
    assert long_seal.status_code == 422
    assert state(client, mrn) == "awaiting_release"


def test_control_before_release_with_an_unsatisfactory_result_is_not_released(world, client):
    mrn = send_json(client, FORWARDER, standard()).json()["mrn"]
    control = client.post(f"/api/transit/movements/{mrn}/control", json={"controls": ["A"]}, headers=OFFICER)
    assert types(control) == ["CC060C"]
    refused = client.post(f"/api/transit/movements/{mrn}/no-release", headers=OFFICER,
                          json={"text": "Varerne svarer ikke til angivelsen"})
    assert types(refused) == ["CC051C"]
    assert state(client, mrn) == "not_released"
    assert guarantees.get(grn(world)).open_amount == 0


def test_holders_invalidation_request_after_release_is_rejected_out_of_sequence(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    refused = send_json(client, FORWARDER, invalidation_request({"MRN": mrn}))
    assert types(refused) == ["CC056C"]
    rejection = xml_of(client, refused.json()["answers"][0])
    assert rejection.findtext("TransitOperation/businessRejectionType") == "014"
    assert rejection.findtext("FunctionalError/errorCode") == "92"
    assert state(client, mrn) == "released"


def test_invalidation_request_naming_no_movement_is_told_to_name_its_mrn(world, client):
    """C0467: a CC014C with neither MRN nor LRN is about no movement; the CC906C says what to name."""
    answer = send_xml(client, FORWARDER, invalidation_request({}))
    assert types(answer) == ["CC906C"]
    (error,) = answer.json()["answers"][0]["errors"]
    assert error["code"] == "movement.mrn_missing" and error["pointer"] == "/CC014C/TransitOperation/MRN"
    assert "None" not in error["message"]


def test_customs_invalidate_a_released_movement_until_it_arrives(world, client):
    mrn = send_json(client, FORWARDER, demo.declaration()).json()["mrn"]
    decided = client.post(f"/api/transit/movements/{mrn}/invalidation", headers=OFFICER,
                          json={"text": "Angivet ved en fejl, bekræftet af klarereren"})
    assert types(decided) == ["CC009C"]
    invalidation = xml_of(client, decided.json()["answers"][0]).find("Invalidation")
    assert invalidation.findtext("initiatedByCustoms") == "1" and invalidation.findtext("decision") == "1"
    assert state(client, mrn) == "invalidated"
    assert guarantees.get(grn(world)).open_amount == 0
    arrived = released_and_unloading(client)
    assert client.post(f"/api/transit/movements/{arrived}/invalidation", headers=OFFICER,
                       json={"text": "for sent"}).status_code == 409


def test_notification_to_amend_is_answered_by_an_amendment(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    asked = client.post(f"/api/transit/movements/{mrn}/amendment-request", headers=OFFICER,
                        json={"pointers": ["/CC015C/Consignment/grossMass"], "text": "Bruttovægt passer ikke"})
    assert types(asked) == ["CC022C"] and asked.json()["answers"][0]["party"] == HOLDER
    notice = xml_of(client, asked.json()["answers"][0])
    assert notice.findtext("FunctionalError/errorPointer") == "/CC015C/Consignment/grossMass"
    corrected = amendment(declaration, {"MRN": mrn})
    corrected["Consignment"]["grossMass"] = "351.5"
    corrected["Consignment"]["HouseConsignment"][0]["grossMass"] = "351.5"
    assert types(send_json(client, FORWARDER, corrected)) == ["CC004C"]


def test_amendment_under_control_stays_under_control(world, client):
    declaration = standard()
    mrn = send_json(client, FORWARDER, declaration).json()["mrn"]
    client.post(f"/api/transit/movements/{mrn}/control", json={"controls": ["A"]}, headers=OFFICER)
    assert types(send_json(client, FORWARDER, amendment(declaration, {"MRN": mrn}))) == ["CC004C"]
    assert state(client, mrn) == "under_control"
    assert guarantees.get(grn(world)).open_amount == 1000


def test_a_correction_before_presentation_replaces_the_access_code_checked_at_presentation(world, client):
    declaration = pre_lodged(standard())
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    wrong = amendment(declaration, {"LRN": lrn})
    wrong["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = "ZZZ9"
    assert types(send_json(client, FORWARDER, wrong)) == ["CC004C"]  # GMS is not asked before presentation
    assert types(send_json(client, FORWARDER, presentation(lrn))) == ["CC028C", "CC055C"]


def test_an_announced_control_keeps_the_presented_goods_for_the_office(world, client):
    declaration = pre_lodged(demo.declaration())  # an authorised consignor: released at once otherwise
    lrn = declaration["TransitOperation"]["LRN"]
    send_json(client, FORWARDER, declaration)
    announced = client.post(f"/api/transit/pre-lodged/{HOLDER}/{lrn}/control", headers=OFFICER,
                            json={"controls": ["A"], "text": "Risikoanalyse: plomber kontrolleres"})
    assert types(announced) == ["CC060C"]
    notice = xml_of(client, announced.json()["answers"][0])
    assert notice.findtext("TransitOperation/notificationType") == "2"
    assert notice.findtext("TransitOperation/LRN") == lrn and notice.find("TransitOperation/MRN") is None
    assert client.post(f"/api/transit/pre-lodged/{HOLDER}/UNKNOWN-LRN/control", headers=OFFICER,
                       json={}).status_code == 404
    assert client.post(f"/api/transit/pre-lodged/{HOLDER}/{lrn}/control", headers=FORWARDER,
                       json={}).status_code == 403
    presented = send_json(client, FORWARDER, presentation(lrn))
    assert types(presented) == ["CC028C"]  # no CC029C: the office controls first
    mrn = presented.json()["mrn"]
    assert state(client, mrn) == "awaiting_release"
    assert client.post(f"/api/transit/pre-lodged/{HOLDER}/{lrn}/control", headers=OFFICER,
                       json={}).status_code == 409
    assert types(client.post(f"/api/transit/movements/{mrn}/control", headers=OFFICER, json={})) == ["CC060C"]
    assert types(client.post(f"/api/transit/movements/{mrn}/release", headers=OFFICER)) == ["CC029C"]
    declared = client.get(f"/api/transit/movements/{mrn}/declaration", headers=FORWARDER).json()
    assert declared["TransitOperation"]["limitDate"] == declaration["TransitOperation"]["limitDate"]  # its own box D
