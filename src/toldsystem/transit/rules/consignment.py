"""Consignment rules: countries, routing, UCR, places, location of goods, transport charges (boxes 15a, 17a).

Phase 5 has a transitional state (the Bxxxx rules) and a final state (the Cxxxx and Rxxxx
rules they switch off). A message either of them accepts is accepted: an element is
required only where both require it and refused only where both refuse it. So a
country of dispatch may be left out (B1965) and a UCR need not be repeated on every item
(B1895), as the Danish DMS's own templates do.
"""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

SECURITY_WITH_DATA = frozenset({"1", "2", "3"})
SECURITY_WITH_ENTRY_DATA = frozenset({"1", "3"})
STANDARD = "A"
PRE_LODGED = "D"
NO_SPECIFIC_CIRCUMSTANCE = "XXX"


# --- countries of dispatch and destination (boxes 15a, 17a) --------------------------------------

def country_of_destination_stated_at_one_level(decl: Declaration, ctx: RuleContext) -> Result:
    """C0343 (seed 003 box 17a): the country of destination at header level, or per house consignment, or per item."""
    return _stated_at_one_level(decl, "country_of_destination", "countryOfDestination", required=True)


def country_of_dispatch_at_one_level_at_most(decl: Declaration, ctx: RuleContext) -> Result:
    """C0909 and B1965 (seed 003 box 15a): the country of dispatch at one level at most; it may be left out."""
    return _stated_at_one_level(decl, "country_of_dispatch", "countryOfDispatch", required=False)


def _stated_at_one_level(decl: Declaration, attribute: str, element: str, required: bool) -> list[Problem]:
    found: list[Problem] = []
    header = getattr(decl.consignment, attribute)
    for house in decl.consignment.house_consignments:
        at_house = getattr(house, attribute)
        if header is not None and at_house is not None:
            found.append(_twice(at(house.pointer, element), element))
        for item in house.items:
            if getattr(item, attribute) is not None and (header is not None or at_house is not None):
                found.append(_twice(at(item.pointer, element), element))
            elif required and header is None and at_house is None and getattr(item, attribute) is None:
                found.append(transit_problem(f"{element}.missing", at(item.pointer, element),
                                             f"state {element} at header level, per house consignment or per goods item",
                                             f"angiv {element} på hovedpostniveau, pr. forsendelse eller pr. varepost"))
    return found


def _twice(pointer: str, element: str) -> Problem:
    return transit_problem(f"{element}.both_levels_not_allowed", pointer,
                           f"{element} is already stated at a higher level, so not here as well",
                           f"{element} er allerede angivet på et højere niveau og må ikke også angives her")


def lower_levels_do_not_all_repeat_one_country(decl: Declaration, ctx: RuleContext) -> Result:
    """R0506, R0507: a country stated alike on every house consignment (or every item) belongs one level up."""
    houses = decl.consignment.house_consignments
    items = [item for _, item in decl.goods_items()]
    found = []
    for attribute, element in (("country_of_dispatch", "countryOfDispatch"),
                               ("country_of_destination", "countryOfDestination")):
        for level, pointer in ((houses, "house consignment"), (items, "goods item")):
            values = [getattr(x, attribute) for x in level]
            if len(values) > 1 and None not in values and len(set(values)) == 1:
                found.append(transit_problem(f"{element}.same_on_every_{pointer.replace(' ', '_')}",
                                             at(level[-1].pointer, element),
                                             f"every {pointer} has {element} {values[0]}: state it once, one level up",
                                             f"alle har {element} {values[0]}: angiv det én gang på niveauet over"))
    return found


# --- routing ---------------------------------------------------------------------------------------

def countries_of_routing_with_safety_data(decl: Declaration, ctx: RuleContext) -> Result:
    """C0586 and B1848: a declaration with safety and security data (security 1, 2, 3) states its countries of routing."""
    op = decl.transit_operation
    if op.security in SECURITY_WITH_DATA and not decl.consignment.countries_of_routing:
        return transit_problem("routing.missing", at(decl.consignment.pointer, "CountryOfRoutingOfConsignment"),
                               "with safety and security data (security 1, 2 or 3) state the countries of routing",
                               "med sikkerhedsdata (security 1, 2 eller 3) angives rutelandene")
    return None


# --- UCR -------------------------------------------------------------------------------------------

def ucr_at_header_level_is_not_repeated_on_items(decl: Declaration, ctx: RuleContext) -> Result:
    """C0502 and B1895: a UCR stated for the consignment is not repeated on the goods items."""
    if decl.consignment.reference_number_ucr is None:
        return None
    return [transit_problem("ucr.both_levels_not_allowed", at(item.pointer, "referenceNumberUCR"),
                            "the UCR is stated for the consignment, so not on the goods item as well",
                            "UCR er angivet for forsendelsen og må ikke også angives på vareposten")
            for _, item in decl.goods_items() if item.reference_number_ucr is not None]


# --- transport charges -----------------------------------------------------------------------------

def transport_charges_only_with_safety_data_and_at_one_level(decl: Declaration, ctx: RuleContext) -> Result:
    """C0186, C0337, B1875: transport charges only with safety data (security not 0), and at one level."""
    c = decl.consignment
    stated = [(at(c.pointer, "TransportCharges"), c.transport_charges, 0)]
    for house in c.house_consignments:
        stated.append((at(house.pointer, "TransportCharges"), house.transport_charges, 1))
        stated += [(at(item.pointer, "TransportCharges"), item.transport_charges, 2) for item in house.items]
    found = []
    for pointer, method, level in stated:
        if method is None:
            continue
        if decl.transit_operation.security == "0":
            found.append(transit_problem("transport_charges.not_allowed", pointer,
                                         "transport charges are stated only with safety and security data",
                                         "transportomkostninger angives kun med sikkerhedsdata"))
        elif level > 0 and c.transport_charges is not None:
            found.append(transit_problem("transport_charges.both_levels_not_allowed", pointer,
                                         "the transport charges are stated for the consignment, so not here as well",
                                         "transportomkostningerne er angivet for forsendelsen og må ikke også angives her"))
    return found


# --- places of loading and unloading -----------------------------------------------------------------

def place_of_loading_with_safety_data_unless_pre_lodged(decl: Declaration, ctx: RuleContext) -> Result:
    """C0403 and B1893: a standard declaration (A) with safety data (security not 0) states the place of loading."""
    op = decl.transit_operation
    if op.additional_declaration_type == STANDARD and op.security in SECURITY_WITH_DATA \
            and decl.consignment.place_of_loading is None:
        return transit_problem("place_of_loading.missing", at(decl.consignment.pointer, "PlaceOfLoading"),
                               "with safety and security data state the place of loading",
                               "med sikkerhedsdata angives lastestedet")
    return None


def place_of_unloading_with_entry_data_only(decl: Declaration, ctx: RuleContext) -> Result:
    """C0191 and B1858: the place of unloading goes with entry data (security 1, 3) and never with security 0."""
    op = decl.transit_operation
    place = decl.consignment.place_of_unloading
    pointer = at(decl.consignment.pointer, "PlaceOfUnloading")
    if op.security == "0" and place is not None:
        return transit_problem("place_of_unloading.not_allowed", pointer,
                               "without safety and security data (security 0) no place of unloading is stated",
                               "uden sikkerhedsdata (security 0) angives intet losested")
    if op.security in SECURITY_WITH_ENTRY_DATA and place is None \
            and op.specific_circumstance_indicator != NO_SPECIFIC_CIRCUMSTANCE:
        return transit_problem("place_of_unloading.missing", pointer,
                               "with entry summary data (security 1 or 3) state the place of unloading",
                               "med indpassagedata (security 1 eller 3) angives losestedet")
    return None


def places_name_country_and_location_without_un_locode(decl: Declaration, ctx: RuleContext) -> Result:
    """C0387: a place of loading or unloading without a UN/LOCODE states its country and location."""
    found = []
    for name, place in (("PlaceOfLoading", decl.consignment.place_of_loading),
                        ("PlaceOfUnloading", decl.consignment.place_of_unloading)):
        if place is None or place.get("UNLocode"):
            continue
        found += [transit_problem("place.location_missing", at(at(decl.consignment.pointer, name), leaf),
                                  f"without a UN/LOCODE the place states its {leaf}",
                                  f"uden UN/LOCODE angiver stedet sit {leaf}")
                  for leaf in ("country", "location") if not place.get(leaf)]
    return found


# --- location of goods -------------------------------------------------------------------------------

# C0394: what the qualifier of identification calls for (R) — the other alternatives are N.
LOCATION_BY_QUALIFIER = {"Z": "Address", "X": "EconomicOperator", "Y": "authorisationNumber", "W": "GNSS",
                         "V": "CustomsOffice", "U": "UNLocode", "T": "PostcodeAddress"}
NO_CONTACT_PERSON_QUALIFIER = "V"


def location_of_goods_identified_as_its_qualifier_says(decl: Declaration, ctx: RuleContext) -> Result:
    """C0394: the location of goods gives exactly the identification its qualifier names (V: no contact person)."""
    return location_problems(decl.consignment.location_of_goods, at(decl.consignment.pointer, "LocationOfGoods"))


def location_problems(location: dict | None, pointer: str) -> list[Problem]:
    """C0394 and C0671 on a LocationOfGoods as sent (CC015C, CC007C)."""
    if not location:
        return []
    qualifier = str(location.get("qualifierOfIdentification") or "").strip()
    wanted = LOCATION_BY_QUALIFIER.get(qualifier)
    if wanted is None:
        return []  # an unknown qualifier is the code-list rule's to report
    found = []
    if not location.get(wanted):
        found.append(transit_problem("location.identification_missing", at(pointer, wanted),
                                     f"qualifier {qualifier} identifies the location by {wanted}: state it",
                                     f"kvalifikator {qualifier} identificerer stedet ved {wanted}: angiv det"))
    others = [name for name in LOCATION_BY_QUALIFIER.values() if name != wanted and location.get(name)]
    if qualifier == NO_CONTACT_PERSON_QUALIFIER and location.get("ContactPerson"):
        others.append("ContactPerson")
    found += [transit_problem("location.identification_not_allowed", at(pointer, name),
                              f"qualifier {qualifier} identifies the location by {wanted}, so {name} is not given",
                              f"kvalifikator {qualifier} identificerer stedet ved {wanted}, så {name} angives ikke")
              for name in others]
    if location.get("additionalIdentifier") and not (location.get("authorisationNumber")
                                                      or location.get("EconomicOperator")):
        found.append(transit_problem("location.additional_identifier_not_allowed", at(pointer, "additionalIdentifier"),
                                     "an additional identifier goes with an authorisation number or an economic operator",
                                     "en yderligere identifikator hører til et bevillingsnummer eller en erhvervsdrivende"))
    return found


RULES = (
    country_of_destination_stated_at_one_level, country_of_dispatch_at_one_level_at_most,
    lower_levels_do_not_all_repeat_one_country, countries_of_routing_with_safety_data,
    ucr_at_header_level_is_not_repeated_on_items, transport_charges_only_with_safety_data_and_at_one_level,
    place_of_loading_with_safety_data_unless_pre_lodged, place_of_unloading_with_entry_data_only,
    places_name_country_and_location_without_un_locode, location_of_goods_identified_as_its_qualifier_says,
)
