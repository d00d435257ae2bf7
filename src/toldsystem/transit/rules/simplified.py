"""The simplified procedure (box D): the authorised consignor's authorisation and its time limit."""

from __future__ import annotations

from datetime import timedelta

from toldsystem.transit.declaration import AUTHORISED_CONSIGNOR_AUTHORISATION, Declaration, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

MAX_TIME_LIMIT_DAYS = 8
PRE_LODGED = "D"


def authorised_consignor_holds_the_authorisation(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D (seed 003): the simplified procedure (C521) is for a holder authorised as consignor on the day."""
    if decl.by_authorised_consignor and not ctx.holder_is_authorised_consignor:
        authorisation = next(a for a in decl.authorisations if a.type == AUTHORISED_CONSIGNOR_AUTHORISATION)
        return transit_problem("authorised_consignor.not_authorised", at(authorisation.pointer, "referenceNumber"),
                               "the holder has no valid authorisation as authorised consignor today",
                               "den hovedforpligtede har ikke en gyldig bevilling som godkendt afsender i dag")
    return None


def time_limit_only_in_the_simplified_procedure(decl: Declaration, ctx: RuleContext) -> Result:
    """C0839 (seed 003 box D): without authorisation C521 customs set the time limit; limitDate is left out."""
    op = decl.transit_operation
    if op.limit_date is not None and not decl.by_authorised_consignor:
        return transit_problem("limit_date.not_allowed", at(op.pointer, "limitDate"),
                               "in the standard procedure customs set the time limit; leave limitDate out",
                               "i standardproceduren fastsætter toldmyndigheden tidsfristen; udelad limitDate")
    return None


def authorised_consignor_states_the_time_limit_unless_pre_lodged(decl: Declaration, ctx: RuleContext) -> Result:
    """C0839 (seed 003 box D): an authorised consignor states the time limit; a pre-lodged one (D) may leave it out."""
    op = decl.transit_operation
    if decl.by_authorised_consignor and op.limit_date is None and op.additional_declaration_type != PRE_LODGED:
        return transit_problem("limit_date.missing", at(op.pointer, "limitDate"),
                               "an authorised consignor states the time limit (limitDate)",
                               "en godkendt afsender angiver tidsfristen (limitDate)")
    return None


def authorised_consignor_time_limit_at_most_8_days(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D (seed 003, a national rule): a realistic time limit, not past and at most 8 days ahead save special cases.

    A special case is not something the trader can claim in the message: the office grants
    it, and the caller says so with `RuleContext.time_limit_special_case`.
    """
    op = decl.transit_operation
    if not decl.by_authorised_consignor or op.limit_date is None:
        return None
    pointer = at(op.pointer, "limitDate")
    if op.limit_date < ctx.today:
        return transit_problem("limit_date.past", pointer, "the time limit cannot be in the past",
                               "tidsfristen kan ikke ligge i fortiden")
    latest = ctx.today + timedelta(days=MAX_TIME_LIMIT_DAYS)
    if op.limit_date > latest and not ctx.time_limit_special_case:
        return transit_problem("limit_date.too_far", pointer,
                               f"in Denmark the time limit is at most {MAX_TIME_LIMIT_DAYS} days ahead "
                               f"({latest.isoformat()}) except in special cases — seed 003, box D",
                               f"tidsfristen må højst være {MAX_TIME_LIMIT_DAYS} dage frem ({latest.isoformat()}) "
                               "undtagen i særlige tilfælde — seed 003, rubrik D")
    return None


RULES = (
    authorised_consignor_holds_the_authorisation, time_limit_only_in_the_simplified_procedure,
    authorised_consignor_states_the_time_limit_unless_pre_lodged, authorised_consignor_time_limit_at_most_8_days,
)
