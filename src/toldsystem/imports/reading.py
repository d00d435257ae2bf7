"""DEC-DMS data (docs/imports-messages.md) → the rules' model (imports.rules.model.Declaration).

Pure: what the message does not carry — whether the consignee is a private person or foreign, its customs
credit, the declarant's and the consignee's authorisations, the consignee's powers of attorney, the forwarder's
address and phone — the service looks up and passes in as `Facts`.

The message says which procedure under the additional declaration type (`TypeCode[2]`): A/D full express, C/F
simplified express, Y supplementary. A standard declaration and the periodic and letter-post ones are type A too;
they are told apart by a national additional-information code on the goods shipment (ours, as DMS uses national
codes): `DKSTD` standard, `DKPES` periodic summary, `DKPEM` periodic month-end, `DKBRV` letter post. The seed's
special cases are national codes too, on a goods item: `DKSPE` special import provisions, `DKDMG` heavily damaged
packaging, `DKLIC` simplified licence, `DKLP-<category>` letter-post goods; and on the goods shipment `DKTMP`
(the clearing agent puts the goods on its own temporary storage). A tariff quota is a `QuotaOrderID`; a cash
security for anti-dumping duty an anti-dumping duty (DutyTaxFee type A30–A35) with a cash guarantee
(ObligationGuarantee SecurityDetailsCode 3); a customs warehouse procedure code 71 (current: entry; previous:
removal). A monthly declaration's item arrived on its previous document's (the summary declaration's) acceptance
date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.money import Money
from toldsystem.imports.messages import attribute_of, value_of
from toldsystem.imports.rules.model import (Authorisation, Consignee, CustomsCredit, Declarant, DeclarantRole,
                                            Declaration, GoodsItem, LetterPostCategory, PowerOfAttorney, Procedure,
                                            WarehouseMovement)

PROCEDURE_CODES = {"DKSTD": Procedure.STANDARD, "DKPES": Procedure.PERIODIC_SUMMARY,
                   "DKPEM": Procedure.PERIODIC_COMBINED, "DKBRV": Procedure.LETTER_POST}
SPECIAL_PROVISIONS, DAMAGED_PACKAGING, SIMPLIFIED_LICENCE = "DKSPE", "DKDMG", "DKLIC"
AGENT_TEMPORARY_STORAGE = "DKTMP"
LETTER_POST_PREFIX = "DKLP-"
ANTI_DUMPING_TYPES = frozenset({"A30", "A31", "A32", "A33", "A34", "A35"})
CASH_GUARANTEE = "3"
WAREHOUSE_PROCEDURE = "71"
BY_TYPE = {"A": Procedure.FULL_EXPRESS, "D": Procedure.FULL_EXPRESS, "C": Procedure.SIMPLIFIED_EXPRESS,
           "F": Procedure.SIMPLIFIED_EXPRESS, "Y": Procedure.SUPPLEMENTARY}
PRE_LODGED_TYPES = frozenset({"D", "F"})
SIMPLIFIED_TYPES = frozenset({"C", "F"})


@dataclass(frozen=True, slots=True)
class Facts:
    """What the service looked up about the parties (the register, the credit standings, the powers)."""

    consignee_name: str = ""
    consignee_country: str = "DK"
    consignee_private: bool = False
    customs_credit: CustomsCredit = CustomsCredit.NONE
    vat_registered: bool = False
    library: bool = False
    declarant_name: str = ""  # the forwarder's name in the register (when the message gives none)
    declarant_address: str = ""
    declarant_phone: str = ""
    authorisations: tuple[Authorisation, ...] = ()
    powers_of_attorney: tuple[PowerOfAttorney, ...] = ()
    simplified_accepted_at: datetime | None = None  # a supplementary declaration: its simplified one's acceptance


def _get(node: Any, *path: str) -> Any:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _list(node: Any) -> list:
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def _text(node: Any) -> str:
    return (value_of(node) or "").strip()


def additional_type(data: dict) -> str:
    """The additional declaration type: the third letter of TypeCode (IMA → A)."""
    code = _text(data.get("TypeCode"))
    return code[2:3].upper() if len(code) >= 3 else ""


def lrn_of(data: dict) -> str:
    return _text(data.get("FunctionalReferenceID"))


def declarant_of(data: dict) -> str:
    return _text(_get(data, "Declarant", "ID")).upper()


def agent_of(data: dict) -> str:
    return _text(_get(data, "Agent", "ID")).upper()


def submitter_of(data: dict) -> str:
    return _text(_get(data, "Submitter", "ID")).upper()


def forwarder_of(data: dict) -> str:
    """Who lodges as the rules see it: the representative (Agent) when it is another than the consignee, else the
    Declarant."""
    agent = agent_of(data)
    return agent if agent and agent != consignee_of(data) else declarant_of(data)


def consignee_of(data: dict) -> str:
    return _text(_get(data, "GoodsShipment", "Importer", "ID")).upper()


def office_of(data: dict) -> str:
    return (_text(_get(data, "PresentationOffice", "ID")) or _text(data.get("DeclarationOfficeID"))).upper()


def previous_mrns(data: dict) -> list[str]:
    """The previous documents' IDs (a supplementary declaration names its simplified declaration's MRN)."""
    shipment = data.get("GoodsShipment") or {}
    documents = _list(shipment.get("PreviousDocument"))
    for item in _list(shipment.get("GovernmentAgencyGoodsItem")):
        documents += _list(_get(item, "PreviousDocument"))
    return list(dict.fromkeys(_text(d.get("ID")) for d in documents if isinstance(d, dict) and _text(d.get("ID"))))


def _statement_codes(node: Any) -> set[str]:
    return {_text(i.get("StatementCode")).upper() for i in _list(_get(node, "AdditionalInformation"))
            if isinstance(i, dict)}


def procedure_of(data: dict) -> Procedure | None:
    """The procedure the declaration asks for, or None for an additional declaration type we do not take."""
    kind = BY_TYPE.get(additional_type(data))
    if kind == Procedure.FULL_EXPRESS:
        codes = _statement_codes(data.get("GoodsShipment"))
        for code, procedure in PROCEDURE_CODES.items():
            if code in codes:
                return procedure
    return kind


def _role(data: dict, declarant: str) -> DeclarantRole:
    function = _text(_get(data, "Agent", "FunctionCode"))
    consignee = consignee_of(data)
    if function == "3":
        return DeclarantRole.INDIRECT_REPRESENTATIVE
    if function == "2" or (consignee and declarant and consignee != declarant):
        return DeclarantRole.DIRECT_REPRESENTATIVE
    return DeclarantRole.CONSIGNEE


def _amount(leaf: Any) -> Money:
    try:
        amount = Decimal(_text(leaf) or "0")
    except InvalidOperation:
        amount = Decimal(0)
    return Money(amount, (attribute_of(leaf, "currencyID") or "DKK").upper())


def _commodity_code(item: dict) -> str:
    by_type = {_text(c.get("IdentificationTypeCode")).upper(): _text(c.get("ID"))
               for c in _list(_get(item, "Commodity", "Classification")) if isinstance(c, dict)}
    code = by_type.get("TSP", "")
    taric = by_type.get("TRC", "")
    return code + taric if len(code) == 8 and len(taric) == 2 else code


def _origin(item: dict) -> str:
    origins = [o for o in _list(item.get("Origin")) if isinstance(o, dict)]
    chosen = next((o for o in origins if _text(o.get("TypeCode")) == "1"), origins[0] if origins else {})
    return _text(chosen.get("CountryCode")).upper()


def _warehouse(item: dict) -> WarehouseMovement:
    procedures = [p for p in _list(item.get("GovernmentProcedure")) if isinstance(p, dict)]
    first = procedures[0] if procedures else {}
    if _text(first.get("CurrentCode")) == WAREHOUSE_PROCEDURE:
        return WarehouseMovement.ENTRY
    if _text(first.get("PreviousCode")) == WAREHOUSE_PROCEDURE:
        return WarehouseMovement.REMOVAL
    return WarehouseMovement.NONE


def _letter_post(codes: set[str]) -> LetterPostCategory | None:
    for code in codes:
        if code.startswith(LETTER_POST_PREFIX):
            name = code[len(LETTER_POST_PREFIX):].lower()
            return LetterPostCategory(name) if name in set(LetterPostCategory) else LetterPostCategory.OTHER
    return None


def _arrived_on(item: dict) -> date | None:
    """A monthly declaration's item: the day it arrived, its previous document's (the summary declaration's)
    acceptance date (format 102 CCYYMMDD, or 304 CCYYMMDDHHMMSSZ read as the Danish day)."""
    for document in _list(item.get("PreviousDocument")):
        moment = _get(document, "AcceptanceDateTime", "DateTimeString")
        text, form = _text(moment), attribute_of(moment, "formatCode") if moment is not None else None
        try:
            if form == "304" and len(text) == 15:
                return datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=UTC).astimezone(COPENHAGEN).date()
            if len(text) >= 8:
                return datetime.strptime(text[:8], "%Y%m%d").date()
        except ValueError:
            continue
    return None


def _goods(data: dict) -> tuple[GoodsItem, ...]:
    shipment = data.get("GoodsShipment") or {}
    mode = _text(_get(shipment, "Consignment", "BorderTransportMeans", "ModeCode"))
    entry = office_of(data)
    dispatch = _text(_get(shipment, "DispatchCountry", "ID")).upper()
    cash = any(_text(g.get("SecurityDetailsCode")) == CASH_GUARANTEE
               for g in _list(data.get("ObligationGuarantee")) if isinstance(g, dict))
    goods = []
    for position, item in enumerate(_list(shipment.get("GovernmentAgencyGoodsItem")), start=1):
        if not isinstance(item, dict):
            continue
        fees = [f for f in _list(_get(item, "Commodity", "DutyTaxFee")) if isinstance(f, dict)]
        codes = _statement_codes(item)
        goods.append(GoodsItem(
            sequence=position, commodity_code=_commodity_code(item),
            description=_text(_get(item, "Commodity", "Description")),
            origin_country=_origin(item),
            dispatch_country=_text(_get(item, "DispatchCountry", "ID")).upper() or dispatch,
            transport_mode=mode, place_of_entry=entry, customs_value=_amount(item.get("StatisticalValueAmount")),
            tariff_quota_requested=any(_text(f.get("QuotaOrderID")) for f in fees),
            anti_dumping_cash_security=cash and any(_text(f.get("TypeCode")).upper() in ANTI_DUMPING_TYPES
                                                    for f in fees),
            warehouse=_warehouse(item), simplified_licence=SIMPLIFIED_LICENCE in codes,
            special_import_provisions=SPECIAL_PROVISIONS in codes,
            packaging_heavily_damaged=DAMAGED_PACKAGING in codes, letter_post_category=_letter_post(codes),
            arrived_on=_arrived_on(item)))
    return tuple(goods)


def to_declaration(data: dict, facts: Facts, *, lodged_at: datetime, presented_at: datetime | None = None,
                   actual_arrival: datetime | None = None, identifier: str | None = None,
                   lodged_electronically: bool = True) -> Declaration | None:
    """The rules' view of the declaration's data with the looked-up facts; None for a type we do not take."""
    procedure = procedure_of(data)
    if procedure is None:
        return None
    consignee_id = consignee_of(data)
    declarant_id = forwarder_of(data)
    name = _text(_get(data, "Declarant", "Name")) if declarant_id == declarant_of(data) else ""
    declarant = Declarant(identifier=declarant_id, name=name or facts.declarant_name,
                          role=_role(data, declarant_id), address=facts.declarant_address,
                          phone=facts.declarant_phone)
    consignee = Consignee(identifier=consignee_id,
                          name=_text(_get(data, "GoodsShipment", "Importer", "Name")) or facts.consignee_name,
                          private_person=facts.consignee_private, country=facts.consignee_country,
                          customs_credit=facts.customs_credit, vat_registered=facts.vat_registered,
                          library=facts.library)
    return Declaration(
        id=identifier or lrn_of(data), procedure=procedure, additional_type=additional_type(data),
        declarant=declarant, consignee=consignee, goods=_goods(data), lodged_at=lodged_at.astimezone(UTC),
        lodged_electronically=lodged_electronically, presented_at=presented_at, actual_arrival=actual_arrival,
        authorisations=facts.authorisations, powers_of_attorney=facts.powers_of_attorney,
        agent_temporary_storage=AGENT_TEMPORARY_STORAGE in _statement_codes(data.get("GoodsShipment")),
        simplified_accepted_at=facts.simplified_accepted_at)
