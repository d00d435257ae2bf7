"""The forwarder's notice to the consignee of a simplified express declaration, as a PDF (seed 004, TBEK § 8):
simplified express, a supplementary declaration will follow, the forwarder's name, address and phone."""

from __future__ import annotations

import io
from datetime import datetime
from dataclasses import replace
from textwrap import wrap

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from toldsystem.core import clock
from toldsystem.imports.rules.model import Declaration
from toldsystem.imports.rules.notification import consignee_notice


def render_consignee_notice(decl: Declaration, mrn: str, lrn: str, due: str, at: datetime) -> bytes | None:
    """The notice in Danish and English, or None when none is due (not simplified express, or no forwarder).
    The same inputs give the same bytes (an invariant PDF), so its digest proves what was sent."""
    notice = consignee_notice(replace(decl, id=mrn))
    if notice is None:
        return None
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(f"Underretning om forenklet ekspresangivelse {mrn}")
    canvas.setAuthor(decl.declarant.name or decl.declarant.identifier)
    width, height = A4
    y = height - 60
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(50, y, "Underretning om forenklet ekspresfortoldning / Notice of simplified express")
    y -= 30
    lines = [f"Til / To: {decl.consignee.name or decl.consignee.identifier} ({notice.to})",
             f"MRN: {mrn}    LRN: {lrn}",
             f"Dato / Date: {clock.local(at).strftime('%Y-%m-%d %H:%M')} (dansk tid / Danish time)",
             f"Supplerende angivelse senest / Supplementary declaration due by: {due}", "",
             *wrap(notice.da, 95), "", *wrap(notice.en, 95), "",
             "Speditør / Forwarder:",
             f"  {decl.declarant.name or decl.declarant.identifier} ({decl.declarant.identifier})",
             f"  Adresse / Address: {decl.declarant.address or '-'}",
             f"  Telefon / Phone: {decl.declarant.phone or '-'}"]
    canvas.setFont("Helvetica", 10)
    for line in lines:
        canvas.drawString(50, y, line)
        y -= 15
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
