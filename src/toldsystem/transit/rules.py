"""Rules of the transit declaration (SPEC T, seed 003): one small pure function per rule.

Each rule takes the declaration and a `RuleContext` (the outside facts the caller looked up)
and returns None, a Problem or a list of Problems pointing at the offending element.
Header, party and country rules live here; transport and offices in rules_transport.py,
guarantee and time limit in rules_guarantee.py, goods items in rules_goods.py.
`check_declaration` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from toldsystem.core.errors import Problem, problem
from toldsystem.core.identifiers import is_valid_lrn
from toldsystem.reference.rules import EFTA, Country, Office
from toldsystem.transit import rules_goods, rules_guarantee, rules_transport
from toldsystem.transit.declaration import ROOT, Declaration, Party, at

DECLARATION_TYPES = frozenset({"T1", "T2", "T2F", "T", "TIR"})
MIXED = "T"  # phase 5 writes the seed's "T-" as "T"
MIXED_ITEM_TYPES = frozenset({"T1", "T2", "T2F"})  # T2F is a T2 variant, so allowed in a T- item
LANGUAGE = "DA"
SECURITY_INDICATORS = frozenset({"0", "1", "2", "3"})

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
    if kind not in ctx.codes("CL231", DECLARATION_TYPES):
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
        return _p("holder.missing", at(ROOT, "HolderOfTheTransitProcedure"), "the holder of the procedure is required",
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
) + rules_transport.RULES + rules_guarantee.RULES + rules_goods.RULES


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
