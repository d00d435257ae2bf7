"""The consignment: transport, equipment, documents, house consignments and their goods items."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from toldsystem.transit.declaration.pointers import at


@dataclass(slots=True)
class TransportMeans:
    """Departure transport means (box 18); the first is the tractor, later ones trailers."""

    type_of_identification: str | None
    identification_number: str | None
    nationality: str | None
    pointer: str


@dataclass(slots=True)
class ActiveBorderTransportMeans:
    """Border-crossing active means (box 21)."""

    customs_office_at_border: str | None
    type_of_identification: str | None
    identification_number: str | None
    nationality: str | None
    conveyance_reference_number: str | None
    pointer: str


@dataclass(slots=True)
class Seal:
    identifier: str | None
    pointer: str


@dataclass(slots=True)
class TransportEquipment:
    """A container or other equipment with its seals (boxes 19, 31, D)."""

    container_identification_number: str | None
    number_of_seals: int | None
    seals: tuple[Seal, ...]
    goods_item_numbers: tuple[int, ...]
    pointer: str


@dataclass(slots=True)
class Document:
    """A previous, supporting or transport document or an additional reference (boxes 40, 44)."""

    type: str | None
    reference_number: str | None
    pointer: str
    quantity: Decimal | None = None  # a previous document's quantity at item level
    measurement_unit: str | None = None  # ... and its unit (CL349)


@dataclass(slots=True)
class AdditionalInformation:
    code: str | None
    text: str | None
    pointer: str


@dataclass(slots=True)
class Packaging:
    """Kind, number and marks of packages (box 31)."""

    type_of_packages: str | None
    number_of_packages: int | None
    shipping_marks: str | None
    pointer: str


@dataclass(slots=True)
class Commodity:
    """Description (31), commodity code (33) and masses (35, 38) of one goods item."""

    description: str | None
    cus_code: str | None
    harmonized_system_code: str | None
    combined_nomenclature_code: str | None
    gross_mass: Decimal | None
    net_mass: Decimal | None
    supplementary_units: Decimal | None
    pointer: str

    @property
    def code_pointer(self) -> str:
        return at(self.pointer, "CommodityCode")

    @property
    def measure_pointer(self) -> str:
        return at(self.pointer, "GoodsMeasure")


@dataclass(slots=True)
class GoodsItem:
    """A goods item (ConsignmentItem; boxes 31-44)."""

    goods_item_number: int | None
    declaration_goods_item_number: int | None
    declaration_type: str | None
    country_of_dispatch: str | None
    country_of_destination: str | None
    reference_number_ucr: str | None
    consignee: Party | None
    commodity: Commodity
    packaging: tuple[Packaging, ...]
    previous_documents: tuple[Document, ...]
    supporting_documents: tuple[Document, ...]
    transport_documents: tuple[Document, ...]
    additional_references: tuple[Document, ...]
    additional_information: tuple[AdditionalInformation, ...]
    transport_charges: str | None
    pointer: str


@dataclass(slots=True)
class HouseConsignment:
    """A house consignment: item-level parties and countries, and its goods items."""

    country_of_dispatch: str | None
    country_of_destination: str | None
    gross_mass: Decimal | None
    reference_number_ucr: str | None
    consignor: Party | None
    consignee: Party | None
    departure_transport_means: tuple[TransportMeans, ...]
    previous_documents: tuple[Document, ...]
    supporting_documents: tuple[Document, ...]
    transport_documents: tuple[Document, ...]
    additional_references: tuple[Document, ...]
    additional_information: tuple[AdditionalInformation, ...]
    transport_charges: str | None
    items: tuple[GoodsItem, ...]
    pointer: str


@dataclass(slots=True)
class Consignment:
    """Header-level consignment data: countries, container indicator, mass, transport, goods."""

    country_of_dispatch: str | None
    country_of_destination: str | None
    container_indicator: str | None
    inland_mode_of_transport: str | None
    mode_of_transport_at_the_border: str | None
    gross_mass: Decimal | None
    reference_number_ucr: str | None
    consignor: Party | None
    consignee: Party | None
    transport_equipment: tuple[TransportEquipment, ...]
    departure_transport_means: tuple[TransportMeans, ...]
    countries_of_routing: tuple[str, ...]
    active_border_transport_means: tuple[ActiveBorderTransportMeans, ...]
    location_of_goods: dict | None  # read as sent: one condition (C0394) looks at it, element by element
    place_of_loading: dict | None
    place_of_unloading: dict | None
    previous_documents: tuple[Document, ...]
    supporting_documents: tuple[Document, ...]
    transport_documents: tuple[Document, ...]
    additional_references: tuple[Document, ...]
    additional_information: tuple[AdditionalInformation, ...]
    transport_charges: str | None
    house_consignments: tuple[HouseConsignment, ...]
    pointer: str
