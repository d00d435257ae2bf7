"""Incidents on the way (seed 003 boxes 55 and 56; phase 5 Consignment/Incident): what of an incident
is recorded on the movement. Its conditions are rules (transit/rules/movement_messages.py). Pure: no IO."""

from __future__ import annotations

# CL019 IncidentCode, as the official reference data states them.
INCIDENT_CODES = {
    "1": "the carrier had to deviate from the prescribed itinerary",
    "2": "seals broken or tampered with, beyond the carrier's control",
    "3": "transhipment: goods transferred to another means of transport under customs supervision",
    "4": "imminent danger: partial or total unloading of the sealed means of transport",
    "5": "an incident affecting the holder's or the carrier's ability to meet their obligations",
    "6": "an element of a single means of transport changed (e.g. the tractor only)",
}


def recorded(incident: dict, reported_by: str) -> dict:
    """What the movement's audit trail keeps of an incident: its code and meaning, the text, where,
    the attestation, the new means of transport and the equipment and seals concerned."""
    code = incident.get("code", "")
    kept = {"code": code, "meaning": INCIDENT_CODES.get(code, "unknown incident code"), "reported_by": reported_by}
    for key in ("text", "Endorsement", "Location", "Transhipment", "TransportEquipment"):
        if incident.get(key):
            kept[key] = incident[key]
    return kept
