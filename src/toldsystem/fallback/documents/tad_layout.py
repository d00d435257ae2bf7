"""The NCTS fallback declaration in the layout of the transit accompanying document (seed 002 "EU-Forsendelse":
"Enhedsdokumentet kan erstattes af skemaet for forsendelsesledsagedokumentet, hvis toldmyndighederne finder, at
virksomhedens behov er berettigede"), in copies 1, 4 and 5: the boxes of transit/documents.py's TAD, but the red
NCTS stamp "i stedet for MRN-nummeret og stregkoden", and box C numbered from the fallback series.

Whether the layout may be used (customs found the need justified) is fallback/rules/transit.py's
ncts_tad_layout_needs_justification; this module only draws it."""

from __future__ import annotations

from datetime import datetime

from reportlab.pdfgen.canvas import Canvas

from toldsystem.fallback.documents.ink import STAMP_H, draw_ncts_stamp
from toldsystem.fallback.documents.paper import NCTS_COPIES, PaperDeclaration
from toldsystem.fallback.documents.sad import draw_copy_header, item_cells, series_number_or_raise
from toldsystem.fallback.rules.numbering import SeriesKind
from toldsystem.transit.documents import MARGIN, draw_row, joined, new_canvas

TITLE = "FORSENDELSESLEDSAGEDOKUMENT / TRANSIT ACCOMPANYING DOCUMENT"
Row = list[tuple[float, str, str]]


def draw_stamp_instead_of_mrn(canvas: Canvas, top: float, started_at: datetime) -> float:
    """The stamp where the TAD prints its MRN and barcode; returns the next top."""
    draw_ncts_stamp(canvas, MARGIN, top - 4 - STAMP_H, started_at)
    return top - 8 - STAMP_H


def tad_rows(d: PaperDeclaration, number: str) -> list[tuple[float, Row]]:
    """The TAD's header boxes (annex 45a's order, as transit/documents.py draws them) from the paper boxes."""
    gross = d.gross_total()
    return [
        (34, [(0.17, "1 Angivelse / Declaration", d.declaration_type), (0.13, "3 Formularer / Forms", "1/1"),
              (0.13, "5 Vareposter / Items", str(len(d.items))),
              (0.17, "6 Kolli i alt / Total packages", d.total_packages),
              (0.40, "7 Referencenummer / Reference", d.reference)]),
        (74, [(0.5, "2 Afsender/Eksportør / Consignor/Exporter", d.consignor.text()),
              (0.5, "8 Modtager / Consignee", d.consignee.text())]),
        (34, [(0.25, "15 Afsendelsesland / Country of dispatch", d.country_of_dispatch),
              (0.25, "17 Bestemmelsesland / Country of destination", d.country_of_destination),
              (0.15, "19 Container", d.container),
              (0.35, "35 Bruttomasse i alt (kg) / Total gross mass", "" if gross is None else str(gross))]),
        (40, [(0.5, "18 Transportmiddel ved afgang / Identity, nationality at departure", d.departure_transport),
              (0.5, "21 Aktivt transportmiddel ved grænsen / Active means at border", d.active_border_transport)]),
        (70, [(0.5, "50 Hovedforpligtet / Holder of the procedure", d.principal.text()),
              (0.5, "51 Grænsetoldsteder / Offices of transit", joined(*d.offices_of_transit, sep="\n"))]),
        (40, [(0.5, "52 Sikkerhed / Guarantee", d.guarantee),
              (0.5, "53 Bestemmelsestoldsted / Office of destination", d.office_of_destination)]),
        (64, [(0.5, "C Afgangstoldsted / Office of departure",
               joined(f"Nødprocedure nr. / Fallback no.: {number}", d.office_of_departure,
                      d.authorised and "Godkendt afsenders særlige stempel / Authorised consignor's special stamp:",
                      sep="\n")),
              (0.5, "D Kontrol ved afgangstoldstedet / Control by office of departure",
               "Toldstempel og underskrift / Customs stamp and signature:")]),
    ]


def ncts_tad_pdf(d: PaperDeclaration, number: str, started_at: datetime) -> bytes:
    """Copies 1, 4 and 5 in the TAD layout: the stamp in place of MRN and barcode, box C's fallback number."""
    number = series_number_or_raise(number, SeriesKind.NCTS_BOX_C)
    canvas, buffer = new_canvas(f"{TITLE} - nødprocedure {number}")
    for copy in NCTS_COPIES:
        top = draw_stamp_instead_of_mrn(canvas, draw_copy_header(canvas, "ncts", copy, TITLE), started_at)
        for height, cells in tad_rows(d, number):
            top = draw_row(canvas, top, height, cells)
        for position, item in enumerate(d.items, start=1):
            if top - 60 < MARGIN:
                canvas.showPage()
                top = draw_copy_header(canvas, "ncts", copy, TITLE, continued=True)
            top = draw_row(canvas, top, 40, item_cells(position, item))
            if item.documents or d.extra_lines:
                top = draw_row(canvas, top, 22, [(1.0, "44 Særlige oplysninger, dokumenter / Additional information"
                                                  ", documents", joined(item.documents, *d.extra_lines, sep="\n"))])
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
