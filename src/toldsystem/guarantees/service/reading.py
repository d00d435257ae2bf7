"""Reading guarantees, their ledgers and a movement's reservations: the holder its own, officers their office's."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import case, func, select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core.identifiers import normalise_eori
from toldsystem.guarantees import rules
from toldsystem.guarantees.authorisation import roles_towards_guarantee, sees_office
from toldsystem.guarantees.rules import Guarantee, LedgerEntry, Reservation
from toldsystem.guarantees.service.records import (amount_of, g, guarantee_of, lg, require, reservation_of, rs,
                                                   unknown_guarantee)


def get(grn: str) -> Guarantee:
    """A guarantee by GRN, or NotFound."""
    with db.reading() as conn:
        row = conn.execute(select(g).where(g.c.grn == grn)).first()
    if row is None:
        raise unknown_guarantee(grn)
    return guarantee_of(row)


def get_for(party: Party, grn: str) -> Guarantee:
    """A guarantee the party may see (its holder, an officer of its office); another's is simply not there."""
    with db.reading() as conn:
        row = conn.execute(select(g).where(g.c.grn == grn)).first()
    roles = roles_towards_guarantee(party, row.holder_eori if row else None, row.office_of_guarantee if row else None)
    require("guarantee.read", roles, unknown_guarantee(grn), "guarantee.read")
    if row is None:
        raise unknown_guarantee(grn)
    return guarantee_of(row)


def list_guarantees(holder_eori: str | None = None) -> list[Guarantee]:
    """Guarantees by GRN; one holder's only when given."""
    query = select(g).order_by(g.c.grn)
    if holder_eori is not None:
        query = query.where(g.c.holder_eori == normalise_eori(holder_eori))
    with db.reading() as conn:
        return [guarantee_of(r) for r in conn.execute(query)]


def visible(party: Party) -> list[Guarantee]:
    """The guarantees the party may see: a company its own, an officer its office's, a national officer all."""
    if not party.is_officer:
        return list_guarantees(party.eori or "")
    return [found for found in list_guarantees() if sees_office(party, found.office_of_guarantee)]


def ledger(grn: str) -> list[LedgerEntry]:
    """The guarantee's ledger, oldest first."""
    with db.reading() as conn:
        rows = conn.execute(select(lg).where(lg.c.grn == grn).order_by(lg.c.id))
        return [LedgerEntry(r.id, r.grn, r.kind, r.movement_ref, amount_of(r.amount_cents), r.currency, r.created_at)
                for r in rows]


def ledger_for(party: Party, grn: str) -> list[LedgerEntry]:
    """The ledger of a guarantee the party may see."""
    get_for(party, grn)
    return ledger(grn)


def ledger_balance(grn: str) -> Decimal:
    """The open amount as the ledger tells it: reserved minus freed and discharged (plus signed adjustments)."""
    signed = case((lg.c.kind == rules.RESERVE, lg.c.amount_cents), (lg.c.kind == rules.ADJUST, lg.c.amount_cents),
                  else_=-lg.c.amount_cents)
    with db.reading() as conn:
        total = conn.execute(select(func.coalesce(func.sum(signed), 0)).where(lg.c.grn == grn)).scalar_one()
    return amount_of(total)


def reservations(movement_ref: str) -> list[Reservation]:
    """A movement's reservations (one per GRN)."""
    with db.reading() as conn:
        return [reservation_of(r) for r in conn.execute(select(rs).where(rs.c.movement_ref == movement_ref)
                                                        .order_by(rs.c.grn))]
