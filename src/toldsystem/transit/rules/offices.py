"""Office and route rules: departure (C), destination (53), transit (51), exit — roles, countries, order.

R0003 (each office of transit named once) is not checked: B1813 disables it in the transitional
state, and a message either state accepts is accepted (see consignment.py). HMRC's
own transition-period test messages name one office twice.
"""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration, OfficeReference, at
from toldsystem.transit.rules.facts import Result, RuleContext, country_of, transit_problem

TIR = "TIR"
T2 = "T2"
T2_FOR_SAN_MARINO = "T2SM"
ANDORRA, SAN_MARINO, ITALY = "AD", "SM", "IT"
UNION_GOODS_TYPES = frozenset({"T2", "T2F"})
SECURITY_WITH_EXIT_DATA = frozenset({"2", "3"})
SECURITY_WITH_ENTRY_DATA = frozenset({"1", "3"})


# --- roles (boxes C, 51, 53) -------------------------------------------------------------------

def office_of_departure_acts_as_departure(decl: Declaration, ctx: RuleContext) -> Result:
    """Box C (seed 003), CL171: the office of departure exists and has the departure role (DEP)."""
    return _office_acts_as(decl.office_of_departure, "DEP", ctx, "departure", "afgangstoldsted")


def office_of_destination_acts_as_destination(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 53 (seed 003), CL172: the office of destination exists and has the destination role (DES)."""
    return _office_acts_as(decl.office_of_destination, "DES", ctx, "destination", "bestemmelsestoldsted")


def offices_of_transit_act_as_transit(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 51 (seed 003), CL173: each office of transit exists and has the transit role (TRA)."""
    return [found for office in decl.offices_of_transit
            if (found := _office_acts_as(office, "TRA", ctx, "transit", "grænsetoldsted")) is not None]


def offices_of_exit_act_as_exit(decl: Declaration, ctx: RuleContext) -> Result:
    """CL175: each office of exit for transit exists and has the role of office of exit for transit (TXT)."""
    return [found for office in decl.offices_of_exit
            if (found := _office_acts_as(office, "TXT", ctx, "exit for transit", "udgangstoldsted for forsendelse"))
            is not None]


def _office_acts_as(ref: OfficeReference, role: str, ctx: RuleContext, what_en: str, what_da: str) -> Problem | None:
    pointer = at(ref.pointer, "referenceNumber")
    if ref.reference_number is None:
        return transit_problem("office.missing", pointer, f"state the office of {what_en}", f"angiv {what_da}")
    office = ctx.offices.get(ref.reference_number)
    if office is None:
        return transit_problem("office.unknown", pointer,
                               f"customs office {ref.reference_number} is not in the reference list",
                               f"toldsted {ref.reference_number} findes ikke i referencelisten")
    if not office.may_act_as(role):
        return transit_problem("office.role", pointer,
                               f"{office.code} ({office.name}) may not act as office of {what_en} ({role})",
                               f"{office.code} ({office.name}) kan ikke fungere som {what_da} ({role})")
    return None


# --- offices of transit: when and where (box 51) -------------------------------------------------

def offices_of_transit_declared_where_required(decl: Declaration, ctx: RuleContext) -> Result:
    """C0030: offices of transit for T2, a CTC country on the route (CL112), Andorra, or an office of exit; none for TIR."""
    op = decl.transit_operation
    pointer = at(decl.root, "CustomsOfficeOfTransitDeclared")
    if op.declaration_type in (TIR, T2_FOR_SAN_MARINO):
        if decl.offices_of_transit:
            return transit_problem("transit_office.not_allowed", decl.offices_of_transit[0].pointer,
                                   f"a {op.declaration_type} declaration names no office of transit",
                                   f"en {op.declaration_type}-angivelse angiver intet grænsetoldsted")
        return None
    if decl.offices_of_transit or _within_one_ctc_country(decl, ctx):
        return None
    why = _why_transit_offices(decl, ctx)
    if why is not None:
        return transit_problem("transit_office.missing", pointer, f"{why[0]}: declare the offices of transit",
                               f"{why[1]}: angiv grænsetoldstederne")
    return None


def _within_one_ctc_country(decl: Declaration, ctx: RuleContext) -> bool:
    departure, destination = decl.departure_country, decl.destination_country
    return departure == destination and ctx.is_ctc(departure)


def _why_transit_offices(decl: Declaration, ctx: RuleContext) -> tuple[str, str] | None:
    op = decl.transit_operation
    route = [decl.departure_country, decl.destination_country]
    if op.declaration_type == T2 or (op.declaration_type == "T" and any(
            item.declaration_type == T2 for _, item in decl.goods_items())):
        return "T2 goods pass offices of transit", "T2-varer passerer grænsetoldsteder"
    if any(ctx.is_ctc(country) for country in route + list(decl.consignment.countries_of_routing)):
        return ("the route touches a common-transit country outside the EU",
                "ruten berører et fællestransitland uden for EU")
    if ANDORRA in route:
        return "the movement starts or ends in Andorra", "forsendelsen begynder eller slutter i Andorra"
    if decl.offices_of_exit:
        return "an office of exit is declared", "der er angivet et udgangstoldsted"
    return None


def offices_of_transit_cover_each_border_with_a_ctc_country(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 51 (seed 003), R0006: entering a common-transit country outside the EU needs its office of transit,
    and leaving one back into the EU an office of transit in the EU country entered (DK → IT via CH; DK → GB).

    The seed names the EFTA countries; phase 5 counts every CTC country (CL112: CH, NO, GB, TR, UA ...).
    """
    route = planned_route(decl)
    declared = {country_of(o.reference_number) for o in decl.offices_of_transit if o.reference_number}
    found = []
    for before, country in zip(route, route[1:]):
        enters_ctc = ctx.is_ctc(country) and not ctx.is_ctc(before)
        reenters_eu = ctx.is_eu(country) and ctx.is_ctc(before)
        if (enters_ctc or reenters_eu) and country not in declared:
            where_en = "into the common-transit country" if enters_ctc else "back into the EU in"
            where_da = "ind i fællestransitlandet" if enters_ctc else "ind i EU igen i"
            found.append(transit_problem("transit_office.border_missing", at(decl.root, "CustomsOfficeOfTransitDeclared"),
                                         f"the route goes from {before} {where_en} {country}: "
                                         f"declare the office of transit in {country}",
                                         f"ruten går fra {before} {where_da} {country}: angiv grænsetoldstedet i {country}"))
    return found


def planned_route(decl: Declaration) -> list[str]:
    """Countries in order: departure office's, the countries of routing, destination office's."""
    route: list[str] = []
    stops = [decl.departure_country, *decl.consignment.countries_of_routing, decl.destination_country]
    for country in stops:
        if country and (not route or route[-1] != country):
            route.append(country)
    return route


def andorra_destination_passes_an_andorran_office_of_transit(decl: Declaration, ctx: RuleContext) -> Result:
    """R0906: a movement to Andorra passes an Andorran office of transit."""
    if decl.destination_country != ANDORRA or not decl.offices_of_transit:
        return None  # no office at all is C0030's to report
    if all(country_of(o.reference_number) != ANDORRA for o in decl.offices_of_transit):
        return transit_problem("transit_office.andorra_missing", at(decl.root, "CustomsOfficeOfTransitDeclared"),
                               "a movement to Andorra declares an Andorran office of transit",
                               "en forsendelse til Andorra angiver et andorransk grænsetoldsted")
    return None


def arrival_at_office_of_transit_estimated_with_entry_data(decl: Declaration, ctx: RuleContext) -> Result:
    """C0598 and B1831: with entry data (security 1, 3), a movement from outside the EU gives its estimated
    arrival at each EU office of transit in the security area (CL147) — where both rules require it."""
    op = decl.transit_operation
    if op.security not in SECURITY_WITH_ENTRY_DATA or not ctx.knows("CL147") or ctx.is_eu(decl.departure_country):
        return None
    return [transit_problem("transit_office.arrival_missing", at(o.pointer, "arrivalDateAndTimeEstimated"),
                            "with entry summary data state the estimated arrival at this office of transit",
                            "med indpassagedata angives den forventede ankomst til dette grænsetoldsted")
            for o in decl.offices_of_transit
            if o.arrival_estimated is None and ctx.in_list("CL147", country_of(o.reference_number))
            and ctx.is_eu(country_of(o.reference_number))]


# --- office of exit for transit --------------------------------------------------------------

def office_of_exit_only_with_exit_data_leaving_the_security_area(decl: Declaration, ctx: RuleContext) -> Result:
    """C0587 and B1966: an office of exit for transit only with exit data (security 2, 3) and an office of
    transit outside the security area (CL147)."""
    if not decl.offices_of_exit or not ctx.knows("CL147"):
        return None
    leaves = any(not ctx.in_list("CL147", country_of(o.reference_number)) for o in decl.offices_of_transit)
    if decl.transit_operation.security in SECURITY_WITH_EXIT_DATA and leaves:
        return None
    return transit_problem("exit_office.not_allowed", decl.offices_of_exit[0].pointer,
                           "an office of exit for transit goes with exit data (security 2 or 3) and an office "
                           "of transit outside the security area",
                           "et udgangstoldsted hører til udpassagedata (security 2 eller 3) og et grænsetoldsted "
                           "uden for sikkerhedsområdet")


def office_of_exit_is_neither_transit_nor_destination(decl: Declaration, ctx: RuleContext) -> Result:
    """R0103: an office of exit for transit is not also an office of transit or the office of destination."""
    others = {o.reference_number for o in decl.offices_of_transit} | {decl.office_of_destination.reference_number}
    return [transit_problem("exit_office.same_as_other", at(o.pointer, "referenceNumber"),
                            f"{o.reference_number} is already an office of transit or of destination",
                            f"{o.reference_number} er allerede grænse- eller bestemmelsestoldsted")
            for o in decl.offices_of_exit if o.reference_number in others]


# --- which countries may be paired (TIR, Andorra, San Marino) ------------------------------------

def tir_movement_starts_and_ends_in_the_eu(decl: Declaration, ctx: RuleContext) -> Result:
    """R0901: a TIR movement in NCTS goes from an EU office of departure to an EU office of destination."""
    if decl.transit_operation.declaration_type != TIR or not ctx.knows("CL010"):
        return None
    return [transit_problem("tir.outside_the_eu", at(ref.pointer, "referenceNumber"),
                            "a TIR movement in NCTS starts and ends at offices in the EU",
                            "en TIR-forsendelse i NCTS begynder og slutter ved toldsteder i EU")
            for ref in (decl.office_of_departure, decl.office_of_destination)
            if ref.reference_number and not ctx.is_eu(country_of(ref.reference_number))]


def andorra_and_san_marino_are_reached_from_the_union(decl: Declaration, ctx: RuleContext) -> Result:
    """R0904, R0905: from Andorra or San Marino only to an EU member state (CL553); from a CTC country not to them."""
    departure, destination = decl.departure_country, decl.destination_country
    pointer = at(decl.office_of_destination.pointer, "referenceNumber")
    if departure in (ANDORRA, SAN_MARINO) and ctx.knows("CL553") and not ctx.in_list("CL553", destination):
        return transit_problem("destination.not_a_member_state", pointer,
                               f"from {departure} the office of destination is in an EU member state",
                               f"fra {departure} ligger bestemmelsestoldstedet i en EU-medlemsstat")
    if ctx.is_ctc(departure) and destination in (ANDORRA, SAN_MARINO):
        return transit_problem("destination.not_from_ctc", pointer,
                               f"a movement from {departure} cannot end in {destination}",
                               f"en forsendelse fra {departure} kan ikke slutte i {destination}")
    return None


def san_marino_movements_use_t2(decl: Declaration, ctx: RuleContext) -> Result:
    """R0909, R0911: Italy to San Marino is T2SM; the rest of the EU to San Marino, or San Marino to the EU, T2/T2F."""
    op = decl.transit_operation
    departure, destination = decl.departure_country, decl.destination_country
    pointer = at(op.pointer, "declarationType")
    kinds = {op.declaration_type} if op.declaration_type != "T" else {i.declaration_type for _, i in decl.goods_items()}
    if destination == SAN_MARINO and departure == ITALY and op.declaration_type != T2_FOR_SAN_MARINO:
        return transit_problem("declaration_type.san_marino", pointer, "from Italy to San Marino declare T2SM",
                               "fra Italien til San Marino angives T2SM")
    to_or_from = (destination == SAN_MARINO and departure != ITALY and ctx.is_eu(departure)) or (
        departure == SAN_MARINO and ctx.is_eu(destination))
    if to_or_from and not kinds <= UNION_GOODS_TYPES:
        return transit_problem("declaration_type.san_marino", pointer,
                               "between San Marino and the EU declare T2 or T2F", "mellem San Marino og EU angives T2 eller T2F")
    return None


RULES = (
    office_of_departure_acts_as_departure, office_of_destination_acts_as_destination,
    offices_of_transit_act_as_transit, offices_of_exit_act_as_exit, offices_of_transit_declared_where_required,
    offices_of_transit_cover_each_border_with_a_ctc_country,
    andorra_destination_passes_an_andorran_office_of_transit, arrival_at_office_of_transit_estimated_with_entry_data,
    office_of_exit_only_with_exit_data_leaving_the_security_area, office_of_exit_is_neither_transit_nor_destination,
    tir_movement_starts_and_ends_in_the_eu, andorra_and_san_marino_are_reached_from_the_union, san_marino_movements_use_t2,
)
