"""The fallback declarations rendered: A4 pages, one per copy with its number, the red stamps at their true size
in their box, the fallback number in its box, no MRN, the texts the seed asks for (seed 002)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.money import Money
from toldsystem.fallback.documents.paper import DutyLine, GoodsItem, PaperDeclaration, Trader, amount_text
from toldsystem.fallback.documents.sad import export_declaration_pdf, import_declaration_pdf, ncts_sad_pdf
from toldsystem.fallback.documents.stamps import STAMP_HEIGHT_MM, STAMP_WIDTH_MM
from toldsystem.fallback.documents.tad_layout import ncts_tad_pdf
from toldsystem.fallback.rules.numbering import SeriesKind, format_number

from .rendering import A4_PX, dark_mask, is_a4, inked, mm_px, page_texts, red_mask, render_pages

STARTED = datetime(2026, 3, 10, 8, 5, tzinfo=timezone.utc)  # 09:05 in Copenhagen
NCTS_NUMBER = format_number(SeriesKind.NCTS_BOX_C, "DK003102", 2026, 1)
EXPORT_NUMBER = format_number(SeriesKind.EXPORT_BOX_A, "DK003102", 2026, 17)
MRN_LIKE = re.compile(r"\b\d{2}[A-Z]{2}[A-Z0-9]{13}\d\b")

BIKES = GoodsItem("Cykler, elektriske", "CT 2 MRK A1", "87116010", "CN", Decimal("120.5"), "4000", Decimal("100"),
                  "N380 INV-2026-77")
DECLARATION = PaperDeclaration(
    "IM A", Trader("CN9112000000000000", "Shenzhen Bikes Co.", ("1 Road", "Shenzhen", "CN")),
    Trader("DK12345678", "Cykelimport ApS", ("Havnegade 1", "1058 København K", "DK")), (BIKES,),
    declarant=Trader("DK87654321", "Spedition Øresund A/S"), reference="LRN-2026-0001", total_packages="2",
    country_of_dispatch="CN", country_of_destination="DK", invoice=Money(Decimal("10000"), "DKK"),
    office="DK003102 Københavns Lufthavn",
    duties=(DutyLine("A00", Money(Decimal("10000"), "DKK"), "6 %", Money(Decimal("600"), "DKK"), "F"),
            DutyLine("B00", Money(Decimal("10600"), "DKK"), "25 %", Money(Decimal("2650"), "DKK"), "F")),
    place_and_date="Kastrup, 10.03.2026", signatory="Jens Jensen")
TRANSIT = replace(DECLARATION, declaration_type="T1", principal=Trader("DK87654321", "Spedition Øresund A/S"),
                  offices_of_transit=("DE004058",), guarantee="1 26DK000000000001X1",
                  office_of_destination="IT021100", office_of_departure="DK003102", duties=())
EXPORT = replace(DECLARATION, declaration_type="EX A", duties=(), office="DK003102 Københavns Lufthavn",
                 items=(replace(BIKES, procedure="1000"),))


def stamp_box(page) -> tuple[int, int, int, int] | None:
    return red_mask(page).getbbox()


def assert_true_size_stamp(page) -> tuple[int, int, int, int]:
    """The red ink is the stamp: its outer frame 59 × 26 mm (±1 px at 150 DPI), solid red on the frame."""
    box = stamp_box(page)
    assert box is not None, "no red stamp on the page"
    left, top, right, bottom = box
    assert abs((right - left) - mm_px(STAMP_WIDTH_MM)) <= 1.5
    assert abs((bottom - top) - mm_px(STAMP_HEIGHT_MM)) <= 1.5
    r, g, b = page.getpixel((left + 2, (top + bottom) // 2))  # the frame's left edge
    assert r > 180 and g < 40 and b < 40
    return box


def test_import_is_copies_6_7_8_on_a4_in_black_with_the_hand_calculated_duties() -> None:
    pdf = import_declaration_pdf(DECLARATION)
    pages, texts = render_pages(pdf, "import-sad"), page_texts(pdf, "import-sad")
    assert len(pages) == 3 and all(map(is_a4, pages))
    for copy, page, text in zip((6, 7, 8), pages, texts):
        assert f"Eksemplar {copy} / Copy {copy}" in text
        assert inked(red_mask(page)) == 0  # no stamp: the import SAD needs no permission
        assert inked(dark_mask(page)) > 20_000
        for expected in ("Cykelimport ApS", "87116010", "47 Beregning af afgifter", "600,00", "2.650,00",
                         "I alt / Total DKK 3.250,00", "DKK 10.000,00"):
            assert expected in text
    assert "Udleveres til repræsentanten/virksomheden" in texts[1]
    assert "Udleveres til repræsentanten" not in texts[0] + texts[2]


def test_ncts_sad_is_copies_1_4_5_with_the_stamp_in_box_a_and_the_number_in_box_c() -> None:
    pdf = ncts_sad_pdf(TRANSIT, NCTS_NUMBER, STARTED)
    pages, texts = render_pages(pdf, "ncts-sad"), page_texts(pdf, "ncts-sad")
    assert len(pages) == 3 and all(map(is_a4, pages))
    for copy, page, text in zip((1, 4, 5), pages, texts):
        assert f"Eksemplar {copy} / Copy {copy}" in text
        left, top, right, bottom = assert_true_size_stamp(page)
        assert left > A4_PX[0] * 0.55 and bottom < A4_PX[1] * 0.25  # box A: the top right of the form
        assert "NØDPROCEDURE - NCTS" in text and "PÅBEGYNDT DEN 10.03.2026 kl. 09:05" in text
        assert f"Fallback no.: {NCTS_NUMBER}" in text and "C Afgangstoldsted" in text
        assert "MRN" not in text and not MRN_LIKE.search(text.replace(TRANSIT.guarantee, ""))  # a GRN looks alike
        assert "50 Hovedforpligtede" in text and "IT021100" in text


def test_ncts_tad_layout_has_the_stamp_in_place_of_mrn_and_barcode() -> None:
    pdf = ncts_tad_pdf(TRANSIT, NCTS_NUMBER, STARTED)
    pages, texts = render_pages(pdf, "ncts-tad"), page_texts(pdf, "ncts-tad")
    assert len(pages) == 3 and all(map(is_a4, pages))
    for copy, page, text in zip((1, 4, 5), pages, texts):
        assert "FORSENDELSESLEDSAGEDOKUMENT" in text and f"Eksemplar {copy} / Copy {copy}" in text
        left, top, right, bottom = assert_true_size_stamp(page)
        assert left < A4_PX[0] * 0.1 and bottom < A4_PX[1] * 0.2  # where the TAD prints the MRN
        assert "MRN" not in text and not MRN_LIKE.search(text.replace(TRANSIT.guarantee, ""))  # a GRN looks alike
        assert f"Fallback no.: {NCTS_NUMBER}" in text


def test_export_is_copies_2_and_3_with_the_number_and_the_ecs_stamp_in_box_a() -> None:
    pdf = export_declaration_pdf(EXPORT, EXPORT_NUMBER, STARTED)
    pages, texts = render_pages(pdf, "export-sad"), page_texts(pdf, "export-sad")
    assert len(pages) == 2 and all(map(is_a4, pages))
    for copy, page, text in zip((2, 3), pages, texts):
        assert f"Eksemplar {copy} / Copy {copy}" in text
        left, top, right, bottom = assert_true_size_stamp(page)
        assert left > A4_PX[0] * 0.55 and bottom < A4_PX[1] * 0.25
        assert "ECS NØDPROCEDURE/FALL BACK" in text and "INGEN DATA TILGÆNGLIGE I SYSTEMET" in text
        assert EXPORT_NUMBER in text and "Toldstempel og underskrift" in text
        assert "47 Beregning" not in text and "50 Hovedforpligtede" not in text
    assert "senest 1 uge" in texts[0] and "ledsagedokument" in texts[1]


def test_the_export_number_sits_in_box_a_above_the_stamp() -> None:
    page = render_pages(export_declaration_pdf(EXPORT, EXPORT_NUMBER, STARTED), "export-sad-box-a")[0]
    left, top, right, _ = stamp_box(page)
    above = dark_mask(page.crop((left - 10, top - int(mm_px(6)), right, top - 1)))
    assert inked(above) > 100  # the number printed in black just above the stamp


@pytest.mark.parametrize(("make", "wrong"), [
    (ncts_sad_pdf, EXPORT_NUMBER), (ncts_tad_pdf, EXPORT_NUMBER), (export_declaration_pdf, NCTS_NUMBER),
    (ncts_sad_pdf, "26DK00310200000017"), (export_declaration_pdf, ""),
])
def test_a_number_not_of_the_procedures_series_is_refused(make, wrong: str) -> None:
    with pytest.raises(ValueError, match="not a number of the fallback series"):
        make(TRANSIT, wrong, STARTED)


def test_many_items_continue_on_pages_of_the_same_copy() -> None:
    many = replace(DECLARATION, items=tuple(replace(BIKES, description=f"Vare nummer {n}") for n in range(1, 15)))
    pdf = import_declaration_pdf(many)
    pages, texts = render_pages(pdf, "import-sad-many"), page_texts(pdf, "import-sad-many")
    assert len(pages) > 3 and all(map(is_a4, pages))
    assert sum("fortsat" in text for text in texts) == len(pages) - 3
    whole = "\n".join(texts)
    for n in range(1, 15):
        assert whole.count(f"Vare nummer {n}\n") + whole.count(f"Vare nummer {n} ") >= 3  # on every copy
    assert whole.count("47 Beregning af afgifter") == 3


@given(st.decimals(min_value=0, max_value=Decimal("99999999999.99"), places=2))
def test_amounts_print_the_danish_way_and_read_back(amount: Decimal) -> None:
    text = amount_text(amount)
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}", text)
    assert Decimal(text.replace(".", "").replace(",", ".")) == amount
