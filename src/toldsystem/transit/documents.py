"""Transit accompanying document (TAD, annex 45a) and list of items (annex 45b) as PDF — seed 003.

All data on the front page, black print on white, the MRN with a Code 128 barcode. The input is
the CC015C declaration as a plain dict (phase 5 element names, leaf strings, repeated elements as
lists); every optional part may be missing. The guarantee access code is never read.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from toldsystem.core.clock import local

PAGE_W, PAGE_H = A4
MARGIN = 28
BODY_W = PAGE_W - 2 * MARGIN
FONT, BOLD = "Helvetica", "Helvetica-Bold"
ROW_MAX_HEIGHT = 170  # a front-page row grows for long text up to this, then its text shrinks
SEE_LIST = "Se liste over vareposter / See list of items"
# Latin letters whose stroke is no accent, so NFKD leaves them whole.
UNDECOMPOSABLE = str.maketrans("ŁłĐđĦħıŦŧ", "LlDdHhiTt")
# (width in points, label) of the list-of-items columns; the widths add up to BODY_W.
LIST_COLUMNS = [
    (22, "32 Nr. / Item"), (125, "31 Varebeskrivelse / Description"),
    (72, "31 Kolli: art, antal, mærker / Packages"), (40, "33 Varekode / Code"),
    (38, "35/38 Brutto / netto kg"), (104, "40/44 Dokumenter / Documents"),
    (58, "44 Særlige oplysn. / Add. info"), (58, "31 Container"), (22, "1 Type"),
]
LIST_SIZE, LIST_LEADING = 7, 8.4
LIST_BODY_TOP, LIST_BODY_BOTTOM = PAGE_H - MARGIN - 96, MARGIN + 14

Cell = tuple[float, str, str]  # share of the page width, box label, text


def render_tad(mrn: str, declaration: dict, *, released_at: datetime | None,
               office_names: dict[str, str] | None = None) -> bytes:
    """The TAD front page, then the list of items when there is more than one goods item."""
    items = goods_items(declaration)
    list_pages = paginate_rows(item_rows(declaration, items)) if len(items) > 1 else []
    canvas, buffer = new_canvas(f"Forsendelsesledsagedokument {mrn}")
    total = 1 + len(list_pages)
    top = draw_mrn_header(canvas, mrn, "FORSENDELSESLEDSAGEDOKUMENT / TRANSIT ACCOMPANYING DOCUMENT",
                          f"Side / Page 1/{total}")
    for height, cells in front_page_rows(declaration, items, released_at, office_names or {}, total):
        top = draw_row(canvas, top, height, cells)
    if len(items) == 1:
        draw_single_item(canvas, top, max(top - MARGIN, 150), item_rows(declaration, items)[0])
    elif items:
        draw_row(canvas, top, 40, [(1.0, "31 Varebeskrivelse / Description of goods",
                                    f"{len(items)} vareposter / items — {SEE_LIST}")])
    canvas.showPage()
    for number, rows in enumerate(list_pages, start=2):
        draw_list_page(canvas, mrn, rows, number, total)
    canvas.save()
    return buffer.getvalue()


def render_list_of_items(mrn: str, declaration: dict) -> bytes:
    """The list of items alone (annex 45b), its pages numbered on their own."""
    pages = paginate_rows(item_rows(declaration, goods_items(declaration)))
    canvas, buffer = new_canvas(f"Liste over vareposter {mrn}")
    for number, rows in enumerate(pages, start=1):
        draw_list_page(canvas, mrn, rows, number, len(pages))
    canvas.save()
    return buffer.getvalue()


def new_canvas(title: str) -> tuple[Canvas, io.BytesIO]:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(printable(title))
    canvas.setFillGray(0)
    canvas.setStrokeGray(0)
    return canvas, buffer


# --- reading the declaration -------------------------------------------------------------------

def part(data: object, key: str) -> dict:
    """A single (non-repeated) element, {} when missing."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def field(data: object, *path: str) -> str:
    """A leaf of the declaration as stripped text, "" when any step is missing."""
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return str(data).strip() if data is not None and not isinstance(data, (dict, list)) else ""


def repeated(data: object, key: str) -> list[dict]:
    """A repeated element as a list in sequence order, tolerating a single dict or nothing."""
    value = data.get(key) if isinstance(data, dict) else None
    value = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    entries = [v for v in value if isinstance(v, dict)]
    return sorted(entries, key=lambda v: int(n) if (n := field(v, "sequenceNumber")).isdigit() else 0)


def joined(*parts: str, sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


def goods_items(declaration: dict) -> list[tuple[dict, dict]]:
    """Every (house consignment, goods item) pair, in declaration order."""
    return [(house, item) for house in repeated(part(declaration, "Consignment"), "HouseConsignment")
            for item in repeated(house, "ConsignmentItem")]


def party(data: dict) -> str:
    """Box 2/8/50: identification number, name and full address."""
    address = part(data, "Address")
    return joined(field(data, "identificationNumber"), field(data, "name"),
                  field(address, "streetAndNumber"), joined(field(address, "postcode"),
                  field(address, "city")), field(address, "country"), sep="\n")


def header_or_items(declaration: dict, items: list[tuple[dict, dict]],
                    describe: Callable[[dict], str]) -> str:
    """A header value, else the one value all items share, else a pointer to the list of items."""
    if header := describe(part(declaration, "Consignment")):
        return header
    values = {describe(item) or describe(house) for house, item in items} - {""}
    return values.pop() if len(values) == 1 else SEE_LIST if values else ""


def office(data: dict, names: dict[str, str]) -> str:
    code = field(data, "referenceNumber")
    return joined(code, names.get(code, ""))


def containers(consignment: dict, item: dict) -> str:
    """The item's containers: those whose goods references name it, or all if none are given."""
    equipment = repeated(consignment, "TransportEquipment")
    if any(repeated(e, "GoodsReference") for e in equipment):
        number = field(item, "declarationGoodsItemNumber")
        equipment = [e for e in equipment if any(field(r, "declarationGoodsItemNumber") == number
                                                 for r in repeated(e, "GoodsReference"))]
    return joined(*(field(e, "containerIdentificationNumber") for e in equipment), sep="\n")


def seals(consignment: dict) -> str:
    """Box D: number and identifiers of the seals, or "Fritaget" when there are none."""
    equipment = repeated(consignment, "TransportEquipment")
    identifiers = [field(s, "identifier") for e in equipment for s in repeated(e, "Seal")]
    declared = sum(int(n) for e in equipment if (n := field(e, "numberOfSeals")).isdigit())
    count = max(declared, len(identifiers))
    return f"{count}: {joined(*identifiers, sep=', ')}" if count else "Fritaget / Exempt"


def total_packages(items: list[tuple[dict, dict]]) -> str:
    counts = [int(n) for _, item in items for p in repeated(item, "Packaging")
              if (n := field(p, "numberOfPackages")).isdigit()]
    return str(sum(counts)) if counts else ""


def guarantees(declaration: dict) -> str:
    """Box 52: type and GRNs (or other reference) of each guarantee — never its access code."""
    return joined(*(joined(f"Type {field(g, 'guaranteeType')}", field(g, "otherGuaranteeReference"),
                           *(field(r, "GRN") for r in repeated(g, "GuaranteeReference")))
                    for g in repeated(declaration, "Guarantee")), sep="\n")


def transport_means(consignment: dict, key: str) -> str:
    return joined(*(joined(field(m, "identificationNumber"), field(m, "nationality"))
                    for m in repeated(consignment, key)), sep="\n")


def control(declaration: dict, released_at: datetime | None) -> str:
    """Box D: release date, time limit, seals, and the control result when there is one."""
    released = shown_in_denmark(released_at) if released_at else "-"
    result = field(declaration, "ControlResult", "code")
    return joined(f"Frigivet / Released: {released}",
                  f"Frist / Time limit: {field(declaration, 'TransitOperation', 'limitDate') or '-'}",
                  f"Segl / Seals: {seals(part(declaration, 'Consignment'))}",
                  result and f"Kontrolresultat / Control result: {result}", sep="\n")


def shown_in_denmark(at: datetime | str) -> str:
    """A stored instant in Danish local time; a naive one (as SQLite returns it) is UTC."""
    at = datetime.fromisoformat(at) if isinstance(at, str) else at
    return local(at if at.tzinfo else at.replace(tzinfo=UTC)).strftime("%d-%m-%Y %H:%M")


def front_page_rows(declaration: dict, items: list[tuple[dict, dict]], released_at: datetime | None,
                    names: dict[str, str], total_pages: int) -> list[tuple[float, list[Cell]]]:
    """The header boxes of annex 45a, row by row, each with its least height."""
    consignment = part(declaration, "Consignment")

    def shared(describe: Callable[[dict], str]) -> str:
        return header_or_items(declaration, items, describe)

    transit = [office(o, names) for o in repeated(declaration, "CustomsOfficeOfTransitDeclared")]
    routing = [field(c, "country") for c in repeated(consignment, "CountryOfRoutingOfConsignment")]
    return [
        (34, [(0.17, "1 Angivelse / Declaration", field(declaration, "TransitOperation", "declarationType")),
              (0.13, "3 Formularer / Forms", f"1/{total_pages}"),
              (0.13, "5 Vareposter / Items", str(len(items))),
              (0.17, "6 Kolli i alt / Total packages", total_packages(items)),
              (0.40, "LRN / Local reference number", field(declaration, "TransitOperation", "LRN"))]),
        (74, [(0.5, "2 Afsender/Eksportør / Consignor/Exporter", shared(lambda d: party(part(d, "Consignor")))),
              (0.5, "8 Modtager / Consignee", shared(lambda d: party(part(d, "Consignee"))))]),
        (34, [(0.25, "15 Afsendelsesland / Country of dispatch", shared(lambda d: field(d, "countryOfDispatch"))),
              (0.25, "17 Bestemmelsesland / Country of destination",
               shared(lambda d: field(d, "countryOfDestination"))),
              (0.15, "19 Container", field(consignment, "containerIndicator")),
              (0.35, "35 Bruttomasse i alt (kg) / Total gross mass", field(consignment, "grossMass"))]),
        (40, [(0.5, "18 Transportmiddel ved afgang / Identity, nationality at departure",
               transport_means(consignment, "DepartureTransportMeans")),
              (0.5, "21 Aktivt transportmiddel ved grænsen / Active means at border",
               transport_means(consignment, "ActiveBorderTransportMeans"))]),
        (80, [(0.5, "50 Hovedforpligtet / Holder of the procedure",
               party(part(declaration, "HolderOfTheTransitProcedure"))),
              (0.5, "51 Grænsetoldsteder / Offices of transit",
               joined(*transit, routing and "Rute / Itinerary: " + joined(*routing), sep="\n"))]),
        (52, [(0.5, "52 Sikkerhed / Guarantee", guarantees(declaration)),
              (0.5, "53 Bestemmelsestoldsted / Office of destination",
               office(part(declaration, "CustomsOfficeOfDestinationDeclared"), names))]),
        (72, [(0.5, "C Afgangstoldsted / Office of departure",
               office(part(declaration, "CustomsOfficeOfDeparture"), names)),
              (0.5, "D Kontrol ved afgangstoldstedet / Control by office of departure",
               control(declaration, released_at))]),
    ]


def item_description(house: dict, item: dict) -> str:
    """Box 31 text, with the consignor, consignee and countries the item has of its own."""
    own = [joined(f"{label}:", ", ".join(party(who).splitlines()))
           for key, label in (("Consignor", "Afsender"), ("Consignee", "Modtager"))
           if (who := part(item, key) or part(house, key))]
    own += [f"{label}: {country}" for key, label in (("countryOfDispatch", "Afsendelsesland"),
                                                      ("countryOfDestination", "Bestemmelsesland"))
            if (country := field(item, key) or field(house, key))]
    return joined(field(item, "Commodity", "descriptionOfGoods"), *own, sep="\n")


def item_rows(declaration: dict, items: list[tuple[dict, dict]]) -> list[list[str]]:
    """One row of cell texts per goods item, in LIST_COLUMNS order."""
    def listed(entries: list[dict], *keys: str) -> str:
        return joined(*(joined(*(field(e, k) for k in keys)) for e in entries), sep="\n")

    consignment = part(declaration, "Consignment")
    # Box 32: the item's number in the whole declaration (R0007), not within its house consignment.
    return [[
        field(item, "declarationGoodsItemNumber") or str(position), item_description(house, item),
        listed(repeated(item, "Packaging"), "typeOfPackages", "numberOfPackages", "shippingMarks"),
        field(item, "Commodity", "CommodityCode", "harmonizedSystemSubHeadingCode")
        + field(item, "Commodity", "CommodityCode", "combinedNomenclatureCode"),
        joined(field(item, "Commodity", "GoodsMeasure", "grossMass"),
               field(item, "Commodity", "GoodsMeasure", "netMass"), sep="\n"),
        listed(repeated(item, "PreviousDocument") + repeated(item, "SupportingDocument"),
               "type", "referenceNumber"),
        listed(repeated(item, "AdditionalInformation"), "code", "text"),
        containers(consignment, item),
        field(item, "declarationType") or field(declaration, "TransitOperation", "declarationType"),
    ] for position, (house, item) in enumerate(items, start=1)]


# --- text fitting ------------------------------------------------------------------------------

def printable(text: str) -> str:
    """Text the standard Latin fonts can show: æøå stay, other letters lose their accents."""
    def one(char: str) -> str:
        try:
            char.encode("cp1252")
            return char
        except UnicodeEncodeError:
            return unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
    return "".join(one(c) for c in text.translate(UNDECOMPOSABLE))


def wrap(text: str, width: float, size: float, font: str = FONT) -> list[str]:
    """Lines of at most width points, breaking words too long for a line."""
    lines = []
    for paragraph in printable(text).split("\n"):
        for line in simpleSplit(paragraph, font, size, width) or [""]:
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = next((n for n in range(len(line) - 1, 0, -1)
                            if stringWidth(line[:n], font, size) <= width), 1)
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


def fit(text: str, width: float, height: float, size: float) -> tuple[list[str], float]:
    """Wrapped lines shrunk to fit the height, down to 5 pt; beyond that cut off with "…"."""
    while True:
        lines = wrap(text, width, size)
        capacity = int(height // (size * 1.15))
        if len(lines) <= capacity or size <= 5:
            break
        size -= 0.5
    if len(lines) > capacity:
        lines = lines[:max(capacity, 1)]
        lines[-1] = lines[-1][:-2] + " …"
    return lines, size


# --- drawing -----------------------------------------------------------------------------------

def draw_box(canvas: Canvas, x: float, top: float, width: float, height: float,
             label: str, text: str, size: float = 9) -> None:
    """A ruled box with its numbered label at the top and the text fitted below it."""
    canvas.rect(x, top - height, width, height, stroke=1, fill=0)
    label_size = min(6.0, 6.0 * (width - 4) / max(stringWidth(label, FONT, 6), 1))
    canvas.setFont(FONT, label_size)
    canvas.drawString(x + 2, top - 7, label)
    lines, size = fit(text, width - 6, height - 11, size)
    canvas.setFont(FONT, size)
    for number, line in enumerate(lines):
        canvas.drawString(x + 3, top - 10 - size * (1.15 * number + 1), line)


def draw_row(canvas: Canvas, top: float, height: float, cells: list[Cell]) -> float:
    """Boxes side by side, grown for long text up to ROW_MAX_HEIGHT; returns the next row's top."""
    needed = max(len(wrap(text, share * BODY_W - 6, 8)) * 8 * 1.15 + 13 for share, _, text in cells)
    height = max(height, min(needed, ROW_MAX_HEIGHT))
    x = MARGIN
    for share, label, text in cells:
        draw_box(canvas, x, top, share * BODY_W, height, label, text)
        x += share * BODY_W
    return top - height


def draw_mrn_header(canvas: Canvas, mrn: str, title: str, page: str) -> float:
    """Title, page number, and the MRN in large print beside its Code 128 barcode."""
    top = PAGE_H - MARGIN
    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, top - 11, title)
    canvas.setFont(FONT, 8)
    canvas.drawRightString(PAGE_W - MARGIN, top - 10, page)
    canvas.drawString(MARGIN, top - 34, "MRN")
    canvas.setFont(BOLD, 14)
    canvas.drawString(MARGIN + 24, top - 34, printable(mrn))
    barcode = Code128(printable(mrn), barHeight=30, barWidth=0.9, humanReadable=False)
    barcode.drawOn(canvas, PAGE_W - MARGIN - barcode.width, top - 66)
    return top - 72


def draw_single_item(canvas: Canvas, top: float, height: float, row: list[str]) -> None:
    """Boxes 31–44 of the one goods item, on the front page."""
    number, description, packed, code, masses, docs, info, container, kind = row
    gross, _, net = masses.partition("\n")
    draw_box(canvas, MARGIN, top, 0.6 * BODY_W, height,
             "31 Kolli og varebeskrivelse / Packages and description of goods",
             joined(description, packed and f"Kolli / Packages: {packed}",
                    container and f"Container: {container}", sep="\n"))
    right, width = MARGIN + 0.6 * BODY_W, 0.2 * BODY_W
    draw_box(canvas, right, top, width, 34, "32 Varepost / Item no.", joined(number, kind))
    draw_box(canvas, right + width, top, width, 34, "33 Varekode / Commodity code", code)
    draw_box(canvas, right, top - 34, width, 34, "35 Bruttomasse (kg) / Gross mass", gross)
    draw_box(canvas, right + width, top - 34, width, 34, "38 Nettomasse (kg) / Net mass", net)
    draw_box(canvas, right, top - 68, 2 * width, height - 68,
             "40/44 Dokumenter, særlige oplysninger / Documents, additional information",
             joined(docs, info, sep="\n"))


def row_height(cells: list[list[str]]) -> float:
    return max(1, *map(len, cells)) * LIST_LEADING + 3


def paginate_rows(rows: list[list[str]]) -> list[list[list[list[str]]]]:
    """Rows of wrapped cell lines grouped into pages; a row taller than a page is split."""
    room = LIST_BODY_TOP - LIST_BODY_BOTTOM
    per_row = int((room - 3) // LIST_LEADING)
    pages, page, used = [], [], 0.0
    for row in rows:
        cells = [wrap(text, width - 4, LIST_SIZE) for (width, _), text in zip(LIST_COLUMNS, row)]
        for start in range(0, max(1, *map(len, cells)), per_row):
            piece = [cell[start:start + per_row] for cell in cells]
            if used + row_height(piece) > room and page:
                pages.append(page)
                page, used = [], 0.0
            page.append(piece)
            used += row_height(piece)
    return pages + [page] if page or not pages else pages


def draw_list_page(canvas: Canvas, mrn: str, rows: list[list[list[str]]], page: int, total: int) -> None:
    """One page of annex 45b: MRN, barcode and page number, then one ruled row per goods item."""
    top = draw_mrn_header(canvas, mrn, "LISTE OVER VAREPOSTER / LIST OF ITEMS",
                          f"Side / Page {page}/{total}")
    x = MARGIN
    canvas.setFont(BOLD, 5.5)
    for width, label in LIST_COLUMNS:
        canvas.rect(x, LIST_BODY_TOP, width, top - LIST_BODY_TOP, stroke=1, fill=0)
        for number, line in enumerate(wrap(label, width - 4, 5.5, BOLD)[:3]):
            canvas.drawString(x + 2, top - 7 - 6.2 * number, line)
        x += width
    top = LIST_BODY_TOP
    canvas.setFont(FONT, LIST_SIZE)
    for cells in rows:
        height, x = row_height(cells), MARGIN
        for (width, _), lines in zip(LIST_COLUMNS, cells):
            canvas.rect(x, top - height, width, height, stroke=1, fill=0)
            for number, line in enumerate(lines):
                canvas.drawString(x + 2, top - LIST_LEADING * (number + 1), line)
            x += width
        top -= height
    canvas.showPage()
