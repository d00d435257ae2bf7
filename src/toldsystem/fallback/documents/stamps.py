"""The fallback stamps as PDFs at their true size, in red (seed 002 "EU-Forsendelse", "TIR-forsendelser" and
"Eksport"): the page is the stamp, 59 mm wide and 26 mm high, its frame and text in red, the date and time
filled in (Europe/Copenhagen).

Sizes: the NCTS stamp (also the TIR one) is "af format 26 x 59 mm i rød sværte"; the ECS stamp the seed gives
"i rødt tryk (størrelse 26 x 59 mm)" for the authorised exporter's stamp, and the office's stamp is drawn the
same size. The texts are the seed's, spelling included ("TILGÆNGLIGE" in the ECS stamp).
"""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from toldsystem.core.clock import local

STAMP_WIDTH_MM, STAMP_HEIGHT_MM = 59, 26
RED = Color(0.85, 0, 0)
FONT, BOLD = "Helvetica", "Helvetica-Bold"

NCTS_LINES = ("NØDPROCEDURE - NCTS", "INGEN DATA TILGÆNGELIGE I SYSTEMET", "PÅBEGYNDT DEN")
NCTS_DATE_LABEL = "(Dato/klokkeslet)"
ECS_LINES = ("ECS NØDPROCEDURE/FALL BACK", "INGEN DATA TILGÆNGLIGE I SYSTEMET", "PÅBEGYNDT DEN")


def _fitted(text: str, font: str, size: float, width: float) -> float:
    """The font size at most `size` at which the text fits the width."""
    return min(size, size * width / stringWidth(text, font, size))


def _stamp(title: str, lines: tuple[str, str, str], started_at: datetime, date_label: str) -> bytes:
    width, height = STAMP_WIDTH_MM * mm, STAMP_HEIGHT_MM * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.setTitle(title)
    canvas.setStrokeColor(RED)
    canvas.setFillColor(RED)
    inset = 1.2 * mm
    canvas.setLineWidth(0.9 * mm)
    canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset, stroke=1, fill=0)
    inner = width - 6 * mm
    head, body, started = lines
    when = local(started_at).strftime("%d.%m.%Y kl. %H:%M")
    rows = ((head, BOLD, 9.0, height - 7.5 * mm), (body, FONT, 6.5, height - 12.5 * mm),
            (f"{started} {when}", BOLD, 7.5, height - 18 * mm), (date_label, FONT, 5.5, height - 22 * mm))
    for text, font, size, y in rows:
        if not text:
            continue
        canvas.setFont(font, _fitted(text, font, size, inner))
        canvas.drawCentredString(width / 2, y, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def ncts_stamp_pdf(started_at: datetime) -> bytes:
    """Seed 002 "EU-Forsendelse"/"TIR-forsendelser": NØDPROCEDURE - NCTS, 26 × 59 mm, red, dated."""
    return _stamp("NØDPROCEDURE - NCTS", NCTS_LINES, started_at, NCTS_DATE_LABEL)


def ecs_stamp_pdf(started_at: datetime) -> bytes:
    """Seed 002 "Eksport": ECS NØDPROCEDURE/FALL BACK, 26 × 59 mm, red, dated."""
    return _stamp("ECS NØDPROCEDURE/FALL BACK", ECS_LINES, started_at, "")
