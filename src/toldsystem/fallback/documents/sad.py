"""The fallback declarations in the SAD layout (enhedsdokumentet), one A4 page per copy, each copy's number and
purpose printed on it (seed 002):

- import: copies 6, 7 and 8, the duties calculated by hand in box 47 ("Import");
- NCTS: copies 1, 4 and 5, the red NCTS stamp in box A, the fallback series number in box C, no MRN or barcode
  ("EU-Forsendelse", point 1);
- export: copies 2 and 3, the special series number and the red ECS stamp in box A, box D left for the office's
  stamp and signature ("Eksport", "Brug af enhedsdokumentet").

Pure: a PaperDeclaration in, PDF bytes out. Black print; only the stamps are red."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from toldsystem.fallback.documents.ink import STAMP_H, STAMP_W, draw_ecs_stamp, draw_ncts_stamp
from toldsystem.fallback.documents.paper import (COPY_NOTE, COPY_PURPOSE, EXPORT_COPIES, IMPORT_COPIES,
                                                 NCTS_COPIES, GoodsItem, PaperDeclaration, amount_text)
from toldsystem.fallback.rules.numbering import SeriesKind, number_problem
from toldsystem.transit.documents import (BODY_W, BOLD, FONT, MARGIN, PAGE_H, PAGE_W, draw_box, draw_row, joined,
                                          new_canvas, printable)

BOX_A_HEIGHT = 7 + 15 + STAMP_H + 14  # label, number line, the stamp, the office line
BOTTOM_RESERVE = MARGIN + 150  # room kept under the goods items for the procedure's boxes and box 54/D
Row = list[tuple[float, str, str]]


def series_number_or_raise(number: str, kind: SeriesKind) -> str:
    """The fallback number as given, when it is one of that series (seed 002; fallback/rules/numbering.py)."""
    found = number_problem(number, kind, "/number")
    if found is not None:
        raise ValueError(found.en)
    return number.strip()


def draw_copy_header(canvas: Canvas, procedure: str, copy: int, title: str, continued: bool = False) -> float:
    """The title, and the copy's number and purpose in large print at the top right; returns the next top."""
    top = PAGE_H - MARGIN
    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, top - 11, printable(title))
    canvas.setFont(FONT, 7)
    canvas.drawString(MARGIN, top - 22, "NØDPROCEDURE / FALLBACK PROCEDURE")
    da, en = COPY_PURPOSE[copy]
    canvas.setFont(BOLD, 16)
    copy_line = f"Eksemplar {copy} / Copy {copy}" + (" (fortsat / continued)" if continued else "")
    canvas.drawRightString(PAGE_W - MARGIN, top - 32, copy_line)
    canvas.setFont(FONT, 7)
    canvas.drawRightString(PAGE_W - MARGIN, top - 42, printable(f"{da} / {en}"))
    if note := COPY_NOTE.get((procedure, copy)):
        canvas.setFont(BOLD, 7)
        canvas.drawRightString(PAGE_W - MARGIN, top - 51, printable(note))
    return top - 56


def draw_box_a(canvas: Canvas, x: float, top: float, width: float, height: float, number: str, office: str,
               stamp: Callable[[Canvas, float, float, datetime], None] | None, started_at: datetime | None) -> None:
    """Box A: the fallback number (export) above the red stamp at its true size, the office below."""
    draw_box(canvas, x, top, width, height, "A Afgangs-/udførselskontor / Office of dispatch/export", "")
    if number:
        canvas.setFont(BOLD, 11)
        canvas.drawString(x + 4, top - 19, printable(number))
    if stamp is not None and started_at is not None:
        stamp(canvas, x + (width - STAMP_W) / 2, top - 22 - STAMP_H, started_at)
    canvas.setFont(FONT, 8)
    canvas.drawString(x + 4, top - height + 4, printable(office))


def item_cells(number: int, item: GoodsItem) -> Row:
    """Boxes 31–38 of a goods item, side by side."""
    masses = joined(item.gross_kg is not None and f"Brutto {item.gross_kg}" or "",
                    item.net_kg is not None and f"Netto {item.net_kg}" or "", sep="\n")
    return [(0.46, "31 Kolli og varebeskrivelse / Packages and description of goods",
             joined(item.description, item.packages and f"Kolli / Packages: {item.packages}",
                    item.container and f"Container: {item.container}", sep="\n")),
            (0.08, "32 Varepost / Item", str(number)), (0.14, "33 Varekode / Commodity code", item.commodity_code),
            (0.08, "34 Oprind. / Origin", item.origin), (0.14, "35/38 Masse (kg) / Mass", masses),
            (0.10, "37 Procedure", item.procedure)]


def header_rows(d: PaperDeclaration) -> list[tuple[float, Row]]:
    """Boxes 1–29 under box A, row by row with their least heights."""
    invoice = f"{d.invoice.currency} {amount_text(d.invoice.amount)}" if d.invoice else ""
    return [
        (30, [(0.14, "1 Angivelse / Declaration", d.declaration_type), (0.12, "3 Formularer / Forms", "1/1"),
              (0.12, "5 Vareposter / Items", str(len(d.items))),
              (0.14, "6 Kolli i alt / Packages", d.total_packages),
              (0.48, "7 Referencenummer / Reference", d.reference)]),
        (62, [(0.5, "8 Modtager/Importør / Consignee/Importer", d.consignee.text()),
              (0.5, "14 Klarerer/Repræsentant / Declarant/Representative", d.declarant.text())]),
        (30, [(0.22, "15 Afsendelsesland / Country of dispatch", d.country_of_dispatch),
              (0.22, "17 Bestemmelsesland / Country of destination", d.country_of_destination),
              (0.12, "19 Container", d.container), (0.22, "22 Valuta, fakturabeløb / Currency, invoiced", invoice),
              (0.22, "25 Transportmåde ved grænsen / Mode at border", d.border_mode)]),
        (34, [(0.35, "18 Transportmiddel ved afgang/ankomst / Means at departure/arrival", d.departure_transport),
              (0.35, "21 Aktivt transportmiddel ved grænsen / Active means at border", d.active_border_transport),
              (0.30, "29 Udgangs-/indgangstoldsted / Office of exit/entry", d.office_of_exit_or_entry)]),
    ]


def duty_rows(d: PaperDeclaration) -> list[tuple[float, Row]]:
    """Box 47 as calculated by hand (seed 002 "Import"), with each currency's total in box B."""
    lines = [f"{line.tax_type}   grundlag {line.base.currency} {amount_text(line.base.amount)}   sats {line.rate}   "
             f"beløb {line.amount.currency} {amount_text(line.amount.amount)}   {line.payment_method}"
             for line in d.duties]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in d.duties:
        totals[line.amount.currency] += line.amount.amount
    total = joined(*(f"I alt / Total {currency} {amount_text(amount)}" for currency, amount in totals.items()),
                   sep="\n")
    return [(max(46, 14 + 10 * len(lines)), [
        (0.7, "47 Beregning af afgifter (manuel, nødprocedure) / Calculation of taxes (by hand)",
         joined("Art / Type - grundlag / base - sats / rate - beløb / amount - BM / MP", *lines, sep="\n")),
        (0.3, "B Regnskabsoplysninger / Accounting details", total)])]


def transit_rows(d: PaperDeclaration, number: str) -> list[tuple[float, Row]]:
    """Boxes 50–53 and box C with the number of the fallback series (seed 002 "EU-Forsendelse", point 1)."""
    box_c = joined(f"Nødprocedure nr. / Fallback no.: {number}", d.office_of_departure,
                   d.authorised and "Godkendt afsenders særlige stempel / Authorised consignor's special stamp:",
                   sep="\n")
    return [(74, [(0.5, "50 Hovedforpligtede / Principal", d.principal.text()),
                  (0.5, "C Afgangstoldsted / Office of departure", box_c)]),
            (40, [(0.4, "51 Grænsetoldsteder / Offices of transit", joined(*d.offices_of_transit, sep="\n")),
                  (0.3, "52 Sikkerhed / Guarantee", d.guarantee),
                  (0.3, "53 Bestemmelsestoldsted / Office of destination", d.office_of_destination)])]


def closing_rows(d: PaperDeclaration, procedure: str) -> list[tuple[float, Row]]:
    """Box 44 remarks, box C for an authorised exporter, box 54 and box D for the office."""
    rows: list[tuple[float, Row]] = []
    if d.extra_lines:
        rows.append((24, [(1.0, "44 Særlige oplysninger / Additional information", joined(*d.extra_lines, sep="\n"))]))
    office_d = {"import": "D Toldstedets påtegning / Customs endorsement",
                "ncts": "D Kontrol ved afgangstoldstedet / Control by office of departure",
                "export": "D Kontrol ved udførselsstedet / Control by office of dispatch/export"}[procedure]
    d_text = "Toldstempel og underskrift / Customs stamp and signature:"
    if procedure == "export":
        rows.append((34, [(1.0, "C Godkendt eksportør / Authorised exporter",
                           "Godkendt eksportørstempel og underskrift / Authorised exporter's stamp and signature:"
                           if d.authorised else "")]))
    rows.append((64, [(0.5, "54 Sted og dato, underskrift / Place and date, signature",
                       joined(d.place_and_date, d.signatory, sep="\n")), (0.5, office_d, d_text)]))
    return rows


def render_sad(procedure: str, copies: tuple[int, ...], d: PaperDeclaration, *, number: str = "",
               started_at: datetime | None = None) -> bytes:
    """Every copy of the declaration in the SAD layout, each starting on a page of its own."""
    title = "ENHEDSDOKUMENT / SINGLE ADMINISTRATIVE DOCUMENT"
    stamp = {"ncts": draw_ncts_stamp, "export": draw_ecs_stamp}.get(procedure)
    number_in_a = number if procedure == "export" else ""
    canvas, buffer = new_canvas(f"{title} - nødprocedure {procedure} {number}".strip())
    for copy in copies:
        top = draw_copy_header(canvas, procedure, copy, title)
        split = 0.55 * BODY_W
        draw_box(canvas, MARGIN, top, split, BOX_A_HEIGHT, "2 Afsender/Eksportør / Consignor/Exporter",
                 d.consignor.text())
        draw_box_a(canvas, MARGIN + split, top, BODY_W - split, BOX_A_HEIGHT, number_in_a, d.office, stamp,
                   started_at)
        top -= BOX_A_HEIGHT
        for height, cells in header_rows(d):
            top = draw_row(canvas, top, height, cells)
        for position, item in enumerate(d.items, start=1):
            if top - 60 < BOTTOM_RESERVE:
                canvas.showPage()
                top = draw_copy_header(canvas, procedure, copy, title, continued=True)
            top = draw_row(canvas, top, 40, item_cells(position, item))
            if item.documents:
                top = draw_row(canvas, top, 22, [(1.0, "44 Særlige oplysninger, dokumenter / Additional information, "
                                                  "documents", item.documents)])
        tail = (duty_rows(d) if procedure == "import" else transit_rows(d, number) if procedure == "ncts" else [])
        for height, cells in tail + closing_rows(d, procedure):
            if top - height < MARGIN:
                canvas.showPage()
                top = draw_copy_header(canvas, procedure, copy, title, continued=True)
            top = draw_row(canvas, top, height, cells)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def import_declaration_pdf(d: PaperDeclaration) -> bytes:
    """Seed 002 "Import": the SAD's copies 6, 7 and 8; duties calculated by hand in box 47; copy 7 to the
    representative. No stamp: the paper SAD needs no permission for import."""
    return render_sad("import", IMPORT_COPIES, d)


def ncts_sad_pdf(d: PaperDeclaration, number: str, started_at: datetime) -> bytes:
    """Seed 002 "EU-Forsendelse" point 1: copies 1, 4 and 5; the NCTS stamp in box A; box C numbered from the
    fallback series (SeriesKind.NCTS_BOX_C); no MRN or barcode."""
    return render_sad("ncts", NCTS_COPIES, d, number=series_number_or_raise(number, SeriesKind.NCTS_BOX_C),
                      started_at=started_at)


def export_declaration_pdf(d: PaperDeclaration, number: str, started_at: datetime) -> bytes:
    """Seed 002 "Eksport": copies 2 and 3; the special series number (SeriesKind.EXPORT_BOX_A) with the ECS stamp
    in box A; box D for the office's stamp and signature."""
    return render_sad("export", EXPORT_COPIES, d, number=series_number_or_raise(number, SeriesKind.EXPORT_BOX_A),
                      started_at=started_at)
