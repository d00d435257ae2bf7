"""The data of an arrival or departure of a means of transport (seed 002 "Transportdelen af manifestsystemet",
its lists "Ankomst" and "Afgang"; SPEC M). Each rule takes the movement and returns None or problems."""

from __future__ import annotations

import re
from collections.abc import Callable

from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import eori_problem, normalise_eori
from toldsystem.manifest.rules.facts import Result, as_list, manifest_problem
from toldsystem.manifest.rules.model import Direction, Movement, TransportMode

IMO_PATTERN = re.compile(r"^(?:IMO ?)?(\d{7})$")
# IATA airline designator (2 characters, not both digits) or ICAO (3 letters), 1-4 digits, optional suffix letter.
FLIGHT_PATTERN = re.compile(r"^(?:[A-Z][A-Z0-9]|[0-9][A-Z]|[A-Z]{3}) ?\d{1,4}[A-Z]?$")
LOCODE_PATTERN = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
# EU AEO certificate: issuing country, AEOC / AEOS / AEOF, then the national reference.
AEO_PATTERN = re.compile(r"^[A-Z]{2}AEO[CFS][A-Z0-9]{1,29}$")
VESSEL_NAME_MAX = 35

MovementRule = Callable[[Movement], Result]


def imo_check_digit_holds(digits: str) -> bool:
    """An IMO ship number's seventh digit is the last digit of the first six weighted 7, 6, 5, 4, 3, 2."""
    total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(digits[6])


def sea_names_imo_number(m: Movement) -> Result:
    """Seed 002 "Transportmidlets IMO-nr. (kun søtransport)": a vessel has a 7-digit IMO number with its check digit."""
    if m.mode != TransportMode.SEA:
        return None
    found = IMO_PATTERN.fullmatch(m.imo_number.strip().upper())
    if found is None:
        return manifest_problem("imo_number", "/imoNumber", "a vessel needs its IMO number: 7 digits, e.g. IMO 9074729",
                                "et skib skal have sit IMO-nr.: 7 cifre, fx IMO 9074729")
    if not imo_check_digit_holds(found.group(1)):
        return manifest_problem("imo_check_digit", "/imoNumber",
                                f"{m.imo_number} is not an IMO number: its check digit does not hold",
                                f"{m.imo_number} er ikke et IMO-nr.: kontrolcifferet passer ikke")
    return None


def sea_names_vessel(m: Movement) -> Result:
    """Seed 002 "Transportmidlets navn (kun søtransport)": a vessel is named."""
    if m.mode == TransportMode.SEA and not (0 < len(m.vessel_name.strip()) <= VESSEL_NAME_MAX):
        return manifest_problem("vessel_name", "/vesselName", f"a vessel needs its name (at most {VESSEL_NAME_MAX} "
                                "characters)", f"et skib skal have sit navn (højst {VESSEL_NAME_MAX} tegn)")
    return None


def air_names_route_number(m: Movement) -> Result:
    """Seed 002 "Transportmidlets rutenr. (kun lufttransport)": a flight names its route (flight) number."""
    if m.mode == TransportMode.AIR and not FLIGHT_PATTERN.fullmatch(m.route_number.strip().upper()):
        return manifest_problem("route_number", "/routeNumber", "a flight needs its route number: the airline's "
                                "designator and 1-4 digits, e.g. SK1234", "et fly skal have sit rutenr.: "
                                "flyselskabets kode og 1-4 cifre, fx SK1234")
    return None


def sea_and_air_fields_not_mixed(m: Movement) -> Result:
    """Seed 002: IMO number and name are "kun søtransport", the route number "kun lufttransport"."""
    if m.mode == TransportMode.AIR and (m.imo_number or m.vessel_name):
        return manifest_problem("sea_fields_on_flight", "/imoNumber", "IMO number and vessel name are for sea "
                                "transport only", "IMO-nr. og skibets navn gælder kun søtransport")
    if m.mode == TransportMode.SEA and m.route_number:
        return manifest_problem("route_on_vessel", "/routeNumber", "the route number is for air transport only",
                                "rutenr. gælder kun lufttransport")
    return None


def names_place(m: Movement) -> Result:
    """Seed 002 "Ankomststed" / "Afgangssted": the place of arrival or departure, a UN/LOCODE."""
    if not LOCODE_PATTERN.fullmatch(m.place):
        what = ("arrival", "ankomststed") if m.direction == Direction.ARRIVAL else ("departure", "afgangssted")
        return manifest_problem("place", "/place", f"the place of {what[0]} is a UN/LOCODE, e.g. DKAAR",
                                f"{what[1]} er en UN/LOCODE, fx DKAAR")
    return None


def arrival_names_where_from(m: Movement) -> Result:
    """Seed 002 "Afgangssted (ankommer fra)": an arrival names where the transport comes from (UN/LOCODE)."""
    if m.direction == Direction.ARRIVAL and not LOCODE_PATTERN.fullmatch(m.arriving_from):
        return manifest_problem("arriving_from", "/arrivingFrom", "an arrival names where it comes from, a UN/LOCODE",
                                "en ankomst skal angive afgangssted (ankommer fra) som UN/LOCODE")
    return None


def arrival_answers_third_country_unloading(m: Movement) -> Result:
    """Seed 002 "Skal der losses fragt indladet i tredjeland? (ja/nej)": an arrival answers yes or no."""
    if m.direction == Direction.ARRIVAL and m.unloads_third_country_freight is None:
        return manifest_problem("third_country_unloading", "/unloadsThirdCountryFreight",
                                "say whether freight loaded in a third country is unloaded (yes/no)",
                                "angiv om der skal losses fragt indladet i tredjeland (ja/nej)")
    return None


def names_carrier(m: Movement) -> Result:
    """Seed 002 "Transportoperatør (EORI nr./navn og adresse)": the carrier by a valid EORI, or by name and address."""
    if m.carrier.eori:
        why = eori_problem(normalise_eori(m.carrier.eori))
        if why:
            return manifest_problem("carrier_eori", "/carrier/eori", f"the carrier's EORI: {why}",
                                    "transportoperatørens EORI-nr. er ugyldigt")
        return None
    if not (m.carrier.name.strip() and m.carrier.address.strip()):
        return manifest_problem("carrier", "/carrier", "name the carrier by EORI, or by name and address",
                                "angiv transportoperatøren med EORI-nr. eller med navn og adresse")
    return None


def _eori_field(value: str, code: str, pointer: str, en: str, da: str, required: bool) -> Problem | None:
    if not value:
        return manifest_problem(f"{code}_missing", pointer, f"{en} is required", f"{da} skal angives") \
            if required else None
    why = eori_problem(normalise_eori(value))
    return manifest_problem(f"{code}_eori", pointer, f"{en}: {why}", f"{da}: ugyldigt EORI-nr.") if why else None


def representative_is_eori(m: Movement) -> Result:
    """Seed 002 "Repræsentant for transportoperatør (EORI nr.)": when given, a valid EORI."""
    return _eori_field(m.carrier_representative, "representative", "/carrierRepresentative",
                       "the carrier's representative's EORI", "repræsentant for transportoperatør", required=False)


def arrival_names_storage_holder(m: Movement) -> Result:
    """Seed 002 "Ansvarlig for midlertidig opbevaring (EORI nr.)": an arrival names it by a valid EORI."""
    if m.direction != Direction.ARRIVAL:
        return None
    return _eori_field(m.temporary_storage_holder, "storage_holder", "/temporaryStorageHolder",
                       "the EORI of the person responsible for temporary storage",
                       "ansvarlig for midlertidig opbevaring", required=True)


def departure_has_no_arrival_fields(m: Movement) -> Result:
    """Seed 002 "Afgang": a departure's list has no 'arriving from', third-country unloading or storage holder."""
    if m.direction == Direction.DEPARTURE and (m.arriving_from or m.unloads_third_country_freight is not None
                                               or m.temporary_storage_holder):
        return manifest_problem("arrival_fields_on_departure", "/", "a departure has no 'arriving from', unloading "
                                "or temporary storage data", "en afgang har ikke 'ankommer fra', losning eller "
                                "midlertidig opbevaring")
    return None


def aeo_certificate_well_formed(m: Movement) -> Result:
    """Seed 002 "Evt. AEO certifikatnummer": optional; when given, an EU AEO number (e.g. DKAEOF000123)."""
    if m.aeo_certificate and not AEO_PATTERN.fullmatch(m.aeo_certificate.replace(" ", "").upper()):
        return manifest_problem("aeo_certificate", "/aeoCertificate", "an AEO certificate number is the country, "
                                "AEOC, AEOS or AEOF and its reference, e.g. DKAEOF000123", "et AEO-certifikatnummer "
                                "er landekode, AEOC, AEOS eller AEOF og referencen, fx DKAEOF000123")
    return None


def consignments_are_linked_once(m: Movement) -> Result:
    """SPEC M: each consignment names a transport document once; a linked declaration is named once."""
    found: list[Problem] = []
    documents: set[str] = set()
    declarations: set[str] = set()
    for c in m.consignments:
        if not c.transport_document.strip() or c.transport_document in documents:
            found.append(manifest_problem("transport_document", c.pointer, "each consignment names its own "
                                          "transport document", "hver sending skal have sit eget transportdokument"))
        documents.add(c.transport_document)
        if c.declaration and c.declaration in declarations:
            found.append(manifest_problem("declaration_twice", c.pointer, f"{c.declaration} is named twice",
                                          f"{c.declaration} er angivet to gange"))
        if c.declaration:
            declarations.add(c.declaration)
    return found


RULES: tuple[MovementRule, ...] = (
    sea_names_imo_number, sea_names_vessel, air_names_route_number, sea_and_air_fields_not_mixed, names_place,
    arrival_names_where_from, arrival_answers_third_country_unloading, names_carrier, representative_is_eori,
    arrival_names_storage_holder, departure_has_no_arrival_fields, aeo_certificate_well_formed,
    consignments_are_linked_once)


def check_movement(m: Movement) -> list[Problem]:
    """Every data rule of an arrival or departure, in order."""
    return [p for rule in RULES for p in as_list(rule(m))]
