"""Access codes are cut out of an incoming message before it is kept (SPEC G)."""

import pytest

from toldsystem.transit.service import without_access_code_elements

KEPT = "<GuaranteeReference><GRN>26DK0000000000001</GRN>{code}<amountToBeCovered>10</amountToBeCovered>"


@pytest.mark.parametrize("element", [
    "<accessCode>AB12</accessCode>",
    "<ncts:accessCode>AB12</ncts:accessCode>",
    '<accessCode xml:lang="da">AB12</accessCode>',
    "<accessCode></accessCode>",
])
def test_each_form_of_the_element_is_cut_out_and_nothing_else(element):
    assert without_access_code_elements(KEPT.format(code=element)) == KEPT.format(code="")


def test_every_occurrence_goes_and_the_word_in_text_stays():
    xml = ("<a>" + KEPT.format(code="<accessCode>ONE1</accessCode>") + KEPT.format(code="<accessCode>TWO2</accessCode>")
           + "<descriptionOfGoods>accessCode readers</descriptionOfGoods></a>")
    cleaned = without_access_code_elements(xml)
    assert "ONE1" not in cleaned and "TWO2" not in cleaned
    assert "<descriptionOfGoods>accessCode readers</descriptionOfGoods>" in cleaned
    assert cleaned.count("<GRN>") == 2


def test_a_message_without_access_codes_is_unchanged():
    xml = "<ncts:CC015C><accessCodes>not the element</accessCodes></ncts:CC015C>"
    assert without_access_code_elements(xml) == xml
