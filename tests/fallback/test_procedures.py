"""Per procedure (seed 002): import, NCTS with the 2 % rule, TIR, export with its follow-up, the Manifest lists."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.money import Money
from toldsystem.fallback.rules import export_paper as ex
from toldsystem.fallback.rules import import_paper as im
from toldsystem.fallback.rules import transit as tr
from toldsystem.fallback.rules.manifest_paper import file_transfer_down_uses_online, manifest_notice_complete
from toldsystem.fallback.rules.model import Cause
from toldsystem.manifest.rules.model import Carrier
from tests.manifest.factory import flight_arrival, vessel_arrival, vessel_departure

AT = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


# --- import -------------------------------------------------------------------------------------------------

def import_paper(**changes) -> im.ImportPaper:
    base = dict(clearance=im.Clearance.FULL_EXPRESS, copies=frozenset({6, 7, 8}), importer_registered=True,
                has_credit=True, manual_duties=(Money(Decimal("1250.00"), "DKK"),), released_at=AT,
                copy_7_to="DK13585628")
    base.update(changes)
    return im.ImportPaper(**base)


def test_an_import_sad_in_order_passes_and_may_be_released() -> None:
    assert im.check_import_paper(import_paper()) == []
    assert im.may_release_import_paper(import_paper())


def test_import_uses_copies_6_7_8() -> None:
    assert im.import_sad_copies_6_7_8(import_paper(copies=frozenset({6, 7}))).code == "fallback.import_copies"


def test_the_office_checks_registration_and_credit() -> None:
    assert codes(im.import_office_checks_registration_and_credit(import_paper(importer_registered=None,
                                                                              has_credit=False))) == [
        "fallback.import_registration", "fallback.import_credit"]
    assert not im.may_release_import_paper(import_paper(has_credit=False))


@pytest.mark.parametrize(("clearance", "needed"), [(im.Clearance.FULL_EXPRESS, True), (im.Clearance.STANDARD, True),
                                                   (im.Clearance.SIMPLIFIED_EXPRESS, False)])
def test_duties_are_calculated_by_hand_for_full_express_and_standard(clearance: im.Clearance, needed: bool) -> None:
    found = im.import_manual_duty_calculation(import_paper(clearance=clearance, manual_duties=()))
    assert (found is not None) == needed


def test_copy_7_goes_to_the_representative_at_release() -> None:
    assert im.import_copy_7_to_the_representative(import_paper(copy_7_to="")).code == "fallback.import_copy_7"
    assert im.import_copy_7_to_the_representative(import_paper(copy_7_to="", released_at=None)) is None


def test_the_declaration_is_keyed_in_once_the_system_is_back() -> None:
    back = AT + timedelta(hours=2)
    assert im.import_keyed_in_as_soon_as_possible(import_paper(), back, AT) is None
    assert im.import_keyed_in_as_soon_as_possible(import_paper(), back, back).code == "fallback.import_key_in"
    assert im.import_keyed_in_as_soon_as_possible(import_paper(keyed_in_at=back), back, back) is None


# --- NCTS and TIR -----------------------------------------------------------------------------------------------

def transit_paper(**changes) -> tr.TransitPaper:
    base = dict(layout=tr.Layout.SAD, copies=frozenset({1, 4, 5}), box_c_number="DK003102-NPT-26-000001",
                cause=Cause.AGENCY_SYSTEM, stamp_place=tr.StampPlace.BOX_A, stamp_started_at=AT)
    base.update(changes)
    return tr.TransitPaper(**base)


def test_an_ncts_paper_declaration_in_order_passes() -> None:
    assert tr.check_transit_paper(transit_paper()) == []
    assert tr.check_transit_paper(transit_paper(layout=tr.Layout.TAD, tad_justified=True,
                                                stamp_place=tr.StampPlace.INSTEAD_OF_MRN)) == []


def test_ncts_copies_1_4_5_or_one_copy_when_the_office_keys_it_in() -> None:
    assert tr.ncts_copies_1_4_5(transit_paper(copies=frozenset({1, 4}))).code == "fallback.ncts_copies"
    one = transit_paper(copies=frozenset({1}), cause=Cause.NETWORK, one_copy_keying_allowed=True)
    assert tr.ncts_copies_1_4_5(one) is None
    assert tr.ncts_copies_1_4_5(replace(one, cause=Cause.AGENCY_SYSTEM)) is not None


def test_the_tad_layout_needs_customs_to_find_the_need_justified() -> None:
    assert tr.ncts_tad_layout_needs_justification(transit_paper(layout=tr.Layout.TAD)).code == "fallback.ncts_tad"


def test_box_c_holds_a_number_of_the_separate_series() -> None:
    assert tr.ncts_box_c_from_the_fallback_series(transit_paper(box_c_number="26DK00310200000001J5")) is not None


def test_no_mrn_or_barcode() -> None:
    assert tr.ncts_no_mrn_or_barcode(transit_paper(barcode_shown=True)).code == "fallback.ncts_mrn"
    assert tr.ncts_no_mrn_or_barcode(transit_paper(mrn_shown=True)) is not None


def test_the_stamp_is_dated_and_in_box_a_or_in_place_of_the_mrn_on_a_tad() -> None:
    assert tr.ncts_stamp_in_its_place(transit_paper(stamp_place=tr.StampPlace.NONE)).code == "fallback.ncts_stamp"
    assert tr.ncts_stamp_in_its_place(transit_paper(stamp_started_at=None)) is not None
    tad = transit_paper(layout=tr.Layout.TAD, tad_justified=True, stamp_place=tr.StampPlace.BOX_A)
    assert "MRN" in tr.ncts_stamp_in_its_place(tad).en


def test_the_authorised_consignor_stamps_itself_the_office_otherwise() -> None:
    assert tr.ncts_stamped_by_the_right_party(transit_paper(authorised_consignor=True, stamped_by_consignor=True)) \
        is None
    assert tr.ncts_stamped_by_the_right_party(transit_paper(authorised_consignor=True)) is not None
    assert tr.ncts_stamped_by_the_right_party(transit_paper(stamped_by_consignor=True)) is not None


def test_declarations_stuck_in_ncts_are_cancelled_and_the_office_told() -> None:
    stuck = transit_paper(stuck_declarations=("26DK00310200000001J5",))
    assert "26DK00310200000001J5" in tr.ncts_stuck_declarations_cancelled(stuck).en
    assert tr.ncts_stuck_declarations_cancelled(replace(stuck, stuck_cancelled_and_told=True)) is None


def test_the_trader_tells_customs_when_its_own_system_is_back() -> None:
    assert tr.trader_tells_customs_when_back(Cause.NETWORK, AT, None).code == "fallback.ncts_tell_back"
    assert tr.trader_tells_customs_when_back(Cause.NETWORK, AT, AT) is None
    assert tr.trader_tells_customs_when_back(Cause.AGENCY_SYSTEM, AT, None) is None
    assert tr.trader_tells_customs_when_back(Cause.TRADER_SYSTEM, None, None) is None


@pytest.mark.parametrize(("declarations", "own", "flagged"), [(100, 2, False), (100, 3, True), (1000, 20, False),
                                                              (1000, 21, True), (0, 0, False), (0, 1, True)])
def test_the_2_percent_rule_at_its_boundary(declarations: int, own: int, flagged: bool) -> None:
    share = tr.consignor_share(2026, declarations, [Cause.TRADER_SYSTEM] * own)
    assert share.review == flagged
    assert (tr.consignor_share_flag(share) is not None) == flagged


def test_the_2_percent_counts_only_the_consignors_own_system_or_network() -> None:
    causes = [Cause.AGENCY_SYSTEM] * 10 + [Cause.NETWORK, Cause.TRADER_SYSTEM]
    share = tr.consignor_share(2026, 100, causes)
    assert (share.own_fallback, share.review) == (2, False)
    assert tr.consignor_share(2026, 100, causes + [Cause.NETWORK]).review


def test_tir_counterfoil_1_and_voucher_2_are_stamped_by_the_office() -> None:
    good = tr.TirPaper(frozenset({"counterfoil_1", "voucher_2"}), True, AT)
    assert tr.tir_stamp_on_counterfoil_1_and_voucher_2(good) is None
    assert tr.tir_stamp_on_counterfoil_1_and_voucher_2(replace(good, stamped=frozenset({"counterfoil_1"}))) is not None
    assert tr.tir_stamp_on_counterfoil_1_and_voucher_2(replace(good, stamped_by_office=False)) is not None


# --- export -------------------------------------------------------------------------------------------------

def export_paper(**changes) -> ex.ExportPaper:
    base = dict(document=ex.ExportDocument.SAD, started_at=AT, copies=frozenset({2, 3}),
                box_a_number="DK003102-NPE-26-000007", stamp_in_box_a=True, box_d_stamped_and_signed=True)
    base.update(changes)
    return ex.ExportPaper(**base)


def test_an_export_sad_in_order_passes() -> None:
    assert ex.check_export_paper(export_paper()) == []
    assert ex.check_export_paper(export_paper(document=ex.ExportDocument.SAD_PRINT, copies=frozenset(), prints=2)) == []
    assert ex.check_export_paper(export_paper(document=ex.ExportDocument.ECS_PRINT, box_a_number="",
                                              copy_kept_for_follow_up=True)) == []


def test_export_copies_2_and_3_or_two_prints() -> None:
    assert ex.export_copies_2_and_3(export_paper(copies=frozenset({2}))).code == "fallback.export_copies"
    assert ex.export_copies_2_and_3(export_paper(document=ex.ExportDocument.SAD_PRINT, prints=1)).code == \
        "fallback.export_prints"


def test_box_a_holds_the_special_series_and_the_stamp() -> None:
    assert ex.export_special_number_in_box_a(export_paper(box_a_number="DK003102-NPT-26-000007")) is not None
    assert ex.export_stamp_in_box_a(export_paper(stamp_in_box_a=False)).code == "fallback.export_stamp"


def test_the_office_signs_box_d_the_authorised_exporter_signs_and_stamps_box_c() -> None:
    assert ex.export_office_or_authorised_exporter_signs(export_paper(box_d_stamped_and_signed=False)).code == \
        "fallback.export_box_d"
    exporter = export_paper(authorised_exporter=True, box_d_stamped_and_signed=False, exporter_signed=True)
    assert ex.export_office_or_authorised_exporter_signs(exporter).code == "fallback.export_authorised_exporter"
    assert ex.export_office_or_authorised_exporter_signs(replace(exporter, box_c_exporter_stamp=True)) is None


def test_a_copy_of_the_ecs_print_is_kept() -> None:
    assert ex.export_print_copy_kept(export_paper(document=ex.ExportDocument.ECS_PRINT)).code == \
        "fallback.export_print_copy"


def test_copy_2_is_overdue_after_a_week() -> None:
    # Begun 09:00 Copenhagen on Tuesday 10 March: due by the end of Tuesday 17 March, Danish time.
    due = ex.copy_2_due(export_paper())
    assert due == datetime(2026, 3, 17, 23, 0, tzinfo=timezone.utc)
    assert ex.copy_2_overdue(export_paper(), due - timedelta(seconds=1)) is None
    assert ex.copy_2_overdue(export_paper(), due).code == "fallback.export_copy_2_overdue"
    assert ex.copy_2_overdue(export_paper(copy_2_received_at=AT + timedelta(days=3)), due) is None


def test_the_follow_up_outcomes_carry_the_seeds_exact_remarks() -> None:
    not_registered = ex.export_follow_up(export_paper())
    assert [(s.action, s.field, s.remark) for s in not_registered] == [
        (ex.Action.SUBSEQUENT_DECLARATION, "44.6", "Nødprocedure"),
        (ex.Action.ARRIVAL_NOTIFICATION, "location", "exited af udf.toldstedet pga nødp."),
        (ex.Action.EXIT_CERTIFICATE, "", "")]
    with_mrn = ex.export_follow_up(export_paper(registered_in_ecs=True, mrn="26DK0000000000001E"))
    assert [s.action for s in with_mrn] == [ex.Action.ARRIVAL_NOTIFICATION, ex.Action.EXIT_CERTIFICATE]
    no_mrn = ex.export_follow_up(export_paper(registered_in_ecs=True))
    assert [(s.action, s.field, s.remark) for s in no_mrn] == [(ex.Action.CORRECTION, "44.6", "ingen MRN pga af nødp")]
    assert ex.SUBSEQUENT_DECLARATION_TYPE == "28"


def test_at_the_office_of_exit_the_ead_names_the_storage_place_in_box_k() -> None:
    assert ex.exit_ead_names_storage_place(ex.ExitPaper(True, "Terminal 3, Aarhus Havn")) is None
    assert ex.exit_ead_names_storage_place(ex.ExitPaper(True, " ")).code == "fallback.exit_box_k"
    assert ex.exit_ead_names_storage_place(ex.ExitPaper(False, "x")) is not None


# --- Manifest -------------------------------------------------------------------------------------------------

def test_a_complete_paper_notice_passes_for_each_list() -> None:
    for movement in (vessel_arrival(), flight_arrival(), vessel_departure()):
        assert manifest_notice_complete(movement) == []


def test_a_paper_notice_lacking_a_field_of_the_seeds_list_names_it() -> None:
    missing = manifest_notice_complete(vessel_arrival(imo_number="", carrier=Carrier(name="Line")))
    assert [p.pointer for p in missing] == ["/imo_number", "/carrier"]
    assert "Transportmidlets IMO-nr. (kun søtransport)" in missing[0].da
    assert [p.pointer for p in manifest_notice_complete(flight_arrival(route_number="",
                                                                       unloads_third_country_freight=None))] == [
        "/route_number", "/unloads_third_country_freight"]


def test_the_authorised_consignor_uses_its_special_stamp_in_box_c() -> None:
    consignor = transit_paper(authorised_consignor=True, stamped_by_consignor=True)
    assert tr.ncts_authorised_consignor_box_c_stamp(consignor).code == "fallback.ncts_box_c_stamp"
    assert tr.ncts_authorised_consignor_box_c_stamp(replace(consignor, box_c_consignor_stamp=True)) is None
    assert tr.ncts_authorised_consignor_box_c_stamp(transit_paper()) is None


def test_with_only_its_file_transfer_down_a_company_uses_the_online_manifest_with_an_individual_signature() -> None:
    assert file_transfer_down_uses_online(True) is None
    assert file_transfer_down_uses_online(False).code == "fallback.online_signature"


@given(st.integers(0, 100_000), st.integers(0, 5_000))
def test_the_2_percent_flag_is_exactly_more_than_one_fiftieth(declarations: int, own: int) -> None:
    share = tr.consignor_share(2026, declarations, [Cause.NETWORK] * own)
    assert share.review == (Fraction(own) > Fraction(2, 100) * declarations)
