"""A transit declaration (CC015C, seed 003) as dataclasses, read from the phase 5 dict.

The dict is what the XML conversion and the JSON API both produce: keys are the phase 5
element names, leaves are strings, repeated elements are lists, absent optional elements
are missing keys. Reading is tolerant — a missing optional part becomes None or an empty
tuple, and the rules say what is required — but a number or date that cannot be read is a
Problem here, because no rule could judge it.

Every element keeps its XML pointer (`/CC015C/Consignment/HouseConsignment[1]/...`, indexes
counted from 1 in document order) so that a rule can point at the offending element. An
amendment (CC013C) is read the same way under its own root, so its problems point into it.

The package, one idea a module: `pointers` (paths into the message), `header` (parties,
offices, guarantees), `consignment` (transport, documents, goods items), `extensions` (DMS
key/values), `model` (the whole Declaration), `leaves` (reading texts, numbers and dates) and
`reading` (declaration_from_data, which builds the model).
"""

from toldsystem.transit.declaration.consignment import (
    ActiveBorderTransportMeans,
    AdditionalInformation,
    Commodity,
    Consignment,
    Document,
    GoodsItem,
    HouseConsignment,
    Packaging,
    Seal,
    TransportEquipment,
    TransportMeans,
)
from toldsystem.transit.declaration.extensions import Extensions
from toldsystem.transit.declaration.header import (
    Address,
    Authorisation,
    Guarantee,
    GuaranteeReference,
    OfficeReference,
    Party,
    Representative,
    TransitOperation,
)
from toldsystem.transit.declaration.leaves import MAX_NUMBER_CHARACTERS
from toldsystem.transit.declaration.model import AUTHORISED_CONSIGNOR_AUTHORISATION, Declaration
from toldsystem.transit.declaration.pointers import ROOT, at
from toldsystem.transit.declaration.reading import declaration_from_data

__all__ = [
    "AUTHORISED_CONSIGNOR_AUTHORISATION", "MAX_NUMBER_CHARACTERS", "ROOT",
    "ActiveBorderTransportMeans", "AdditionalInformation", "Address", "Authorisation", "Commodity",
    "Consignment", "Declaration", "Document", "Extensions", "GoodsItem", "Guarantee", "GuaranteeReference",
    "HouseConsignment", "OfficeReference", "Packaging", "Party", "Representative", "Seal", "TransitOperation",
    "TransportEquipment", "TransportMeans", "at", "declaration_from_data",
]
