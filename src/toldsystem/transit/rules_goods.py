"""Goods-item rules of the transit declaration (boxes 5, 31-44 of seed 003): one pure function each."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from toldsystem.core.errors import Problem, problem
from toldsystem.transit.declaration import Declaration, Document, GoodsItem, HouseConsignment, Packaging, at

if TYPE_CHECKING:
    from toldsystem.transit.rules import Result, RuleContext

BULK_PACKAGES = frozenset({"VQ", "VG", "VL", "VY", "VO"})
UNPACKED = "NE"
MAX_GOODS_ITEMS = 999
EXPORT_DECLARATION_DOCUMENTS = frozenset({"830", "N830"})  # seed 003 writes 830, phase 5 lists N830
EXPORT_DECLARATION_INFORMATION = "DG2"
# Annex 44c headings (sensitive goods) — a small list; the 6-digit HS code alone does not
# identify these goods, so the CN code (phase 5's 'sensitive goods code') and the quantity follow.
SENSITIVE_HEADINGS = frozenset({
    "0102", "0201", "0202", "0207", "0401", "0402", "0405", "0406", "1001", "1701", "1702",
    "2207", "2208", "2402", "2403", "2710",
})
ONE_DECIMAL = Decimal("0.1")


def _p(code: str, pointer: str, en: str, da: str) -> Problem:
    return problem(f"transit.{code}", pointer, en, da)


def _packaging(decl: Declaration) -> Iterator[Packaging]:
    for _, item in decl.goods_items():
        yield from item.packaging


# --- items and their numbers (boxes 5, 32) ------------------------------------------------------

def goods_items_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 5: the declaration has 1 to 999 goods items, each house consignment at least one — seed 003."""
    houses = decl.consignment.house_consignments
    if not houses:
        return _p("items.missing", at(decl.consignment.pointer, "HouseConsignment"),
                  "the declaration needs at least one goods item", "angivelsen skal have mindst én varepost")
    found = [_p("items.missing", at(h.pointer, "ConsignmentItem"), "a house consignment needs at least one goods item",
                "en forsendelse skal have mindst én varepost") for h in houses if not h.items]
    count = sum(len(h.items) for h in houses)
    if count > MAX_GOODS_ITEMS:
        found.append(_p("items.too_many", at(decl.consignment.pointer, "HouseConsignment"),
                        f"{count} goods items: at most {MAX_GOODS_ITEMS} per declaration",
                        f"{count} vareposter: højst {MAX_GOODS_ITEMS} pr. angivelse"))
    return found


def item_numbers_run_1_to_n(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 32: items are numbered 1..n without gaps, in the declaration and in each house consignment — seed 003."""
    found = []
    for expected, (_, item) in enumerate(decl.goods_items(), start=1):
        if item.declaration_goods_item_number != expected:
            found.append(_p("items.numbering", at(item.pointer, "declarationGoodsItemNumber"),
                            f"goods items are numbered 1, 2, 3 ... in order: expected {expected}",
                            f"vareposter nummereres 1, 2, 3 ... i rækkefølge: forventet {expected}"))
    for house in decl.consignment.house_consignments:
        for expected, item in enumerate(house.items, start=1):
            if item.goods_item_number != expected:
                found.append(_p("items.numbering", at(item.pointer, "goodsItemNumber"),
                                f"goods items of a house consignment are numbered 1, 2, 3 ...: expected {expected}",
                                f"vareposter i en forsendelse nummereres 1, 2, 3 ...: forventet {expected}"))
    return found


# --- description and packages (box 31) ----------------------------------------------------------

def goods_description_required(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31: every goods item has its normal trade description — seed 003."""
    return [_p("goods.description_missing", at(item.commodity.pointer, "descriptionOfGoods"),
               "describe the goods in normal trade terms", "beskriv varerne med deres normale handelsbetegnelse")
            for _, item in decl.goods_items() if item.commodity.description is None]


def package_type_is_known(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31: each goods item states its packaging, by a code from the package-type list — seed 003."""
    known = ctx.codes("CL017")
    found = [_p("packages.missing", at(item.pointer, "Packaging"), "state the kind of packages (e.g. CT, PX, VL, NE)",
                "angiv kolliart (fx CT, PX, VL, NE)") for _, item in decl.goods_items() if not item.packaging]
    found += [_p("packages.type_unknown", at(p.pointer, "typeOfPackages"),
                 f"{p.type_of_packages!r} is not a package type code", f"{p.type_of_packages!r} er ikke en emballagekode")
              for p in _packaging(decl) if p.type_of_packages is None or (known and p.type_of_packages not in known)]
    return found


def bulk_or_unpacked_goods_may_not_state_number_of_packages(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31: no number of packages for bulk (VQ VG VL VY VO) or unpacked (NE) goods — seed 003."""
    return [_p("packages.number_not_allowed", at(p.pointer, "numberOfPackages"),
               f"goods in {p.type_of_packages} (bulk or unpacked) have no number of packages",
               f"varer med {p.type_of_packages} (bulk eller ikke emballeret) har ikke antal kolli")
            for p in _packaging(decl) if _bulk_or_unpacked(p.type_of_packages) and p.number_of_packages is not None]


def packed_goods_state_number_of_packages(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31: packed goods state how many packages the item has — seed 003."""
    return [_p("packages.number_missing", at(p.pointer, "numberOfPackages"), "state the number of packages",
               "angiv antal kolli")
            for p in _packaging(decl)
            if p.type_of_packages is not None and not _bulk_or_unpacked(p.type_of_packages) and p.number_of_packages is None]


def shipping_marks_required_unless_bulk_or_unpacked(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31: marks and numbers of packages, optional only for bulk or unpacked goods — seed 003."""
    return [_p("packages.marks_missing", at(p.pointer, "shippingMarks"), "state the marks and numbers of the packages",
               "angiv kollienes mærker og numre")
            for p in _packaging(decl)
            if p.type_of_packages is not None and not _bulk_or_unpacked(p.type_of_packages) and p.shipping_marks is None]


def unpacked_goods_state_number_of_pieces(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31: unpacked goods (NE) state the number of pieces — seed 003.

    Phase 5 has no pieces field and the seed forbids the number of packages for NE, so the
    pieces go in Commodity/GoodsMeasure/supplementaryUnits (for most goods the CN unit is
    'p/st', pieces) — a whole number.
    """
    found = []
    for _, item in decl.goods_items():
        if not any(p.type_of_packages == UNPACKED for p in item.packaging):
            continue
        pieces = item.commodity.supplementary_units
        if pieces is None or pieces <= 0 or pieces != pieces.to_integral_value():
            found.append(_p("packages.pieces_missing", at(item.commodity.measure_pointer, "supplementaryUnits"),
                            "unpacked goods (NE): state the number of pieces in supplementaryUnits",
                            "ikke emballerede varer (NE): angiv antal stk. i supplementaryUnits"))
    return found


def _bulk_or_unpacked(package_type: str | None) -> bool:
    return package_type in BULK_PACKAGES or package_type == UNPACKED


# --- commodity code (boxes 31, 33) --------------------------------------------------------------

def sensitive_goods_state_code_and_quantity(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 31/33: sensitive goods (annex 44c) whose HS code doesn't identify them need the CN code and quantity — seed 003.

    Phase 5 replaced the sensitive-goods code with the 2-digit CN extension; the quantity is
    GoodsMeasure/supplementaryUnits.
    """
    found = []
    for _, item in decl.goods_items():
        commodity = item.commodity
        if (commodity.harmonized_system_code or "")[:4] not in SENSITIVE_HEADINGS:
            continue
        if commodity.combined_nomenclature_code is None:
            found.append(_p("goods.sensitive_code_missing", at(commodity.code_pointer, "combinedNomenclatureCode"),
                            f"HS {commodity.harmonized_system_code} is sensitive goods: state the combined nomenclature code",
                            f"HS {commodity.harmonized_system_code} er følsomme varer: angiv KN-koden"))
        if commodity.supplementary_units is None:
            found.append(_p("goods.sensitive_quantity_missing", at(commodity.measure_pointer, "supplementaryUnits"),
                            "sensitive goods: state their quantity (supplementaryUnits)",
                            "følsomme varer: angiv mængden (supplementaryUnits)"))
    return found


def commodity_code_required_after_export_declaration(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 33: an item preceded by an export declaration (830) states its commodity code — seed 003."""
    return [_p("goods.commodity_code_missing", at(item.commodity.code_pointer, "harmonizedSystemSubHeadingCode"),
               "an export declaration precedes this item: state its commodity code",
               "en udførselsangivelse går forud for vareposten: angiv varekoden")
            for house, item in decl.goods_items()
            if item.commodity.harmonized_system_code is None
            and any(d.type in EXPORT_DECLARATION_DOCUMENTS for d in _documents_of(decl, house, item))]


def _documents_of(decl: Declaration, house: HouseConsignment, item: GoodsItem) -> list[Document]:
    """Documents that apply to an item: its own, its house consignment's and the consignment's."""
    c = decl.consignment
    return [*item.supporting_documents, *item.previous_documents, *house.supporting_documents,
            *house.previous_documents, *c.supporting_documents, *c.previous_documents]


# --- mass (boxes 35, 38) ------------------------------------------------------------------------

def total_gross_mass_in_kg_with_one_decimal(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 35: total gross mass in kg, at most one decimal (consignment and house consignments) — seed 003."""
    c = decl.consignment
    if c.gross_mass is None:
        return _p("mass.total_missing", at(c.pointer, "grossMass"), "state the total gross mass in kg",
                  "angiv den samlede bruttomasse i kg")
    masses = [(c.pointer, c.gross_mass)] + [(h.pointer, h.gross_mass) for h in c.house_consignments]
    return [bad for pointer, mass in masses
            if mass is not None and (bad := _mass_problem(at(pointer, "grossMass"), mass, "gross", "brutto"))]


def item_gross_mass_in_kg_with_one_decimal(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 35: each item's gross mass in kg, above zero, at most one decimal — seed 003."""
    found = []
    for _, item in decl.goods_items():
        pointer = at(item.commodity.measure_pointer, "grossMass")
        mass = item.commodity.gross_mass
        if mass is None:
            found.append(_p("mass.item_missing", pointer, "state the goods item's gross mass in kg",
                            "angiv varepostens bruttomasse i kg"))
        elif (bad := _mass_problem(pointer, mass, "gross", "brutto")) is not None:
            found.append(bad)
    return found


def net_mass_not_above_gross(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 38: net mass is optional, in kg with at most one decimal, never above the gross mass — seed 003."""
    found = []
    for _, item in decl.goods_items():
        commodity = item.commodity
        pointer = at(commodity.measure_pointer, "netMass")
        if commodity.net_mass is None:
            continue
        if (bad := _mass_problem(pointer, commodity.net_mass, "net", "netto")) is not None:
            found.append(bad)
        elif commodity.gross_mass is not None and commodity.net_mass > commodity.gross_mass:
            found.append(_p("mass.net_above_gross", pointer,
                            f"net mass {commodity.net_mass} kg is above the gross mass {commodity.gross_mass} kg",
                            f"nettomassen {commodity.net_mass} kg er større end bruttomassen {commodity.gross_mass} kg"))
    return found


def _mass_problem(pointer: str, mass: Decimal, kind_en: str, kind_da: str) -> Problem | None:
    if mass <= 0:
        return _p("mass.not_positive", pointer, f"the {kind_en} mass must be above 0 kg",
                  f"{kind_da}massen skal være over 0 kg")
    if mass != mass.quantize(ONE_DECIMAL):
        return _p("mass.decimals", pointer, f"the {kind_en} mass {mass} is in kg with at most one decimal",
                  f"{kind_da}massen {mass} angives i kg med højst én decimal")
    return None


# --- documents (boxes 40, 44) -------------------------------------------------------------------

def documents_state_type_and_reference(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 40/44: each previous and supporting document (e.g. 830 export declaration) has a type and reference — seed 003."""
    c = decl.consignment
    documents = [*c.previous_documents, *c.supporting_documents]
    for house in c.house_consignments:
        documents += [*house.previous_documents, *house.supporting_documents]
        for item in house.items:
            documents += [*item.previous_documents, *item.supporting_documents]
    found = []
    for d in documents:
        if d.type is None:
            found.append(_p("document.type_missing", at(d.pointer, "type"), "state the document's type code (e.g. 830)",
                            "angiv dokumentets typekode (fx 830)"))
        if d.reference_number is None:
            found.append(_p("document.reference_missing", at(d.pointer, "referenceNumber"),
                            "state the document's number or other reference", "angiv dokumentets nummer eller anden reference"))
    return found


def export_declaration_needs_additional_information_dg2(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 44: a linked export declaration (830) is marked with additional information DG2 — seed 003."""
    c = decl.consignment
    found = []
    for house, item in decl.goods_items():
        if not any(d.type in EXPORT_DECLARATION_DOCUMENTS for d in _documents_of(decl, house, item)):
            continue
        information = [*item.additional_information, *house.additional_information, *c.additional_information]
        if not any(i.code == EXPORT_DECLARATION_INFORMATION for i in information):
            found.append(_p("document.dg2_missing", at(item.pointer, "AdditionalInformation"),
                            "an export declaration is linked: add additional information DG2",
                            "der er en tilhørende udførselsangivelse: angiv yderligere oplysninger DG2"))
    return found


RULES = (
    goods_items_stated, item_numbers_run_1_to_n, goods_description_required, package_type_is_known,
    bulk_or_unpacked_goods_may_not_state_number_of_packages, packed_goods_state_number_of_packages,
    shipping_marks_required_unless_bulk_or_unpacked, unpacked_goods_state_number_of_pieces,
    sensitive_goods_state_code_and_quantity, commodity_code_required_after_export_declaration,
    total_gross_mass_in_kg_with_one_decimal, item_gross_mass_in_kg_with_one_decimal, net_mass_not_above_gross,
    documents_state_type_and_reference, export_declaration_needs_additional_information_dg2,
)
