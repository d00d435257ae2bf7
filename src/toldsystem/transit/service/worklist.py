"""The officer's work lists (issue 12, part 3): the movements waiting for a decision of the officer's office —
at departure release or a control decision, at destination the arrival, the unloading remarks or the major
discrepancies — oldest waiting first, paged, with their counts; a national officer sees every office's. And one
movement as the back office opens it: its declaration, audit trail, messages and the decisions open to the officer.

Each list is one indexed query (ix_transit_movements_departure_work / _destination_work: office, state,
updated_at), so it answers in milliseconds with tens of thousands of movements in the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from toldsystem import db
from toldsystem.access.rules import Party, officer_roles, permitted, refusal, system_refusal
from toldsystem.core import jsontext
from toldsystem.core.errors import NotFound, problem
from toldsystem.transit import states, store
from toldsystem.transit.authorisation import RULES
from toldsystem.transit.service.log import StoredMessage, messages_where
from toldsystem.transit.service.movements import by_mrn, movement_out, require_rule, roles_of, unknown_movement

m = store.movements

DEPARTURE, DESTINATION = "departure", "destination"
# Which office of the movement each list is about, and the states in which that office has to decide.
_LISTS = {DEPARTURE: (m.c.office_of_departure, states.WAITING_AT_DEPARTURE),
          DESTINATION: (m.c.office_of_destination, states.WAITING_AT_DESTINATION)}


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One movement waiting for the office: what the list shows of it."""

    mrn: str
    lrn: str
    state: str
    holder_eori: str
    office_of_departure: str
    office_of_destination: str
    simplified: bool
    waiting_since: datetime  # its last change: when it came to wait for the office


@dataclass(frozen=True, slots=True)
class WorkList:
    """One page of a work list and how many wait in all."""

    kind: str
    items: list[WorkItem]
    total: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def _require_officer(party: Party) -> None:
    """The work lists are the officers' (transit/authorisation.py, movement.work_list); to anyone else there is
    none."""
    entry = RULES["movement.work_list"]
    refused = system_refusal(party, entry) or refusal(
        entry, officer_roles(party), frozenset(), False,
        NotFound(problem("work_list.unknown", "office", "there is no work list for you",
                         "der er ingen arbejdsliste til dig")))
    if refused is not None:
        raise refused


def _waiting(party: Party, kind: str):
    """The condition of the list: its states, at the officer's office (a national officer: at any)."""
    office_column, waiting = _LISTS[kind]
    condition = m.c.state.in_(sorted(waiting)) & m.c.mrn.is_not(None)
    if party.office is not None:
        condition = condition & (office_column == party.office)
    return condition


def work_list(party: Party, kind: str, page: int = 1, page_size: int = 25) -> WorkList:
    """One page of the movements waiting for the officer's office at `kind` (departure or destination), the
    longest waiting first."""
    _require_officer(party)
    if kind not in _LISTS:
        raise NotFound(problem("work_list.unknown", "kind", f"there is no work list {kind!r}",
                               f"der er ingen arbejdsliste {kind!r}"))
    page, page_size = max(page, 1), max(1, min(page_size, 200))
    condition = _waiting(party, kind)
    with db.reading() as conn:
        total = conn.execute(select(func.count()).select_from(m).where(condition)).scalar_one()
        rows = conn.execute(select(m.c.mrn, m.c.lrn, m.c.state, m.c.holder_eori, m.c.office_of_departure,
                                   m.c.office_of_destination, m.c.simplified, m.c.updated_at)
                            .where(condition).order_by(m.c.updated_at, m.c.id)
                            .limit(page_size).offset((page - 1) * page_size)).all()
    return WorkList(kind, [WorkItem(*row) for row in rows], total, page, page_size)


def work_counts(party: Party) -> dict[str, int]:
    """How many movements wait for the officer's office, per list."""
    _require_officer(party)
    with db.reading() as conn:
        return {kind: conn.execute(select(func.count()).select_from(m).where(_waiting(party, kind))).scalar_one()
                for kind in _LISTS}


@dataclass(frozen=True)
class OfficeView:
    """A movement as an officer of its offices opens it: what it is, its declaration (without access codes), its
    audit trail and messages oldest first, and the decisions (rule names) open to this officer in its state."""

    movement: dict
    declaration: dict
    events: list[dict]
    messages: list[StoredMessage]
    decisions: list[str]


def decisions_open(party: Party, row) -> list[str]:
    """The decisions the table lets this party take on the movement in its present state (states.DECIDED_IN)."""
    roles, scopes = roles_of(party, row)
    return [name for name, allowed in states.DECIDED_IN.items()
            if row.state in allowed and permitted(RULES[name], roles, scopes) and party.may_use(RULES[name].system)]


def office_view(party: Party, mrn: str) -> OfficeView:
    """The movement for an officer of its office of departure or destination (a national officer: any); to anyone
    else exactly as an unknown movement."""
    with db.reading() as conn:
        row = by_mrn(conn, mrn, "mrn")
        require_rule(party, "movement.office_read", row, unknown_movement(mrn))
        e = store.movement_events
        trail = [{"at": r.at, "event": r.event, "state": r.state, "actor": r.actor, "detail": jsontext.loads(r.detail)}
                 for r in conn.execute(select(e).where(e.c.movement_id == row.id).order_by(e.c.id))]
        sent = messages_where(conn, store.messages.c.movement_id == row.id)
        return OfficeView(movement_out(row), jsontext.loads(row.declaration), trail, sent, decisions_open(party, row))
