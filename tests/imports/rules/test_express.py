"""Full and simplified express (seed 004): who may, the cases always full express, the power of attorney."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from toldsystem.imports.rules import check_declaration
from toldsystem.imports.rules.express import (additional_type_fits_procedure, agent_temporary_storage_only_for_its_cases,
                                              express_lodged_at_latest_at_presentation, forwarder_holds_power_of_attorney,
                                              goods_that_must_be_full_express, pre_lodged_type_before_presentation,
                                              simplified_express_needs_authorisation, simplified_express_not_allowed_for)
from toldsystem.imports.rules.model import (AuthorisationKind, Consignee, CustomsCredit, Declarant, DeclarantRole,
                                            PowerOfAttorney, Procedure, WarehouseMovement)
from toldsystem.imports.rules.notification import consignee_notice

from tests.imports.rules.factory import FORWARDER, IMPORTER, LODGED, authorisation, codes, declaration, item

AT = LODGED


def test_the_valid_simplified_express_declaration_has_no_problems() -> None:
    assert check_declaration(declaration(), AT) == []


def test_full_express_needs_no_authorisation_and_suits_a_private_person() -> None:
    decl = declaration(procedure=Procedure.FULL_EXPRESS, additional_type="D", authorisations=(),
                       powers_of_attorney=(), consignee=Consignee("19800101-1234", "Jens Hansen", private_person=True,
                                                                  customs_credit=CustomsCredit.NONE))
    assert check_declaration(decl, AT) == []


@pytest.mark.parametrize(("procedure", "good", "bad"), [
    (Procedure.FULL_EXPRESS, "A", "C"), (Procedure.SIMPLIFIED_EXPRESS, "F", "D"),
    (Procedure.SUPPLEMENTARY, "Y", "A"), (Procedure.SUPPLEMENTARY, "Y", "X"), (Procedure.PERIODIC_COMBINED, "A", "C"),
])
def test_additional_type_fits_procedure(procedure: Procedure, good: str, bad: str) -> None:
    assert additional_type_fits_procedure(declaration(procedure=procedure, additional_type=good), AT) is None
    found = additional_type_fits_procedure(declaration(procedure=procedure, additional_type=bad), AT)
    assert found is not None and found.code == "import.additional_type.wrong"


def test_express_lodged_after_presentation_is_late() -> None:
    assert express_lodged_at_latest_at_presentation(declaration(), AT) is None
    late = declaration(lodged_at=LODGED + timedelta(hours=4), additional_type="C")
    found = express_lodged_at_latest_at_presentation(late, AT)
    assert found is not None and found.code == "import.express.lodged_after_presentation"
    assert express_lodged_at_latest_at_presentation(replace(late, presented_at=None), AT) is None


def test_lodged_before_presentation_is_pre_lodged() -> None:
    assert pre_lodged_type_before_presentation(declaration(additional_type="F"), AT) is None
    found = pre_lodged_type_before_presentation(declaration(additional_type="C"), AT)
    assert found is not None and found.code == "import.additional_type.not_pre_lodged"
    presented_first = declaration(additional_type="C", presented_at=LODGED - timedelta(minutes=5))
    assert pre_lodged_type_before_presentation(presented_first, AT) is None


def test_simplified_express_needs_an_authorisation_valid_on_the_day() -> None:
    assert simplified_express_needs_authorisation(declaration(), AT) is None
    expired = declaration(authorisations=(authorisation(valid_until=date(2026, 3, 9)),))
    assert simplified_express_needs_authorisation(expired, AT).code == "import.simplified_express.not_authorised"
    not_yet = declaration(authorisations=(authorisation(valid_from=date(2026, 3, 11)),))
    assert simplified_express_needs_authorisation(not_yet, AT) is not None
    other_kind = declaration(authorisations=(authorisation(kind=AuthorisationKind.PERIODIC),))
    assert simplified_express_needs_authorisation(other_kind, AT) is not None
    someone_elses = declaration(authorisations=(authorisation(holder="DK20406089"),))
    assert simplified_express_needs_authorisation(someone_elses, AT) is not None
    consignees_own = declaration(authorisations=(authorisation(holder=IMPORTER),))
    assert simplified_express_needs_authorisation(consignees_own, AT) is None


def test_the_last_day_of_validity_counts_in_danish_time() -> None:
    # 23:30 UTC on 9 March is 00:30 on 10 March in Copenhagen: an authorisation ending on the 9th has expired.
    late_evening = LODGED.replace(day=9, hour=23, minute=30)
    decl = declaration(lodged_at=late_evening, authorisations=(authorisation(valid_until=date(2026, 3, 9)),))
    assert simplified_express_needs_authorisation(decl, AT) is not None


@pytest.mark.parametrize(("changes", "code"), [
    ({"goods": (item(special_import_provisions=True),)}, "import.full_express.special_provisions"),
    ({"goods": (item(packaging_heavily_damaged=True),)}, "import.full_express.damaged_packaging"),
    ({"consignee": Consignee("x", "Privat", private_person=True)}, "import.full_express.private_consignee"),
    ({"consignee": Consignee(IMPORTER, "I", customs_credit=CustomsCredit.WITHDRAWN)}, "import.full_express.no_customs_credit"),
    ({"consignee": Consignee(IMPORTER, "I", customs_credit=CustomsCredit.REFUSED)}, "import.full_express.no_customs_credit"),
    ({"consignee": Consignee(IMPORTER, "I", customs_credit=CustomsCredit.NONE)}, "import.full_express.no_customs_credit"),
    ({"consignee": Consignee("SE556000000001", "Svensk AB", country="SE")}, "import.full_express.foreign_consignee"),
])
def test_goods_that_must_be_full_express(changes: dict, code: str) -> None:
    found = goods_that_must_be_full_express(declaration(**changes), AT)
    assert codes(found) == [code]
    assert goods_that_must_be_full_express(declaration(procedure=Procedure.FULL_EXPRESS, additional_type="D",
                                                       **changes), AT) is None


def test_the_agent_is_told_of_its_storage_alternative_only_for_the_last_three_cases() -> None:
    private = goods_that_must_be_full_express(declaration(consignee=Consignee("x", "P", private_person=True)), AT)
    assert "temporary storage" in private[0].en and "midlertidige oplag" in private[0].da
    damaged = goods_that_must_be_full_express(declaration(goods=(item(packaging_heavily_damaged=True),)), AT)
    assert "temporary storage" not in damaged[0].en
    own = declaration(declarant=Declarant(IMPORTER, "I", DeclarantRole.CONSIGNEE),
                      consignee=Consignee(IMPORTER, "I", customs_credit=CustomsCredit.REFUSED))
    assert "temporary storage" not in goods_that_must_be_full_express(own, AT)[0].en


def test_agent_temporary_storage() -> None:
    foreign = declaration(procedure=Procedure.STANDARD, additional_type="A", agent_temporary_storage=True,
                          consignee=Consignee("SE556000000001", "Svensk AB", country="SE"))
    assert agent_temporary_storage_only_for_its_cases(foreign, AT) == []
    by_consignee = replace(foreign, declarant=Declarant(IMPORTER, "I", DeclarantRole.CONSIGNEE))
    assert codes(agent_temporary_storage_only_for_its_cases(by_consignee, AT)) == ["import.temporary_storage.not_an_agent"]
    special = replace(foreign, goods=(item(special_import_provisions=True),))
    assert codes(agent_temporary_storage_only_for_its_cases(special, AT)) == [
        "import.full_express.special_provisions.no_storage_alternative"]


@pytest.mark.parametrize(("changes", "code", "pointer"), [
    ({"tariff_quota_requested": True}, "import.simplified_express.not_for_tariff_quota", "/goods/1/tariffQuota"),
    ({"anti_dumping_cash_security": True}, "import.simplified_express.not_for_anti_dumping_cash_security",
     "/goods/1/antiDumpingCashSecurity"),
    ({"warehouse": WarehouseMovement.ENTRY}, "import.simplified_express.not_for_customs_warehouse", "/goods/1/warehouse"),
    ({"warehouse": WarehouseMovement.REMOVAL}, "import.simplified_express.not_for_customs_warehouse", "/goods/1/warehouse"),
    ({"simplified_licence": True}, "import.simplified_express.not_for_simplified_licence", "/goods/1/simplifiedLicence"),
])
def test_simplified_express_not_allowed_for(changes: dict, code: str, pointer: str) -> None:
    found = simplified_express_not_allowed_for(declaration(goods=(item(**changes),)), AT)
    assert [(p.code, p.pointer) for p in found] == [(code, pointer)]
    full = declaration(procedure=Procedure.FULL_EXPRESS, additional_type="D", goods=(item(**changes),))
    assert simplified_express_not_allowed_for(full, AT) is None


def test_forwarder_holds_the_consignees_power_of_attorney() -> None:
    assert forwarder_holds_power_of_attorney(declaration(), AT) is None
    none = declaration(powers_of_attorney=())
    assert forwarder_holds_power_of_attorney(none, AT).code == "import.simplified_express.no_power_of_attorney"
    for_another = declaration(powers_of_attorney=(PowerOfAttorney("DK20406089", FORWARDER, date(2025, 1, 1)),))
    assert forwarder_holds_power_of_attorney(for_another, AT) is not None
    expired = declaration(powers_of_attorney=(PowerOfAttorney(IMPORTER, FORWARDER, date(2025, 1, 1), date(2026, 1, 1)),))
    assert forwarder_holds_power_of_attorney(expired, AT) is not None
    own = declaration(powers_of_attorney=(), declarant=Declarant(IMPORTER, "I", DeclarantRole.CONSIGNEE),
                      authorisations=(authorisation(holder=IMPORTER),))
    assert forwarder_holds_power_of_attorney(own, AT) is None


def test_check_declaration_collects_every_problem_of_a_bad_simplified_express() -> None:
    decl = declaration(authorisations=(), powers_of_attorney=(), goods=(item(tariff_quota_requested=True),),
                       consignee=Consignee("x", "Privat", private_person=True))
    assert codes(check_declaration(decl, AT)) == [
        "import.simplified_express.not_authorised", "import.full_express.private_consignee",
        "import.simplified_express.not_for_tariff_quota", "import.simplified_express.no_power_of_attorney"]


def test_the_forwarder_notifies_the_consignee_of_simplified_express() -> None:
    notice = consignee_notice(declaration())
    assert notice is not None and notice.to == IMPORTER
    for text in (notice.en, notice.da):
        assert "Speditøren A/S" in text and "Havnegade 1, 8000 Aarhus C" in text and "+45 70 00 00 00" in text
    assert "simplified express" in notice.en and "supplementary" in notice.en
    assert "forenklet ekspresfortoldning" in notice.da and "supplerende angivelse" in notice.da
    assert consignee_notice(declaration(procedure=Procedure.FULL_EXPRESS, additional_type="D")) is None
    assert consignee_notice(declaration(declarant=Declarant(IMPORTER, "I", DeclarantRole.CONSIGNEE))) is None


def test_a_declaration_takes_only_aware_instants() -> None:
    with pytest.raises(ValueError, match="aware"):
        declaration(lodged_at=LODGED.replace(tzinfo=None))
