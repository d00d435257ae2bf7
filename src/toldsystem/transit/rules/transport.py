"""Transport rules: containers, seals, departure and border-crossing means (boxes 18, 19, 21, D).

As in consignment.py, where the transitional (Bxxxx) and final rules differ, a message either
accepts is accepted.
"""

from __future__ import annotations

from collections import Counter

from toldsystem.transit.declaration import Declaration, TransportMeans, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

PRE_LODGED = "D"
STANDARD = "A"
SECURITY_WITH_DATA = frozenset({"1", "2", "3"})
ROAD, RAIL, AIR, POST = "3", "2", "4", "5"
MODES_NAMING_THE_IDENTIFICATION = frozenset({"1", "2", "3", "4", "8"})  # R0472
TRACTOR_REGISTRATION, TRAILER_REGISTRATION = "30", "31"


# --- containers (box 19) ---------------------------------------------------------------------------

def container_indicator_stated_unless_pre_lodged(decl: Declaration, ctx: RuleContext) -> Result:
    """C0822 (seed 003 box 19): the container indicator (0 or 1) is stated, except in a pre-lodged declaration (D)."""
    if decl.consignment.container_indicator is None and decl.transit_operation.additional_declaration_type != PRE_LODGED:
        return transit_problem("container.indicator_missing", at(decl.consignment.pointer, "containerIndicator"),
                               "state the container indicator: 0 (no container) or 1 (container)",
                               "angiv containerindikatoren: 0 (ingen container) eller 1 (container)")
    return None


def containers_match_the_container_indicator(decl: Declaration, ctx: RuleContext) -> Result:
    """C0823, C0055 (seed 003 box 19): indicator 1 needs transport equipment with a container number;
    indicator 0 allows equipment (seals) but no container number; no indicator, no equipment."""
    c = decl.consignment
    indicator, equipment = c.container_indicator, c.transport_equipment
    if indicator is None:
        return [transit_problem("transport_equipment.not_allowed", e.pointer,
                                "transport equipment goes with a container indicator; state it or leave the equipment out",
                                "transportudstyr hører til en containerindikator; angiv den eller udelad udstyret")
                for e in equipment]
    if indicator == "1" and not any(e.container_identification_number for e in equipment):
        pointer = at(equipment[0].pointer, "containerIdentificationNumber") if equipment \
            else at(c.pointer, "TransportEquipment")
        return transit_problem("container.number_missing", pointer,
                               "goods in containers: state the container identification number",
                               "varer i container: angiv containerens identifikationsnummer")
    if indicator == "0":
        return [transit_problem("container.number_not_allowed", at(e.pointer, "containerIdentificationNumber"),
                                "the container indicator is 0, so no container number is stated",
                                "containerindikatoren er 0, så der angives intet containernummer")
                for e in equipment if e.container_identification_number is not None]
    return None


def several_containers_name_their_goods(decl: Declaration, ctx: RuleContext) -> Result:
    """C0670: transport equipment names the goods items it carries, unless it is a single container."""
    equipment = decl.consignment.transport_equipment
    if len(equipment) == 1 and equipment[0].container_identification_number:
        return None
    return [transit_problem("transport_equipment.goods_missing", at(e.pointer, "GoodsReference"),
                            "name the goods items this equipment carries (GoodsReference)",
                            "angiv de vareposter, dette udstyr indeholder (GoodsReference)")
            for e in equipment if not e.goods_item_numbers]


def goods_references_name_declared_items(decl: Declaration, ctx: RuleContext) -> Result:
    """G0006: a goods reference names a declarationGoodsItemNumber of the declaration."""
    declared = {item.declaration_goods_item_number for _, item in decl.goods_items()}
    return [transit_problem("transport_equipment.goods_unknown", at(e.pointer, "GoodsReference"),
                            f"goods item {n} is not in the declaration", f"varepost {n} findes ikke i angivelsen")
            for e in decl.consignment.transport_equipment for n in e.goods_item_numbers if n not in declared]


# --- seals (box D) -----------------------------------------------------------------------------------

def seals_match_their_number(decl: Declaration, ctx: RuleContext) -> Result:
    """C0569, R0448 (seed 003 box D): numberOfSeals counts the seals given; 0 means none, and only on a container."""
    found = []
    for e in decl.consignment.transport_equipment:
        pointer = at(e.pointer, "numberOfSeals")
        if e.number_of_seals is None:
            found.append(transit_problem("seals.number_missing", pointer, "state the number of seals (0 for none)",
                                         "angiv antal forseglinger (0 for ingen)"))
        elif e.number_of_seals == 0 and e.seals:
            found.append(transit_problem("seals.not_allowed", e.seals[0].pointer,
                                         "numberOfSeals is 0, so no seal is listed",
                                         "numberOfSeals er 0, så der angives ingen forsegling"))
        elif e.number_of_seals == 0 and e.container_identification_number is None:
            found.append(transit_problem("seals.none_without_container", pointer,
                                         "equipment without a container number is there for its seals: numberOfSeals above 0",
                                         "udstyr uden containernummer angives for forseglingernes skyld: numberOfSeals over 0"))
        elif e.number_of_seals > 0 and not e.seals:
            found.append(transit_problem("seals.missing", at(e.pointer, "Seal"), f"list the {e.number_of_seals} seals",
                                         f"angiv de {e.number_of_seals} forseglinger"))
        elif e.number_of_seals != len(e.seals):
            found.append(transit_problem("seals.count_mismatch", pointer,
                                         f"{e.number_of_seals} seals stated but {len(e.seals)} listed",
                                         f"{e.number_of_seals} forseglinger angivet, men {len(e.seals)} anført"))
    return found


def seal_identifiers_unique_in_the_declaration(decl: Declaration, ctx: RuleContext) -> Result:
    """R0107: each seal identifier appears once in the whole declaration."""
    seals = [s for e in decl.consignment.transport_equipment for s in e.seals if s.identifier]
    counts = Counter(s.identifier for s in seals)
    seen: set[str] = set()
    found = []
    for seal in seals:
        if counts[seal.identifier] > 1 and seal.identifier in seen:
            found.append(transit_problem("seals.identifier_twice", at(seal.pointer, "identifier"),
                                         f"seal {seal.identifier} is listed twice",
                                         f"forsegling {seal.identifier} er anført to gange"))
        seen.add(seal.identifier)
    return found


def authorised_consignor_states_seals_when_the_authorisation_says_so(decl: Declaration, ctx: RuleContext) -> Result:
    """R0165 and seed 003 box D: an authorised consignor states its seals when its authorisation foresees them;
    without that ('Fritaget', agreed with the office of departure) none are needed."""
    if not decl.by_authorised_consignor or not ctx.seals_required_by_authorisation:
        return None
    if any(e.number_of_seals for e in decl.consignment.transport_equipment):
        return None
    return transit_problem("seals.required_by_authorisation", at(decl.consignment.pointer, "TransportEquipment"),
                           "your authorisation as authorised consignor foresees seals: state them",
                           "din bevilling som godkendt afsender foreskriver forsegling: angiv forseglingerne")


# --- departure transport means (box 18) ----------------------------------------------------------

def _departure_means(decl: Declaration) -> list[tuple[str, tuple[TransportMeans, ...]]]:
    c = decl.consignment
    return [(c.pointer, c.departure_transport_means)] + [(h.pointer, h.departure_transport_means)
                                                          for h in c.house_consignments]


def no_departure_means_for_post(decl: Declaration, ctx: RuleContext) -> Result:
    """C0826: goods sent by post (inland mode 5) have no departure transport means."""
    if decl.consignment.inland_mode_of_transport != POST:
        return None
    return [transit_problem("departure_means.not_allowed", means[0].pointer,
                            "goods sent by post (inland mode 5) have no departure transport means",
                            "varer sendt med post (transportart 5) har intet transportmiddel ved afgang")
            for _, means in _departure_means(decl) if means]


def departure_means_state_identity_and_the_first_ones_nationality(decl: Declaration, ctx: RuleContext) -> Result:
    """Seed 003 box 18 (a national rule; P5 leaves them optional at header level): each means states its
    registration number, the first (the tractor) its nationality — not by rail, where B1897 forbids it."""
    found = []
    for _, means in _departure_means(decl):
        for position, m in enumerate(means):
            if m.identification_number is None:
                found.append(transit_problem("departure_means.identity_missing", at(m.pointer, "identificationNumber"),
                                             "state the registration number of the means of transport (seed 003, box 18)",
                                             "angiv transportmidlets registreringsnummer (seed 003, rubrik 18)"))
            if position == 0 and m.nationality is None and decl.consignment.inland_mode_of_transport != RAIL:
                found.append(transit_problem(
                    "departure_means.nationality_missing", at(m.pointer, "nationality"),
                    "state the nationality of the first (pulling) means of transport (seed 003, box 18)",
                    "angiv nationaliteten for det første (trækkende) transportmiddel (seed 003, rubrik 18)"))
    return found


def departure_means_identified_as_the_inland_mode(decl: Declaration, ctx: RuleContext) -> Result:
    """R0472, R0474, R0476: the type of identification fits the inland mode; by road the first is a tractor
    registration (30), the second and third trailer registrations (31)."""
    mode = decl.consignment.inland_mode_of_transport
    if mode not in MODES_NAMING_THE_IDENTIFICATION:
        return None
    found = []
    for _, means in _departure_means(decl):
        for position, m in enumerate(means):
            kind, pointer = m.type_of_identification, at(m.pointer, "typeOfIdentification")
            if kind is None:
                continue
            if not kind.startswith(mode):
                found.append(transit_problem("departure_means.identification_mode", pointer,
                                             f"inland mode {mode}: the type of identification starts with {mode}",
                                             f"transportart {mode}: identifikationstypen begynder med {mode}"))
            elif mode == ROAD and position == 0 and kind != TRACTOR_REGISTRATION:
                found.append(transit_problem("departure_means.identification_tractor", pointer,
                                             "by road the first means is identified by its registration number (30)",
                                             "ad vej identificeres det første transportmiddel ved registreringsnummer (30)"))
            elif mode == ROAD and position in (1, 2) and kind != TRAILER_REGISTRATION:
                found.append(transit_problem("departure_means.identification_trailer", pointer,
                                             "by road the second and third means are trailers (31)",
                                             "ad vej er andet og tredje transportmiddel påhængsvogne (31)"))
    return found


# --- border-crossing active means (box 21) ------------------------------------------------------

def active_border_means_stated_with_safety_data(decl: Declaration, ctx: RuleContext) -> Result:
    """C0806 and B1806: a standard declaration with safety data and a border mode other than post (5) or
    rail (2) states the active border transport means; by post it states none."""
    c = decl.consignment
    op = decl.transit_operation
    pointer = at(c.pointer, "ActiveBorderTransportMeans")
    if c.mode_of_transport_at_the_border == POST and c.active_border_transport_means:
        return transit_problem("border_means.not_allowed", c.active_border_transport_means[0].pointer,
                               "goods sent by post (border mode 5) have no active border transport means",
                               "varer sendt med post (transportart 5 ved grænsen) har intet aktivt transportmiddel")
    if (op.security in SECURITY_WITH_DATA and op.additional_declaration_type == STANDARD
            and c.mode_of_transport_at_the_border not in (None, POST, RAIL)
            and not c.active_border_transport_means):
        return transit_problem("border_means.missing", pointer,
                               "with safety and security data state the active means crossing the border",
                               "med sikkerhedsdata angives det aktive transportmiddel, der krydser grænsen")
    return None


def active_border_means_once_without_offices_of_transit(decl: Declaration, ctx: RuleContext) -> Result:
    """R0789: several active border transport means only with offices of transit; otherwise one."""
    means = decl.consignment.active_border_transport_means
    if len(means) > 1 and not decl.offices_of_transit:
        return transit_problem("border_means.too_many", means[1].pointer,
                               "without offices of transit state one active border transport means",
                               "uden grænsetoldsteder angives ét aktivt transportmiddel ved grænsen")
    return None


def active_border_means_state_nationality(decl: Declaration, ctx: RuleContext) -> Result:
    """Seed 003 box 21 (a national rule; P5 leaves it optional): the nationality of the active means crossing
    the border is always stated — for a lorry on a ferry, the ship's."""
    return [transit_problem("border_means.nationality_missing", at(m.pointer, "nationality"),
                            "state the nationality of the active means crossing the border (a lorry on a ferry: "
                            "the ship's) — seed 003, box 21",
                            "angiv nationaliteten for det aktive grænseoverskridende transportmiddel (lastbil på "
                            "færge: skibets) — seed 003, rubrik 21")
            for m in decl.consignment.active_border_transport_means if m.nationality is None]


def flight_number_by_air_with_safety_data(decl: Declaration, ctx: RuleContext) -> Result:
    """C0531: by air (border mode 4) with safety data the conveyance reference number (flight) is stated."""
    c = decl.consignment
    if decl.transit_operation.security not in SECURITY_WITH_DATA or c.mode_of_transport_at_the_border != AIR:
        return None
    return [transit_problem("border_means.flight_missing", at(m.pointer, "conveyanceReferenceNumber"),
                            "by air with safety data state the flight number (conveyanceReferenceNumber)",
                            "med fly og sikkerhedsdata angives flynummeret (conveyanceReferenceNumber)")
            for m in c.active_border_transport_means if m.conveyance_reference_number is None]


def border_mode_stated_with_safety_data(decl: Declaration, ctx: RuleContext) -> Result:
    """C0599 and B1889: a standard declaration with safety data from outside the EU states the mode at the border."""
    op = decl.transit_operation
    if (op.security in SECURITY_WITH_DATA and op.additional_declaration_type == STANDARD
            and ctx.knows("CL010") and not ctx.is_eu(decl.departure_country)
            and decl.consignment.mode_of_transport_at_the_border is None):
        return transit_problem("border_mode.missing", at(decl.consignment.pointer, "modeOfTransportAtTheBorder"),
                               "with safety and security data state the mode of transport at the border",
                               "med sikkerhedsdata angives transportarten ved grænsen")
    return None


RULES = (
    container_indicator_stated_unless_pre_lodged, containers_match_the_container_indicator,
    several_containers_name_their_goods, goods_references_name_declared_items, seals_match_their_number,
    seal_identifiers_unique_in_the_declaration, authorised_consignor_states_seals_when_the_authorisation_says_so,
    no_departure_means_for_post, departure_means_state_identity_and_the_first_ones_nationality,
    departure_means_identified_as_the_inland_mode, active_border_means_stated_with_safety_data,
    active_border_means_once_without_offices_of_transit, active_border_means_state_nationality,
    flight_number_by_air_with_safety_data, border_mode_stated_with_safety_data,
)
