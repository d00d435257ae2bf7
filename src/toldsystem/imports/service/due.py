"""The supplementary declarations due and overdue (seed 004 "Tidsfrister"), and the estimated-assessment cases
("skønsmæssig ansættelse", TDL § 13, stk. 2) an overdue one becomes for an officer.

The work list reads one index (imports_declarations: supplementary_state, supplementary_due, id): the simplified
declarations still awaiting their supplementary one, earliest due first. A declaration is overdue from the day
after its due date (Danish date). Computing the list opens a case for every overdue declaration on the page it
returns; `sweep` opens them all. Opening is idempotent: one case per declaration (a unique constraint).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, problem
from toldsystem.imports import authorisation, states, store
from toldsystem.imports.service.log import record

d = store.declarations
c = store.assessment_cases
SWEEP_BATCH = 1000


@dataclass(frozen=True, slots=True)
class DueItem:
    id: int  # with `due`, the keyset of the next page
    mrn: str
    lrn: str
    declarant: str
    consignee: str
    office: str
    accepted_at: datetime
    due: date
    overdue: bool


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    mrn: str
    due: date
    opened_at: datetime
    state: str
    note: str | None


def _visible(party: Party):
    """A company sees its own (declarant, representative, consignee); an office's officer its office's."""
    if party.is_officer:
        return d.c.office == party.office if party.office else None
    return or_(d.c.declarant_eori == party.eori, d.c.representative_eori == party.eori, d.c.consignee_id == party.eori)


def due_list(party: Party, today: date | None = None, *, overdue_only: bool = False, until: date | None = None,
             limit: int = 100, after: tuple[date, int] | None = None) -> list[DueItem]:
    """Supplementary declarations awaiting, earliest due first (overdue ones first): those due by `until` (or only
    the overdue ones), after the keyset `after` (the last item's due date and id) for the next page.

    One index-ordered read per state (awaiting, estimated), merged: each reads at most `limit` rows of the index."""
    today = today or clock.local(clock.now()).date()
    limit = min(max(limit, 1), 1000)
    last = today - timedelta(days=1) if overdue_only else (until or date.max)
    visible = _visible(party)
    rows = []
    with db.reading() as conn:
        for state in (states.AWAITING, states.ESTIMATED):
            query = (select(d.c.id, d.c.mrn, d.c.lrn, d.c.declarant_eori, d.c.consignee_id, d.c.office,
                            d.c.accepted_at, d.c.supplementary_due, d.c.state)
                     .where(d.c.supplementary_state == state, d.c.supplementary_due <= last)
                     .order_by(d.c.supplementary_due, d.c.id).limit(limit))
            if after is not None:
                query = query.where(or_(d.c.supplementary_due > after[0],
                                        and_(d.c.supplementary_due == after[0], d.c.id > after[1])))
            if visible is not None:
                query = query.where(visible)
            rows += conn.execute(query).all()
    rows = sorted(rows, key=lambda r: (r.supplementary_due, r.id))[:limit]
    overdue = [r for r in rows if r.supplementary_due < today]
    if overdue:
        _open_cases(overdue, today)
    return [DueItem(r.id, r.mrn, r.lrn, r.declarant_eori, r.consignee_id, r.office, r.accepted_at,
                    r.supplementary_due, r.supplementary_due < today) for r in rows]


def _open_cases(rows, today: date) -> int:
    """Open a case for each overdue declaration that has none; returns how many were opened."""
    opened = 0
    now = clock.now()
    with db.transaction() as conn:
        for r in rows:
            if conn.execute(select(c.c.id).where(c.c.declaration_id == r.id)).first() is not None:
                continue  # opened before: estimated already
            try:
                with conn.begin_nested():
                    conn.execute(insert(c).values(declaration_id=r.id, due=r.supplementary_due, opened_at=now,
                                                  state="open"))
            except IntegrityError:
                continue  # another computation opened it at the same time
            conn.execute(update(d).where(d.c.id == r.id, d.c.supplementary_state == states.AWAITING)
                         .values(supplementary_state=states.ESTIMATED, updated_at=now))
            record(conn, r.id, "system", now, "estimated_assessment", r.state,
                   {"due": r.supplementary_due.isoformat(), "today": today.isoformat()})
            opened += 1
    return opened


def sweep(party: Party, today: date | None = None) -> int:
    """Every overdue declaration without a case gets one (national officers; `told import sweep`)."""
    authorisation.require_officer(party, "import.due.sweep")
    today = today or clock.local(clock.now()).date()
    opened = 0
    while True:
        with db.reading() as conn:
            rows = conn.execute(select(d.c.id, d.c.supplementary_due, d.c.state)
                                .where(d.c.supplementary_state == states.AWAITING, d.c.supplementary_due < today)
                                .order_by(d.c.supplementary_due, d.c.id).limit(SWEEP_BATCH)).all()
        if not rows:
            return opened
        opened += _open_cases(rows, today)


def cases(party: Party, state: str | None = "open", limit: int = 100) -> list[Case]:
    """The estimated-assessment cases (an office's officer: its office's)."""
    authorisation.require_officer(party, "import.case.list")
    query = (select(c.c.id, d.c.mrn, c.c.due, c.c.opened_at, c.c.state, c.c.note)
             .select_from(c.join(d, d.c.id == c.c.declaration_id)).order_by(c.c.id).limit(min(limit, 1000)))
    if state:
        query = query.where(c.c.state == state)
    if party.office:
        query = query.where(d.c.office == party.office)
    with db.reading() as conn:
        return [Case(*r) for r in conn.execute(query)]


def close_case(party: Party, case_id: int, note: str = "") -> Case:
    """The officer has assessed the duties by estimate: the case is closed with a note."""
    authorisation.require_officer(party, "import.case.close")
    now = clock.now()
    with db.transaction() as conn:
        row = conn.execute(select(c, d.c.mrn, d.c.office).select_from(c.join(d, d.c.id == c.c.declaration_id))
                           .where(c.c.id == case_id)).first()
        if row is None:
            raise NotFound(problem("import.case.unknown", "/case_id", f"no case {case_id}", f"ingen sag {case_id}"))
        if row.state != "open":
            raise Conflict(problem("import.case.closed", "/case_id", f"case {case_id} is closed",
                                   f"sag {case_id} er lukket"))
        conn.execute(update(c).where(c.c.id == case_id).values(state="closed", closed_at=now,
                                                               closed_by=party.name, note=note[:2000]))
        record(conn, row.declaration_id, party, now, "case_closed", "released", {"case": case_id, "note": note[:2000]})
    return Case(case_id, row.mrn, row.due, row.opened_at, "closed", note[:2000])
