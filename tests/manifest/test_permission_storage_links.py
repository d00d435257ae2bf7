"""Permission to unload or depart, temporary storage and its limit, the links, amendments, signatures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from toldsystem.core.errors import problem
from toldsystem.manifest.rules import check_filing
from toldsystem.manifest.rules.amendments import (amendment_of_existing_declaration, amendment_states_remarks,
                                                  check_amendment)
from toldsystem.manifest.rules.links import (ACTUAL_ARRIVAL, EXIT_CONFIRMATION, FALLBACK_EXEMPTION_CODE,
                                             actual_arrivals, departure_names_no_fallback_export,
                                             exemption_code_stands_alone, exit_confirmations, links_match_direction)
from toldsystem.manifest.rules.model import Amendment, AmendmentRequest, Consignment, LinkKind, StorageDeclaration, \
    StoredGoods
from toldsystem.manifest.rules.permission import Assessment, Verdict, permission
from toldsystem.manifest.rules.signature import submission_is_signed
from toldsystem.manifest.rules.storage import (check_storage, storage_declares_goods_unloaded, storage_names_holder,
                                               storage_not_before_unloading, storage_past_time_limit,
                                               storage_time_limit)
from toldsystem.signatures.rules import Verified

from .factory import AT, CARRIER, EXPORT_MRN, HOLDER, IMPORT_MRN, flight_arrival, vessel_arrival, vessel_departure

AEO = "DKAEOF000123"


# --- permission to unload or depart (seed 002 "Ankomst", "Afgang") ---------------------------------------

def test_an_aeo_may_unload_at_once() -> None:
    granted = permission(vessel_arrival(aeo_certificate=AEO), AT, valid_aeo_certificates={AEO})
    assert (granted.verdict, granted.ground, granted.at) == (Verdict.GRANTED, "aeo", AT)


def test_an_unknown_aeo_certificate_waits_for_an_officer() -> None:
    assert permission(vessel_arrival(aeo_certificate=AEO), AT).verdict == Verdict.AWAITING_ASSESSMENT


def test_others_wait_for_the_officers_assessment_and_get_its_answer() -> None:
    assert permission(vessel_arrival(), AT).verdict == Verdict.AWAITING_ASSESSMENT
    later = AT + timedelta(minutes=20)
    yes = permission(vessel_arrival(), AT, assessment=Assessment(True, "officer-7", later))
    assert (yes.verdict, yes.at) == (Verdict.GRANTED, later)
    no = permission(vessel_arrival(), AT, assessment=Assessment(False, "officer-7", later, "security check"))
    assert no.verdict == Verdict.REFUSED and "security check" in no.en


def test_a_flight_from_elsewhere_in_the_eu_unloads_at_once_and_one_from_outside_does_not() -> None:
    assert permission(flight_arrival(arriving_from="DEFRA"), AT).ground == "eu_flight"
    assert permission(flight_arrival(arriving_from="USJFK"), AT).verdict == Verdict.AWAITING_ASSESSMENT
    assert permission(vessel_arrival(arriving_from="DEHAM"), AT).verdict == Verdict.AWAITING_ASSESSMENT


def test_a_departure_is_permitted_like_an_arrival() -> None:
    assert permission(vessel_departure(aeo_certificate=AEO), AT, {AEO}).verdict == Verdict.GRANTED
    assert permission(vessel_departure(), AT).verdict == Verdict.AWAITING_ASSESSMENT
    assert "depart" in permission(vessel_departure(), AT).en


# --- temporary storage (MIO) ---------------------------------------------------------------------------

def storage(**changes) -> StorageDeclaration:
    base = dict(arrival="ARR-1", holder=HOLDER, place="DKAAR-OPL-1", unloaded_at=AT, submitter=HOLDER,
                goods=(StoredGoods(1, "BL-1", "machines", 3),))
    base.update(changes)
    return StorageDeclaration(**base)


def test_a_storage_declaration_of_the_arrivals_goods_passes() -> None:
    assert check_storage(storage(), vessel_arrival(), AT + timedelta(hours=1)) == []


def test_the_storage_holder_is_the_arrivals() -> None:
    assert storage_names_holder(storage(holder="DK1"), vessel_arrival(), AT).code == "manifest.storage_holder"
    other = storage_names_holder(storage(holder=CARRIER), vessel_arrival(), AT)
    assert other.code == "manifest.storage_holder_differs"


def test_stored_goods_come_from_the_arrival() -> None:
    unknown = storage(goods=(StoredGoods(1, "BL-77", "x", 1), StoredGoods(2, "BL-2", "y", 0)))
    assert [p.code for p in storage_declares_goods_unloaded(unknown, vessel_arrival(), AT)] == [
        "manifest.storage_unknown_consignment", "manifest.storage_packages"]
    assert storage_declares_goods_unloaded(storage(goods=()), vessel_arrival(), AT).code == "manifest.storage_no_goods"


def test_goods_are_declared_once_unloaded() -> None:
    assert storage_not_before_unloading(storage(), vessel_arrival(), AT) is None
    assert storage_not_before_unloading(storage(), vessel_arrival(), AT - timedelta(seconds=1)) is not None


def test_the_90_day_limit_of_art_149_ucc_at_its_boundary() -> None:
    limit = storage_time_limit(storage())
    assert limit == AT + timedelta(days=90)
    assert storage_past_time_limit(storage(), limit, settled=False) is None
    assert storage_past_time_limit(storage(), limit + timedelta(seconds=1), False).code == "manifest.storage_time_limit"
    assert storage_past_time_limit(storage(), limit + timedelta(days=5), settled=True) is None


# --- the links ----------------------------------------------------------------------------------------------

def test_an_arrival_inserts_the_actual_arrival_into_its_import_declarations_only() -> None:
    inserted = actual_arrivals(vessel_arrival(), AT)
    assert [(i.declaration, i.event, i.at, i.place, i.transport_document) for i in inserted] == [
        (IMPORT_MRN, ACTUAL_ARRIVAL, AT, "DKAAR", "BL-1")]


def test_a_departure_inserts_the_exit_confirmation_into_its_exports() -> None:
    assert [(i.declaration, i.event) for i in exit_confirmations(vessel_departure(), AT)] == [
        (EXPORT_MRN, EXIT_CONFIRMATION)]
    with pytest.raises(ValueError):
        exit_confirmations(vessel_arrival(), AT)
    with pytest.raises(ValueError):
        actual_arrivals(vessel_departure(), AT)


def test_links_follow_the_direction() -> None:
    assert links_match_direction(vessel_departure()) == []
    wrong = vessel_arrival(consignments=(Consignment(1, "BL-1", LinkKind.EXPORT, EXPORT_MRN),))
    assert [p.code for p in links_match_direction(wrong)] == ["manifest.link_kind"]


def test_a_fallback_export_cannot_be_named_in_a_departure_the_exemption_code_is_used() -> None:
    problems = departure_names_no_fallback_export(vessel_departure(), {EXPORT_MRN})
    assert [p.code for p in problems] == ["manifest.fallback_export_named"] and "fritagelseskoden" in problems[0].da
    exempt = vessel_departure(consignments=(Consignment(1, "BL-9", exemption_code=FALLBACK_EXEMPTION_CODE),))
    assert check_filing(exempt, fallback_exports={EXPORT_MRN}) == []
    assert exit_confirmations(exempt, AT) == ()


def test_the_exemption_code_is_known_and_stands_alone() -> None:
    both = vessel_departure(consignments=(Consignment(1, "BL-9", LinkKind.EXPORT, EXPORT_MRN, "NODP"),))
    assert [p.code for p in exemption_code_stands_alone(both)] == ["manifest.exemption_and_declaration"]
    unknown = vessel_departure(consignments=(Consignment(1, "BL-9", exemption_code="ZZ"),))
    assert [p.code for p in exemption_code_stands_alone(unknown)] == ["manifest.exemption_code"]
    assert exemption_code_stands_alone(unknown, exemption_codes={"ZZ"}) == []


# --- correction and deletion at any status (seed 000's known defect is not reproduced) -------------------------

@pytest.mark.parametrize("kind", list(Amendment))
@pytest.mark.parametrize("status", range(0, 100))
def test_correction_and_deletion_with_remarks_filled_work_at_every_status(kind: Amendment, status: int) -> None:
    # Seed 000: "Bemærkningsfeltet må ikke være udfyldt, hvis angivelsens status er 11 eller derunder": here it may.
    assert check_amendment(AmendmentRequest(kind, status, remarks="wrong gross mass")) == []


def test_the_remarks_are_the_mandatory_field_they_are_marked_as() -> None:
    assert amendment_states_remarks(AmendmentRequest(Amendment.CORRECTION, 11, "  ")).code == "manifest.remarks_missing"
    assert amendment_states_remarks(AmendmentRequest(Amendment.DELETION, 20, "x" * 513)).code == "manifest.remarks_long"


def test_a_deleted_declaration_is_not_amended_again() -> None:
    gone = AmendmentRequest(Amendment.DELETION, 5, "again", deleted=True)
    assert amendment_of_existing_declaration(gone).code == "manifest.amend_deleted"
    assert amendment_of_existing_declaration(AmendmentRequest(Amendment.DELETION, 5, "once")) is None


# --- signatures ---------------------------------------------------------------------------------------------

def verified(eori: str) -> Verified:
    return Verified(eori, 1, "ab" * 32, f"CN=x, serialNumber=CVR:{eori[2:]}-UID:1", "cms-detached",
                    datetime(2026, 3, 10, tzinfo=timezone.utc), None, "cd" * 32)


def test_a_submission_signed_by_its_submitter_passes() -> None:
    assert submission_is_signed(verified(CARRIER), CARRIER) == []


def test_unsigned_badly_signed_and_others_signatures_are_refused_with_the_reason() -> None:
    assert [p.code for p in submission_is_signed(None, CARRIER)] == ["manifest.unsigned"]
    failed = submission_is_signed(problem("signature.digest", "signature", "digest differs", "digest afviger"), CARRIER)
    assert failed[0].code == "manifest.signature_invalid" and "digest differs" in failed[0].en
    assert submission_is_signed(verified(HOLDER), CARRIER)[0].code == "manifest.signature_other_company"
