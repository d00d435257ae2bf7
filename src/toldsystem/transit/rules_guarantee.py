"""Guarantee, authorised-consignor and time-limit rules of the transit declaration (seed 003, boxes 52, D)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from toldsystem.core.errors import Problem, problem
from toldsystem.core.identifiers import GRN_PATTERN, VOUCHER_GRN_PATTERN, is_valid_grn
from toldsystem.transit.declaration import AUTHORISED_CONSIGNOR_AUTHORISATION, ROOT, Declaration, at

if TYPE_CHECKING:
    from toldsystem.transit.rules import Result, RuleContext

GUARANTEE_TYPES = frozenset({"0", "1", "2", "3", "4", "5", "6", "8", "9"})
GRN_GUARANTEE_TYPES = frozenset({"0", "1", "2", "4", "9"})
VOUCHER_GUARANTEE = "4"
AUTHORISED_CONSIGNOR_GUARANTEE_TYPES = frozenset({"0", "1"})
MAX_TIME_LIMIT_DAYS = 8
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")


def _p(code: str, pointer: str, en: str, da: str) -> Problem:
    return problem(f"transit.{code}", pointer, en, da)


# --- guarantee (box 52) -------------------------------------------------------------------------

def guarantee_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: every declaration states its guarantee — seed 003."""
    if not decl.guarantees:
        return _p("guarantee.missing", at(ROOT, "Guarantee"), "state the guarantee", "angiv sikkerhedsstillelsen")
    return None


def guarantee_type_is_known(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: guarantee type 0, 1, 2, 3, 4, 5, 6, 8 or 9 — seed 003."""
    return [_p("guarantee.type_unknown", at(g.pointer, "guaranteeType"),
               f"guarantee type {g.guarantee_type!r} must be one of 0 1 2 3 4 5 6 8 9",
               f"sikkerhedsstillelsesart {g.guarantee_type!r} skal være en af 0 1 2 3 4 5 6 8 9")
            for g in decl.guarantees if g.guarantee_type not in ctx.codes("CL251", GUARANTEE_TYPES)]


def guarantee_reference_number_where_required(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: a valid GRN for types 0, 1, 2, 4 (24 characters) and 9; none for cash (3) and other waivers — seed 003.

    The seed lists 0, 1, 4 and 9, but also says an individual guarantee by guarantor (2) gets a
    GRN; phase 5 requires it for 2 as well.
    """
    found = []
    for g in decl.guarantees:
        needs_grn = g.guarantee_type in GRN_GUARANTEE_TYPES
        if needs_grn and not g.references:
            found.append(_p("guarantee.grn_missing", at(g.pointer, "GuaranteeReference"),
                            f"guarantee type {g.guarantee_type} needs a guarantee reference with its GRN",
                            f"sikkerhedsstillelsesart {g.guarantee_type} kræver en reference med GRN"))
        for ref in g.references:
            pointer = at(ref.pointer, "GRN")
            if needs_grn and ref.grn is None:
                found.append(_p("guarantee.grn_missing", pointer, f"guarantee type {g.guarantee_type} needs a GRN",
                                f"sikkerhedsstillelsesart {g.guarantee_type} kræver et GRN"))
            elif not needs_grn and ref.grn is not None:
                found.append(_p("guarantee.grn_not_allowed", pointer, f"guarantee type {g.guarantee_type} has no GRN",
                                f"sikkerhedsstillelsesart {g.guarantee_type} har ikke et GRN"))
            elif ref.grn is not None and not _grn_fits_type(ref.grn, g.guarantee_type):
                found.append(_p("guarantee.grn_malformed", pointer,
                                f"{ref.grn} is not a valid GRN for guarantee type {g.guarantee_type}"
                                " (17 characters with check digit; 24 for vouchers, type 4)",
                                f"{ref.grn} er ikke et gyldigt GRN for art {g.guarantee_type}"
                                " (17 tegn med kontrolciffer; 24 for sikkerhedsdokumenter, art 4)"))
    return found


def _grn_fits_type(grn: str, guarantee_type: str | None) -> bool:
    pattern = VOUCHER_GRN_PATTERN if guarantee_type == VOUCHER_GUARANTEE else GRN_PATTERN
    return bool(pattern.fullmatch(grn)) and is_valid_grn(grn)


def only_voucher_guarantees_have_several_references(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: several GRNs only for vouchers (type 4); other types name one reference — seed 003."""
    return [_p("guarantee.several_references", g.references[1].pointer,
               f"guarantee type {g.guarantee_type} has one reference; only vouchers (type 4) may have several",
               f"sikkerhedsstillelsesart {g.guarantee_type} har én reference; kun sikkerhedsdokumenter (art 4) kan have flere")
            for g in decl.guarantees if g.guarantee_type != VOUCHER_GUARANTEE and len(g.references) > 1]


def access_code_with_grn(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: the access code goes with the GRN, and only with it — seed 003."""
    found = []
    for g in decl.guarantees:
        for ref in g.references:
            if ref.grn is not None and ref.access_code is None:
                found.append(_p("guarantee.access_code_missing", at(ref.pointer, "accessCode"),
                                "state the access code of the GRN", "angiv adgangskoden til GRN"))
            elif ref.grn is None and ref.access_code is not None:
                found.append(_p("guarantee.access_code_without_grn", at(ref.pointer, "accessCode"),
                                "an access code is given only with a GRN", "en adgangskode angives kun sammen med et GRN"))
    return found


def guarantee_amount_and_currency_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 44/52: each guarantee reference states the amount to be covered and its currency — seed 003."""
    found = []
    for g in decl.guarantees:
        for ref in g.references:
            if ref.amount_to_be_covered is None:
                found.append(_p("guarantee.amount_missing", at(ref.pointer, "amountToBeCovered"),
                                "state the amount to be covered", "angiv sikkerhedsstillelsesbeløbet"))
            if ref.currency is None or not CURRENCY_PATTERN.fullmatch(ref.currency):
                found.append(_p("guarantee.currency", at(ref.pointer, "currency"),
                                "state the currency as a 3-letter ISO code (e.g. EUR, DKK)",
                                "angiv valutaen som en ISO-kode på 3 bogstaver (fx EUR, DKK)"))
    return found


def authorised_consignor_uses_guarantee_type_0_or_1(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: an authorised consignor always uses guarantee type 0 or 1 — seed 003."""
    if not decl.by_authorised_consignor:
        return None
    return [_p("guarantee.authorised_consignor_type", at(g.pointer, "guaranteeType"),
               "an authorised consignor must use guarantee type 0 (waiver) or 1 (comprehensive guarantee)",
               "en godkendt afsender skal bruge sikkerhedsstillelsesart 0 (fritagelse) eller 1 (samlet kaution)")
            for g in decl.guarantees if g.guarantee_type not in AUTHORISED_CONSIGNOR_GUARANTEE_TYPES]


# --- authorised consignor and time limit (box D) ------------------------------------------------

def authorised_consignor_holds_authorisation(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: the simplified procedure is for a holder authorised as consignor on the day — seed 003."""
    if decl.by_authorised_consignor and not ctx.holder_is_authorised_consignor:
        authorisation = next(a for a in decl.authorisations if a.type == AUTHORISED_CONSIGNOR_AUTHORISATION)
        return _p("authorised_consignor.not_authorised", at(authorisation.pointer, "referenceNumber"),
                  "the holder has no valid authorisation as authorised consignor today",
                  "den hovedforpligtede har ikke en gyldig bevilling som godkendt afsender i dag")
    return None


def time_limit_set_only_by_authorised_consignor(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: in the standard procedure the time limit is reserved for customs — seed 003."""
    op = decl.transit_operation
    if op.limit_date is not None and not decl.by_authorised_consignor:
        return _p("limit_date.reserved", at(op.pointer, "limitDate"),
                  "in the standard procedure customs sets the time limit; leave limitDate out",
                  "i standardproceduren fastsætter toldmyndigheden tidsfristen; udelad limitDate")
    return None


def authorised_consignor_time_limit_at_most_8_days(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: an authorised consignor sets a realistic time limit, at most 8 days ahead save special cases — seed 003.

    A special case is not something the trader can claim in the message: the office grants
    it, and the caller says so with `RuleContext.time_limit_special_case`.
    """
    if not decl.by_authorised_consignor:
        return None
    op = decl.transit_operation
    pointer = at(op.pointer, "limitDate")
    if op.limit_date is None:
        return _p("limit_date.missing", pointer, "an authorised consignor states the time limit (limitDate)",
                  "en godkendt afsender angiver tidsfristen (limitDate)")
    if op.limit_date < ctx.today:
        return _p("limit_date.past", pointer, "the time limit cannot be in the past", "tidsfristen kan ikke ligge i fortiden")
    latest = ctx.today + timedelta(days=MAX_TIME_LIMIT_DAYS)
    if op.limit_date > latest and not ctx.time_limit_special_case:
        return _p("limit_date.too_far", pointer,
                  f"the time limit may be at most {MAX_TIME_LIMIT_DAYS} days ahead ({latest.isoformat()}) except in special cases",
                  f"tidsfristen må højst være {MAX_TIME_LIMIT_DAYS} dage frem ({latest.isoformat()}) undtagen i særlige tilfælde")
    return None


RULES = (
    guarantee_stated, guarantee_type_is_known, guarantee_reference_number_where_required,
    only_voucher_guarantees_have_several_references, access_code_with_grn, guarantee_amount_and_currency_stated,
    authorised_consignor_uses_guarantee_type_0_or_1, authorised_consignor_holds_authorisation,
    time_limit_set_only_by_authorised_consignor, authorised_consignor_time_limit_at_most_8_days,
)
