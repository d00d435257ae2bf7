"""The transit accompanying document and the list of items as PDF — seed 003, annexes 45a/45b."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

from pypdf import PdfReader
from pypdf.generic import ContentStream

from toldsystem.transit.documents import goods_items, item_rows, render_list_of_items, render_tad

MRN = "26DK0092640000123A"
ACCESS_CODE = "X7Q9"
RELEASED = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)
OFFICES = {"DK009264": "Padborg", "DE004851": "Hamburg", "CH001001": "Basel"}


def goods_item(number: int, declaration_type: str = "T1") -> dict:
    return {
        "goodsItemNumber": str(number), "declarationGoodsItemNumber": str(number),
        "declarationType": declaration_type,
        "Commodity": {"descriptionOfGoods": f"Bærbare computere model {number:03d}",
                      "CommodityCode": {"harmonizedSystemSubHeadingCode": "847130"},
                      "GoodsMeasure": {"grossMass": "100.0", "netMass": "90.0"}},
        "Packaging": [{"sequenceNumber": "1", "typeOfPackages": "CT", "numberOfPackages": "10",
                       "shippingMarks": f"ABC-{number}"}],
        "SupportingDocument": [{"sequenceNumber": "1", "type": "N830",
                                "referenceNumber": f"26DK000000000{number:04d}"}],
        "PreviousDocument": [{"sequenceNumber": "1", "type": "N821", "referenceNumber": "25DKEX1"}],
        "AdditionalInformation": [{"sequenceNumber": "1", "code": "30300", "text": "Eksport fra EU"}],
    }


def declaration(items: int = 3) -> dict:
    address = {"streetAndNumber": "Søndergade 1", "postcode": "6330", "city": "Padborg", "country": "DK"}
    return {
        "TransitOperation": {"LRN": "DK1358562026112300001", "declarationType": "T",
                             "limitDate": "2026-11-30"},
        "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
        "CustomsOfficeOfDestinationDeclared": {"referenceNumber": "DE004851"},
        "CustomsOfficeOfTransitDeclared": [{"sequenceNumber": "1", "referenceNumber": "CH001001"}],
        "HolderOfTheTransitProcedure": {"identificationNumber": "DK13585628",
                                        "name": "Ærø Åkande Øl ApS", "Address": address},
        "Guarantee": [{"sequenceNumber": "1", "guaranteeType": "1", "GuaranteeReference": [
            {"sequenceNumber": "1", "GRN": "26DK0000000000A1B2", "accessCode": ACCESS_CODE,
             "amountToBeCovered": "1000.00", "currency": "EUR"}]}],
        "Consignment": {
            "countryOfDispatch": "DK", "countryOfDestination": "DE", "containerIndicator": "1",
            "grossMass": "1200.5",
            "Consignor": {"identificationNumber": "DK20406089", "name": "Afsender Å/S", "Address": address},
            "Consignee": {"name": "Empfänger GmbH", "Address": {"streetAndNumber": "Hafenstraße 9",
                                                                "postcode": "20457", "city": "Hamburg",
                                                                "country": "DE"}},
            "TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565",
                                    "numberOfSeals": "2", "Seal": [
                                        {"sequenceNumber": "1", "identifier": "DK123"},
                                        {"sequenceNumber": "2", "identifier": "DK124"}]}],
            "DepartureTransportMeans": [{"sequenceNumber": "1", "typeOfIdentification": "30",
                                         "identificationNumber": "AB12345", "nationality": "DK"}],
            "ActiveBorderTransportMeans": [{"sequenceNumber": "1", "nationality": "DK",
                                            "identificationNumber": "AB12345"}],
            "CountryOfRoutingOfConsignment": [{"sequenceNumber": "1", "country": "DE"}],
            "HouseConsignment": [{"sequenceNumber": "1", "ConsignmentItem": [
                goods_item(n, "T1" if n % 2 else "T2") for n in range(1, items + 1)]}],
        },
    }


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with line breaks folded to spaces, since cells wrap their text."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_document_is_a_pdf_with_the_mrn_and_the_boxes_of_annex_45a():
    pdf = render_tad(MRN, declaration(3), released_at=RELEASED, office_names=OFFICES)
    assert pdf.startswith(b"%PDF")
    front = pages_text(pdf)[0]
    for text in (MRN, "1 Angivelse / Declaration T 3 Formularer", "2 Afsender", "8 Modtager", "50 Hovedforpligtet",
                 "51 ", "52 Sikkerhed", "53 Bestemmelsestoldsted", "C Afgangstoldsted",
                 "D Kontrol", "35 Bruttomasse", "DK009264 Padborg", "DE004851 Hamburg",
                 "CH001001 Basel", "26DK0000000000A1B2", "1200.5",
                 "2: DK123, DK124", "2026-11-30", "23-11-2026 14:05", "Empfänger GmbH", "AB12345 DK"):
        assert text in front, text


def test_the_holders_name_prints_with_danish_letters():
    front = pages_text(render_tad(MRN, declaration(1), released_at=RELEASED))[0]
    assert "Ærø Åkande Øl ApS" in front
    assert "æøå ÆØÅ" in pages_text(render_tad(MRN, with_holder_name("æøå ÆØÅ"), released_at=None))[0]


def with_holder_name(name: str) -> dict:
    data = declaration(1)
    data["HolderOfTheTransitProcedure"]["name"] = name
    return data


def test_a_single_item_is_shown_whole_on_the_front_page():
    pages = pages_text(render_tad(MRN, declaration(1), released_at=RELEASED))
    assert len(pages) == 1
    for text in ("Bærbare computere model 001", "847130", "CT 10 ABC-1", "N830 26DK0000000000001",
                 "N821 25DKEX1", "30300 Eksport fra EU", "38 Nettomasse", "90.0"):
        assert text in pages[0], text


def test_several_items_go_on_the_list_of_items_with_the_mrn_on_every_page():
    pages = pages_text(render_tad(MRN, declaration(60), released_at=RELEASED))
    assert len(pages) >= 3
    assert "Se liste over vareposter" in pages[0] and "60" in pages[0]
    assert "Bærbare computere model 001" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert MRN in page and "LISTE OVER VAREPOSTER" in page
        assert f"{number}/{len(pages)}" in page
    listed = "\n".join(pages[1:])
    for n in range(1, 61):
        assert f"Bærbare computere model {n:03d}" in listed
        assert f"ABC-{n}" in listed
    assert "T2" in listed and "MSKU1234565" in listed


def test_page_count_grows_with_the_items():
    counts = [len(PdfReader(io.BytesIO(render_tad(MRN, declaration(n), released_at=None))).pages)
              for n in (1, 2, 60, 999)]
    assert counts[0] == 1 and counts[1] == 2
    assert counts[0] < counts[1] < counts[2] < counts[3]


def test_999_items_paginate_and_the_front_page_stays_a_summary():
    pdf = render_tad(MRN, declaration(999), released_at=RELEASED)
    pages = pages_text(pdf)
    assert "999" in pages[0] and "Ærø Åkande Øl ApS" in pages[0]
    assert all(MRN in page for page in pages)
    assert "Bærbare computere model 999" in pages[-1]


def test_the_guarantee_access_code_never_appears():
    data = declaration(2)
    data["Guarantee"][0]["accessCode"] = ACCESS_CODE
    pdf = render_tad(MRN, data, released_at=RELEASED)
    assert ACCESS_CODE not in "".join(pages_text(pdf))
    assert ACCESS_CODE.encode() not in pdf


def colours_used(pdf: bytes) -> set[tuple[str, tuple[float, ...]]]:
    reader = PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"rg", b"RG", b"k", b"K", b"g", b"G", b"sc", b"SC", b"scn", b"SCN"):
                found.add((operator.decode(), tuple(float(v) for v in operands)))
        assert "/XObject" not in (page["/Resources"] or {}), "no images on a black-and-white page"
    return found


def is_black_or_white(operator: str, values: tuple[float, ...]) -> bool:
    if operator in ("k", "K"):
        return values[:3] == (0, 0, 0) and values[3] in (0, 1)
    return len(set(values)) == 1 and values[0] in (0, 1)


def test_the_print_is_black_on_white_only():
    for items in (1, 40):
        used = colours_used(render_tad(MRN, declaration(items), released_at=RELEASED))
        assert used, "the colour is set explicitly"
        assert all(is_black_or_white(op, values) for op, values in used), used


def test_a_declaration_with_only_the_mandatory_minimum_still_renders():
    minimal = {"TransitOperation": {"declarationType": "T2"},
               "Consignment": {"HouseConsignment": [{"ConsignmentItem": [{}]}]}}
    for data in (minimal, {}, {"Consignment": {"HouseConsignment": {"ConsignmentItem": {}}}}):
        pdf = render_tad(MRN, data, released_at=None)
        assert pdf.startswith(b"%PDF") and MRN in pages_text(pdf)[0]
    assert "Fritaget" in pages_text(render_tad(MRN, minimal, released_at=None))[0]


def test_the_list_of_items_numbers_the_goods_1_to_n_over_the_whole_declaration():
    data = declaration(4)
    first, second, third, fourth = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]
    for item in (first, third):
        item["goodsItemNumber"] = "1"
    for item in (second, fourth):
        item["goodsItemNumber"] = "2"
    data["Consignment"]["HouseConsignment"] = [
        {"sequenceNumber": "1", "ConsignmentItem": [first, second]},
        {"sequenceNumber": "2", "ConsignmentItem": [third, fourth]}]
    rows = item_rows(data, goods_items(data))
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    listed = pages_text(render_list_of_items(MRN, data))[0]
    assert listed.index("model 003") < listed.index("model 004") and " 3 " in listed


def test_per_item_consignors_are_pointed_to_the_list():
    data = declaration(2)
    consignor = data["Consignment"].pop("Consignor")
    items = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]
    items[0]["Consignor"] = consignor
    items[1]["Consignor"] = {**consignor, "name": "Anden Afsender ApS"}
    pages = pages_text(render_tad(MRN, data, released_at=RELEASED))
    assert "Se liste over vareposter" in pages[0].split("8 Modtager")[0]
    assert "Anden Afsender ApS" in pages[1]


def test_long_text_and_letters_outside_latin_1_do_not_break_the_layout():
    data = declaration(2)
    item = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]
    item["Commodity"]["descriptionOfGoods"] = "Łódź " + "X" * 400 + " " + "ord " * 300
    data["Consignment"]["TransportEquipment"][0]["Seal"] = [
        {"sequenceNumber": str(n), "identifier": f"SEAL{n:04d}"} for n in range(1, 100)]
    pages = pages_text(render_tad(MRN, data, released_at=RELEASED))
    assert "Lódz" in "".join(pages[1:]) and "SEAL0001" in pages[0] and "SEAL0099" in pages[0]


def test_the_list_of_items_renders_on_its_own():
    pages = pages_text(render_list_of_items(MRN, declaration(5)))
    assert "1/1" in pages[0] and "Bærbare computere model 005" in pages[0]


def test_the_rendered_pages_hold_only_black_white_and_antialiasing_grey(tmp_path):
    assert shutil.which("pdftoppm"), "pdftoppm (Debian's poppler-utils) is needed; `make test` installs it"
    (tmp_path / "tad.pdf").write_bytes(render_tad(MRN, declaration(3), released_at=RELEASED))
    subprocess.run(["pdftoppm", "-r", "40", str(tmp_path / "tad.pdf"), str(tmp_path / "p")], check=True)
    for image in tmp_path.glob("p-*.ppm"):
        pixels = image.read_bytes().split(b"\n", 3)[3]
        assert all(pixels[i] == pixels[i + 1] == pixels[i + 2] for i in range(0, len(pixels), 3))


def test_a_naive_release_time_from_the_store_is_read_as_utc():
    naive = render_tad(MRN, declaration(1), released_at=RELEASED.replace(tzinfo=None))
    assert "23-11-2026 14:05" in pages_text(naive)[0]
