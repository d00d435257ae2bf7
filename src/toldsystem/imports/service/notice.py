"""The forwarder's notice to the consignee (seed 004, TBEK § 8): made as a PDF at the simplified declaration's
acceptance, put into the consignee's outbox, and kept with its SHA-256 digest and when and how it was sent — the
proof the forwarder must keep."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core.errors import NotFound, problem
from toldsystem.imports import authorisation, store
from toldsystem.imports.documents import render_consignee_notice
from toldsystem.imports.rules.model import Declaration
from toldsystem.imports.rules.supplementary import supplementary_due_date

CHANNEL = "outbox"  # the consignee's notifications (GET /api/v1/imports/declarations/{mrn}/consignee-notice.pdf)


@dataclass(frozen=True, slots=True)
class ConsigneeNoticeProof:
    mrn: str
    consignee: str
    forwarder: str
    digest: str
    sent_at: datetime
    channel: str
    pdf: bytes


def send(conn: Connection, row, decl: Declaration, at: datetime) -> None:
    """Make and record the notice (once per declaration)."""
    due = supplementary_due_date(at, decl.lodged_electronically).isoformat()
    pdf = render_consignee_notice(decl, row.mrn, row.lrn, due, at)
    if pdf is None:
        return
    conn.execute(insert(store.consignee_notices).values(
        declaration_id=row.id, consignee_id=row.consignee_id, forwarder_eori=decl.declarant.identifier, pdf=pdf,
        digest=hashlib.sha256(pdf).hexdigest(), sent_at=at, channel=CHANNEL))


def proof(party: Party, mrn: str) -> ConsigneeNoticeProof:
    """The notice and its proof, for the declarant, the representative, the consignee and the office's officers."""
    d, n = store.declarations, store.consignee_notices
    with db.reading() as conn:
        row = conn.execute(select(d).where(d.c.mrn == mrn.strip().upper())).first()
        if row is None:
            raise authorisation.unknown_declaration(mrn)
        from toldsystem.imports.service.decision import parties_of
        authorisation.require("import.notice.read", party, parties_of(row), mrn)
        found = conn.execute(select(n).where(n.c.declaration_id == row.id)).first()
    if found is None:
        raise NotFound(problem("import.notice.none", "/mrn", f"declaration {mrn} has no notice to its consignee "
                               "(only a forwarder's simplified express declaration has one)",
                               f"angivelse {mrn} har ingen underretning til varemodtageren"))
    return ConsigneeNoticeProof(row.mrn, found.consignee_id, found.forwarder_eori, found.digest, found.sent_at,
                                found.channel, found.pdf)
