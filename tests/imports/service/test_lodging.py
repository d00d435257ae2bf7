"""Lodging import declarations on both stores: each procedure, each refusal with its pointer, idempotency."""

from __future__ import annotations


import pytest

from tests.conftest import FORWARDER, IMPORTER
from tests.imports.service.helpers import (FORWARDER_PARTY, IMPORTER_PARTY, NATIONAL, OFFICER, STRANGER_PARTY, codes,
                                           events, full_express, simplified, supplementary, world)
from toldsystem.core.errors import Forbidden, NotFound
from toldsystem.imports import service
from toldsystem.imports.mrn import is_import_mrn
from toldsystem.imports.rules.supplementary import supplementary_due_date


def test_full_express_is_accepted_with_an_import_mrn_and_released_green(store, fixed_clock):
    world()
    outcome = service.lodge_data(FORWARDER_PARTY, full_express())
    assert events(outcome) == ["ACCEPTED", "RELEASED"]
    assert is_import_mrn(outcome.mrn) and outcome.mrn[2:10] == "DK003102" and outcome.mrn[16] == "R"
    shown = service.declaration(FORWARDER_PARTY, outcome.mrn)
    assert shown["state"] == "released" and shown["lane"]["lane"] == "green"
    assert shown["procedure"] == "full_express" and shown["accepted_at"] is not None
    assert shown["may_leave"]["may_leave"] is True and shown["may_leave"]["reason"] == "released"


def test_full_express_duties_come_from_the_active_tariff(store, fixed_clock):
    world()
    service.set_tariff(NATIONAL, "commodity_code,duty_rate\n8517,0\n85171300,2.5\n")
    outcome = service.lodge_data(FORWARDER_PARTY, full_express())
    duties = service.declaration(FORWARDER_PARTY, outcome.mrn)["duties"]
    # 12,500.00 × 2.5 % = 312.50 duty; VAT 25 % of 12,812.50 = 3,203.13 (half up)
    assert duties == {"duty": "312.50", "vat": "3203.13", "total": "3515.63", "currency": "DKK", "tariff_version": 1}


def test_a_code_missing_from_the_tariff_is_refused_with_its_items_pointer(store, fixed_clock):
    world()
    service.set_tariff(NATIONAL, "commodity_code,duty_rate\n61,12\n")
    outcome = service.lodge_data(FORWARDER_PARTY, full_express())
    assert events(outcome) == ["REJECTED"] and outcome.mrn is None
    error = outcome.notifications[0].data["Error"][0]
    assert error["ValidationCode"] == "import.duties.no_rate"
    assert error["Pointer"][0]["DocumentSectionCode"] == (
        "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/Classification")


def test_simplified_express_sets_the_supplementary_due_date_and_notifies_the_consignee(store, fixed_clock):
    world()
    outcome = service.lodge_data(FORWARDER_PARTY, simplified())
    assert events(outcome) == ["ACCEPTED", "SUPPLEMENTARY_DUE", "RELEASED"]
    shown = service.declaration(FORWARDER_PARTY, outcome.mrn)
    due = supplementary_due_date(fixed_clock.now(), True)
    assert shown["supplementary"] == {"due": due.isoformat(), "state": "awaiting", "mrn": None}
    proof = service.proof(IMPORTER_PARTY, outcome.mrn)
    assert proof.pdf.startswith(b"%PDF") and len(proof.digest) == 64 and proof.forwarder == FORWARDER
    assert proof.consignee == IMPORTER and proof.channel == "outbox"


def test_simplified_express_without_authorisation_is_refused(store, fixed_clock):
    world(authorised=False)
    outcome = service.lodge_data(FORWARDER_PARTY, simplified())
    assert codes(outcome) == ["import.simplified_express.not_authorised"]
    assert outcome.notifications[0].data["Error"][0]["Pointer"][0]["DocumentSectionCode"] == "/Declaration/Authorisation"


def test_a_forwarder_without_the_consignees_power_of_attorney_is_refused(store, fixed_clock):
    world(power=False)
    outcome = service.lodge_data(FORWARDER_PARTY, simplified())
    assert codes(outcome) == ["import.simplified_express.no_power_of_attorney"]
    assert outcome.notifications[0].data["Error"][0]["Pointer"][0]["DocumentSectionCode"] == "/Declaration/Agent"


@pytest.mark.parametrize("credit", ["none", "withdrawn", "refused"])
def test_a_consignee_without_customs_credit_must_use_full_express(store, fixed_clock, credit):
    world(credit=credit)
    outcome = service.lodge_data(FORWARDER_PARTY, simplified())
    assert codes(outcome) == ["import.full_express.no_customs_credit"]
    assert outcome.notifications[0].data["Error"][0]["Pointer"][0]["DocumentSectionCode"] == (
        "/Declaration/GoodsShipment/Importer")
    assert "temporary storage" in outcome.notifications[0].data["Error"][0]["ValidationText"]


def test_a_foreign_consignee_must_use_full_express(store, fixed_clock):
    world()
    data = simplified()
    data["GoodsShipment"]["Importer"] = {"ID": "DE123456789012"}
    outcome = service.lodge_data(FORWARDER_PARTY, data)
    assert "import.full_express.foreign_consignee" in codes(outcome)


def test_a_private_consignee_must_use_full_express_and_a_full_express_is_accepted_for_it(store, fixed_clock):
    world()
    data = simplified()
    data["GoodsShipment"]["Importer"] = {"ID": "0101901234", "Name": "Jens Hansen"}
    assert "import.full_express.private_consignee" in codes(service.lodge_data(FORWARDER_PARTY, data))
    full = full_express("LRN-A-PRIVATE")
    full["GoodsShipment"]["Importer"] = {"ID": "0101901234", "Name": "Jens Hansen"}
    outcome = service.lodge_data(FORWARDER_PARTY, full)
    assert events(outcome) == ["ACCEPTED", "RELEASED"]
    leave = service.declaration(FORWARDER_PARTY, outcome.mrn)["may_leave"]
    assert leave["may_leave"] is False and leave["reason"] == "duties_unpaid"  # a private person pays first


def test_simplified_express_is_not_for_a_tariff_quota(store, fixed_clock):
    world()
    data = simplified()
    data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]["Commodity"]["DutyTaxFee"] = [
        {"SequenceNumeric": "1", "DutyRegimeCode": "100", "QuotaOrderID": "090001"}]
    outcome = service.lodge_data(FORWARDER_PARTY, data)
    assert codes(outcome) == ["import.simplified_express.not_for_tariff_quota"]


def test_the_same_declaration_twice_gets_the_same_answer_and_no_second_declaration(store, fixed_clock):
    world()
    first = service.lodge_data(FORWARDER_PARTY, full_express())
    again = service.lodge_data(FORWARDER_PARTY, full_express())
    assert again.repeated and again.mrn == first.mrn
    assert [n.id for n in again.notifications] == [n.id for n in first.notifications]
    assert len(service.declarations(FORWARDER_PARTY)) == 1


def test_another_declaration_with_a_used_lrn_is_refused(store, fixed_clock):
    world()
    service.lodge_data(FORWARDER_PARTY, full_express())
    changed = full_express()
    changed["InvoiceAmount"] = {"value": "99.00", "currencyID": "DKK"}
    outcome = service.lodge_data(FORWARDER_PARTY, changed)
    assert codes(outcome) == ["import.lrn.used"]


def test_a_declaration_naming_another_declarant_is_forbidden(store, fixed_clock):
    world()
    with pytest.raises(Forbidden):
        service.lodge_data(STRANGER_PARTY, full_express())
    with pytest.raises(Forbidden):
        service.lodge_data(OFFICER, full_express())


def test_another_companys_mrn_reads_exactly_like_an_unknown_one(store, fixed_clock):
    world()
    mrn = service.lodge_data(FORWARDER_PARTY, full_express()).mrn
    with pytest.raises(NotFound) as theirs:
        service.declaration(STRANGER_PARTY, mrn)
    with pytest.raises(NotFound) as unknown:
        service.declaration(STRANGER_PARTY, "26DK003102ZZZZZZR0")
    assert theirs.value.problems[0].en.replace(mrn, "X") == unknown.value.problems[0].en.replace("26DK003102ZZZZZZR0",
                                                                                                 "X")
    assert service.declaration(IMPORTER_PARTY, mrn)["consignee"] == IMPORTER  # the consignee reads its own
    assert service.declaration(OFFICER, mrn)["mrn"] == mrn


def test_pre_lodged_waits_for_presentation_then_decides(store, fixed_clock):
    world()
    data = simplified(type_code="IMF")
    outcome = service.lodge_data(FORWARDER_PARTY, data)
    assert events(outcome) == ["ACCEPTED"]
    assert service.declaration(FORWARDER_PARTY, outcome.mrn)["state"] == "pre_lodged"
    fixed_clock.advance(hours=3)
    presented = service.present(FORWARDER_PARTY, outcome.mrn)
    assert events(presented) == ["SUPPLEMENTARY_DUE", "RELEASED"]
    shown = service.declaration(FORWARDER_PARTY, outcome.mrn)
    selected = next(e for e in shown["events"] if e["event"] == "selected")
    assert selected["detail"]["ready_at_arrival"] is True


def test_rule_set_sends_to_control_and_the_officer_releases(store, fixed_clock):
    world()
    service.set_rules(NATIONAL, "commodity 8517* and origin CN -> red\n", seed="s1")
    outcome = service.lodge_data(FORWARDER_PARTY, full_express())
    assert events(outcome) == ["ACCEPTED", "CONTROL"]
    shown = service.declaration(FORWARDER_PARTY, outcome.mrn)
    assert shown["lane"]["lane"] == "red" and shown["lane"]["chosen_by"] == "criterion"
    assert "line 1" in shown["lane"]["reason"] and shown["lane"]["seed"] == "s1"
    with pytest.raises(NotFound):
        service.record_control_result(STRANGER_PARTY, outcome.mrn, True)
    with pytest.raises(Forbidden):
        service.record_control_result(FORWARDER_PARTY, outcome.mrn, True)
    released = service.record_control_result(OFFICER, outcome.mrn, True)
    assert "RELEASED" in [n.event_type for n in released.notifications]
    assert service.declaration(FORWARDER_PARTY, outcome.mrn)["state"] == "released"


def test_supplementary_declaration_closes_its_simplified_one(store, fixed_clock):
    world()
    simplified_mrn = service.lodge_data(FORWARDER_PARTY, simplified()).mrn
    outcome = service.lodge_data(FORWARDER_PARTY, supplementary(simplified_mrn))
    assert events(outcome) == ["ACCEPTED"], codes(outcome)
    assert service.declaration(FORWARDER_PARTY, simplified_mrn)["supplementary"]["state"] == "lodged"
    assert service.declaration(FORWARDER_PARTY, outcome.mrn)["simplified_mrn"] == simplified_mrn


def test_supplementary_without_its_simplified_declaration_is_refused(store, fixed_clock):
    world()
    outcome = service.lodge_data(FORWARDER_PARTY, supplementary("26DK003102ZZZZZZR0"))
    assert codes(outcome) == ["import.supplementary.no_simplified_declaration"]


def _invalidation(mrn: str, lrn: str) -> dict:
    from tests.imports.service.helpers import sample
    data = sample("invalidation")
    data["ID"], data["FunctionalReferenceID"] = mrn, lrn
    return data


def test_a_pre_lodged_declaration_is_invalidated_at_the_declarants_request(store, fixed_clock):
    world()
    data = full_express("LRN-D-1")
    data["TypeCode"] = "IMD"
    mrn = service.lodge_data(FORWARDER_PARTY, data).mrn
    stranger = service.lodge_data(STRANGER_PARTY.__class__.company("DK30507096"), {
        **_invalidation(mrn, "LRN-D-1"), "Submitter": {"Name": "Fremmed ApS", "ID": "DK30507096"}})
    unknown = service.lodge_data(STRANGER_PARTY, {**_invalidation("26DK003102ZZZZZZR0", "LRN-D-1"),
                                                  "Submitter": {"Name": "Fremmed ApS", "ID": "DK30507096"}})
    assert codes(stranger) == codes(unknown) == ["import.declaration.unknown"]  # another's reads as unknown
    outcome = service.lodge_data(FORWARDER_PARTY, _invalidation(mrn, "LRN-D-1"))
    assert events(outcome) == ["INVALIDATED"]
    shown = service.declaration(FORWARDER_PARTY, mrn)
    assert shown["state"] == "invalidated" and shown["events"][-1]["detail"]["reason"]


def test_a_released_declaration_cannot_be_invalidated(store, fixed_clock):
    world()
    mrn = service.lodge_data(FORWARDER_PARTY, full_express()).mrn
    outcome = service.lodge_data(FORWARDER_PARTY, _invalidation(mrn, "LRN-A-1"))
    assert codes(outcome) == ["import.state"]
    assert service.declaration(FORWARDER_PARTY, mrn)["state"] == "released"


def test_a_pre_lodged_declaration_is_amended_and_checked_again(store, fixed_clock):
    world()
    data = full_express("LRN-D-2")
    data["TypeCode"] = "IMD"
    mrn = service.lodge_data(FORWARDER_PARTY, data).mrn
    amended = {**data, "ID": mrn, "Amendment": {"SequenceNumeric": "1", "ChangeReasonCode": "32",
                                                 "ChangeReasonText": "Wrong description"}}
    amended["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]["Commodity"]["Description"] = "Smartphones"
    outcome = service.lodge_data(FORWARDER_PARTY, amended)
    assert events(outcome) == ["ACCEPTED"], codes(outcome)
    shown = service.declaration(FORWARDER_PARTY, mrn)
    assert shown["data"]["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]["Commodity"]["Description"] == "Smartphones"
    assert "ID" not in shown["data"] and shown["events"][-1]["event"] == "amended"
    changed_type = {**amended, "TypeCode": "IMA", "FunctionalReferenceID": "LRN-D-2"}
    changed_type["Amendment"] = {"SequenceNumeric": "2", "ChangeReasonCode": "32", "ChangeReasonText": "type"}
    assert codes(service.lodge_data(FORWARDER_PARTY, changed_type)) == ["import.amendment.type"]


def _letter_post(category: str, arrived: str = "20261105") -> dict:
    data = full_express("LRN-BRV-1")
    data["GoodsShipment"]["Importer"] = {"ID": IMPORTER}
    data["GoodsShipment"]["AdditionalInformation"] = [
        {"SequenceNumeric": "1", "StatementCode": "DKBRV", "StatementDescription": "Brevpost, månedsangivelse"}]
    item = data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]
    item["AdditionalInformation"] = [{"SequenceNumeric": "1", "StatementCode": f"DKLP-{category}",
                                      "StatementDescription": "Brevpost"}]
    item["PreviousDocument"] = [{"SequenceNumeric": "1", "ID": "BREV-2026-11", "TypeCode": "ZZZ",
                                 "AcceptanceDateTime": {"DateTimeString": {"value": arrived, "formatCode": "102"}}}]
    return data


def test_letter_post_needs_its_authorisation_and_its_goods(store, fixed_clock):
    world()
    fixed_clock.advance(days=7)  # Monday 30 November: the month's end
    refused = service.lodge_data(FORWARDER_PARTY, _letter_post("books"))
    assert codes(refused) == ["import.letter_post.not_authorised"]
    from datetime import date
    from toldsystem.companies import service as companies
    companies.grant(IMPORTER, "letter_post", date(2026, 1, 1))
    again = service.lodge_data(FORWARDER_PARTY, _letter_post("books"))
    assert again.repeated and codes(again) == ["import.letter_post.not_authorised"]  # the same message: its answer
    books = _letter_post("books")
    books["FunctionalReferenceID"] = "LRN-BRV-3"
    accepted = service.lodge_data(FORWARDER_PARTY, books)
    assert events(accepted) == ["ACCEPTED", "RELEASED"], codes(accepted)
    other = _letter_post("other")
    other["FunctionalReferenceID"] = "LRN-BRV-2"
    assert codes(service.lodge_data(FORWARDER_PARTY, other)) == ["import.letter_post.goods_not_covered"]


def test_a_periodic_summary_declaration_needs_the_periodic_authorisation(store, fixed_clock):
    world()
    data = full_express("LRN-PES-1")
    data["GoodsShipment"]["Importer"] = {"ID": IMPORTER}
    data["GoodsShipment"]["AdditionalInformation"] = [
        {"SequenceNumeric": "1", "StatementCode": "DKPES", "StatementDescription": "Summarisk angivelse"}]
    refused = service.lodge_data(FORWARDER_PARTY, data)
    assert codes(refused) == ["import.periodic.not_authorised"]
    from datetime import date
    from toldsystem.companies import service as companies
    companies.grant(IMPORTER, "periodic_declaration", date(2026, 1, 1))
    data["FunctionalReferenceID"] = "LRN-PES-2"
    accepted = service.lodge_data(FORWARDER_PARTY, data)
    assert events(accepted)[0] == "ACCEPTED", codes(accepted)
    assert service.declaration(FORWARDER_PARTY, accepted.mrn)["procedure"] == "periodic_summary"
