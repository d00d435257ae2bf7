"""What a party may read of the imports room: a declaration, its events and notifications, a list."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import or_, select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.imports import authorisation, store
from toldsystem.imports import states
from toldsystem.imports.rules.release import may_leave
from toldsystem.imports.service.decision import model_of, parties_of
from toldsystem.imports.service.log import Notification, notifications_where, recipient

d = store.declarations


def _iso(value):
    return value.isoformat() if value is not None else None


def summary(row) -> dict:
    duties = None
    if row.duty_total is not None:
        total = str(Decimal(row.duty_total) + Decimal(row.vat_total))
        duties = {"duty": row.duty_total, "vat": row.vat_total, "total": total, "currency": row.duties_currency,
                  "tariff_version": row.tariff_version}
    return {"mrn": row.mrn, "lrn": row.lrn, "declarant": row.declarant_eori, "representative": row.representative_eori,
            "consignee": row.consignee_id, "procedure": row.procedure, "additional_type": row.additional_type,
            "state": row.state, "office": row.office, "lodged_at": _iso(row.lodged_at),
            "accepted_at": _iso(row.accepted_at), "presented_at": _iso(row.presented_at),
            "arrival_at": _iso(row.arrival_at), "released_at": _iso(row.released_at),
            "lane": {"lane": row.lane, "chosen_by": row.lane_chosen_by, "reason": row.lane_reason,
                     "seed": row.selection_seed, "rule_set_version": row.rule_set_version} if row.lane else None,
            "duties": duties,
            "supplementary": {"due": _iso(row.supplementary_due), "state": row.supplementary_state,
                              "mrn": row.supplementary_mrn} if row.supplementary_due else None,
            "simplified_mrn": row.simplified_mrn, "updated_at": _iso(row.updated_at)}


def _row(conn, party: Party, mrn: str):
    row = conn.execute(select(d).where(d.c.mrn == mrn.strip().upper())).first()
    if row is None or not authorisation.may_read(party, parties_of(row)):
        raise authorisation.unknown_declaration(mrn)
    return row


def declaration(party: Party, mrn: str) -> dict:
    """A declaration with its data and audit trail; to a party that may not see it, unknown (404)."""
    with db.reading() as conn:
        row = _row(conn, party, mrn)
        events = conn.execute(select(store.events).where(store.events.c.declaration_id == row.id)
                              .order_by(store.events.c.id)).all()
        model = model_of(conn, row)
    # Duties paid are not recorded yet: goods that must wait for payment are shown waiting for it.
    leave = may_leave(model, clock.now(), row.state == states.RELEASED, duties_paid=False) if model else None
    return {**summary(row), "data": jsontext.loads(row.data),
            "may_leave": {"may_leave": leave.may_leave, "reason": leave.reason, "en": leave.en, "da": leave.da,
                          "liable": leave.liable} if leave else None,
            "events": [{"at": e.at.isoformat(), "at_local": clock.local(e.at).isoformat(), "event": e.event,
                        "state": e.state, "actor": e.actor, "detail": jsontext.loads(e.detail)} for e in events]}


def declaration_notifications(party: Party, mrn: str) -> list[Notification]:
    """The declaration's notifications: a company those in its outbox, an officer all."""
    with db.reading() as conn:
        row = _row(conn, party, mrn)
        n = store.notifications.c
        condition = n.declaration_id == row.id
        if not party.is_officer:
            condition = condition & (n.party == recipient(party))
        return notifications_where(conn, condition)


def declarations(party: Party, state: str | None = None, limit: int = 50, after_id: int = 0) -> list[dict]:
    """The declarations the party may read, oldest first after `after_id`."""
    query = select(d).where(d.c.id > after_id).order_by(d.c.id).limit(min(max(limit, 1), 500))
    if state:
        query = query.where(d.c.state == state)
    if party.is_officer:
        if party.office:
            query = query.where(d.c.office == party.office)
    else:
        query = query.where(or_(d.c.declarant_eori == party.eori, d.c.representative_eori == party.eori,
                                d.c.consignee_id == party.eori))
    with db.reading() as conn:
        return [{"id": r.id, **summary(r)} for r in conn.execute(query)]
