"""The whole declaration as the rules see it, with the facts several rules derive from it.

The model is built for one message and then only read by the rules, which never change it.
It is not frozen: a frozen dataclass sets every field through `object.__setattr__`, and
building the model is on the path of every declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toldsystem.transit.declaration.consignment import Consignment, GoodsItem, HouseConsignment
from toldsystem.transit.declaration.extensions import Extensions
from toldsystem.transit.declaration.header import (
    Authorisation,
    Guarantee,
    OfficeReference,
    Party,
    Representative,
    TransitOperation,
)

# Phase 5 authorisation type C521 (ACR): the declaration is lodged as authorised consignor.
AUTHORISED_CONSIGNOR_AUTHORISATION = "C521"


@dataclass(slots=True)
class Declaration:
    """A transit declaration (CC015C, or the declaration a CC013C amends) as the rules see it."""

    message_sender: str | None
    message_identification: str | None
    preparation_date_and_time: str | None
    transit_operation: TransitOperation
    authorisations: tuple[Authorisation, ...]
    office_of_departure: OfficeReference
    office_of_destination: OfficeReference
    offices_of_transit: tuple[OfficeReference, ...]
    offices_of_exit: tuple[OfficeReference, ...]
    holder: Party | None
    representative: Representative | None
    guarantees: tuple[Guarantee, ...]
    consignment: Consignment
    extensions: Extensions
    root: str  # "/CC015C", or "/CC013C" for an amendment
    source: dict  # the message data as read: the code-list and sequence-number rules walk it
    _goods_items: tuple[tuple[HouseConsignment, GoodsItem], ...] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def by_authorised_consignor(self) -> bool:
        """The simplified procedure (box D): the declaration names an authorised-consignor authorisation."""
        return any(a.type == AUTHORISED_CONSIGNOR_AUTHORISATION for a in self.authorisations)

    @property
    def departure_country(self) -> str | None:
        """The country of the office of departure: the first two characters of its reference number."""
        return (self.office_of_departure.reference_number or "")[:2] or None

    @property
    def destination_country(self) -> str | None:
        """The country of the declared office of destination."""
        return (self.office_of_destination.reference_number or "")[:2] or None

    def goods_items(self) -> tuple[tuple[HouseConsignment, GoodsItem], ...]:
        """Every goods item with the house consignment that carries it, in document order."""
        if self._goods_items is None:  # listed once: a dozen rules go through them
            self._goods_items = tuple((house, item) for house in self.consignment.house_consignments
                                      for item in house.items)
        return self._goods_items
