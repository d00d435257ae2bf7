"""Full and simplified express clearance: who may use which, and when (seed 004, SPEC I).

Seed 004 has no numbered sections; docstrings cite its headings in Danish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from toldsystem.core.errors import Problem
from toldsystem.imports.rules.facts import Result, danish_day, import_problem
from toldsystem.imports.rules.model import (AuthorisationKind, CustomsCredit, Declaration, Procedure,
                                            WarehouseMovement)

TYPES_BY_PROCEDURE: dict[Procedure, frozenset[str]] = {
    Procedure.FULL_EXPRESS: frozenset({"A", "D"}),  # a standard declaration (UCC), D pre-lodged
    Procedure.STANDARD: frozenset({"A", "D"}),
    Procedure.PERIODIC_COMBINED: frozenset({"A"}),  # "en samlet standardfortoldning"
    Procedure.LETTER_POST: frozenset({"A"}),  # "en samlet fortoldningsangivelse"
    Procedure.SIMPLIFIED_EXPRESS: frozenset({"C", "F"}),  # simplified declaration, F pre-lodged
    Procedure.SUPPLEMENTARY: frozenset({"Y"}),  # UCC: Y supplements C and F (X supplements B and E)
}
PRE_LODGED = frozenset({"D", "F"})
EXPRESS = frozenset({Procedure.FULL_EXPRESS, Procedure.SIMPLIFIED_EXPRESS})
NO_CREDIT = frozenset({CustomsCredit.NONE, CustomsCredit.WITHDRAWN, CustomsCredit.REFUSED})


@dataclass(frozen=True, slots=True)
class FullExpressReason:
    """Why the goods must be declared to full express; `storage_alternative`: the agent may store them instead."""

    problem: Problem
    storage_alternative: bool


def additional_type_fits_procedure(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Hvad er ekspresproceduren?" / SPEC I: full express is A or D, simplified C or F, supplementary Y."""
    allowed = TYPES_BY_PROCEDURE.get(decl.procedure)
    if allowed is None or decl.additional_type in allowed:
        return None
    listed = ", ".join(sorted(allowed))
    return import_problem("additional_type.wrong", "/additionalDeclarationType",
                          f"a {decl.procedure.value} declaration has additional declaration type {listed}, "
                          f"not {decl.additional_type!r}",
                          f"en angivelse til {decl.procedure.value} har supplerende angivelsestype {listed}, "
                          f"ikke {decl.additional_type!r}")


def express_lodged_at_latest_at_presentation(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Hvor og hvornår kan ... anvendes?": express is lodged at the latest when the goods are presented."""
    if decl.procedure in EXPRESS and decl.presented_at is not None and decl.lodged_at > decl.presented_at:
        return import_problem("express.lodged_after_presentation", "/lodgedAt",
                              "an express declaration is lodged at the latest when the goods are presented "
                              "at the customs office",
                              "en ekspresangivelse skal afgives senest, når varerne angives ved "
                              "toldekspeditionsstedet")
    return None


def pre_lodged_type_before_presentation(decl: Declaration, at: datetime) -> Result:
    """SPEC I (UCC types): lodged before the goods are presented, an express declaration is pre-lodged, D or F."""
    if (decl.procedure in EXPRESS and decl.additional_type not in PRE_LODGED and decl.presented_at is not None
            and decl.lodged_at < decl.presented_at):
        return import_problem("additional_type.not_pre_lodged", "/additionalDeclarationType",
                              "lodged before the goods were presented, the declaration is pre-lodged: "
                              "type D (full) or F (simplified)",
                              "afgivet før varerne blev frembudt er angivelsen forudgående: "
                              "type D (fuldstændig) eller F (forenklet)")
    return None


def simplified_express_needs_authorisation(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Forenklet ekspres — Hvem kan anvende ordningen?": an authorisation valid on the day of lodging."""
    if decl.procedure != Procedure.SIMPLIFIED_EXPRESS:
        return None
    if decl.authorisation(AuthorisationKind.SIMPLIFIED_EXPRESS, danish_day(decl.lodged_at)) is None:
        return import_problem("simplified_express.not_authorised", "/authorisations",
                              "simplified express needs an authorisation from customs, valid on the day "
                              "the declaration is lodged (TBEK § 7, stk. 1)",
                              "forenklet ekspres kræver en tilladelse fra toldmyndigheden, gyldig den dag "
                              "angivelsen afgives (TBEK § 7, stk. 1)")
    return None


def full_express_reasons(decl: Declaration) -> list[FullExpressReason]:
    """Seed 004 "Varer, der altid skal angives til fuldstændig ekspres" (TBEK § 34, stk. 1): every case that applies."""
    found: list[FullExpressReason] = []
    for item in decl.goods:
        if item.special_import_provisions:
            found.append(FullExpressReason(import_problem(
                "full_express.special_provisions", f"{item.pointer}/specialImportProvisions",
                "goods under special import provisions are always declared to full express",
                "varer med særlige indførselsbestemmelser skal altid angives til fuldstændig ekspres"), False))
        if item.packaging_heavily_damaged:
            found.append(FullExpressReason(import_problem(
                "full_express.damaged_packaging", f"{item.pointer}/packagingHeavilyDamaged",
                "goods whose packaging is heavily damaged are always declared to full express",
                "varer, hvis emballage er meget beskadiget, skal altid angives til fuldstændig ekspres"), False))
    consignee = decl.consignee
    if consignee.private_person:
        found.append(FullExpressReason(import_problem(
            "full_express.private_consignee", "/consignee",
            "goods for a private person are always declared to full express",
            "varer, der indføres til private, skal altid angives til fuldstændig ekspres"), True))
    if consignee.customs_credit in NO_CREDIT:
        found.append(FullExpressReason(import_problem(
            "full_express.no_customs_credit", "/consignee/customsCredit",
            f"goods for a company without customs credit ({consignee.customs_credit.value}) are always "
            "declared to full express",
            f"varer til en virksomhed uden toldkredit ({consignee.customs_credit.value}) skal altid angives "
            "til fuldstændig ekspres"), True))
    if consignee.foreign:
        found.append(FullExpressReason(import_problem(
            "full_express.foreign_consignee", "/consignee/country",
            "goods for a foreign consignee are always declared to full express",
            "varer, der indføres til udenlandske varemodtagere, skal altid angives til fuldstændig ekspres"), True))
    return found


def goods_that_must_be_full_express(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Varer, der altid skal angives til fuldstændig ekspres": simplified express is refused for them."""
    if decl.procedure != Procedure.SIMPLIFIED_EXPRESS:
        return None
    found: list[Problem] = []
    for reason in full_express_reasons(decl):
        p = reason.problem
        if reason.storage_alternative and decl.represented:
            p = import_problem(p.code.removeprefix("import."), p.pointer,
                               p.en + "; or the clearing agent places them on its own temporary storage and is liable",
                               p.da + "; eller ekspeditøren oplægger dem på sit eget midlertidige oplag og hæfter")
        found.append(p)
    return found


def agent_temporary_storage_only_for_its_cases(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "I de tre sidstnævnte tilfælde...": the agent's own temporary storage is the agent's alternative only."""
    if not decl.agent_temporary_storage:
        return None
    found: list[Problem] = []
    if not decl.represented:
        found.append(import_problem("temporary_storage.not_an_agent", "/declarant/role",
                                    "only the clearing agent (ekspeditøren) may place the goods on its own "
                                    "temporary storage instead of full express",
                                    "kun ekspeditøren kan oplægge varerne på sit eget midlertidige oplag i "
                                    "stedet for fuldstændig ekspres"))
    for reason in full_express_reasons(decl):
        if not reason.storage_alternative:
            found.append(import_problem(
                reason.problem.code.removeprefix("import.") + ".no_storage_alternative", reason.problem.pointer,
                reason.problem.en + ", temporary storage is no alternative for them",
                reason.problem.da + ", midlertidig opbevaring er ikke et alternativ for dem"))
    return found


def simplified_express_not_allowed_for(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Forenklet ekspresfortoldning kan ikke anvendes" (TBEK § 7, stk. 5): quota, AD cash, warehouse, licence."""
    if decl.procedure != Procedure.SIMPLIFIED_EXPRESS:
        return None
    found: list[Problem] = []
    for item in decl.goods:
        cases = (
            (item.tariff_quota_requested, "tariff_quota", "tariffQuota", "a tariff-quota request",
             "anmodning om kontingenttoldbehandling"),
            (item.anti_dumping_cash_security, "anti_dumping_cash_security", "antiDumpingCashSecurity",
             "cash security for anti-dumping duty", "kontant sikkerhedsstillelse for antidumpingtold"),
            (item.warehouse != WarehouseMovement.NONE, "customs_warehouse", "warehouse",
             "entry into or removal from a customs warehouse", "til- eller fraførsel fra toldoplag"),
            (item.simplified_licence, "simplified_licence", "simplifiedLicence", "simplified licence issuance",
             "forenklet bevillingsudstedelse"),
        )
        for applies, code, field, en, da in cases:
            if applies:
                found.append(import_problem(f"simplified_express.not_for_{code}", f"{item.pointer}/{field}",
                                            f"simplified express cannot be used for {en}",
                                            f"forenklet ekspres kan ikke anvendes ved {da}"))
    return found


def forwarder_holds_power_of_attorney(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Underretning af varemodtager" (TBEK § 8): a forwarder's simplified express needs the consignee's power."""
    if decl.procedure != Procedure.SIMPLIFIED_EXPRESS or not decl.represented:
        return None
    day = danish_day(decl.lodged_at)
    if any(p.consignee == decl.consignee.identifier and p.forwarder == decl.declarant.identifier and p.valid_on(day)
           for p in decl.powers_of_attorney):
        return None
    return import_problem("simplified_express.no_power_of_attorney", "/powersOfAttorney",
                          "a forwarder lodging simplified express needs the consignee's power of attorney, "
                          "valid on the day",
                          "en speditør, der angiver til forenklet ekspres, skal have fuldmagt fra varemodtageren, "
                          "gyldig på dagen")


RULES = (
    additional_type_fits_procedure, express_lodged_at_latest_at_presentation, pre_lodged_type_before_presentation,
    simplified_express_needs_authorisation, goods_that_must_be_full_express,
    agent_temporary_storage_only_for_its_cases, simplified_express_not_allowed_for,
    forwarder_holds_power_of_attorney,
)
