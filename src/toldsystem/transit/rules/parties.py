"""Party rules: holder, representative, consignor, consignee (boxes 2, 8, 50; C0250, C0542, C0001 ...)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Address, Declaration, HouseConsignment, Party, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

# R0850: an EORI or TCUIN: two letters, then 1 to 15 printable characters.
IDENTIFICATION_NUMBER = re.compile(r"[A-Z]{2}[\x21-\x7E]{1,15}")
TIR = "TIR"


def _parties(decl: Declaration) -> Iterator[tuple[Party, bool]]:
    """Consignors and consignees at every level, each with whether it is a consignor."""
    c = decl.consignment
    for party, is_consignor in ((c.consignor, True), (c.consignee, False)):
        if party is not None:
            yield party, is_consignor
    for house in c.house_consignments:
        for party, is_consignor in ((house.consignor, True), (house.consignee, False)):
            if party is not None:
                yield party, is_consignor
        for item in house.items:
            if item.consignee is not None:
                yield item.consignee, False


# --- the holder (box 50) -------------------------------------------------------------------------

def holder_states_an_eori_number(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 50 (seed 003): the holder states its EORI number — a national rule; P5 makes it optional (TIR holders)."""
    if decl.holder is None:
        return transit_problem("holder.missing", at(decl.root, "HolderOfTheTransitProcedure"),
                               "the holder of the procedure is required", "den hovedforpligtede skal angives")
    if decl.holder.identification_number is None:
        return transit_problem("holder.eori_missing", at(decl.holder.pointer, "identificationNumber"),
                               "the Danish customs need the holder's EORI number (seed 003, box 50)",
                               "den danske toldmyndighed skal have den hovedforpligtedes EORI-nummer (seed 003, rubrik 50)")
    return None


def holder_is_known_and_eori_registered(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 50 (seed 003, seed 000): the holder is a known, EORI-registered company."""
    if decl.holder is None or decl.holder.identification_number is None:
        return None  # holder_states_an_eori_number says what is missing
    pointer = at(decl.holder.pointer, "identificationNumber")
    eori = decl.holder.identification_number
    if not ctx.holder_known:
        return transit_problem("holder.unknown", pointer, f"EORI {eori} is not in the EORI register",
                               f"EORI {eori} findes ikke i EORI-registret")
    if not ctx.holder_eori_registered:
        return transit_problem("holder.not_registered", pointer, f"EORI {eori} is not registered for import or export",
                               f"EORI {eori} er ikke registreret til import eller eksport")
    return None


def holder_name_and_address_unless_eori_is_valid(decl: Declaration, ctx: RuleContext) -> Result:
    """C0250: the holder's name and address are needed only when its EORI is absent or not valid.

    P5 marks them 'N' beside a valid EORI; the Danish DMS's own templates send both, so
    they are accepted, not refused.
    """
    holder = decl.holder
    if holder is None or (holder.identification_number is not None and ctx.holder_known
                          and ctx.holder_eori_registered):
        return None
    return _name_and_address_required(holder, "the holder's", "den hovedforpligtedes")


def tir_holder_identification_with_tir_only(decl: Declaration, ctx: RuleContext) -> Result:
    """C0904: a TIR declaration states the TIR holder's identification number; other declarations do not."""
    holder = decl.holder
    if holder is None:
        return None
    pointer = at(holder.pointer, "TIRHolderIdentificationNumber")
    if decl.transit_operation.declaration_type == TIR and holder.tir_holder_identification_number is None:
        return transit_problem("holder.tir_identification_missing", pointer,
                               "a TIR declaration states the TIR holder's identification number",
                               "en TIR-angivelse angiver TIR-indehaverens identifikationsnummer")
    if decl.transit_operation.declaration_type != TIR and holder.tir_holder_identification_number is not None:
        return transit_problem("holder.tir_identification_not_allowed", pointer,
                               "only a TIR declaration states a TIR holder identification number",
                               "kun en TIR-angivelse angiver et TIR-identifikationsnummer")
    return None


def identification_numbers_are_eori_or_tcuin(decl: Declaration, ctx: RuleContext) -> Result:
    """R0850: the holder's, representative's and consignors' identification numbers are EORI/TCUIN shaped."""
    numbered = [(decl.holder.pointer, decl.holder.identification_number)] if decl.holder else []
    if decl.representative is not None:
        numbered.append((decl.representative.pointer, decl.representative.identification_number))
    numbered += [(p.pointer, p.identification_number) for p, is_consignor in _parties(decl) if is_consignor]
    return [transit_problem("party.identification_number_format", at(pointer, "identificationNumber"),
                            f"{number!r} is not an EORI or TCUIN: two capital letters, then up to 15 characters",
                            f"{number!r} er ikke et EORI- eller TCUIN-nummer: to store bogstaver og op til 15 tegn")
            for pointer, number in numbered if number is not None and not IDENTIFICATION_NUMBER.fullmatch(number)]


# --- consignor (box 2) ---------------------------------------------------------------------------

def consignor_at_one_level_and_left_out_with_the_reduced_data_set(decl: Declaration, ctx: RuleContext) -> Result:
    """C0542 (seed 003 box 2): the consignor is optional, at header or house level, never both;
    without safety data and with the reduced data set there is none."""
    c = decl.consignment
    op = decl.transit_operation
    if op.security == "0" and op.reduced_dataset_indicator == "1":
        stated = [party for party in (c.consignor, *(h.consignor for h in c.house_consignments)) if party is not None]
        return [transit_problem("consignor.not_allowed", party.pointer,
                                "without safety data and with the reduced data set no consignor is stated",
                                "uden sikkerhedsdata og med det reducerede datasæt angives ingen afsender")
                for party in stated]
    if c.consignor is None:
        return None
    return [transit_problem("consignor.both_levels_not_allowed", h.consignor.pointer,
                            "the consignor is stated at header level, so not on the house consignment as well",
                            "afsenderen er angivet på hovedpostniveau og må ikke også angives på forsendelsesniveau")
            for h in c.house_consignments if h.consignor is not None]


# --- consignee (box 8) ---------------------------------------------------------------------------

def consignee_stated_when_the_destination_is_a_common_transit_country(decl: Declaration, ctx: RuleContext) -> Result:
    """C0001 and B1823 (seed 003 box 8): goods going to a common-transit country (CL009) have a consignee.

    It may be at header level, on the house consignment, or (as the transitional rules
    allow) on the goods item; goods going elsewhere may leave it out.
    """
    c = decl.consignment
    if c.consignee is not None or not ctx.knows("CL009"):
        return None
    found = []
    for house in c.house_consignments:
        if house.consignee is not None:
            continue
        missing = [item for item in house.items if item.consignee is None and ctx.is_common_transit(
            c.country_of_destination or house.country_of_destination or item.country_of_destination)]
        if missing:
            found.append(transit_problem("consignee.missing", at(house.pointer, "Consignee"),
                                         "the goods go to a common-transit country: state the consignee",
                                         "varerne skal til et fællestransitland: angiv modtageren"))
    return found


def consignee_at_one_level_only(decl: Declaration, ctx: RuleContext) -> Result:
    """C0001 (seed 003 box 8): a consignee at header level is not repeated on a house consignment or goods item."""
    c = decl.consignment
    found = []
    for house in c.house_consignments:
        upper = c.consignee or house.consignee
        if c.consignee is not None and house.consignee is not None:
            found.append(_consignee_twice(house.consignee))
        if upper is not None:
            found += [_consignee_twice(item.consignee) for item in house.items if item.consignee is not None]
    return found


def _consignee_twice(party: Party) -> Problem:
    return transit_problem("consignee.both_levels_not_allowed", party.pointer,
                           "the consignee is already stated at a higher level, so not here as well",
                           "modtageren er allerede angivet på et højere niveau og må ikke også angives her")


# --- names and addresses (C0250, C0505) ---------------------------------------------------------

def parties_name_and_address_unless_eori_is_valid(decl: Declaration, ctx: RuleContext) -> Result:
    """C0250 (seed 003 boxes 2, 8): a consignor or consignee without an EORI valid in our register states name and address."""
    return [found for party, is_consignor in _parties(decl)
            if party.identification_number not in ctx.known_eoris
            for found in _name_and_address_required(party, "the consignor's" if is_consignor else "the consignee's",
                                                    "afsenderens" if is_consignor else "modtagerens")]


def postcode_unless_the_country_has_none(decl: Declaration, ctx: RuleContext) -> Result:
    """C0505 (B1822 for an item's consignee): an address states its postcode unless its country is in CL505."""
    if not ctx.knows("CL505"):
        return None
    parties = [p for p, _ in _parties(decl)] + ([decl.holder] if decl.holder else [])
    return [transit_problem("address.postcode_missing", at(p.address.pointer, "postcode"),
                            f"addresses in {p.address.country} have a postcode: state it",
                            f"adresser i {p.address.country} har et postnummer: angiv det")
            for p in parties if _needs_postcode(p.address, ctx)]


def _needs_postcode(address: Address | None, ctx: RuleContext) -> bool:
    return (address is not None and address.postcode is None and address.country is not None
            and not ctx.in_list("CL505", address.country))


def _name_and_address_required(party: Party, whose_en: str, whose_da: str) -> list[Problem]:
    found = []
    if party.name is None:
        found.append(transit_problem("party.name_missing", at(party.pointer, "name"),
                                     f"without a valid EORI number state {whose_en} name",
                                     f"uden et gyldigt EORI-nummer angives {whose_da} navn"))
    if party.address is None:
        found.append(transit_problem("party.address_missing", at(party.pointer, "Address"),
                                     f"without a valid EORI number state {whose_en} address",
                                     f"uden et gyldigt EORI-nummer angives {whose_da} adresse"))
    return found


# --- house consignments that repeat one another (R0506) ------------------------------------------

def house_consignments_do_not_all_repeat_one_party(decl: Declaration, ctx: RuleContext) -> Result:
    """R0506: a consignor or consignee stated alike on every house consignment belongs at header level."""
    houses = decl.consignment.house_consignments
    if len(houses) < 2:
        return None
    found = []
    for name, of_house in (("Consignor", _consignor), ("Consignee", _consignee)):
        parties = [of_house(h) for h in houses]
        if all(p is not None for p in parties) and len({_identity(p) for p in parties}) == 1:
            found.append(transit_problem(f"{name.lower()}.same_on_every_house_consignment", parties[-1].pointer,
                                         f"every house consignment has the same {name.lower()}: state it once, at header level",
                                         f"alle forsendelser har samme {'afsender' if name == 'Consignor' else 'modtager'}: "
                                         "angiv den én gang på hovedpostniveau"))
    return found


def _consignor(house: HouseConsignment) -> Party | None:
    return house.consignor


def _consignee(house: HouseConsignment) -> Party | None:
    return house.consignee


def _identity(party: Party) -> tuple:
    address = party.address
    where = (address.street_and_number, address.postcode, address.city, address.country) if address else None
    return party.identification_number, party.name, where


RULES = (
    holder_states_an_eori_number, holder_is_known_and_eori_registered, holder_name_and_address_unless_eori_is_valid,
    tir_holder_identification_with_tir_only, identification_numbers_are_eori_or_tcuin,
    consignor_at_one_level_and_left_out_with_the_reduced_data_set,
    consignee_stated_when_the_destination_is_a_common_transit_country, consignee_at_one_level_only,
    parties_name_and_address_unless_eori_is_valid, postcode_unless_the_country_has_none,
    house_consignments_do_not_all_repeat_one_party,
)
