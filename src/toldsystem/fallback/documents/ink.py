"""A red fallback stamp drawn onto a page of a paper declaration at its true size (seed 002: "af format 26 x 59
mm i rød sværte"): the same texts and red as stamps.py, the frame's outer edge exactly 59 × 26 mm, so the stamp
measures its true size wherever the declaration places it (box A of the SAD, or the TAD's MRN place)."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from toldsystem.core.clock import local
from toldsystem.fallback.documents.stamps import (BOLD, ECS_LINES, FONT, NCTS_DATE_LABEL, NCTS_LINES, RED,
                                                  STAMP_HEIGHT_MM, STAMP_WIDTH_MM)

STAMP_W, STAMP_H = STAMP_WIDTH_MM * mm, STAMP_HEIGHT_MM * mm
FRAME = 0.9 * mm


def _size_to_fit(text: str, font: str, size: float, width: float) -> float:
    """The font size at most `size` at which the text fits the width."""
    return min(size, size * width / stringWidth(text, font, size))


def draw_stamp(canvas: Canvas, left: float, bottom: float, lines: tuple[str, str, str], started_at: datetime,
               date_label: str = "") -> None:
    """The stamp with its lower left corner at (left, bottom): frame and text red, the start in Danish time."""
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setFillColor(RED)
    canvas.setLineWidth(FRAME)
    canvas.rect(left + FRAME / 2, bottom + FRAME / 2, STAMP_W - FRAME, STAMP_H - FRAME, stroke=1, fill=0)
    head, body, started = lines
    when = local(started_at).strftime("%d.%m.%Y kl. %H:%M")
    rows = ((head, BOLD, 9.0, 7.5 * mm), (body, FONT, 6.5, 12.5 * mm),
            (f"{started} {when}", BOLD, 7.5, 18 * mm), (date_label, FONT, 5.5, 22 * mm))
    for text, font, size, below_top in rows:
        if text:
            canvas.setFont(font, _size_to_fit(text, font, size, STAMP_W - 6 * mm))
            canvas.drawCentredString(left + STAMP_W / 2, bottom + STAMP_H - below_top, text)
    canvas.restoreState()


def draw_ncts_stamp(canvas: Canvas, left: float, bottom: float, started_at: datetime) -> None:
    """Seed 002 "EU-Forsendelse": NØDPROCEDURE - NCTS, with its "(Dato/klokkeslet)" line."""
    draw_stamp(canvas, left, bottom, NCTS_LINES, started_at, NCTS_DATE_LABEL)


def draw_ecs_stamp(canvas: Canvas, left: float, bottom: float, started_at: datetime) -> None:
    """Seed 002 "Eksport": ECS NØDPROCEDURE/FALL BACK."""
    draw_stamp(canvas, left, bottom, ECS_LINES, started_at)
