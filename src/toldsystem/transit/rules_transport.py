"""Transport, seal and office rules of the transit declaration (seed 003, boxes 18-21, 51, 53, C, D)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toldsystem.core.errors import Problem, problem
from toldsystem.transit.declaration import ROOT, Declaration, OfficeReference, at

if TYPE_CHECKING:
    from toldsystem.transit.rules import Result, RuleContext

SEAL_EXEMPTION = "fritaget"


def _p(code: str, pointer: str, en: str, da: str) -> Problem:
    return problem(f"transit.{code}", pointer, en, da)


# --- transport (boxes 18, 19, 21, D seals) ------------------------------------------------------

def departure_transport_means_identity_and_nationality(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 18: identity of each means (tractor and trailer may both be given); nationality is the tractor's, the first — seed 003."""
    found = []
    means_lists = [decl.consignment.departure_transport_means]
    means_lists += [h.departure_transport_means for h in decl.consignment.house_consignments]
    for means in means_lists:
        for position, m in enumerate(means):
            if m.identification_number is None:
                found.append(_p("transport.identity_missing", at(m.pointer, "identificationNumber"),
                                "state the registration number of the means of transport",
                                "angiv transportmidlets registreringsnummer"))
            # Only the tractor's nationality counts; a trailer's may be left out.
            if position == 0 and m.nationality is None:
                found.append(_p("transport.nationality_missing", at(m.pointer, "nationality"),
                                "state the nationality of the (first, pulling) means of transport",
                                "angiv nationaliteten for det (første, trækkende) transportmiddel"))
            if m.nationality is not None and not ctx.country_is_known(m.nationality):
                found.append(_p("country.unknown", at(m.pointer, "nationality"),
                                f"{m.nationality!r} is not an ISO country code", f"{m.nationality!r} er ikke en ISO-landekode"))
    return found


def container_indicator_is_0_or_1(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 19: container indicator 0 (not in containers) or 1 (in containers) — seed 003."""
    if decl.consignment.container_indicator not in {"0", "1"}:
        return _p("container.indicator", at(decl.consignment.pointer, "containerIndicator"),
                  "the container indicator must be 0 (no container) or 1 (container)",
                  "containerindikatoren skal være 0 (ingen container) eller 1 (container)")
    return None


def container_indicator_matches_container_numbers(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 19/31: indicator 1 needs container numbers on the equipment; 0 allows none — seed 003."""
    indicator = decl.consignment.container_indicator
    equipment = decl.consignment.transport_equipment
    if indicator == "1":
        if not equipment:
            return _p("container.numbers_missing", at(decl.consignment.pointer, "TransportEquipment"),
                      "goods in containers: state each container's identification number",
                      "varer i container: angiv hver containers identifikationsnummer")
        return [_p("container.number_missing", at(e.pointer, "containerIdentificationNumber"),
                   "goods in containers: state the container's identification number",
                   "varer i container: angiv containerens identifikationsnummer")
                for e in equipment if e.container_identification_number is None]
    if indicator == "0":
        return [_p("container.number_not_allowed", at(e.pointer, "containerIdentificationNumber"),
                   "the container indicator is 0, so no container number may be stated",
                   "containerindikatoren er 0, så der må ikke angives containernummer")
                for e in equipment if e.container_identification_number is not None]
    return None


def active_border_transport_means_state_nationality(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 21: the border-crossing active means' nationality is always required (ferry: the ship's) — seed 003."""
    found = []
    for m in decl.consignment.active_border_transport_means:
        if m.nationality is None:
            found.append(_p("border_means.nationality_missing", at(m.pointer, "nationality"),
                            "state the nationality of the active means crossing the border (a lorry on a ferry: the ship's)",
                            "angiv nationaliteten for det aktive grænseoverskridende transportmiddel (lastbil på færge: skibets)"))
        elif not ctx.country_is_known(m.nationality):
            found.append(_p("country.unknown", at(m.pointer, "nationality"), f"{m.nationality!r} is not an ISO country code",
                            f"{m.nationality!r} er ikke en ISO-landekode"))
    return found


def seals_state_number_and_identifiers(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: the number of seals matches their identifiers; 'Fritaget' (agreed exemption) counts as none — seed 003."""
    found = []
    for e in decl.consignment.transport_equipment:
        identifiers = [s.identifier for s in e.seals]
        exempt = len(identifiers) == 1 and (identifiers[0] or "").lower() == SEAL_EXEMPTION
        expected = 0 if exempt else len(identifiers)
        if e.number_of_seals is None:
            found.append(_p("seals.number_missing", at(e.pointer, "numberOfSeals"), "state the number of seals",
                            "angiv antal forseglinger"))
        elif e.number_of_seals != expected:
            found.append(_p("seals.count_mismatch", at(e.pointer, "numberOfSeals"),
                            f"{e.number_of_seals} seals stated but {expected} identifiers given"
                            + (" ('Fritaget' means 0 seals)" if exempt else ""),
                            f"{e.number_of_seals} forseglinger angivet, men {expected} forseglingsmærker"
                            + (" ('Fritaget' betyder 0 forseglinger)" if exempt else "")))
        found += [_p("seals.identifier_missing", at(s.pointer, "identifier"), "state the seal's identifier",
                     "angiv forseglingsmærket") for s in e.seals if s.identifier is None]
    return found


def authorised_consignor_states_seals(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: an authorised consignor states the seals, or 'Fritaget' when agreed with the office — seed 003."""
    if not decl.by_authorised_consignor:
        return None
    if not any(e.seals for e in decl.consignment.transport_equipment):
        return _p("seals.missing", at(decl.consignment.pointer, "TransportEquipment"),
                  "an authorised consignor states the seals used, or 'Fritaget' when agreed with the office of departure",
                  "en godkendt afsender angiver de benyttede forseglinger, eller 'Fritaget' når det er aftalt med afgangstoldstedet")
    return None


# --- offices (boxes C, 51, 53) ------------------------------------------------------------------

def office_of_departure_acts_as_departure(decl: Declaration, ctx: RuleContext) -> Result:
    """Box C: the office of departure exists and has the departure role (DEP) — seed 003."""
    return _office_acts_as(decl.office_of_departure, "DEP", ctx, "departure", "afgangstoldsted")


def office_of_destination_acts_as_destination(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 53: the office of destination exists and has the destination role (DES) — seed 003."""
    return _office_acts_as(decl.office_of_destination, "DES", ctx, "destination", "bestemmelsestoldsted")


def offices_of_transit_act_as_transit(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 51: each office of transit exists and has the transit role (TRA) — seed 003."""
    return [found for office in decl.offices_of_transit
            if (found := _office_acts_as(office, "TRA", ctx, "transit", "grænsetoldsted")) is not None]


def offices_of_transit_cover_route_through_efta(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 51: entering an EFTA country needs its office of transit; back into the EU too (DK → IT via CH) — seed 003."""
    route = planned_route(decl)
    declared = {o.reference_number[:2] for o in decl.offices_of_transit if o.reference_number}
    found = []
    for before, country in zip(route, route[1:]):
        enters_efta = ctx.is_efta(country) and not ctx.is_efta(before)
        reenters_eu = ctx.is_eu(country) and ctx.is_efta(before)
        if (enters_efta or reenters_eu) and country not in declared:
            where_en = "into the EFTA country" if enters_efta else "back into the EU in"
            where_da = "ind i EFTA-landet" if enters_efta else "ind i EU igen i"
            found.append(_p("transit_office.missing", at(ROOT, "CustomsOfficeOfTransitDeclared"),
                            f"the route goes from {before} {where_en} {country}: declare the office of transit in {country}",
                            f"ruten går fra {before} {where_da} {country}: angiv grænsetoldstedet i {country}"))
    return found


def planned_route(decl: Declaration) -> list[str]:
    """Countries in order: departure office's, the countries of routing, destination office's."""
    route: list[str] = []
    departure = decl.office_of_departure.reference_number
    destination = decl.office_of_destination.reference_number
    for country in ([departure[:2]] if departure else []) + list(decl.consignment.countries_of_routing) + (
            [destination[:2]] if destination else []):
        if not route or route[-1] != country:
            route.append(country)
    return route


def _office_acts_as(ref: OfficeReference, role: str, ctx: RuleContext, what_en: str, what_da: str) -> Problem | None:
    pointer = at(ref.pointer, "referenceNumber")
    if ref.reference_number is None:
        return _p("office.missing", pointer, f"state the office of {what_en}", f"angiv {what_da}")
    office = ctx.offices.get(ref.reference_number)
    if office is None:
        return _p("office.unknown", pointer, f"customs office {ref.reference_number} is not in the reference list",
                  f"toldsted {ref.reference_number} findes ikke i referencelisten")
    if not office.may_act_as(role):
        return _p("office.role", pointer, f"{office.code} ({office.name}) may not act as office of {what_en} ({role})",
                  f"{office.code} ({office.name}) kan ikke fungere som {what_da} ({role})")
    return None


RULES = (
    departure_transport_means_identity_and_nationality, container_indicator_is_0_or_1,
    container_indicator_matches_container_numbers, active_border_transport_means_state_nationality,
    seals_state_number_and_identifiers, authorised_consignor_states_seals,
    office_of_departure_acts_as_departure, office_of_destination_acts_as_destination,
    offices_of_transit_act_as_transit, offices_of_transit_cover_route_through_efta,
)
