"""Goods-item rules: numbering, packages, commodity code, masses (boxes 5, 31-38; R0007, C0060, R0983 ...)."""

from __future__ import annotations

from decimal import Decimal

from toldsystem.core.errors import Problem
from toldsystem.transit.declaration import Declaration, Document, GoodsItem, HouseConsignment, Packaging, at
from toldsystem.transit.rules.facts import Result, RuleContext, transit_problem

MAX_GOODS_ITEMS = 1999  # the official declarationGoodsItemNumber type: 1 to 1999
EXPORT_DECLARATIONS = frozenset({"N830", "830"})  # phase 5 writes the seed's 830 as N830


def _packaging(decl: Declaration) -> list[Packaging]:
    return [p for _, item in decl.goods_items() for p in item.packaging]


def documents_of(decl: Declaration, house: HouseConsignment, item: GoodsItem) -> list[Document]:
    """Previous and supporting documents that apply to an item: its own, its house consignment's, the consignment's."""
    c = decl.consignment
    return [*item.supporting_documents, *item.previous_documents, *house.supporting_documents,
            *house.previous_documents, *c.supporting_documents, *c.previous_documents]


# --- items and their numbers (boxes 5, 32) ------------------------------------------------------

def goods_items_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 5 (seed 003), G0005: 1 to 1999 goods items in the declaration, at least one per house consignment."""
    houses = decl.consignment.house_consignments
    if not houses:
        return transit_problem("items.missing", at(decl.consignment.pointer, "HouseConsignment"),
                               "the declaration needs at least one goods item", "angivelsen skal have mindst én varepost")
    found = [transit_problem("items.missing", at(h.pointer, "ConsignmentItem"),
                             "a house consignment needs at least one goods item",
                             "en forsendelse skal have mindst én varepost") for h in houses if not h.items]
    count = len(decl.goods_items())
    if count > MAX_GOODS_ITEMS:
        found.append(transit_problem("items.too_many", at(decl.consignment.pointer, "HouseConsignment"),
                                     f"{count} goods items: at most {MAX_GOODS_ITEMS} per declaration",
                                     f"{count} vareposter: højst {MAX_GOODS_ITEMS} pr. angivelse"))
    return found


def declaration_goods_items_numbered_1_to_n(decl: Declaration, ctx: RuleContext) -> Result:
    """R0007 (seed 003 box 32): declarationGoodsItemNumber runs 1, 2, 3 ... over the whole declaration."""
    return [transit_problem("items.numbering", at(item.pointer, "declarationGoodsItemNumber"),
                            f"goods items are numbered 1, 2, 3 ... through the declaration: expected {expected}",
                            f"vareposter nummereres 1, 2, 3 ... gennem hele angivelsen: forventet {expected}")
            for expected, (_, item) in enumerate(decl.goods_items(), start=1)
            if item.declaration_goods_item_number != expected]


def goods_items_numbered_1_to_n_in_each_house_consignment(decl: Declaration, ctx: RuleContext) -> Result:
    """R0988: goodsItemNumber runs 1, 2, 3 ... within each house consignment."""
    return [transit_problem("items.numbering", at(item.pointer, "goodsItemNumber"),
                            f"the goods items of a house consignment are numbered 1, 2, 3 ...: expected {expected}",
                            f"vareposterne i en forsendelse nummereres 1, 2, 3 ...: forventet {expected}")
            for house in decl.consignment.house_consignments
            for expected, item in enumerate(house.items, start=1) if item.goods_item_number != expected]


# --- packages (box 31) --------------------------------------------------------------------------

def packages_counted_unless_bulk(decl: Declaration, ctx: RuleContext) -> Result:
    """C0060 (seed 003 box 31): bulk goods (CL181) state no number of packages; unpacked goods (CL182) state
    it — the number of pieces; packed goods state it and their shipping marks."""
    found: list[Problem] = []
    for p in _packaging(decl):
        kind = p.type_of_packages
        if kind is None:
            continue
        bulk, unpacked = ctx.in_list("CL181", kind), ctx.in_list("CL182", kind)
        if bulk and p.number_of_packages is not None:
            found.append(transit_problem("packages.number_not_allowed", at(p.pointer, "numberOfPackages"),
                                         f"goods in {kind} (bulk) have no number of packages",
                                         f"varer med {kind} (bulk) har ikke antal kolli"))
        elif not bulk and p.number_of_packages is None:
            en, da = (("unpacked goods: state the number of pieces as numberOfPackages",
                       "ikke emballerede varer: angiv antal stk. som numberOfPackages") if unpacked
                      else ("state the number of packages", "angiv antal kolli"))
            found.append(transit_problem("packages.number_missing", at(p.pointer, "numberOfPackages"), en, da))
        if not bulk and not unpacked and p.shipping_marks is None:
            found.append(transit_problem("packages.marks_missing", at(p.pointer, "shippingMarks"),
                                         "state the marks and numbers of the packages",
                                         "angiv kollienes mærker og numre"))
    return found


# --- commodity code (boxes 31, 33) --------------------------------------------------------------

def commodity_code_after_an_export_declaration(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 33 (seed 003; C0153 asks it of nearly every item, B1834 of none): an item an export
    declaration (N830) precedes states its commodity code."""
    return [transit_problem("goods.commodity_code_missing", at(item.commodity.code_pointer,
                                                                "harmonizedSystemSubHeadingCode"),
                            "an export declaration precedes this item: state its commodity code (seed 003, box 33)",
                            "en udførselsangivelse går forud for vareposten: angiv varekoden (seed 003, rubrik 33)")
            for house, item in decl.goods_items()
            if item.commodity.harmonized_system_code is None
            and any(d.type in EXPORT_DECLARATIONS for d in documents_of(decl, house, item))]


def combined_nomenclature_code_not_from_a_ctc_country(decl: Declaration, ctx: RuleContext) -> Result:
    """C0821: the CN code is optional; a declaration lodged in a CTC country (CL112) states none."""
    if not ctx.is_ctc(decl.departure_country):
        return None
    return [transit_problem("goods.cn_code_not_allowed", at(item.commodity.code_pointer, "combinedNomenclatureCode"),
                            f"a declaration lodged in {decl.departure_country} states no combined nomenclature code",
                            f"en angivelse indgivet i {decl.departure_country} angiver ingen KN-kode")
            for _, item in decl.goods_items() if item.commodity.combined_nomenclature_code is not None]


# --- masses (boxes 35, 38) ------------------------------------------------------------------------

def item_gross_mass_stated(decl: Declaration, ctx: RuleContext) -> Result:
    """Box 35 (seed 003, a national rule; B2101 too): each goods item states its gross mass in kg (up to 6 decimals)."""
    return [transit_problem("mass.item_missing", at(item.commodity.measure_pointer, "grossMass"),
                            "state the goods item's gross mass in kg (seed 003, box 35)",
                            "angiv varepostens bruttomasse i kg (seed 003, rubrik 35)")
            for _, item in decl.goods_items() if item.commodity.gross_mass is None]


def house_gross_mass_at_least_its_items(decl: Declaration, ctx: RuleContext) -> Result:
    """R0983: a house consignment's gross mass is at least the sum of its items' gross masses."""
    found = []
    for house in decl.consignment.house_consignments:
        items = sum((i.commodity.gross_mass for i in house.items if i.commodity.gross_mass is not None), Decimal(0))
        if house.gross_mass is not None and house.gross_mass < items:
            found.append(transit_problem("mass.house_below_items", at(house.pointer, "grossMass"),
                                         f"the house consignment weighs {house.gross_mass} kg, less than its items' {items} kg",
                                         f"forsendelsen vejer {house.gross_mass} kg, mindre end vareposternes {items} kg"))
    return found


def total_gross_mass_at_least_the_house_consignments(decl: Declaration, ctx: RuleContext) -> Result:
    """R0994 (seed 003 box 35): the total gross mass is at least the sum of the house consignments' gross masses."""
    c = decl.consignment
    houses = sum((h.gross_mass for h in c.house_consignments if h.gross_mass is not None), Decimal(0))
    if c.gross_mass is not None and c.gross_mass < houses:
        return transit_problem("mass.total_below_house_consignments", at(c.pointer, "grossMass"),
                               f"the total gross mass {c.gross_mass} kg is less than the house consignments' {houses} kg",
                               f"den samlede bruttomasse {c.gross_mass} kg er mindre end forsendelsernes {houses} kg")
    return None


def net_mass_not_above_gross(decl: Declaration, ctx: RuleContext) -> Result:
    """R0223 (seed 003 box 38): a goods item's net mass is never above its gross mass."""
    return [transit_problem("mass.net_above_gross", at(c.measure_pointer, "netMass"),
                            f"net mass {c.net_mass} kg is above the gross mass {c.gross_mass} kg",
                            f"nettomassen {c.net_mass} kg er større end bruttomassen {c.gross_mass} kg")
            for _, item in decl.goods_items()
            if (c := item.commodity).net_mass is not None and c.gross_mass is not None and c.net_mass > c.gross_mass]


def no_net_mass_with_the_reduced_data_set(decl: Declaration, ctx: RuleContext) -> Result:
    """C0837 and B1805: with the reduced data set no net mass is stated, unless an export declaration (N830) precedes."""
    if decl.transit_operation.reduced_dataset_indicator != "1":
        return None
    return [transit_problem("mass.net_not_allowed", at(item.commodity.measure_pointer, "netMass"),
                            "with the reduced data set the net mass is left out",
                            "med det reducerede datasæt udelades nettomassen")
            for house, item in decl.goods_items() if item.commodity.net_mass is not None
            and not any(d.type == "N830" for d in (*item.previous_documents, *house.previous_documents))]


RULES = (
    goods_items_stated, declaration_goods_items_numbered_1_to_n, goods_items_numbered_1_to_n_in_each_house_consignment,
    packages_counted_unless_bulk, commodity_code_after_an_export_declaration,
    combined_nomenclature_code_not_from_a_ctc_country, item_gross_mass_stated, house_gross_mass_at_least_its_items,
    total_gross_mass_at_least_the_house_consignments, net_mass_not_above_gross, no_net_mass_with_the_reduced_data_set,
)
