"""Arrival frees a movement's amounts for reuse; the control result "conform" discharges them (seed 003
"Procedurer"). Each change is a conditional UPDATE on the reservation's state and one ledger row."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party, officer_roles
from toldsystem.core import clock
from toldsystem.core.errors import NotFound, problem
from toldsystem.guarantees import rules
from toldsystem.guarantees.rules import Reservation
from toldsystem.guarantees.service.records import g, lg, require, reservation_of, rs


def _release(movement_ref: str, kind: str) -> list[Reservation]:
    """Free (arrival) or discharge ("conform") every reservation of a movement, each with its ledger row."""
    now = clock.now()
    from_states = (rules.RESERVED,) if kind == rules.FREE else (rules.RESERVED, rules.FREED)
    new_state = rules.FREED if kind == rules.FREE else rules.DISCHARGED
    stamp = {"freed_at": now} if kind == rules.FREE else {"discharged_at": now}
    with db.transaction() as conn:
        rows = conn.execute(select(rs).where(rs.c.movement_ref == movement_ref).order_by(rs.c.grn)).all()
        if not rows:
            raise NotFound(problem("reservation.unknown", "movementReference",
                                   f"no guarantee is reserved for movement {movement_ref}",
                                   f"der er ikke reserveret sikkerhed for forsendelsen {movement_ref}"))
        for row in rows:
            # Conditional on the state, so two concurrent arrivals cannot free twice.
            done = conn.execute(update(rs).where(rs.c.movement_ref == movement_ref, rs.c.grn == row.grn,
                                                 rs.c.state.in_(from_states)).values(state=new_state, **stamp))
            if done.rowcount == 0:
                continue  # already freed/discharged: nothing to do, nothing recorded
            still_open = row.amount_cents if row.state == rules.RESERVED else 0
            conn.execute(insert(lg).values(grn=row.grn, kind=kind, movement_ref=movement_ref, amount_cents=still_open,
                                           currency=row.currency, created_at=now))
            if still_open:
                conn.execute(update(g).where(g.c.grn == row.grn).values(open_cents=g.c.open_cents - still_open))
        result = conn.execute(select(rs).where(rs.c.movement_ref == movement_ref).order_by(rs.c.grn)).all()
    return [reservation_of(r) for r in result]


def free(movement_ref: str, *, by: Party = OPERATOR) -> list[Reservation]:
    """Arrival (IE006 at departure) frees the movement's amounts for reuse; freeing again changes nothing."""
    require("reservation.release", officer_roles(by), NotFound([]))
    return _release(movement_ref, rules.FREE)


def discharge(movement_ref: str, *, by: Party = OPERATOR) -> list[Reservation]:
    """Control result "conform" ends the movement and finally discharges its guarantees; again changes nothing."""
    require("reservation.release", officer_roles(by), NotFound([]))
    return _release(movement_ref, rules.DISCHARGE)
