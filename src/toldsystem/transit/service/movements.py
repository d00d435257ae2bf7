"""Finding a movement for a message or a request, asking transit/authorisation.py whether the party may act on
it, and the checks on it before a use case acts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from toldsystem.access.rules import Party, permitted, refusal
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problem, ToldError, problem
from toldsystem.transit import store
from toldsystem.transit.authorisation import MESSAGES, RULES, MovementParties, roles_towards_movement


class Refused(ToldError):
    """A message the party may not send about a movement it may see: answered with CC056C, nothing changes."""

    status = 422

    def __init__(self, problems: list[Problem], movement_id: int, mrn: str | None):
        super().__init__(problems)
        self.movement_id, self.mrn = movement_id, mrn


def mrn_of(conn: Connection, movement_id: int) -> str | None:
    return conn.execute(select(store.movements.c.mrn).where(store.movements.c.id == movement_id)).scalar_one_or_none()


def unknown_movement(mrn: str, pointer: str = "mrn") -> NotFound:
    return NotFound(problem("movement.unknown", pointer, f"no movement with MRN {mrn}",
                            f"ingen forsendelse med MRN {mrn}"))


def by_mrn(conn: Connection, mrn: str, pointer: str, lock: bool = False):
    query = select(store.movements).where(store.movements.c.mrn == mrn)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise unknown_movement(mrn, pointer)
    return row


def parties_of(row) -> MovementParties:
    return MovementParties(row.holder_eori, row.representative_eori, row.trader_at_destination,
                           row.office_of_departure, row.office_of_destination, row.state)


def roles_of(party: Party, row) -> tuple[frozenset[str], frozenset[str]]:
    """The party's roles towards the movement, and the scopes of its valid powers from the movement's holder."""
    scopes = (companies.power_scopes(row.holder_eori, party.eori)
              if party.eori is not None and party.eori != row.holder_eori else frozenset())
    return roles_towards_movement(party, parties_of(row), scopes), scopes


def may_read(party: Party, row) -> bool:
    """Whether the party may see this movement at all (and so be told why it may not act on it)."""
    roles, scopes = roles_of(party, row)
    return permitted(RULES["movement.read"], roles, scopes)


def require_on(conn: Connection, party: Party, rule_name: str, mrn: str, lock: bool = False):
    """The movement, if the table lets the party act on it; 403 if it may only see it; else exactly as unknown."""
    row = by_mrn(conn, mrn, "mrn", lock=lock)
    return require_rule(party, rule_name, row, unknown_movement(mrn))


def require_rule(party: Party, rule_name: str, row, unknown: ToldError):
    """The movement row, if the table lets the party act on it; 403 if it may only see it; else `unknown`."""
    roles, scopes = roles_of(party, row)
    refused = refusal(RULES[rule_name], roles, scopes, permitted(RULES["movement.read"], roles, scopes), unknown)
    if refused is not None:
        raise refused
    return row


def require_visible(party: Party, row) -> None:
    if not may_read(party, row):
        raise unknown_movement(row.mrn)


def for_message(conn: Connection, party: Party, data: dict, message_type: str, extra_roles=None):
    """The movement a follow-up message names (by MRN, or by LRN of the holder it names), locked, if the message
    table lets the party send it. One it may see but not act on: Refused (CC056C). Else NotFound, exactly as for
    a movement that does not exist. `extra_roles(row, roles)` adds roles the message itself establishes (arrival)
    and may return problems to tell a party that may see the movement."""
    operation = data.get("TransitOperation", {})
    mrn, lrn = operation.get("MRN"), operation.get("LRN")
    if not mrn and not lrn:  # C0467: a message that names no movement is about none
        raise NotFound(problem("movement.mrn_missing", f"/{message_type}/TransitOperation/MRN",
                               "name the movement by its MRN (or, before its acceptance, its LRN)",
                               "angiv forsendelsens MRN (eller, før den er antaget, dens LRN)"))
    holder = data.get("HolderOfTheTransitProcedure", {}).get("identificationNumber") or party.eori
    m = store.movements
    query = select(m).where(m.c.mrn == mrn) if mrn else select(m).where(m.c.lrn == lrn, m.c.holder_eori == holder)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    unknown = NotFound(problem("movement.unknown", f"/{message_type}/TransitOperation/{'MRN' if mrn else 'LRN'}",
                               f"no movement of yours with {'MRN ' + mrn if mrn else 'LRN ' + str(lrn)}",
                               "ingen forsendelse med det nummer"))
    if row is None:
        raise unknown
    roles, scopes = roles_of(party, row)
    reasons: list[Problem] = []
    if extra_roles is not None:
        more, reasons = extra_roles(row, roles)
        roles = roles | more
    entry = MESSAGES.get(message_type)
    if entry is not None and permitted(entry, roles, scopes):
        return row
    if not permitted(RULES["movement.read"], roles, scopes):
        raise unknown
    raise Refused(reasons or [problem("message.not_permitted", f"/{message_type}/TransitOperation",
                                      f"you may not send {message_type} for this movement",
                                      f"du må ikke sende {message_type} for denne forsendelse")], row.id, row.mrn)


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
            "representative_eori": row.representative_eori,
            "declaration_type": row.declaration_type, "office_of_departure": row.office_of_departure,
            "office_of_destination": row.office_of_destination, "trader_at_destination": row.trader_at_destination,
            "simplified": row.simplified, "fallback": row.fallback, "submitted_at": row.submitted_at,
            "updated_at": row.updated_at,
            # what GMS reserved the guarantees under (POST /api/guarantees/reservations/{ref}/free)
            "guarantee_reference": row.guarantee_ref or row.mrn}
