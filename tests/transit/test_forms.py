"""The portal's declaration form and the CC015C data: the same declaration either way, rejections back at fields."""

from toldsystem.core.errors import Problem
from toldsystem.transit import forms, messages
from toldsystem.transit.example import example_declaration


def _example(**options) -> dict:
    return example_declaration("DK13585628", "Padborg Spedition A/S", "26DK0000000000001", "AB12", items=3,
                               **options)


def _data_of(form: forms.DeclarationForm, like: dict) -> dict:
    return forms.declaration_data(form, sender=like["messageSender"], identification=like["messageIdentification"],
                                  prepared_at=like["preparationDateAndTime"])


def test_a_declaration_shown_in_the_form_and_sent_again_is_the_same_cc015c():
    for options in ({}, {"authorised_consignor": True}, {"representative": "DK20406089"}):
        example = _example(**options)
        assert _data_of(forms.form_of(example), example) == example


def test_what_the_form_sends_passes_the_phase5_schema():
    example = _example()
    assert messages.validate_data("CC015C", _data_of(forms.form_of(example), example)) == []


def test_read_form_takes_posted_pairs_items_in_number_order_and_ignores_unknown_names():
    form = forms.read_form([("lrn", " LRN1 "), ("item-2-description", "Stole"), ("item-1-description", "Borde"),
                            ("item-1-bogus", "x"), ("csrf", "token"), ("item-1-gross_mass", "10.5")])
    assert form.header == {"lrn": "LRN1"}
    assert [i["description"] for i in form.items] == ["Borde", "Stole"]
    assert form.items[0]["gross_mass"] == "10.5"


def test_an_item_is_added_and_removed_without_javascript_and_the_last_one_stays():
    form = forms.read_form([("item-1-description", "Borde"), ("item-2-description", "Stole")])
    assert len(forms.with_item_added(form).items) == 3
    left = forms.with_item_removed(form, 1)
    assert [i["description"] for i in left.items] == ["Stole"]
    assert forms.with_item_removed(left, 1).items == left.items


def test_goods_items_are_numbered_one_to_n_and_box_35_defaults_to_the_sum_of_box_38():
    form = forms.read_form([("item-1-gross_mass", "100.5"), ("item-3-gross_mass", "20")])
    data = _data_of(form, _example())
    items = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]
    assert [i["goodsItemNumber"] for i in items] == ["1", "2"]
    assert data["Consignment"]["grossMass"] == "120.5"


def test_seals_are_typed_comma_separated_and_counted():
    form = forms.read_form([("seals", "DK 1, DK 2,,"), ("container_number", "MSKU1234565")])
    equipment = _data_of(form, _example())["Consignment"]["TransportEquipment"][0]
    assert equipment["numberOfSeals"] == "2"
    assert [s["identifier"] for s in equipment["Seal"]] == ["DK 1", "DK 2"]


def test_an_authorisation_reference_is_the_authorised_consignors_and_language_is_danish():
    data = _data_of(forms.read_form([("authorisation", "DKACR1")]), _example())
    assert data["Authorisation"] == [{"sequenceNumber": "1", "referenceNumber": "DKACR1", "type": "C521"}]
    assert data["TransitOperation"]["communicationLanguageAtDeparture"] == "DA"


def test_a_pointer_leads_to_its_field_for_header_and_item_elements():
    item = "/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem[2]"
    assert forms.field_of("/CC015C/TransitOperation/LRN") == "lrn"
    assert forms.field_of("/CC015C/Guarantee[1]/GuaranteeReference[1]/accessCode") == "access_code"
    assert forms.field_of(f"{item}/Commodity/GoodsMeasure/grossMass") == "item-2-gross_mass"
    assert forms.field_of(f"{item}/Packaging[1]/numberOfPackages") == "item-2-packages"
    assert forms.field_of("/CC015C/Consignment/TransportEquipment[1]/Seal[2]/identifier") == "seals"


def test_a_pointer_at_a_missing_part_or_a_deeper_element_leads_to_the_nearest_field():
    item = "/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem[3]"
    assert forms.field_of("/CC015C/Consignment/Consignee") == "consignee_eori"
    assert forms.field_of(item) == "item-3-description"
    assert forms.field_of(f"{item}/Commodity/CommodityCode") == "item-3-hs_code"
    assert forms.field_of("/CC015C/HolderOfTheTransitProcedure/Address/country/extra") == "holder_country"


def test_problems_no_field_holds_are_shown_above_the_form():
    on_lrn = Problem("x", "/CC015C/TransitOperation/LRN", "LRN used", "LRN brugt")
    whole = Problem("y", "/CC015C", "whole", "hele")
    elsewhere = Problem("z", "/CC015C/Consignment/PreviousDocument[1]/type", "doc", "dok")
    at_fields, rest = forms.problems_by_field([on_lrn, whole, elsewhere])
    assert at_fields == {"lrn": [on_lrn]}
    assert rest == [whole, elsewhere]
