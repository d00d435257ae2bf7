"""Rules on the other messages traders send about a movement: CC013C, CC014C, CC007C, CC044C.

Each function takes the message data as read (and what the movement already holds) and
returns the problems, pointing into the message.
"""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.transit.rules.code_lists import (ARRIVAL_LISTS, INVALIDATION_LISTS, UNLOADING_REMARKS_LISTS,
                                                 code_list_problems)
from toldsystem.transit.rules.consignment import location_problems
from toldsystem.transit.rules.facts import RuleContext, transit_problem
from toldsystem.transit.rules.sequence import sequence_number_problems

GUARANTEE_AMENDMENT = "1"
# R0520: what an amendment (flag 0) may not change.
FIXED_GROUPS = ("HolderOfTheTransitProcedure", "Representative", "CustomsOfficeOfDeparture")
FIXED_OPERATION_ITEMS = ("additionalDeclarationType", "declarationType", "security")
MESSAGE_HEADER = frozenset({"messageSender", "messageRecipient", "preparationDateAndTime", "messageIdentification",
                            "messageType", "correlationIdentifier", "Extensions"})
NOT_COMPARED_IN_OPERATION = frozenset({"LRN", "MRN", "amendmentTypeFlag"})
TRANSHIPMENT = "3"  # seed 003 box 55 (omladning); 6 is box 56, a change of the tractor only
TRANSHIPMENT_INCIDENTS = frozenset({TRANSHIPMENT, "6"})
SEAL_INCIDENTS = frozenset({"2", "4"})
SEALS_BROKEN = "2"


# --- CC013C, CC014C: naming the movement (C0467) ---------------------------------------------------

def names_the_movement_once(data: dict, root: str) -> list[Problem]:
    """C0467: the message names the movement by its MRN (or, before acceptance, its LRN) — one of them, not both.

    After acceptance P5 wants the MRN; the LRN is still accepted, as the Danish guide shows.
    """
    operation = data.get("TransitOperation") or {}
    if operation.get("MRN") and operation.get("LRN"):
        return [transit_problem("movement.lrn_not_allowed", f"{root}/TransitOperation/LRN",
                                "name the movement by its MRN or its LRN, not both",
                                "angiv forsendelsen ved sit MRN eller sit LRN, ikke begge")]
    if not operation.get("MRN") and not operation.get("LRN"):
        return [transit_problem("movement.mrn_missing", f"{root}/TransitOperation/MRN",
                                "name the movement by its MRN", "angiv forsendelsens MRN")]
    return []


# --- CC013C ------------------------------------------------------------------------------------

def amendment_problems(amendment: dict, declared: dict, guarantee_under_amendment: bool) -> list[Problem]:
    """C0467 and R0520 on a CC013C: a guarantee amendment changes only the guarantee; any other keeps the
    holder, representative, office of departure, declaration types, security and commodity codes."""
    found = names_the_movement_once(amendment, "/CC013C")
    flag = str((amendment.get("TransitOperation") or {}).get("amendmentTypeFlag", "")).strip()
    if flag == GUARANTEE_AMENDMENT and guarantee_under_amendment:
        changed = [key for key in amendment if key not in MESSAGE_HEADER | {"Guarantee", "TransitOperation"}
                   and _plain(amendment[key]) != _plain(declared.get(key))]
        changed += [f"TransitOperation/{key}" for key in _operation_changes(amendment, declared)]
        return found + [transit_problem("amendment.only_guarantee", f"/CC013C/{key}",
                                        "a guarantee amendment (amendmentTypeFlag 1) changes the Guarantee only",
                                        "en ændring af sikkerhedsstillelsen (amendmentTypeFlag 1) ændrer kun Guarantee")
                        for key in changed]
    changed = [key for key in FIXED_GROUPS if key in amendment and _plain(amendment[key]) != _plain(declared.get(key))]
    changed += [f"TransitOperation/{key}" for key in _operation_changes(amendment, declared)
                if key in FIXED_OPERATION_ITEMS]
    changed += _commodity_code_changes(amendment, declared)
    return found + [transit_problem("amendment.not_amendable", f"/CC013C/{key}",
                                    "this cannot be amended: the holder, representative, office of departure, "
                                    "declaration types, security and commodity codes stay as declared",
                                    "dette kan ikke ændres: hovedforpligtet, repræsentant, afgangstoldsted, "
                                    "angivelsestyper, sikkerhed og varekoder forbliver som angivet")
                    for key in changed]


def _operation_changes(amendment: dict, declared: dict) -> list[str]:
    new, old = amendment.get("TransitOperation") or {}, declared.get("TransitOperation") or {}
    return [key for key in new if key not in NOT_COMPARED_IN_OPERATION and _plain(new[key]) != _plain(old.get(key))]


def _commodity_code_changes(amendment: dict, declared: dict) -> list[str]:
    declared_codes = {number: code for number, code, _ in _commodity_codes(declared)}
    return [pointer for number, code, pointer in _commodity_codes(amendment)
            if number in declared_codes and code != declared_codes[number]]


def _commodity_codes(data: dict) -> list[tuple[str, str, str]]:
    """(declarationGoodsItemNumber, HS code, pointer) of every goods item."""
    found = []
    houses = (data.get("Consignment") or {}).get("HouseConsignment") or []
    for h, house in enumerate(houses if isinstance(houses, list) else [houses], start=1):
        items = house.get("ConsignmentItem") or []
        for i, item in enumerate(items if isinstance(items, list) else [items], start=1):
            code = ((item.get("Commodity") or {}).get("CommodityCode") or {}).get("harmonizedSystemSubHeadingCode")
            found.append((str(item.get("declarationGoodsItemNumber", "")).strip(), str(code or "").strip(),
                          f"Consignment/HouseConsignment[{h}]/ConsignmentItem[{i}]/Commodity/CommodityCode/"
                          "harmonizedSystemSubHeadingCode"))
    return found


def _plain(value: object) -> object:
    """A value compared as sent: leaves as stripped text, a single repeated element as a list of one."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "accessCode"}
    if isinstance(value, list):
        return [_plain(v) for v in value] if len(value) != 1 else _plain(value[0])
    return None if value is None else str(value).strip()


# --- CC014C ------------------------------------------------------------------------------------

def invalidation_request_problems(data: dict, ctx: RuleContext) -> list[Problem]:
    """C0467, C0128, C0129, C0137, C0870 on a CC014C sent to customs: a trader's request has its date and
    justification, and leaves the decision to customs."""
    found = names_the_movement_once(data, "/CC014C")
    invalidation = data.get("Invalidation") or {}
    pointer = "/CC014C/Invalidation"
    if str(invalidation.get("initiatedByCustoms", "")).strip() != "1" and not invalidation.get("requestDateAndTime"):
        found.append(transit_problem("invalidation.request_date_missing", f"{pointer}/requestDateAndTime",
                                     "state when the invalidation is requested", "angiv hvornår ugyldiggørelsen anmodes"))
    if not invalidation.get("justification"):
        found.append(transit_problem("invalidation.justification_missing", f"{pointer}/justification",
                                     "state why the declaration should be invalidated",
                                     "angiv hvorfor angivelsen skal ugyldiggøres"))
    for name in ("decision", "decisionDateAndTime"):
        if invalidation.get(name) not in (None, ""):
            found.append(transit_problem(f"invalidation.{name}_not_allowed", f"{pointer}/{name}",
                                         "the decision is customs': leave it out of the request",
                                         "afgørelsen træffes af toldmyndigheden: udelad den i anmodningen"))
    return found + code_list_problems(data, "/CC014C", INVALIDATION_LISTS, ctx)


# --- CC007C ------------------------------------------------------------------------------------

def arrival_notification_problems(data: dict, ctx: RuleContext) -> list[Problem]:
    """C0102, C0394, C0671, R0987 and the incident conditions (C0240, C0396, C0040, C0820, C0460, C0569) on a CC007C."""
    root = "/CC007C"
    found = []
    simplified = str((data.get("TransitOperation") or {}).get("simplifiedProcedure", "")).strip() == "1"
    if simplified and not data.get("Authorisation"):
        found.append(transit_problem("arrival.authorisation_missing", f"{root}/Authorisation",
                                     "the simplified procedure at destination names the authorisation (ACE)",
                                     "den forenklede procedure ved bestemmelsesstedet angiver bevillingen (ACE)"))
    elif not simplified and data.get("Authorisation"):
        found.append(transit_problem("arrival.authorisation_not_allowed", f"{root}/Authorisation[1]",
                                     "only the simplified procedure names an authorisation",
                                     "kun den forenklede procedure angiver en bevilling"))
    consignment = data.get("Consignment") or {}
    found += location_problems(consignment.get("LocationOfGoods"), f"{root}/Consignment/LocationOfGoods")
    found += incident_problems(consignment.get("Incident") or [], f"{root}/Consignment")
    return found + sequence_number_problems(data, root) + code_list_problems(data, root, ARRIVAL_LISTS, ctx)


def incident_problems(incidents: list[dict] | dict, consignment_pointer: str) -> list[Problem]:
    """Each incident's conditions (C0240, C0396, C0040, C0820, C0460, C0569; seed 003 box 55), pointing at it:
    for the incidents a CC007C reports and those an office registers on the way."""
    found = []
    for position, incident in enumerate(incidents if isinstance(incidents, list) else [incidents], start=1):
        pointer = f"{consignment_pointer}/Incident[{position}]"
        found += _incident_problems(incident, pointer) + transhipment_attested_by_customs(incident, pointer)
    return found


def transhipment_attested_by_customs(incident: dict, pointer: str) -> list[Problem]:
    """Box 55 (seed 003): a transhipment needs the permission of the customs of the country where it
    takes place, and they attest it (Endorsement). A Danish rule: phase 5 leaves the Endorsement optional.
    A change of the tractor only (box 56, code 6) needs neither permission nor attestation."""
    if str(incident.get("code", "")).strip() != TRANSHIPMENT or incident.get("Endorsement"):
        return []
    return [transit_problem("incident.endorsement_missing", f"{pointer}/Endorsement",
                            "a transhipment is attested by the customs authority where it took place (Endorsement: "
                            "date, authority, place, country) — Danish rule, seed 003 box 55",
                            "en omladning skal attesteres af toldmyndigheden, hvor den fandt sted (Endorsement: "
                            "dato, myndighed, sted, land) — dansk regel, rubrik 55")]


def _incident_problems(incident: dict, pointer: str) -> list[Problem]:
    code = str(incident.get("code", "")).strip()
    equipment = incident.get("TransportEquipment") or []
    equipment = equipment if isinstance(equipment, list) else [equipment]
    transhipment = incident.get("Transhipment")
    found = []
    wants_equipment, wants_transhipment = code in SEAL_INCIDENTS, code in TRANSHIPMENT_INCIDENTS
    if wants_equipment and not equipment:
        found.append(transit_problem("incident.equipment_missing", f"{pointer}/TransportEquipment",
                                     f"incident {code} describes the transport equipment",
                                     f"hændelse {code} beskriver transportudstyret"))
    if not wants_equipment and not wants_transhipment and equipment:
        found.append(transit_problem("incident.equipment_not_allowed", f"{pointer}/TransportEquipment[1]",
                                     f"incident {code} has no transport equipment",
                                     f"hændelse {code} har intet transportudstyr"))
    if wants_transhipment and not transhipment:
        found.append(transit_problem("incident.transhipment_missing", f"{pointer}/Transhipment",
                                     f"incident {code} (transhipment) describes the new means of transport",
                                     f"hændelse {code} (omladning) beskriver det nye transportmiddel"))
    if not wants_transhipment and transhipment:
        found.append(transit_problem("incident.transhipment_not_allowed", f"{pointer}/Transhipment",
                                     f"incident {code} is not a transhipment", f"hændelse {code} er ikke en omladning"))
    in_containers = str((transhipment or {}).get("containerIndicator", "")).strip() == "1"
    if in_containers and not equipment:
        found.append(transit_problem("incident.equipment_missing", f"{pointer}/TransportEquipment",
                                     "transhipped into containers: describe the containers",
                                     "omladet til container: beskriv containerne"))
    for position, e in enumerate(equipment, start=1):
        here = f"{pointer}/TransportEquipment[{position}]"
        seals = e.get("Seal") or []
        seals = seals if isinstance(seals, list) else [seals]
        number = str(e.get("numberOfSeals", "")).strip()
        if code == SEALS_BROKEN and not number:
            found.append(transit_problem("incident.seals_number_missing", f"{here}/numberOfSeals",
                                         "seals broken: state the number of (new) seals",
                                         "forsegling brudt: angiv antal (nye) forseglinger"))
        if in_containers and not e.get("containerIdentificationNumber"):
            found.append(transit_problem("incident.container_missing", f"{here}/containerIdentificationNumber",
                                         "transhipped into containers: state the container number",
                                         "omladet til container: angiv containernummeret"))
        if number.isdigit() and int(number) > 0 and not seals:
            found.append(transit_problem("incident.seals_missing", f"{here}/Seal", "list the seals", "angiv forseglingerne"))
        if number == "0" and seals:
            found.append(transit_problem("incident.seals_not_allowed", f"{here}/Seal[1]",
                                         "numberOfSeals is 0, so no seal is listed",
                                         "numberOfSeals er 0, så der angives ingen forsegling"))
    found += _incident_location_problems(incident.get("Location") or {}, f"{pointer}/Location")
    return found


# C0460: what the incident location's qualifier calls for.
INCIDENT_LOCATION_BY_QUALIFIER = {"W": "GNSS", "U": "UNLocode", "Z": "Address"}


def _incident_location_problems(location: dict, pointer: str) -> list[Problem]:
    wanted = INCIDENT_LOCATION_BY_QUALIFIER.get(str(location.get("qualifierOfIdentification", "")).strip())
    if wanted is None:
        return []
    found = []
    if not location.get(wanted):
        found.append(transit_problem("incident.location_missing", f"{pointer}/{wanted}",
                                     f"the qualifier locates the incident by {wanted}: state it",
                                     f"kvalifikatoren angiver hændelsens sted ved {wanted}: angiv det"))
    found += [transit_problem("incident.location_not_allowed", f"{pointer}/{name}",
                              f"the qualifier locates the incident by {wanted}, so {name} is not given",
                              f"kvalifikatoren angiver stedet ved {wanted}, så {name} angives ikke")
              for name in INCIDENT_LOCATION_BY_QUALIFIER.values() if name != wanted and location.get(name)]
    return found


# --- CC044C ------------------------------------------------------------------------------------

def unloading_remarks_problems(data: dict, declared: dict, ctx: RuleContext) -> list[Problem]:
    """C0440, R0054, R0107 on a CC044C: the state of the seals exactly when the goods travelled under seal;
    each reported group and seal named once."""
    root = "/CC044C"
    remark = data.get("UnloadingRemark") or {}
    sealed = permitted_under_seal(declared)
    found = []
    if sealed and remark.get("stateOfSeals") in (None, ""):
        found.append(transit_problem("unloading.state_of_seals_missing", f"{root}/UnloadingRemark/stateOfSeals",
                                     "the goods travelled under seal: state the state of the seals (1 intact, 0 not)",
                                     "varerne var forseglet: angiv forseglingernes tilstand (1 intakte, 0 ikke)"))
    elif not sealed and remark.get("stateOfSeals") not in (None, ""):
        found.append(transit_problem("unloading.state_of_seals_not_allowed", f"{root}/UnloadingRemark/stateOfSeals",
                                     "the goods travelled without seals: leave stateOfSeals out",
                                     "varerne var ikke forseglet: udelad stateOfSeals"))
    found += _repeated_sequence_numbers(data, root) + _repeated_seals(data, root)
    return found + code_list_problems(data, root, UNLOADING_REMARKS_LISTS, ctx)


def permitted_under_seal(declared: dict) -> bool:
    """Whether the unloading permission (CC043C, the consignment as released) lists seals: a number of
    seals above 0, or seals listed without their number."""
    equipment = (declared.get("Consignment") or {}).get("TransportEquipment") or []
    for e in equipment if isinstance(equipment, list) else [equipment]:
        stated = str(e.get("numberOfSeals", "")).strip()
        seals = e.get("Seal") or []
        if (int(stated) if stated.isdigit() else len(seals if isinstance(seals, list) else [seals])) > 0:
            return True
    return False


def _repeated_sequence_numbers(node: dict, pointer: str) -> list[Problem]:
    """R0054: in a report of discrepancies a sequence number names one group of the declaration, once per path."""
    found = []
    for name, child in node.items():
        if isinstance(child, dict):
            found += _repeated_sequence_numbers(child, f"{pointer}/{name}")
            continue
        if not isinstance(child, list):
            continue
        seen: set[str] = set()
        for position, entry in enumerate((e for e in child if isinstance(e, dict)), start=1):
            here = f"{pointer}/{name}[{position}]"
            number = str(entry.get("sequenceNumber", "")).strip()
            if number and number in seen:
                found.append(transit_problem("unloading.sequence_number_twice", f"{here}/sequenceNumber",
                                             f"sequence number {number} is reported twice here",
                                             f"løbenummer {number} er angivet to gange her"))
            seen.add(number)
            found += _repeated_sequence_numbers(entry, here)
    return found


def _repeated_seals(data: dict, root: str) -> list[Problem]:
    """R0107: each seal identifier is reported once."""
    equipment = (data.get("Consignment") or {}).get("TransportEquipment") or []
    seen: set[str] = set()
    found = []
    for e_pos, e in enumerate(equipment if isinstance(equipment, list) else [equipment], start=1):
        seals = e.get("Seal") or []
        for s_pos, seal in enumerate(seals if isinstance(seals, list) else [seals], start=1):
            identifier = str(seal.get("identifier", "")).strip()
            if identifier and identifier in seen:
                found.append(transit_problem("seals.identifier_twice",
                                             f"{root}/Consignment/TransportEquipment[{e_pos}]/Seal[{s_pos}]/identifier",
                                             f"seal {identifier} is listed twice",
                                             f"forsegling {identifier} er anført to gange"))
            seen.add(identifier)
    return found
