"""Goods-item rules: numbering, packages, commodity code, masses, documents, excise (boxes 5, 31-44)."""

from __future__ import annotations

from tests.transit.test_declaration import ITEM, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit.rules import goods, references


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def _pointers(found) -> list[str]:
    return [p.pointer for p in (found if isinstance(found, list) else [found] if found else [])]


def _items(data: dict) -> list[dict]:
    return data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]


def _packaging(data: dict, item: int = 0) -> dict:
    return _items(data)[item]["Packaging"][0]


def _measure(data: dict, item: int = 0) -> dict:
    return _items(data)[item]["Commodity"]["GoodsMeasure"]


def _two_house_consignments(data: dict) -> dict:
    """Each goods item in a house consignment of its own: declaration numbers 1, 2; item numbers 1 and 1."""
    house = data["Consignment"]["HouseConsignment"][0]
    first, second = house["ConsignmentItem"]
    house.update(grossMass="800.5", ConsignmentItem=[first])
    data["Consignment"]["HouseConsignment"].append(
        {"sequenceNumber": "2", "grossMass": "400", "ConsignmentItem": [dict(second, goodsItemNumber="1")]})
    return data


# --- items (boxes 5, 32): R0007, R0988 -----------------------------------------------------------

def test_declaration_needs_goods_items():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"] = []
    assert [p.code for p in _check(goods.goods_items_stated, data)] == ["transit.items.missing"]
    del data["Consignment"]["HouseConsignment"]
    assert _check(goods.goods_items_stated, data).code == "transit.items.missing"


def test_g0005_up_to_1999_goods_items_in_a_declaration():
    data = valid_declaration_data()
    template = _items(data)[0]
    houses = [{"sequenceNumber": str(h + 1), "grossMass": "800.5", "ConsignmentItem": [
        dict(template, goodsItemNumber=str(n + 1), declarationGoodsItemNumber=str(h * 500 + n + 1)) for n in range(500)]}
        for h in range(4)]
    data["Consignment"]["HouseConsignment"] = houses
    assert [p.code for p in _check(goods.goods_items_stated, data)] == ["transit.items.too_many"]
    houses[-1]["ConsignmentItem"] = houses[-1]["ConsignmentItem"][:499]
    assert _check(goods.goods_items_stated, data) == []


def test_r0007_declaration_goods_items_numbered_1_to_n_through_the_declaration():
    data = _two_house_consignments(valid_declaration_data())
    assert _check(goods.declaration_goods_items_numbered_1_to_n, data) == []
    data["Consignment"]["HouseConsignment"][1]["ConsignmentItem"][0]["declarationGoodsItemNumber"] = "1"
    assert _pointers(_check(goods.declaration_goods_items_numbered_1_to_n, data)) == [
        "/CC015C/Consignment/HouseConsignment[2]/ConsignmentItem[1]/declarationGoodsItemNumber"]


def test_r0988_goods_items_numbered_1_to_n_in_each_house_consignment():
    data = _two_house_consignments(valid_declaration_data())
    assert _check(goods.goods_items_numbered_1_to_n_in_each_house_consignment, data) == []
    data["Consignment"]["HouseConsignment"][1]["ConsignmentItem"][0]["goodsItemNumber"] = "2"
    assert _pointers(_check(goods.goods_items_numbered_1_to_n_in_each_house_consignment, data)) == [
        "/CC015C/Consignment/HouseConsignment[2]/ConsignmentItem[1]/goodsItemNumber"]


# --- packages (box 31): C0060 -------------------------------------------------------------------

def test_c0060_bulk_goods_may_not_state_number_of_packages():
    for bulk in ("VQ", "VG", "VL", "VY", "VO", "VR", "VS"):
        data = valid_declaration_data()
        _packaging(data)["typeOfPackages"] = bulk
        found = _check(goods.packages_counted_unless_bulk, data)
        assert [(p.code, p.pointer) for p in found] == [("transit.packages.number_not_allowed",
                                                         f"{ITEM}[1]/Packaging[1]/numberOfPackages")], bulk


def test_c0060_bulk_goods_without_number_of_packages_or_marks_pass():
    data = valid_declaration_data()
    packaging = _packaging(data)
    packaging["typeOfPackages"] = "VL"
    del packaging["numberOfPackages"], packaging["shippingMarks"]
    assert problems(data) == []


def test_c0060_unpacked_goods_count_their_pieces_as_number_of_packages():
    data = valid_declaration_data()
    packaging = _packaging(data)
    packaging["typeOfPackages"] = "NE"
    del packaging["shippingMarks"]
    assert problems(data) == []
    del packaging["numberOfPackages"]
    found = _check(goods.packages_counted_unless_bulk, data)
    assert [p.pointer for p in found] == [f"{ITEM}[1]/Packaging[1]/numberOfPackages"] and "pieces" in found[0].en


def test_c0060_packed_goods_state_number_of_packages_and_marks():
    data = valid_declaration_data()
    del _packaging(data, 1)["numberOfPackages"], _packaging(data, 0)["shippingMarks"]
    assert _pointers(_check(goods.packages_counted_unless_bulk, data)) == [
        f"{ITEM}[1]/Packaging[1]/shippingMarks", f"{ITEM}[2]/Packaging[1]/numberOfPackages"]


def test_cl017_kinds_of_packages_beyond_the_old_short_list():
    data = valid_declaration_data()
    _packaging(data)["typeOfPackages"] = "1A"  # steel drum
    assert problems(data) == []
    _packaging(data)["typeOfPackages"] = "ZZ"
    assert [(p.code, p.pointer) for p in problems(data)] == [("transit.code_list.unknown",
                                                              f"{ITEM}[1]/Packaging[1]/typeOfPackages")]


# --- commodity code (box 33): seed, C0821 ------------------------------------------------------

def _export_declaration(data: dict, item: int = 0) -> None:
    _items(data)[item]["PreviousDocument"] = [{"sequenceNumber": "1", "type": "N830", "referenceNumber": "25DK0000000012345"}]


def test_sensitive_goods_need_no_cn_code_or_quantity_c0821():
    data = valid_declaration_data()
    _items(data)[0]["Commodity"]["CommodityCode"]["harmonizedSystemSubHeadingCode"] = "220830"  # whisky
    assert problems(data) == []


def test_seed_box_33_commodity_code_required_after_an_export_declaration():
    data = valid_declaration_data()
    del _items(data)[0]["Commodity"]["CommodityCode"]
    assert _check(goods.commodity_code_after_an_export_declaration, data) == []
    _export_declaration(data)
    found = _check(goods.commodity_code_after_an_export_declaration, data)
    assert _pointers(found) == [f"{ITEM}[1]/Commodity/CommodityCode/harmonizedSystemSubHeadingCode"]


def test_export_declaration_at_header_level_applies_to_every_item():
    data = valid_declaration_data()
    for item in _items(data):
        del item["Commodity"]["CommodityCode"]
    data["Consignment"]["PreviousDocument"] = [{"sequenceNumber": "1", "type": "N830", "referenceNumber": "25DK0000000012345"}]
    assert len(_check(goods.commodity_code_after_an_export_declaration, data)) == 2


def test_c0821_no_cn_code_in_a_declaration_lodged_in_a_ctc_country():
    data = valid_declaration_data()
    _items(data)[0]["Commodity"]["CommodityCode"]["combinedNomenclatureCode"] = "30"
    assert _check(goods.combined_nomenclature_code_not_from_a_ctc_country, data) is None
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "GB000246"
    assert _pointers(_check(goods.combined_nomenclature_code_not_from_a_ctc_country, data)) == [
        f"{ITEM}[1]/Commodity/CommodityCode/combinedNomenclatureCode"]


def test_additional_information_dg2_is_not_a_phase_5_code():
    data = valid_declaration_data()
    _export_declaration(data, item=1)
    assert problems(data) == []  # no DG2 demanded
    _items(data)[1]["AdditionalInformation"] = [{"sequenceNumber": "1", "code": "DG2"}]
    assert [p.code for p in problems(data)] == ["transit.code_list.unknown"]


# --- masses (boxes 35, 38): R0983, R0994, R0223, C0837 ------------------------------------------

def test_masses_in_kg_with_up_to_six_decimals():
    data = valid_declaration_data()
    _measure(data, 0).update(grossMass="800.123456", netMass="700.654321")
    data["Consignment"]["grossMass"] = "1200.123456"
    data["Consignment"]["HouseConsignment"][0]["grossMass"] = "1200.123456"
    assert problems(data) == []


def test_seed_box_35_each_item_states_its_gross_mass():
    data = valid_declaration_data()
    del _measure(data, 1)["grossMass"]
    found = _check(goods.item_gross_mass_stated, data)
    assert _pointers(found) == [f"{ITEM}[2]/Commodity/GoodsMeasure/grossMass"] and "seed 003" in found[0].en


def test_r0983_house_consignment_weighs_at_least_its_items():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["grossMass"] = "1200"
    assert _pointers(_check(goods.house_gross_mass_at_least_its_items, data)) == [
        "/CC015C/Consignment/HouseConsignment[1]/grossMass"]


def test_r0994_total_gross_mass_at_least_the_house_consignments():
    data = _two_house_consignments(valid_declaration_data())
    assert _check(goods.total_gross_mass_at_least_the_house_consignments, data) is None
    data["Consignment"]["grossMass"] = "1000"
    found = _check(goods.total_gross_mass_at_least_the_house_consignments, data)
    assert found.pointer == "/CC015C/Consignment/grossMass" and "1200.5" in found.en


def test_total_gross_mass_may_exceed_the_items():
    data = valid_declaration_data()
    data["Consignment"]["grossMass"] = "1500"  # pallets etc. weighed with the consignment
    assert problems(data) == []


def test_r0223_net_mass_never_above_gross():
    data = valid_declaration_data()
    _measure(data, 0)["netMass"] = "800.6"
    assert _pointers(_check(goods.net_mass_not_above_gross, data)) == [f"{ITEM}[1]/Commodity/GoodsMeasure/netMass"]
    del _measure(data, 0)["netMass"]
    assert _check(goods.net_mass_not_above_gross, data) == []


def test_c0837_no_net_mass_with_the_reduced_data_set():
    data = valid_declaration_data()
    data["TransitOperation"]["reducedDatasetIndicator"] = "1"
    assert len(_check(goods.no_net_mass_with_the_reduced_data_set, data)) == 2


# --- documents and excise: C0015, R0023, R0601, R0020, C0298, R3060 ---------------------------------

def test_several_document_references_per_item_with_inner_spaces():
    data = valid_declaration_data()
    _items(data)[0]["SupportingDocument"].append({"sequenceNumber": "2", "type": "N730", "referenceNumber": "CMR 77 A"})
    assert problems(data) == []


def _excise(data: dict, reference: str | None = "24DKA1B2C3D4E5F6G7H8I") -> dict:
    entry = {"sequenceNumber": "1", "type": "C651"}
    if reference is not None:
        entry["referenceNumber"] = reference
    _items(data)[0]["AdditionalReference"] = [entry]
    return data


def test_c0015_an_excise_document_states_its_arc():
    assert problems(_excise(valid_declaration_data())) == []
    found = _check(references.excise_documents_state_their_reference, _excise(valid_declaration_data(), None))
    assert [p.code for p in found] == ["transit.excise.reference_missing"]


def test_r0023_the_excise_reference_is_not_zero():
    found = _check(references.excise_documents_state_their_reference, _excise(valid_declaration_data(), "0"))
    assert [p.code for p in found] == ["transit.excise.reference_zero"]


def test_r0601_exported_excise_goods_travel_as_t1():
    data = _excise(valid_declaration_data())
    data["Consignment"]["HouseConsignment"][0]["PreviousDocument"] = [
        {"sequenceNumber": "1", "type": "N830", "referenceNumber": "25DK0000000012345"}]
    assert _check(references.excise_goods_declared_as_their_procedure_says, data) == []
    data["TransitOperation"]["declarationType"] = "T2"
    assert [p.code for p in _check(references.excise_goods_declared_as_their_procedure_says, data)] == [
        "transit.excise.declaration_type"]


def test_r0601_union_excise_goods_under_suspension_travel_as_t2():
    data = _excise(valid_declaration_data())
    _items(data)[0]["SupportingDocument"].append({"sequenceNumber": "2", "type": "C651", "referenceNumber": "24DKA1B2"})
    assert _pointers(_check(references.excise_goods_declared_as_their_procedure_says, data)) == [
        "/CC015C/TransitOperation/declarationType"]


def test_r0020_union_goods_from_a_ctc_country_prove_their_status():
    data = valid_declaration_data()
    data["CustomsOfficeOfDeparture"]["referenceNumber"] = "GB000246"
    data["TransitOperation"]["declarationType"] = "T2"
    assert len(_check(references.union_goods_from_a_ctc_country_prove_their_status, data)) == 2
    data["Consignment"]["PreviousDocument"] = [{"sequenceNumber": "1", "type": "N821", "referenceNumber": "T2L 4711"}]
    assert _check(references.union_goods_from_a_ctc_country_prove_their_status, data) == []


def test_c0298_a_previous_documents_quantity_has_its_unit():
    data = valid_declaration_data()
    _items(data)[0]["PreviousDocument"] = [{"sequenceNumber": "1", "type": "N822", "referenceNumber": "4785B CV",
                                            "quantity": "123"}]
    assert [p.code for p in _check(references.previous_document_quantity_with_its_unit, data)] == [
        "transit.previous_document.unit_missing"]
    _items(data)[0]["PreviousDocument"][0]["measurementUnitAndQualifier"] = "KGM"
    assert problems(data) == []


def test_r3060_consignee_unknown_not_for_a_common_transit_destination():
    data = valid_declaration_data()
    data["Consignment"]["AdditionalInformation"] = [{"sequenceNumber": "1", "code": "30600"}]
    assert _pointers(_check(references.consignee_unknown_only_outside_common_transit, data)) == [
        "/CC015C/Consignment/AdditionalInformation[1]/code"]
