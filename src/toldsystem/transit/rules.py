"""Rules of the transit declaration (SPEC T, seed 003): one small pure function per rule.

Each rule takes the declaration and a `RuleContext` (the outside facts the caller looked up)
and returns None, a Problem or a list of Problems pointing at the offending element.
Goods-item rules (boxes 31-44) live in rules_goods.py; `check_declaration` runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from toldsystem.core.errors import Problem, problem
from toldsystem.core.identifiers import GRN_PATTERN, VOUCHER_GRN_PATTERN, is_valid_grn, is_valid_lrn
from toldsystem.reference.rules import EFTA, Country, Office
from toldsystem.transit import rules_goods
from toldsystem.transit.declaration import Declaration, OfficeReference, Party, at

DECLARATION_TYPES = frozenset({"T1", "T2", "T2F", "T", "TIR"})
MIXED = "T"  # phase 5 writes the seed's "T-" as "T"
MIXED_ITEM_TYPES = frozenset({"T1", "T2", "T2F"})  # T2F is a T2 variant, so allowed in a T- item
GUARANTEE_TYPES = frozenset({"0", "1", "2", "3", "4", "5", "6", "8", "9"})
GRN_GUARANTEE_TYPES = frozenset({"0", "1", "2", "4", "9"})
VOUCHER_GUARANTEE = "4"
AUTHORISED_CONSIGNOR_GUARANTEE_TYPES = frozenset({"0", "1"})
# Phase 5 authorisation type C521 (ACR): the declaration is lodged as authorised consignor.
AUTHORISED_CONSIGNOR_AUTHORISATION = "C521"
MAX_TIME_LIMIT_DAYS = 8
SEAL_EXEMPTION = "fritaget"
LANGUAGE = "DA"
SECURITY_INDICATORS = frozenset({"0", "1", "2", "3"})
CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")

Result = Problem | list[Problem] | None
Rule = Callable[[Declaration, "RuleContext"], Result]


@dataclass(frozen=True)
class RuleContext:
    """Facts from outside the declaration; the caller looks them up, the rules stay pure."""

    today: date
    holder_known: bool  # the holder's EORI is in our register
    holder_eori_registered: bool  # registered for import or export (seed 000)
    holder_is_authorised_consignor: bool = False  # holds a valid authorisation on `today`
    lrn_already_used: bool = False  # the holder has a movement with this LRN
    time_limit_special_case: bool = False  # the office allowed a time limit beyond 8 days
    offices: Mapping[str, Office] = field(default_factory=dict)
    countries: Mapping[str, Country] = field(default_factory=dict)  # memberships (EU, EFTA, CTC)
    iso_country_codes: Collection[str] = frozenset()  # every ISO 3166 code; `countries` counts too
    code_lists: Mapping[str, Collection[str]] = field(default_factory=dict)  # list name -> codes

    def country_is_known(self, code: str) -> bool:
        return code in self.countries or code in self.iso_country_codes

    def in_eu_or_efta(self, code: str) -> bool:
        found = self.countries.get(code)
        return bool(found and (found.eu or found.efta)) or code in EFTA

    def is_efta(self, code: str) -> bool:
        found = self.countries.get(code)
        return found.efta if found else code in EFTA

    def is_eu(self, code: str) -> bool:
        found = self.countries.get(code)
        return bool(found and found.eu)

    def codes(self, list_name: str, default: Collection[str] = ()) -> Collection[str]:
        return self.code_lists.get(list_name) or default


def _p(code: str, pointer: str, en: str, da: str) -> Problem:
    return problem(f"transit.{code}", pointer, en, da)


def uses_authorised_consignor_procedure(decl: Declaration) -> bool:
    """The simplified procedure (box D): the declaration names an authorised-consignor authorisation."""
    return any(a.type == AUTHORISED_CONSIGNOR_AUTHORISATION for a in decl.authorisations)


# --- header: LRN, declaration type, language (box 00, 1) ----------------------------------------

def lrn_at_most_22_characters(decl: Declaration, ctx: RuleContext) -> Result:
    """LRN: chosen by the trader, 1 to 22 characters — seed 003, box 00."""
    lrn, pointer = decl.transit_operation.lrn, at(decl.transit_operation.pointer, "LRN")
    if lrn is None:
        return _p("lrn.missing", pointer, "the LRN is required", "LRN skal angives")
    if not is_valid_lrn(lrn):
        return _p("lrn.malformed", pointer, "the LRN must be 1 to 22 letters, digits or - _ . /",
                  "LRN skal være 1 til 22 bogstaver, cifre eller - _ . /")
    return None


def lrn_unique_per_holder(decl: Declaration, ctx: RuleContext) -> Result:
    """A holder's LRN is used once: a duplicate is rejected, never a second movement — seed 003, box 00."""
    if ctx.lrn_already_used:
        return _p("lrn.duplicate", at(decl.transit_operation.pointer, "LRN"),
                  f"LRN {decl.transit_operation.lrn} has already been used by this holder; choose a new one",
                  f"LRN {decl.transit_operation.lrn} er allerede brugt af den hovedforpligtede; vælg et nyt")
    return None


def declaration_type_is_known(decl: Declaration, ctx: RuleContext) -> Result:
    """Declaration type T1, T2, T2F, T (T-) or TIR — seed 003, box 1."""
    kind = decl.transit_operation.declaration_type
    if kind not in ctx.codes("DeclarationType", DECLARATION_TYPES):
        return _p("declaration_type.unknown", at(decl.transit_operation.pointer, "declarationType"),
                  f"declaration type {kind!r} must be T1, T2, T2F, T (mixed) or TIR",
                  f"angivelsestype {kind!r} skal være T1, T2, T2F, T (blandet) eller TIR")
    return None


def mixed_consignment_items_state_t1_or_t2(decl: Declaration, ctx: RuleContext) -> Result:
    """T-: each goods item says T1 or T2 (T1 and T2 goods on separate items) — seed 003, box 1 and 31."""
    if decl.transit_operation.declaration_type != MIXED:
        return None
    return [_p("declaration_type.item_missing", at(item.pointer, "declarationType"),
               "in a mixed (T-) declaration every goods item must say T1, T2 or T2F",
               "i en blandet (T-) angivelse skal hver varepost angive T1, T2 eller T2F")
            for _, item in decl.goods_items() if item.declaration_type not in MIXED_ITEM_TYPES]


def item_declaration_type_only_in_mixed_consignment(decl: Declaration, ctx: RuleContext) -> Result:
    """Only a T- declaration states a declaration type per goods item — seed 003, box 1."""
    if decl.transit_operation.declaration_type == MIXED:
        return None
    return [_p("declaration_type.item_not_allowed", at(item.pointer, "declarationType"),
               "a goods item states its own declaration type only in a mixed (T) declaration",
               "en varepost angiver kun sin egen angivelsestype i en blandet (T) angivelse")
            for _, item in decl.goods_items() if item.declaration_type is not None]


def mixed_consignment_has_t1_and_t2_goods(decl: Declaration, ctx: RuleContext) -> Result:
    """T- is for consignments of both T1 and T2 goods; otherwise declare T1 or T2 — seed 003, box 1."""
    if decl.transit_operation.declaration_type != MIXED:
        return None
    kinds = {"T1" if i.declaration_type == "T1" else "T2" for _, i in decl.goods_items()
             if i.declaration_type in MIXED_ITEM_TYPES}
    if len(kinds) == 1:
        only = kinds.pop()
        return _p("declaration_type.not_mixed", at(decl.transit_operation.pointer, "declarationType"),
                  f"all goods items are {only}: declare the consignment as {only}, not T",
                  f"alle vareposter er {only}: angiv forsendelsen som {only}, ikke T")
    return None


def tir_declaration_states_carnet_number(decl: Declaration, ctx: RuleContext) -> Result:
    """TIR goods travel on a TIR carnet whose number is stated — seed 003, box 1."""
    op = decl.transit_operation
    if op.declaration_type == "TIR" and op.tir_carnet_number is None:
        return _p("tir.carnet_missing", at(op.pointer, "TIRCarnetNumber"), "a TIR declaration needs the TIR carnet number",
                  "en TIR-angivelse skal have TIR-carnetnummeret")
    return None


def security_indicator_is_0_to_3(decl: Declaration, ctx: RuleContext) -> Result:
    """Safety and security 0 (none), 1 (entry), 2 (exit), 3 (both) — it picks the MRN letter, box 00."""
    if decl.transit_operation.security not in SECURITY_INDICATORS:
        return _p("security.unknown", at(decl.transit_operation.pointer, "security"),
                  "security must be 0 (none), 1 (entry), 2 (exit) or 3 (entry and exit)",
                  "sikkerhed skal være 0 (ingen), 1 (indpassage), 2 (udpassage) eller 3 (begge)")
    return None


def language_code_is_da(decl: Declaration, ctx: RuleContext) -> Result:
    """The language code is DA — seed 003, 'Sprogkode'."""
    language = decl.transit_operation.communication_language_at_departure
    if language is not None and language != LANGUAGE:
        return _p("language.not_da", at(decl.transit_operation.pointer, "communicationLanguageAtDeparture"),
                  f"the language code must be DA, not {language!r}", f"sprogkoden skal være DA, ikke {language!r}")
    return None


# --- parties (boxes 2, 8, 50) -------------------------------------------------------------------

def consignor_at_header_or_item_level(decl: Declaration, ctx: RuleContext) -> Result:
    """One consignor at header level, or one per house consignment, never both — seed 003, box 2."""
    header = decl.consignment.consignor
    houses = decl.consignment.house_consignments
    if header is not None:
        return [_p("consignor.both_levels", h.consignor.pointer,
                   "the consignor is stated at header level, so not on the house consignment as well",
                   "afsenderen er angivet på hovedpostniveau og må ikke også angives på varepostniveau")
                for h in houses if h.consignor is not None]
    return [_p("consignor.missing", at(h.pointer, "Consignor"),
               "state the consignor at header level, or on every house consignment",
               "angiv afsenderen på hovedpostniveau eller på hver varepost")
            for h in houses if h.consignor is None]


def consignee_at_header_or_item_level(decl: Declaration, ctx: RuleContext) -> Result:
    """Consignee at header or item level, never both; omitted only if established outside EU/EFTA — box 8."""
    consignment = decl.consignment
    if consignment.consignee is not None:
        return [_p("consignee.both_levels", h.consignee.pointer,
                   "the consignee is stated at header level, so not on the house consignment as well",
                   "modtageren er angivet på hovedpostniveau og må ikke også angives på varepostniveau")
                for h in consignment.house_consignments if h.consignee is not None]
    found = []
    for house in consignment.house_consignments:
        destinations = {house.country_of_destination or consignment.country_of_destination}
        destinations |= {item.country_of_destination for item in house.items}
        destinations.discard(None)
        # Without a stated destination nobody can show the consignee is outside EU/EFTA.
        if house.consignee is None and (not destinations or any(ctx.in_eu_or_efta(c) for c in destinations)):
            found.append(_p("consignee.missing", at(house.pointer, "Consignee"),
                            "state the consignee (it may be left out only when established outside the EU and EFTA)",
                            "angiv modtageren (den må kun udelades, når den er etableret uden for EU og EFTA)"))
    return found


def parties_state_full_name_and_address(decl: Declaration, ctx: RuleContext) -> Result:
    """Consignor and consignee: full name and complete address — seed 003, boxes 2 and 8."""
    consignment = decl.consignment
    parties = [consignment.consignor, consignment.consignee]
    for house in consignment.house_consignments:
        parties += [house.consignor, house.consignee]
    return [found for party in parties if party is not None for found in _name_and_address_problems(party)]


def holder_states_eori_name_and_address(decl: Declaration, ctx: RuleContext) -> Result:
    """The holder of the procedure: EORI number, full name and address — seed 003, box 50."""
    holder = decl.holder
    if holder is None:
        return _p("holder.missing", "/CC015C/HolderOfTheTransitProcedure", "the holder of the procedure is required",
                  "den hovedforpligtede skal angives")
    found = _name_and_address_problems(holder)
    if holder.identification_number is None:
        found.append(_p("holder.eori_missing", at(holder.pointer, "identificationNumber"),
                        "state the holder's EORI number", "angiv den hovedforpligtedes EORI-nummer"))
    return found


def holder_is_known_and_eori_registered(decl: Declaration, ctx: RuleContext) -> Result:
    """The holder must be a known, EORI-registered company — seed 003, box 50 (seed 000)."""
    if decl.holder is None or decl.holder.identification_number is None:
        return None  # holder_states_eori_name_and_address says what is missing
    pointer = at(decl.holder.pointer, "identificationNumber")
    eori = decl.holder.identification_number
    if not ctx.holder_known:
        return _p("holder.unknown", pointer, f"EORI {eori} is not in the EORI register",
                  f"EORI {eori} findes ikke i EORI-registret")
    if not ctx.holder_eori_registered:
        return _p("holder.not_registered", pointer, f"EORI {eori} is not registered for import or export",
                  f"EORI {eori} er ikke registreret til import eller eksport")
    return None


def _name_and_address_problems(party: Party) -> list[Problem]:
    found = []
    if party.name is None:
        found.append(_p("party.name_missing", at(party.pointer, "name"), "state the full name",
                        "angiv det fulde navn"))
    address = party.address
    if address is None:
        return found + [_p("party.address_missing", at(party.pointer, "Address"), "state the full address",
                           "angiv den fuldstændige adresse")]
    for name, value in (("streetAndNumber", address.street_and_number), ("city", address.city),
                        ("country", address.country)):
        if value is None:
            found.append(_p("party.address_incomplete", at(address.pointer, name),
                            f"the address needs {name}", f"adressen mangler {name}"))
    return found


# --- countries (boxes 15a, 17a) -----------------------------------------------------------------

def countries_of_dispatch_and_destination_are_iso_codes(decl: Declaration, ctx: RuleContext) -> Result:
    """Country of dispatch and destination are ISO country codes — seed 003, boxes 15a and 17a."""
    c = decl.consignment
    stated = [(c.pointer, c.country_of_dispatch, c.country_of_destination)]
    stated += [(h.pointer, h.country_of_dispatch, h.country_of_destination) for h in c.house_consignments]
    stated += [(i.pointer, i.country_of_dispatch, i.country_of_destination) for _, i in decl.goods_items()]
    return [_p("country.unknown", at(pointer, name), f"{code!r} is not an ISO country code",
               f"{code!r} er ikke en ISO-landekode")
            for pointer, dispatch, destination in stated
            for name, code in (("countryOfDispatch", dispatch), ("countryOfDestination", destination))
            if code is not None and not ctx.country_is_known(code)]


def country_of_dispatch_at_header_or_item_level(decl: Declaration, ctx: RuleContext) -> Result:
    """One country of dispatch at header level, or per item, never both — seed 003, box 15a.

    Not required: DMS's own CC015C template leaves it out, and phase 5 makes it conditional.
    """
    return _stated_at_one_level(decl, "country_of_dispatch", "countryOfDispatch", required=False)


def country_of_destination_at_header_or_item_level(decl: Declaration, ctx: RuleContext) -> Result:
    """The country of destination at header level, or for every item, never both — seed 003, box 17a."""
    return _stated_at_one_level(decl, "country_of_destination", "countryOfDestination", required=True)


def _stated_at_one_level(decl: Declaration, attribute: str, element: str, required: bool) -> list[Problem]:
    found = []
    header = getattr(decl.consignment, attribute)
    for house, item in decl.goods_items():
        lower = [(p, v) for p, v in ((house.pointer, getattr(house, attribute)), (item.pointer, getattr(item, attribute)))
                 if v is not None]
        if header is not None:
            found += [_p(f"{element}.both_levels", at(p, element),
                         f"{element} is stated at header level, so not again at item level",
                         f"{element} er angivet på hovedpostniveau og må ikke også angives på varepostniveau")
                      for p, _ in lower]
        elif len(lower) > 1:
            found.append(_p(f"{element}.both_levels", at(item.pointer, element),
                            f"{element} is stated on the house consignment, so not on the item as well",
                            f"{element} er angivet på forsendelsen og må ikke også angives på vareposten"))
        elif required and not lower:
            found.append(_p(f"{element}.missing", at(item.pointer, element),
                            f"state {element} at header level or for every goods item",
                            f"angiv {element} på hovedpostniveau eller for hver varepost"))
    # The same house pointer may be reported once per item; report it once.
    return list(dict.fromkeys(found))


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
    if not uses_authorised_consignor_procedure(decl):
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
            found.append(_p("transit_office.missing", at("/CC015C", "CustomsOfficeOfTransitDeclared"),
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


# --- guarantee (box 52) -------------------------------------------------------------------------

def guarantee_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: every declaration states its guarantee — seed 003."""
    if not decl.guarantees:
        return _p("guarantee.missing", "/CC015C/Guarantee", "state the guarantee", "angiv sikkerhedsstillelsen")
    return None


def guarantee_type_is_known(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 52: guarantee type 0, 1, 2, 3, 4, 5, 6, 8 or 9 — seed 003."""
    return [_p("guarantee.type_unknown", at(g.pointer, "guaranteeType"),
               f"guarantee type {g.guarantee_type!r} must be one of 0 1 2 3 4 5 6 8 9",
               f"sikkerhedsstillelsesart {g.guarantee_type!r} skal være en af 0 1 2 3 4 5 6 8 9")
            for g in decl.guarantees if g.guarantee_type not in ctx.codes("GuaranteeType", GUARANTEE_TYPES)]


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
    if not uses_authorised_consignor_procedure(decl):
        return None
    return [_p("guarantee.authorised_consignor_type", at(g.pointer, "guaranteeType"),
               "an authorised consignor must use guarantee type 0 (waiver) or 1 (comprehensive guarantee)",
               "en godkendt afsender skal bruge sikkerhedsstillelsesart 0 (fritagelse) eller 1 (samlet kaution)")
            for g in decl.guarantees if g.guarantee_type not in AUTHORISED_CONSIGNOR_GUARANTEE_TYPES]


# --- authorised consignor and time limit (box D) ------------------------------------------------

def authorised_consignor_holds_authorisation(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: the simplified procedure is for a holder authorised as consignor on the day — seed 003."""
    if uses_authorised_consignor_procedure(decl) and not ctx.holder_is_authorised_consignor:
        authorisation = next(a for a in decl.authorisations if a.type == AUTHORISED_CONSIGNOR_AUTHORISATION)
        return _p("authorised_consignor.not_authorised", at(authorisation.pointer, "referenceNumber"),
                  "the holder has no valid authorisation as authorised consignor today",
                  "den hovedforpligtede har ikke en gyldig bevilling som godkendt afsender i dag")
    return None


def time_limit_set_only_by_authorised_consignor(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: in the standard procedure the time limit is reserved for customs — seed 003."""
    op = decl.transit_operation
    if op.limit_date is not None and not uses_authorised_consignor_procedure(decl):
        return _p("limit_date.reserved", at(op.pointer, "limitDate"),
                  "in the standard procedure customs sets the time limit; leave limitDate out",
                  "i standardproceduren fastsætter toldmyndigheden tidsfristen; udelad limitDate")
    return None


def authorised_consignor_time_limit_at_most_8_days(decl: Declaration, ctx: RuleContext) -> Result:
    """Box D: an authorised consignor sets a realistic time limit, at most 8 days ahead save special cases — seed 003.

    A special case is not something the trader can claim in the message: the office grants
    it, and the caller says so with `RuleContext.time_limit_special_case`.
    """
    if not uses_authorised_consignor_procedure(decl):
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


# --- all of them --------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    lrn_at_most_22_characters, lrn_unique_per_holder, declaration_type_is_known,
    mixed_consignment_items_state_t1_or_t2, item_declaration_type_only_in_mixed_consignment,
    mixed_consignment_has_t1_and_t2_goods, tir_declaration_states_carnet_number, security_indicator_is_0_to_3,
    language_code_is_da,
    consignor_at_header_or_item_level, consignee_at_header_or_item_level, parties_state_full_name_and_address,
    holder_states_eori_name_and_address, holder_is_known_and_eori_registered,
    countries_of_dispatch_and_destination_are_iso_codes, country_of_dispatch_at_header_or_item_level,
    country_of_destination_at_header_or_item_level,
    departure_transport_means_identity_and_nationality, container_indicator_is_0_or_1,
    container_indicator_matches_container_numbers, active_border_transport_means_state_nationality,
    seals_state_number_and_identifiers, authorised_consignor_states_seals,
    office_of_departure_acts_as_departure, office_of_destination_acts_as_destination,
    offices_of_transit_act_as_transit, offices_of_transit_cover_route_through_efta,
    guarantee_stated, guarantee_type_is_known, guarantee_reference_number_where_required,
    only_voucher_guarantees_have_several_references, access_code_with_grn, guarantee_amount_and_currency_stated,
    authorised_consignor_uses_guarantee_type_0_or_1,
    authorised_consignor_holds_authorisation, time_limit_set_only_by_authorised_consignor,
    authorised_consignor_time_limit_at_most_8_days,
) + rules_goods.RULES


def check_declaration(decl: Declaration, ctx: RuleContext) -> list[Problem]:
    """Every rule of SPEC T on one declaration: all problems, in rule order."""
    found: list[Problem] = []
    for rule in RULES:
        result = rule(decl, ctx)
        if isinstance(result, Problem):
            found.append(result)
        elif result:
            found.extend(result)
    return found
