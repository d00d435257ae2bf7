"""Goods-item rules: items, packages, commodity code, mass, documents (seed 003, boxes 5, 31-44)."""

from __future__ import annotations

from tests.transit.test_declaration import ITEM, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit import rules_goods as rules


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def _items(data: dict) -> list[dict]:
    return data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]


def _packaging(data: dict, item: int = 0) -> dict:
    return _items(data)[item]["Packaging"][0]


def _export_declaration(data: dict, item: int = 0) -> None:
    _items(data)[item]["SupportingDocument"].append({"sequenceNumber": "2", "type": "830", "referenceNumber": "25DK0000000012345"})


# --- items (boxes 5, 32) -----------------------------------------------------------------------

def test_declaration_needs_goods_items():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"] = []
    assert [p.code for p in _check(rules.goods_items_stated, data)] == ["transit.items.missing"]
    del data["Consignment"]["HouseConsignment"]
    assert _check(rules.goods_items_stated, data).code == "transit.items.missing"


def test_at_most_999_goods_items():
    data = valid_declaration_data()
    template = _items(data)[0]
    _items(data)[:] = [dict(template, goodsItemNumber=str(n), declarationGoodsItemNumber=str(n)) for n in range(1, 1001)]
    assert [p.code for p in _check(rules.goods_items_stated, data)] == ["transit.items.too_many"]


def test_item_numbers_run_1_to_n_without_gaps():
    data = valid_declaration_data()
    _items(data)[1]["declarationGoodsItemNumber"] = "3"
    _items(data)[1]["goodsItemNumber"] = "3"
    found = _check(rules.item_numbers_run_1_to_n, data)
    assert {p.pointer for p in found} == {f"{ITEM}[2]/declarationGoodsItemNumber", f"{ITEM}[2]/goodsItemNumber"}


# --- description and packages (box 31) -----------------------------------------------------------

def test_goods_description_required():
    data = valid_declaration_data()
    del _items(data)[1]["Commodity"]["descriptionOfGoods"]
    assert [p.pointer for p in _check(rules.goods_description_required, data)] == [
        f"{ITEM}[2]/Commodity/descriptionOfGoods"]


def test_package_type_from_the_code_list():
    data = valid_declaration_data()
    _packaging(data)["typeOfPackages"] = "XX"  # not in CL017 (ZZ "mutually defined" is)
    assert [p.pointer for p in _check(rules.package_type_is_known, data)] == [f"{ITEM}[1]/Packaging[1]/typeOfPackages"]
    _items(data)[0]["Packaging"] = []
    assert [p.code for p in _check(rules.package_type_is_known, data)] == ["transit.packages.missing"]


def test_bulk_goods_may_not_state_number_of_packages():
    for bulk in ("VQ", "VG", "VL", "VY", "VO"):
        data = valid_declaration_data()
        _packaging(data)["typeOfPackages"] = bulk
        found = _check(rules.bulk_or_unpacked_goods_may_not_state_number_of_packages, data)
        assert [p.pointer for p in found] == [f"{ITEM}[1]/Packaging[1]/numberOfPackages"], bulk


def test_bulk_goods_without_number_of_packages_or_marks_pass():
    data = valid_declaration_data()
    packaging = _packaging(data)
    packaging["typeOfPackages"] = "VL"
    del packaging["numberOfPackages"], packaging["shippingMarks"]
    assert problems(data) == []


def test_unpacked_goods_may_not_state_number_of_packages():
    data = valid_declaration_data()
    _packaging(data)["typeOfPackages"] = "NE"
    _items(data)[0]["Commodity"]["GoodsMeasure"]["supplementaryUnits"] = "4"
    assert [p.code for p in problems(data)] == ["transit.packages.number_not_allowed"]


def test_unpacked_goods_need_number_of_pieces():
    data = valid_declaration_data()
    packaging = _packaging(data)
    packaging["typeOfPackages"] = "NE"
    del packaging["numberOfPackages"]
    found = _check(rules.unpacked_goods_state_number_of_pieces, data)
    assert [p.pointer for p in found] == [f"{ITEM}[1]/Commodity/GoodsMeasure/supplementaryUnits"]
    _items(data)[0]["Commodity"]["GoodsMeasure"]["supplementaryUnits"] = "2.5"
    assert len(_check(rules.unpacked_goods_state_number_of_pieces, data)) == 1
    _items(data)[0]["Commodity"]["GoodsMeasure"]["supplementaryUnits"] = "4"
    assert problems(data) == []


def test_packed_goods_state_number_of_packages():
    data = valid_declaration_data()
    del _packaging(data, 1)["numberOfPackages"]
    assert [p.pointer for p in _check(rules.packed_goods_state_number_of_packages, data)] == [
        f"{ITEM}[2]/Packaging[1]/numberOfPackages"]


def test_shipping_marks_required_unless_bulk_or_unpacked():
    data = valid_declaration_data()
    del _packaging(data)["shippingMarks"]
    assert [p.pointer for p in _check(rules.shipping_marks_required_unless_bulk_or_unpacked, data)] == [
        f"{ITEM}[1]/Packaging[1]/shippingMarks"]


# --- commodity code (boxes 31, 33) -----------------------------------------------------------------

def test_sensitive_goods_need_code_and_quantity_when_hs_code_does_not_identify_them():
    data = valid_declaration_data()
    _items(data)[0]["Commodity"]["CommodityCode"]["harmonizedSystemSubHeadingCode"] = "220830"  # whisky
    found = _check(rules.sensitive_goods_state_code_and_quantity, data)
    assert {p.pointer for p in found} == {f"{ITEM}[1]/Commodity/CommodityCode/combinedNomenclatureCode",
                                          f"{ITEM}[1]/Commodity/GoodsMeasure/supplementaryUnits"}
    _items(data)[0]["Commodity"]["CommodityCode"]["combinedNomenclatureCode"] = "30"
    _items(data)[0]["Commodity"]["GoodsMeasure"]["supplementaryUnits"] = "120"
    assert _check(rules.sensitive_goods_state_code_and_quantity, data) == []


def test_commodity_code_required_after_export_declaration():
    data = valid_declaration_data()
    del _items(data)[0]["Commodity"]["CommodityCode"]
    assert _check(rules.commodity_code_required_after_export_declaration, data) == []
    _export_declaration(data)
    assert [p.pointer for p in _check(rules.commodity_code_required_after_export_declaration, data)] == [
        f"{ITEM}[1]/Commodity/CommodityCode/harmonizedSystemSubHeadingCode"]


def test_export_declaration_at_header_level_applies_to_every_item():
    data = valid_declaration_data()
    for item in _items(data):
        del item["Commodity"]["CommodityCode"]
    data["Consignment"]["PreviousDocument"] = [{"sequenceNumber": "1", "type": "N830", "referenceNumber": "25DK0000000012345"}]
    assert len(_check(rules.commodity_code_required_after_export_declaration, data)) == 2


# --- mass (boxes 35, 38) -----------------------------------------------------------------------

def test_total_gross_mass_in_kg_with_at_most_one_decimal():
    data = valid_declaration_data()
    data["Consignment"]["grossMass"] = "1200.55"
    assert [p.pointer for p in _check(rules.total_gross_mass_in_kg_with_one_decimal, data)] == [
        "/CC015C/Consignment/grossMass"]
    data["Consignment"]["grossMass"] = "1200.50"  # a trailing zero is still one decimal
    assert _check(rules.total_gross_mass_in_kg_with_one_decimal, data) == []
    del data["Consignment"]["grossMass"]
    assert _check(rules.total_gross_mass_in_kg_with_one_decimal, data).code == "transit.mass.total_missing"


def test_item_gross_mass_above_zero_with_at_most_one_decimal():
    data = valid_declaration_data()
    _items(data)[0]["Commodity"]["GoodsMeasure"]["grossMass"] = "0"
    _items(data)[1]["Commodity"]["GoodsMeasure"]["grossMass"] = "400.25"
    assert [p.code for p in _check(rules.item_gross_mass_in_kg_with_one_decimal, data)] == [
        "transit.mass.not_positive", "transit.mass.decimals"]
    del _items(data)[0]["Commodity"]["GoodsMeasure"]["grossMass"]
    assert _check(rules.item_gross_mass_in_kg_with_one_decimal, data)[0].code == "transit.mass.item_missing"


def test_net_mass_optional_and_never_above_gross():
    data = valid_declaration_data()
    _items(data)[0]["Commodity"]["GoodsMeasure"]["netMass"] = "800.6"
    assert [p.pointer for p in _check(rules.net_mass_not_above_gross, data)] == [
        f"{ITEM}[1]/Commodity/GoodsMeasure/netMass"]
    del _items(data)[0]["Commodity"]["GoodsMeasure"]["netMass"]
    assert _check(rules.net_mass_not_above_gross, data) == []


# --- documents (boxes 40, 44) ----------------------------------------------------------------

def test_export_declaration_needs_reference():
    data = valid_declaration_data()
    _items(data)[0]["SupportingDocument"].append({"sequenceNumber": "2", "type": "830"})
    assert [p.pointer for p in _check(rules.documents_state_type_and_reference, data)] == [
        f"{ITEM}[1]/SupportingDocument[2]/referenceNumber"]


def test_export_declaration_needs_additional_information_dg2():
    data = valid_declaration_data()
    _export_declaration(data, item=1)
    assert [p.pointer for p in _check(rules.export_declaration_needs_additional_information_dg2, data)] == [
        f"{ITEM}[2]/AdditionalInformation"]
    _items(data)[1]["AdditionalInformation"] = [{"sequenceNumber": "1", "code": "DG2"}]
    assert problems(data) == []


def test_several_document_references_per_item_are_allowed():
    data = valid_declaration_data()
    _items(data)[0]["SupportingDocument"].append({"sequenceNumber": "2", "type": "N730", "referenceNumber": "CMR-77"})
    assert problems(data) == []
