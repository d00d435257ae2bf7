"""Incidents on the way (seed 003 boxes 55 and 56; phase 5 Consignment/Incident): the rules an
incident's data must meet, and what of it is recorded on the movement. Pure: no IO."""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem

# CL019 IncidentCode, as the official reference data states them.
INCIDENT_CODES = {
    "1": "the carrier had to deviate from the prescribed itinerary",
    "2": "seals broken or tampered with, beyond the carrier's control",
    "3": "transhipment: goods transferred to another means of transport under customs supervision",
    "4": "imminent danger: partial or total unloading of the sealed means of transport",
    "5": "an incident affecting the holder's or the carrier's ability to meet their obligations",
    "6": "an element of a single means of transport changed (e.g. the tractor only)",
}
TRANSHIPMENT = "3"      # seed 003 box 55 (omladning)
TRACTOR_CHANGED = "6"   # seed 003 box 56 (only the tractor replaced)
_EQUIPMENT_REQUIRED = {"2", "4"}
_TRANSHIPMENT_REQUIRED = {TRANSHIPMENT, TRACTOR_CHANGED}


def incident_problems(consignment_pointer: str, incidents: list[dict]) -> list[Problem]:
    """Every incident's problems, each pointing at its incident."""
    found: list[Problem] = []
    for index, incident in enumerate(incidents, start=1):
        pointer = f"{consignment_pointer}/Incident[{index}]"
        for rule in (equipment_and_transhipment_as_the_code_says, transhipment_attested_by_customs):
            found.extend(rule(incident, pointer))
    return found


def equipment_and_transhipment_as_the_code_says(incident: dict, pointer: str) -> list[Problem]:
    """C0240: codes 2 and 4 give the transport equipment and no transhipment; codes 3 and 6 give the
    transhipment (the new means of transport); the other codes give neither."""
    code = incident.get("code", "")
    has_equipment, has_transhipment = bool(incident.get("TransportEquipment")), "Transhipment" in incident
    found = []
    if code in _EQUIPMENT_REQUIRED and not has_equipment:
        found.append(problem("incident.equipment_required", f"{pointer}/TransportEquipment",
                             f"incident code {code} states the transport equipment concerned (C0240)",
                             f"hændelseskode {code} skal angive det berørte transportudstyr (C0240)"))
    if code in _TRANSHIPMENT_REQUIRED and not has_transhipment:
        found.append(problem("incident.transhipment_required", f"{pointer}/Transhipment",
                             f"incident code {code} states the new means of transport in Transhipment (C0240)",
                             f"hændelseskode {code} skal angive det nye transportmiddel i Transhipment (C0240)"))
    if code not in _TRANSHIPMENT_REQUIRED and has_transhipment:
        found.append(problem("incident.transhipment_not_allowed", f"{pointer}/Transhipment",
                             f"incident code {code} has no transhipment; only codes 3 and 6 do (C0240)",
                             f"hændelseskode {code} har ingen omladning; kun kode 3 og 6 har (C0240)"))
    if code not in _EQUIPMENT_REQUIRED | _TRANSHIPMENT_REQUIRED and has_equipment:
        found.append(problem("incident.equipment_not_allowed", f"{pointer}/TransportEquipment",
                             f"incident code {code} states no transport equipment; codes 2, 3, 4 and 6 do (C0240)",
                             f"hændelseskode {code} angiver intet transportudstyr; kode 2, 3, 4 og 6 gør (C0240)"))
    return found


def transhipment_attested_by_customs(incident: dict, pointer: str) -> list[Problem]:
    """Box 55 (seed 003): a transhipment needs the permission of the customs of the country where it
    takes place, and they attest it (Endorsement). A Danish rule: phase 5 leaves the Endorsement optional.
    A change of the tractor only (box 56, code 6) needs neither permission nor attestation."""
    if incident.get("code") != TRANSHIPMENT or incident.get("Endorsement"):
        return []
    return [problem("incident.endorsement_required", f"{pointer}/Endorsement",
                    "a transhipment is attested by the customs authority where it took place (Endorsement: date, "
                    "authority, place, country) — Danish rule, seed 003 box 55",
                    "en omladning skal attesteres af toldmyndigheden, hvor den fandt sted (Endorsement: dato, "
                    "myndighed, sted, land) — dansk regel, rubrik 55")]


def recorded(incident: dict, reported_by: str) -> dict:
    """What the movement's audit trail keeps of an incident: its code and meaning, the text, where,
    the attestation, the new means of transport and the equipment and seals concerned."""
    code = incident.get("code", "")
    kept = {"code": code, "meaning": INCIDENT_CODES.get(code, "unknown incident code"), "reported_by": reported_by}
    for key in ("text", "Endorsement", "Location", "Transhipment", "TransportEquipment"):
        if incident.get(key):
            kept[key] = incident[key]
    return kept
