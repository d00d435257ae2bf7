"""Finding a movement for a message or a request, and the checks on it before a use case acts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problem, problem
from toldsystem.transit import store

def mrn_of(conn: Connection, movement_id: int) -> str | None:
    return conn.execute(select(store.movements.c.mrn).where(store.movements.c.id == movement_id)).scalar_one_or_none()


def by_mrn(conn: Connection, mrn: str, pointer: str, lock: bool = False):
    query = select(store.movements).where(store.movements.c.mrn == mrn)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(problem("movement.unknown", pointer, f"no movement with MRN {mrn}",
                               f"ingen forsendelse med MRN {mrn}"))
    return row


def for_message(conn: Connection, party: Party, data: dict, message_type: str):
    mrn = data.get("TransitOperation", {}).get("MRN")
    lrn = data.get("TransitOperation", {}).get("LRN")
    m = store.movements
    query = select(m).where(m.c.mrn == mrn) if mrn else select(m).where(m.c.lrn == lrn, m.c.holder_eori == party.eori)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None or not (party.is_officer or row.holder_eori == party.eori):
        raise NotFound(problem("movement.unknown", f"/{message_type}/TransitOperation/{'MRN' if mrn else 'LRN'}",
                               f"no movement of yours with {'MRN ' + mrn if mrn else 'LRN ' + str(lrn)}",
                               "ingen forsendelse med det nummer"))
    return row


def require_visible(party: Party, row) -> None:
    if not (party.is_officer or party.eori in (row.holder_eori, row.trader_at_destination)):
        raise NotFound(problem("movement.unknown", "mrn", f"no movement with MRN {row.mrn}",
                               f"ingen forsendelse med MRN {row.mrn}"))


def require_state(movement, allowed: set[str] | frozenset[str], action: str) -> None:
    if movement.state not in allowed:
        raise Conflict(problem("movement.state", "mrn", f"cannot {action} a movement that is {movement.state}",
                               f"kan ikke udføre handlingen på en forsendelse med status {movement.state}"))


def wrong_state(message_type: str, state: str, pointer: str) -> Problem:
    return problem("movement.state_not_allowed", pointer, f"{message_type} is not allowed while the movement is {state}",
                   f"{message_type} er ikke tilladt, når forsendelsen har status {state}")


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=clock.COPENHAGEN)


def movement_out(row) -> dict:
    return {"id": row.id, "mrn": row.mrn, "lrn": row.lrn, "state": row.state, "holder_eori": row.holder_eori,
            "declaration_type": row.declaration_type, "office_of_departure": row.office_of_departure,
            "office_of_destination": row.office_of_destination, "trader_at_destination": row.trader_at_destination,
            "simplified": row.simplified, "fallback": row.fallback, "submitted_at": row.submitted_at,
            "updated_at": row.updated_at,
            # what GMS reserved the guarantees under (POST /api/guarantees/reservations/{ref}/free)
            "guarantee_reference": row.guarantee_ref or row.mrn}
