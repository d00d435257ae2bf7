"""Documents, references and additional information (boxes 40, 44): excise, Union goods, 30600."""

from __future__ import annotations

from toldsystem.transit.declaration import Declaration, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

UNION_GOODS_TYPES = frozenset({"T2", "T2F"})
EXPORT_DECLARATION = "N830"
NO_CONSIGNEE_ADDITIONAL_INFORMATION = "30600"  # 'consignee unknown' — not for common-transit destinations
T1_OR_TIR = frozenset({"T1", "TIR"})


# --- excise goods (seed 003 box 31 'punktafgiftspligtige varer') --------------------------------

def excise_documents_state_their_reference(decl: Declaration, ctx: RuleContext) -> Result:
    """C0015, R0023 (seed 003 box 31): an excise document (e-AD, CL234) named on an item states its reference (ARC), not 0."""
    found = []
    for _, item in decl.goods_items():
        for ref in item.additional_references:
            if not ctx.in_list("CL234", ref.type):
                continue
            pointer = at(ref.pointer, "referenceNumber")
            if ref.reference_number is None:
                found.append(transit_problem("excise.reference_missing", pointer,
                                             f"excise document {ref.type}: state its reference number (the ARC)",
                                             f"punktafgiftsdokument {ref.type}: angiv dets referencenummer (ARC)"))
            elif ref.reference_number == "0":
                found.append(transit_problem("excise.reference_zero", pointer,
                                             f"excise document {ref.type}: the reference number is not 0",
                                             f"punktafgiftsdokument {ref.type}: referencenummeret er ikke 0"))
    return found


def excise_goods_declared_as_their_procedure_says(decl: Declaration, ctx: RuleContext) -> Result:
    """R0601 (B1922): goods with an excise document (CL234) that an export declaration (N830, on the house
    consignment or the item) precedes are T1 (or TIR); without one, with the e-AD as supporting document
    (Union excise goods under duty suspension), T2 or T2F."""
    op = decl.transit_operation
    found = []
    for house, item in decl.goods_items():
        if not any(ctx.in_list("CL234", r.type) for r in item.additional_references):
            continue
        kind = item.declaration_type or op.declaration_type
        pointer = at(item.pointer, "declarationType") if item.declaration_type else at(op.pointer, "declarationType")
        exported = any(d.type == EXPORT_DECLARATION for d in (*house.previous_documents, *item.previous_documents))
        if exported and kind not in ({"T1"} if item.declaration_type else T1_OR_TIR):
            found.append(transit_problem("excise.declaration_type", pointer,
                                         "excise goods exported and then in transit are declared T1",
                                         "punktafgiftspligtige varer, der udføres og derefter forsendes, angives T1"))
        elif not exported and any(ctx.in_list("CL234", d.type) for d in item.supporting_documents) \
                and kind not in UNION_GOODS_TYPES:
            found.append(transit_problem("excise.declaration_type", pointer,
                                         "Union excise goods under duty suspension are declared T2 or T2F",
                                         "EU-punktafgiftsvarer under afgiftssuspension angives T2 eller T2F"))
    return found


# --- previous documents ------------------------------------------------------------------------

def union_goods_from_a_ctc_country_prove_their_status(decl: Declaration, ctx: RuleContext) -> Result:
    """R0020, C0035: T2/T2F goods leaving a CTC country (CL112) name a previous document proving Union status (CL178)."""
    if not ctx.is_ctc(decl.departure_country) or not ctx.knows("CL178"):
        return None
    op = decl.transit_operation
    found = []
    for house, item in decl.goods_items():
        if (item.declaration_type or op.declaration_type) not in UNION_GOODS_TYPES:
            continue
        if not any(ctx.in_list("CL178", d.type) for d in (*decl.consignment.previous_documents,
                                                          *item.previous_documents)):
            found.append(transit_problem("previous_document.union_status_missing", at(item.pointer, "PreviousDocument"),
                                         "Union goods from a common-transit country name the document proving their status",
                                         "EU-varer fra et fællestransitland angiver dokumentet for deres status"))
    return found


def previous_document_quantity_with_its_unit(decl: Declaration, ctx: RuleContext) -> Result:
    """C0298: an item's previous document with a quantity states its measurement unit, and only then."""
    found = []
    for _, item in decl.goods_items():
        for d in item.previous_documents:
            pointer = at(d.pointer, "measurementUnitAndQualifier")
            if d.quantity is not None and d.measurement_unit is None:
                found.append(transit_problem("previous_document.unit_missing", pointer,
                                             "a quantity states its measurement unit", "en mængde angiver sin måleenhed"))
            elif d.quantity is None and d.measurement_unit is not None:
                found.append(transit_problem("previous_document.unit_not_allowed", pointer,
                                             "a measurement unit goes with a quantity", "en måleenhed hører til en mængde"))
    return found


# --- additional information --------------------------------------------------------------------

def consignee_unknown_only_outside_common_transit(decl: Declaration, ctx: RuleContext) -> Result:
    """R3060, R3062: additional information 30600 (consignee unknown) is not used when goods go to a
    common-transit country (CL009)."""
    c = decl.consignment
    destinations = {c.country_of_destination} | {h.country_of_destination for h in c.house_consignments} | {
        i.country_of_destination for _, i in decl.goods_items()}
    if not any(ctx.is_common_transit(d) for d in destinations if d):
        return None
    informations = [*c.additional_information, *(i for h in c.house_consignments for i in h.additional_information)]
    return [transit_problem("additional_information.consignee_unknown", at(i.pointer, "code"),
                            "the goods go to a common-transit country: 30600 (consignee unknown) cannot be used",
                            "varerne skal til et fællestransitland: 30600 (ukendt modtager) kan ikke bruges")
            for i in informations if i.code == NO_CONSIGNEE_ADDITIONAL_INFORMATION]


RULES = (
    excise_documents_state_their_reference, excise_goods_declared_as_their_procedure_says,
    union_goods_from_a_ctc_country_prove_their_status, previous_document_quantity_with_its_unit,
    consignee_unknown_only_outside_common_transit,
)
