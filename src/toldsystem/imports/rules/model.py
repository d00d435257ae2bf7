"""What the import rules read: a small typed declaration of express clearance (seed 004, SPEC I).

Not the DEC-DMS message: the XML reading (imports/messages) builds this from it. Times are aware
UTC; identifiers are EORIs (Danish: DK + CVR). Each field says where in seed 004 it matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from toldsystem.core.money import Money


class Procedure(StrEnum):
    """Which clearance the declaration asks for (seed 004, "Hvad er ekspresproceduren?" and after)."""

    FULL_EXPRESS = "full_express"  # fuldstændig ekspres: all data at once, no authorisation
    SIMPLIFIED_EXPRESS = "simplified_express"  # forenklet ekspres: authorisation, supplementary follows
    SUPPLEMENTARY = "supplementary"  # supplerende angivelse to a simplified express one
    STANDARD = "standard"  # standardproceduren (F.A.33.5), e.g. from temporary storage
    PERIODIC_SUMMARY = "periodic_summary"  # summarisk angivelse til periodeangivelse, at each arrival
    PERIODIC_COMBINED = "periodic_combined"  # the month-end standard declaration (periodeangivelse)
    LETTER_POST = "letter_post"  # brevpostforsendelser, the monthly declaration


class DeclarantRole(StrEnum):
    """Who lodges: the consignee itself or a forwarder / clearing agent for it (seed 004, "Underretning")."""

    CONSIGNEE = "consignee"
    DIRECT_REPRESENTATIVE = "direct_representative"
    INDIRECT_REPRESENTATIVE = "indirect_representative"


class CustomsCredit(StrEnum):
    """The consignee's customs credit (toldkredit; seed 004, "Varer, der altid skal angives...")."""

    GRANTED = "granted"
    NONE = "none"
    WITHDRAWN = "withdrawn"  # frataget
    REFUSED = "refused"  # nægtet


class AuthorisationKind(StrEnum):
    """The authorisations seed 004 names."""

    SIMPLIFIED_EXPRESS = "simplified_express"  # TBEK § 7, stk. 1 (GB art. 263-267)
    PERIODIC = "periodic"  # tilladelse til periodeangivelse, TBEK § 28
    LETTER_POST = "letter_post"  # brevpostforsendelser mod månedsvis afregning


class LetterPostCategory(StrEnum):
    """What goods a letter-post authorisation may cover (seed 004, "Brevpostforsendelser")."""

    PERIODICALS = "periodicals"  # tidsskrifter
    BOOKS = "books"  # bøger
    SHEET_MUSIC = "sheet_music"  # noder
    PRINTED_MATTER = "printed_matter"  # tryksager
    FILMS = "films"  # film
    COLLECTORS_STAMPS = "collectors_stamps"  # frimærker til samlerbrug
    OTHER = "other"  # anything else: not letter post


class WarehouseMovement(StrEnum):
    """Entry into or removal from a customs warehouse (til- eller fraførsel fra toldoplag, F.A.21)."""

    NONE = "none"
    ENTRY = "entry"
    REMOVAL = "removal"


@dataclass(frozen=True, slots=True)
class Authorisation:
    """An authorisation granted by customs to `holder` (EORI), valid from/until (inclusive) Danish dates."""

    kind: AuthorisationKind
    holder: str
    reference: str
    valid_from: date
    valid_until: date | None = None  # None: until withdrawn

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, slots=True)
class PowerOfAttorney:
    """The consignee's power of attorney (fuldmagt) to a forwarder (seed 004, TBEK § 8)."""

    consignee: str
    forwarder: str
    valid_from: date
    valid_until: date | None = None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True, slots=True)
class Declarant:
    """The party lodging the declaration and its role; a forwarder's address/phone go in the notification."""

    identifier: str
    name: str
    role: DeclarantRole = DeclarantRole.CONSIGNEE
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Consignee:
    """The varemodtager: private person or company, where established, credit, VAT/library status."""

    identifier: str  # EORI (a private person: any identifier the declaration gives)
    name: str
    private_person: bool = False  # varer, der indføres til private
    country: str = "DK"  # a foreign consignee (udenlandsk varemodtager) is one not established in DK
    customs_credit: CustomsCredit = CustomsCredit.GRANTED
    vat_registered: bool = False  # registreret efter momsloven (letter post)
    library: bool = False  # biblioteker og lignende (letter post)

    @property
    def foreign(self) -> bool:
        return self.country != "DK"


@dataclass(frozen=True, slots=True)
class GoodsItem:
    """One goods item; `sequence` is its 1-based number in the declaration (pointers use it)."""

    sequence: int
    commodity_code: str  # varekode (8 or 10 digits)
    description: str
    origin_country: str  # oprindelsesland
    dispatch_country: str  # afsendelsesland
    transport_mode: str  # transportmåde at the border (CL018: 1 sea, 3 road, 4 air, 5 post, ...)
    place_of_entry: str  # indførselssted (office of entry)
    customs_value: Money
    customs_status: str = "T1"  # toldmæssig status (e.g. T1, T2, C, N)
    tariff_quota_requested: bool = False  # anmodning om kontingenttoldbehandling (F.A.7)
    anti_dumping_cash_security: bool = False  # kontant sikkerhedsstillelse for antidumpingtold (F.A.8)
    warehouse: WarehouseMovement = WarehouseMovement.NONE  # toldoplag (F.A.21)
    simplified_licence: bool = False  # forenklet bevillingsudstedelse (F.A.33.6)
    special_import_provisions: bool = False  # særlige indførselsbestemmelser (TBEK § 34, stk. 1)
    packaging_heavily_damaged: bool = False  # emballagen er meget beskadiget
    letter_post_category: LetterPostCategory | None = None
    arrived_on: date | None = None  # periodic and letter post: the arrival this item was

    @property
    def pointer(self) -> str:
        return f"/goods/{self.sequence}"


@dataclass(frozen=True, slots=True)
class Declaration:
    """An import declaration as the rules see it."""

    id: str  # stable identifier (LRN or MRN): the random selection is drawn from it
    procedure: Procedure
    additional_type: str  # A standard, D pre-lodged standard, C simplified, F pre-lodged simplified, Y supplementary
    declarant: Declarant
    consignee: Consignee
    goods: tuple[GoodsItem, ...]
    lodged_at: datetime
    lodged_electronically: bool = True  # False: on the single administrative document (SAD)
    presented_at: datetime | None = None  # goods presented at the customs office (angives ved ekspeditionsstedet)
    expected_arrival: datetime | None = None
    actual_arrival: datetime | None = None  # faktisk ankomst
    authorisations: tuple[Authorisation, ...] = ()  # held by the declarant or the consignee
    powers_of_attorney: tuple[PowerOfAttorney, ...] = ()
    agent_temporary_storage: bool = False  # the clearing agent places the goods on its own temporary storage
    simplified_accepted_at: datetime | None = None  # supplementary: when its simplified express was accepted

    def __post_init__(self) -> None:
        for name in ("lodged_at", "presented_at", "expected_arrival", "actual_arrival", "simplified_accepted_at"):
            instant = getattr(self, name)
            if instant is not None and instant.tzinfo is None:
                raise ValueError(f"Declaration.{name} must be an aware datetime (UTC)")

    @property
    def represented(self) -> bool:
        return self.declarant.role != DeclarantRole.CONSIGNEE

    def authorisation(self, kind: AuthorisationKind, day: date) -> Authorisation | None:
        """An authorisation of that kind, valid on the day, held by the declarant or the consignee."""
        holders = {self.declarant.identifier, self.consignee.identifier}
        return next((a for a in self.authorisations if a.kind == kind and a.holder in holders and a.valid_on(day)),
                    None)

    def total_value(self) -> dict[str, Decimal]:
        """Customs value summed per currency."""
        totals: dict[str, Decimal] = {}
        for item in self.goods:
            totals[item.customs_value.currency] = (totals.get(item.customs_value.currency, Decimal(0))
                                                   + item.customs_value.amount)
        return totals
