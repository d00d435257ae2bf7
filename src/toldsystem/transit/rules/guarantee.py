"""Guarantee rules of the declaration (box 52; R0900, C0085, C0086, C0130, R0318).

These are the checks on what the declaration carries; whether a GRN exists, belongs to the
holder and covers the amount is the GMS's to check at release (guarantee_check.py).
"""

from __future__ import annotations

from decimal import Decimal

from toldsystem.core.identifiers import GRN_PATTERN, VOUCHER_GRN_PATTERN, is_valid_grn
from toldsystem.transit.declaration import Declaration, Guarantee, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

TIR = "TIR"
TIR_GUARANTEE = "B"
CASH_DEPOSIT, VOUCHERS, SMALL_AMOUNT_WAIVER, PUBLIC_BODIES = "3", "4", "5", "8"
AUTHORISED_CONSIGNOR_GUARANTEE_TYPES = frozenset({"0", "1"})
SMALL_AMOUNT_LIMIT_EUR = Decimal(500)
AMOUNT_DECIMALS = 2
UNION_SIDE_COUNTRIES = frozenset({"SM", "AD"})  # R0900: with the EU, guarantee types of CL230


def _judged(guarantees: tuple[Guarantee, ...], ctx: RuleContext) -> list[Guarantee]:
    """The guarantees whose type the conditions can judge: an unknown type is the code-list rule's to report."""
    return [g for g in guarantees if g.guarantee_type is not None
            and (not ctx.knows("CL251") or ctx.in_list("CL251", g.guarantee_type))]


def guarantee_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52 (seed 003): every declaration states its guarantee."""
    if not decl.guarantees:
        return transit_problem("guarantee.missing", at(decl.root, "Guarantee"), "state the guarantee",
                               "angiv sikkerhedsstillelsen")
    return None


def guarantee_type_fits_the_declaration_and_the_office_of_departure(decl: Declaration, ctx: RuleContext) -> Result:
    """R0900: TIR uses guarantee type B only; from the EU, San Marino or Andorra a type of CL230, elsewhere of CL229."""
    tir = decl.transit_operation.declaration_type == TIR
    departure = decl.departure_country
    allowed = "CL230" if ctx.is_eu(departure) or departure in UNION_SIDE_COUNTRIES else "CL229"
    found = []
    for g in _judged(decl.guarantees, ctx):
        pointer = at(g.pointer, "guaranteeType")
        if tir and g.guarantee_type != TIR_GUARANTEE:
            found.append(transit_problem("guarantee.type_for_tir", pointer,
                                         "a TIR declaration uses guarantee type B (TIR carnet)",
                                         "en TIR-angivelse bruger sikkerhedsstillelsesart B (TIR-carnet)"))
        elif not tir and ctx.knows(allowed) and not ctx.in_list(allowed, g.guarantee_type):
            found.append(transit_problem("guarantee.type_for_office_of_departure", pointer,
                                         f"guarantee type {g.guarantee_type} cannot be used from {departure} "
                                         f"({allowed})",
                                         f"sikkerhedsstillelsesart {g.guarantee_type} kan ikke bruges fra "
                                         f"{departure} ({allowed})"))
    return found


def other_guarantee_reference_for_public_bodies_and_cash_only(decl: Declaration, ctx: RuleContext) -> Result:
    """C0130: type 8 (public bodies) states its other guarantee reference; type 3 (cash) may; others do not."""
    found = []
    for g in _judged(decl.guarantees, ctx):
        pointer = at(g.pointer, "otherGuaranteeReference")
        if g.guarantee_type == PUBLIC_BODIES and g.other_guarantee_reference is None:
            found.append(transit_problem("guarantee.other_reference_missing", pointer,
                                         "guarantee type 8 states the other guarantee reference",
                                         "sikkerhedsstillelsesart 8 angiver den anden sikkerhedsreference"))
        elif g.guarantee_type not in (PUBLIC_BODIES, CASH_DEPOSIT) and g.other_guarantee_reference is not None:
            found.append(transit_problem("guarantee.other_reference_not_allowed", pointer,
                                         f"guarantee type {g.guarantee_type} has no other guarantee reference",
                                         f"sikkerhedsstillelsesart {g.guarantee_type} har ingen anden sikkerhedsreference"))
    return found


def guarantee_reference_for_types_with_a_reference(decl: Declaration, ctx: RuleContext) -> Result:
    """C0085: the types of CL076 (0-5, 9) state a guarantee reference; the others (8, A, B, J, R) do not."""
    found = []
    for g in _judged(decl.guarantees, ctx):
        with_reference = ctx.in_list("CL076", g.guarantee_type)
        if with_reference and not g.references:
            found.append(transit_problem("guarantee.reference_missing", at(g.pointer, "GuaranteeReference"),
                                         f"guarantee type {g.guarantee_type} states its guarantee reference",
                                         f"sikkerhedsstillelsesart {g.guarantee_type} angiver sin sikkerhedsreference"))
        elif not with_reference and g.references:
            found.append(transit_problem("guarantee.reference_not_allowed", g.references[0].pointer,
                                         f"guarantee type {g.guarantee_type} has no guarantee reference",
                                         f"sikkerhedsstillelsesart {g.guarantee_type} har ingen sikkerhedsreference"))
    return found


def grn_and_access_code_for_types_with_a_grn(decl: Declaration, ctx: RuleContext) -> Result:
    """C0086 (seed 003 box 52): the types of CL286 (0, 1, 2, 4, 9) state a GRN and its access code; others neither."""
    found = []
    for g in _judged(decl.guarantees, ctx):
        with_grn = ctx.in_list("CL286", g.guarantee_type)
        for ref in g.references:
            for name, code, value in (("GRN", "grn", ref.grn), ("accessCode", "access_code", ref.access_code)):
                if with_grn and value is None:
                    found.append(transit_problem(f"guarantee.{code}_missing", at(ref.pointer, name),
                                                 f"guarantee type {g.guarantee_type} needs the {name}",
                                                 f"sikkerhedsstillelsesart {g.guarantee_type} kræver {name}"))
                elif not with_grn and value is not None:
                    found.append(transit_problem(f"guarantee.{code}_not_allowed", at(ref.pointer, name),
                                                 f"guarantee type {g.guarantee_type} has no {name}",
                                                 f"sikkerhedsstillelsesart {g.guarantee_type} har ikke {name}"))
    return found


def grn_has_the_length_of_its_type_and_a_valid_check_digit(decl: Declaration, ctx: RuleContext) -> Result:
    """R0318 (seed 003 box 52): a voucher (type 4) GRN has 24 characters, any other 17; its check digit is right."""
    found = []
    for g in decl.guarantees:
        pattern = VOUCHER_GRN_PATTERN if g.guarantee_type == VOUCHERS else GRN_PATTERN
        for ref in g.references:
            if ref.grn is not None and not (pattern.fullmatch(ref.grn) and is_valid_grn(ref.grn)):
                found.append(transit_problem("guarantee.grn_malformed", at(ref.pointer, "GRN"),
                                             f"{ref.grn} is not a valid GRN for guarantee type {g.guarantee_type}"
                                             " (17 characters with check digit; 24 for vouchers, type 4)",
                                             f"{ref.grn} er ikke et gyldigt GRN for art {g.guarantee_type}"
                                             " (17 tegn med kontrolciffer; 24 for sikkerhedsdokumenter, art 4)"))
    return found


def guarantee_amount_and_currency_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Seed 003 'Procedure ved afgivelse af IE15' (a national rule; B2101 too): each reference states amount and currency."""
    found = []
    for g in decl.guarantees:
        for ref in g.references:
            if ref.amount_to_be_covered is None:
                found.append(transit_problem("guarantee.amount_missing", at(ref.pointer, "amountToBeCovered"),
                                             "the Danish customs need the amount to be covered (seed 003)",
                                             "den danske toldmyndighed skal have sikkerhedsstillelsesbeløbet (seed 003)"))
            elif ref.amount_to_be_covered != ref.amount_to_be_covered.quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS)):
                found.append(transit_problem("guarantee.amount_decimals", at(ref.pointer, "amountToBeCovered"),
                                             f"the amount {ref.amount_to_be_covered} has at most {AMOUNT_DECIMALS} decimals",
                                             f"beløbet {ref.amount_to_be_covered} har højst {AMOUNT_DECIMALS} decimaler"))
            if ref.currency is None:
                found.append(transit_problem("guarantee.currency_missing", at(ref.pointer, "currency"),
                                             "the Danish customs need the currency of the amount (seed 003)",
                                             "den danske toldmyndighed skal have beløbets valuta (seed 003)"))
    return found


def small_amount_waiver_covers_at_most_500_eur(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52 (seed 003): guarantee type 5 waives a guarantee only for an amount of at most 500 EUR."""
    found = []
    for g in decl.guarantees:
        if g.guarantee_type != SMALL_AMOUNT_WAIVER:
            continue
        for ref in g.references:
            eur = _in_eur(ref.amount_to_be_covered, ref.currency, ctx)
            if eur is not None and eur > SMALL_AMOUNT_LIMIT_EUR:
                found.append(transit_problem("guarantee.waiver_above_500_eur", at(ref.pointer, "amountToBeCovered"),
                                             f"guarantee type 5 covers at most 500 EUR; {ref.amount_to_be_covered} "
                                             f"{ref.currency} is {eur:.2f} EUR",
                                             f"sikkerhedsstillelsesart 5 dækker højst 500 EUR; {ref.amount_to_be_covered} "
                                             f"{ref.currency} er {eur:.2f} EUR"))
    return found


def _in_eur(amount: Decimal | None, currency: str | None, ctx: RuleContext) -> Decimal | None:
    """The amount in EUR, or None when it cannot be converted (the currency's rate is not known)."""
    if amount is None or currency is None:
        return None
    if currency == "EUR":
        return amount
    rate = ctx.eur_rates.get(currency)
    return amount / rate if rate else None


def authorised_consignor_uses_guarantee_type_0_or_1(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52 (seed 003, a national rule): an authorised consignor always uses guarantee type 0 or 1."""
    if not decl.by_authorised_consignor:
        return None
    return [transit_problem("guarantee.authorised_consignor_type", at(g.pointer, "guaranteeType"),
                            "in Denmark an authorised consignor uses guarantee type 0 (waiver) or 1 "
                            "(comprehensive guarantee) — seed 003, box 52",
                            "en godkendt afsender skal bruge sikkerhedsstillelsesart 0 (fritagelse) eller 1 "
                            "(samlet kaution) — seed 003, rubrik 52")
            for g in decl.guarantees if g.guarantee_type not in AUTHORISED_CONSIGNOR_GUARANTEE_TYPES]


RULES = (
    guarantee_stated, guarantee_type_fits_the_declaration_and_the_office_of_departure,
    other_guarantee_reference_for_public_bodies_and_cash_only, guarantee_reference_for_types_with_a_reference,
    grn_and_access_code_for_types_with_a_grn, grn_has_the_length_of_its_type_and_a_valid_check_digit,
    guarantee_amount_and_currency_stated, small_amount_waiver_covers_at_most_500_eur,
    authorised_consignor_uses_guarantee_type_0_or_1,
)
