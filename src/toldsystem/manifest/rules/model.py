"""What the Manifest rules read: arrivals and departures of a means of transport, temporary storage (MIO)
declarations and the consignments they name (seed 002 "Transportdelen af manifestsystemet", SPEC M).

Times are aware UTC; parties are EORIs. Places are UN/LOCODEs (country + 3 characters, e.g. DKAAR), so the
country a transport arrives from is the first two letters of its place of departure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# The member states (ISO 3166-1 alpha-2), for "fly der ankommer fra et andet sted i EU" (seed 002). The
# service may pass the reference data's CL010 instead; this is the default for the pure rules.
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})


class TransportMode(StrEnum):
    """How the means of transport travels: the seed's fields differ for sea (IMO, name) and air (route number)."""

    SEA = "sea"
    AIR = "air"


class Direction(StrEnum):
    """Arrival (ankomst) or departure (afgang)."""

    ARRIVAL = "arrival"
    DEPARTURE = "departure"


class LinkKind(StrEnum):
    """Which declaration a consignment is linked to."""

    IMPORT = "import"
    EXPORT = "export"


@dataclass(frozen=True, slots=True)
class Carrier:
    """Transportoperatør: by EORI, or by name and address (seed 002: "EORI nr./navn og adresse")."""

    eori: str = ""
    name: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Consignment:
    """A consignment the manifest names: its transport document and the declaration it is linked to.

    `exemption_code`: the code used in a departure instead of an export declaration started under fallback
    (seed 002 "Brug af Manifestsystemet": "fritagelseskoden")."""

    sequence: int
    transport_document: str
    link_kind: LinkKind | None = None
    declaration: str = ""  # the MRN of the linked import or export declaration
    exemption_code: str = ""

    @property
    def pointer(self) -> str:
        return f"/consignments/{self.sequence}"


@dataclass(frozen=True, slots=True)
class Movement:
    """An arrival or a departure of a means of transport, with the data seed 002 lists for each."""

    direction: Direction
    mode: TransportMode
    place: str  # arrival: ankomststed; departure: afgangssted (UN/LOCODE)
    carrier: Carrier
    expected_at: datetime  # forventet ankomsttid / afgangstid
    submitter: str  # the EORI that files it (and signs it)
    imo_number: str = ""  # sea only: "IMO 9074729" or "9074729"
    vessel_name: str = ""  # sea only
    route_number: str = ""  # air only: the flight number, e.g. SK1234
    arriving_from: str = ""  # arrival only: afgangssted (ankommer fra), UN/LOCODE
    unloads_third_country_freight: bool | None = None  # arrival only: losses fragt indladet i tredjeland?
    carrier_representative: str = ""  # EORI
    temporary_storage_holder: str = ""  # arrival only: ansvarlig for midlertidig opbevaring (EORI)
    aeo_certificate: str = ""  # evt. AEO certifikatnummer
    consignments: tuple[Consignment, ...] = ()
    remarks: str = ""

    def __post_init__(self) -> None:
        if self.expected_at.tzinfo is None:
            raise ValueError("Movement.expected_at must be an aware datetime (UTC)")

    @property
    def arriving_from_country(self) -> str:
        return self.arriving_from[:2].upper()


@dataclass(frozen=True, slots=True)
class StoredGoods:
    """One item of goods unloaded into temporary storage."""

    sequence: int
    transport_document: str
    description: str
    packages: int

    @property
    def pointer(self) -> str:
        return f"/goods/{self.sequence}"


@dataclass(frozen=True, slots=True)
class StorageDeclaration:
    """A temporary storage declaration (midlertidig opbevaring på oplag, MIO) of goods unloaded from an arrival."""

    arrival: str  # the reference of the arrival the goods were unloaded from
    holder: str  # EORI of the person responsible for temporary storage
    place: str  # the storage facility (oplag) identifier
    unloaded_at: datetime
    goods: tuple[StoredGoods, ...]
    submitter: str

    def __post_init__(self) -> None:
        if self.unloaded_at.tzinfo is None:
            raise ValueError("StorageDeclaration.unloaded_at must be an aware datetime (UTC)")


class Amendment(StrEnum):
    """What a submitter asks of a filed Manifest declaration."""

    CORRECTION = "correction"  # rettelse
    DELETION = "deletion"  # sletning


@dataclass(frozen=True, slots=True)
class AmendmentRequest:
    """A correction or deletion of a filed declaration at its status (the Manifest's numeric status, e.g. 11)."""

    kind: Amendment
    status: int
    remarks: str
    deleted: bool = False  # the declaration is already deleted
