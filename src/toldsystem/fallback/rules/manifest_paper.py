"""The Manifest fallback (seed 002 "Transportdelen af manifestsystemet"; SPEC F): the arrival and departure data
handed to the office or mailed, in the seed's lists, and the permission given by stamp or reply mail."""

from __future__ import annotations

from enum import StrEnum

from toldsystem.core.errors import Problem
from toldsystem.fallback.rules.facts import Result, fallback_problem
from toldsystem.manifest.rules.model import Direction, Movement, TransportMode

# (attribute of the Movement, the seed's Danish label, which mode it is for: None for both)
ARRIVAL_FIELDS: tuple[tuple[str, str, TransportMode | None], ...] = (
    ("imo_number", "Transportmidlets IMO-nr. (kun søtransport)", TransportMode.SEA),
    ("vessel_name", "Transportmidlets navn (kun søtransport)", TransportMode.SEA),
    ("route_number", "Transportmidlets rutenr. (kun lufttransport)", TransportMode.AIR),
    ("place", "Ankomststed", None),
    ("arriving_from", "Afgangssted (ankommer fra)", None),
    ("unloads_third_country_freight", "Skal der losses fragt indladet i tredjeland? (ja/nej)", None),
    ("carrier", "Transportoperatør (EORI nr./navn og adresse)", None),
    ("carrier_representative", "Repræsentant for transportoperatør (EORI nr.)", None),
    ("temporary_storage_holder", "Ansvarlig for midlertidig opbevaring (EORI nr.)", None),
    ("expected_at", "Forventet ankomsttid", None),
    ("aeo_certificate", "Evt. AEO certifikatnummer", None),
)
DEPARTURE_FIELDS: tuple[tuple[str, str, TransportMode | None], ...] = (
    ("imo_number", "Transportmidlets IMO-nr. (kun søtransport)", TransportMode.SEA),
    ("vessel_name", "Transportmidlets navn (kun søtransport)", TransportMode.SEA),
    ("route_number", "Transportmidlets rutenr. (kun lufttransport)", TransportMode.AIR),
    ("place", "Afgangssted", None),
    ("carrier", "Transportoperatør (EORI nr./navn og adresse)", None),
    ("carrier_representative", "Repræsentant for transportoperatør (EORI nr.)", None),
    ("expected_at", "Forventet afgangstid", None),
    ("aeo_certificate", "Evt. AEO certifikatnummer", None),
)
# The seed lists these with "Evt." or as a representative that may not exist: optional on paper too.
OPTIONAL_FIELDS = frozenset({"aeo_certificate", "carrier_representative"})


class PaperPermission(StrEnum):
    """Seed 002: "Tilladelsen vil blive givet ved stempel på papiret eller svarmail"."""

    STAMP = "stamp"
    REPLY_MAIL = "reply_mail"


def fields_for(m: Movement) -> tuple[tuple[str, str, TransportMode | None], ...]:
    """The seed's list for the movement's direction and mode."""
    listed = ARRIVAL_FIELDS if m.direction == Direction.ARRIVAL else DEPARTURE_FIELDS
    return tuple(f for f in listed if f[2] is None or f[2] == m.mode)


def _given(m: Movement, attribute: str) -> bool:
    value = getattr(m, attribute)
    if attribute == "carrier":
        return bool(value.eori or (value.name and value.address))
    return value is not None and value != ""


def manifest_notice_complete(m: Movement) -> list[Problem]:
    """Seed 002 "Ankomst"/"Afgang": the paper notice gives each field of the seed's list for its mode."""
    return [fallback_problem("manifest_notice_field", f"/{attribute}", f"the notice lacks: {label}",
                             f"meddelelsen mangler: {label}")
            for attribute, label, _ in fields_for(m) if attribute not in OPTIONAL_FIELDS and not _given(m, attribute)]


def file_transfer_down_uses_online(individual_signature: bool) -> Result:
    """Seed 002 "Virksomhedens system er ude af drift": with only the company's file transfer down, it may use the
    online solution without permission (no fallback), but that "kræver en individuel digital signatur"."""
    if not individual_signature:
        return fallback_problem("online_signature", "/signature", "the online Manifest needs an individual digital "
                                "signature (no permission is needed: this is not fallback)", "on-lineløsningen "
                                "kræver en individuel digital signatur (ingen tilladelse nødvendig: ikke nødprocedure)")
    return None
