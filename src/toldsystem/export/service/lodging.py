"""Lodging an export declaration (SPEC E): B1 standard, C1 simplified, pre-lodged; the kind rules of
export/rules; accepted → an export MRN (unique under concurrency) and ACCEPTED; refused → REJECTED with the
pointers. Idempotent per declarant and LRN: the same declaration again gets the same answer."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, Forbidden, Problem, problem
from toldsystem.export import authorisation, rules, store
from toldsystem.export.messages import notifications, value_of
from toldsystem.export.service.reading_in import Reading
from toldsystem.export.service.units import Notification, Outcome, add_event, notify, recipient

LODGED_KINDS = ("declaration", "simplified")


def lodge(party: Party, reading: Reading, *, at: datetime | None = None, fallback: bool = False) -> Outcome:
    """Lodge a declaration read before (XML or JSON); one unit of work. `fallback`: it began on paper under the
    fallback procedure (seed 002, "Eksport") and is keyed in afterwards."""
    at = at or clock.now()
    if reading.problems:  # whoever sent it: nothing of it is stored
        return _rejected(party, None, list(reading.problems), at, reading.lrn)
    authorisation.require_company(party)
    data = reading.data
    lrn = value_of(data.get("FunctionalReferenceID"))
    if reading.kind not in LODGED_KINDS:
        return _rejected(party, data, [problem("export.lodge.kind", "/Declaration",
                                               f"A {reading.kind} is not a declaration to lodge.",
                                               f"En {reading.kind} er ikke en angivelse, der kan indgives.")], at, lrn)
    declarant = value_of((data.get("Declarant") or {}).get("ID")) or ""
    agent = value_of((data.get("Agent") or {}).get("ID"))
    has_power = bool(agent) and agent == party.eori and bool(companies.power_scopes(declarant, agent))
    refused = authorisation.lodging_problem(party, declarant, agent, has_power)
    if refused:
        raise Forbidden(refused)
    for _attempt in range(2):
        with db.transaction() as conn:
            earlier = _earlier(conn, declarant, lrn, reading.digest)
            if earlier is not None:
                return earlier
            found = _problems(conn, data, declarant)
            if found:
                return _rejected(party, data, found, at, lrn, conn)
            try:
                with conn.begin_nested():
                    return _accept(conn, party, reading, declarant, agent, at, fallback)
            except IntegrityError:
                pass  # the same LRN lodged at the same moment: its answer is read on the next turn
    raise Conflict(problem("export.lodge.busy", "/", "The declaration could not be stored; send it again.",
                           "Angivelsen kunne ikke gemmes; send den igen."))


def _problems(conn: Connection, data: dict, declarant: str) -> list[Problem]:
    """The kind rules and the MRN letter (export/rules): a supplementary one is checked against the
    simplified declaration its previous document names, when it is the declarant's."""
    previous = [value_of(d.get("ID")) for d in (data.get("GoodsShipment") or {}).get("PreviousDocument") or []]
    simplified = conn.execute(select(store.declarations.c.type_code).where(
        store.declarations.c.mrn.in_([p for p in previous if p]),
        store.declarations.c.declarant_eori == declarant)).scalar() if previous else None
    found = rules.declaration_problems(data, simplified_type_code=simplified)
    letter = rules.procedure_letter_of(data)
    if isinstance(letter, Problem):
        found.append(letter)
    return found


def _earlier(conn: Connection, declarant: str, lrn: str, digest: str) -> Outcome | None:
    """The declarant's declaration with this LRN: the same answer again for the same content, else 409."""
    row = conn.execute(select(store.declarations).where(store.declarations.c.declarant_eori == declarant,
                                                        store.declarations.c.lrn == lrn)).first()
    if row is None:
        return None
    if row.digest != digest:
        raise Conflict(problem("export.lrn.used", "/Declaration/FunctionalReferenceID",
                               f"The LRN {lrn} is already used for another declaration ({row.mrn}).",
                               f"LRN {lrn} er allerede brugt til en anden angivelse ({row.mrn})."))
    answers = conn.execute(select(store.messages).where(
        store.messages.c.declaration_id == row.id, store.messages.c.direction == "out",
        store.messages.c.kind == notifications.ACCEPTED).order_by(store.messages.c.id)).all()
    return Outcome(row.mrn, row.state, [Notification(m.id, m.party, m.kind, jsontext.loads(m.data), m.created_at)
                                        for m in answers], repeated=True)


def _accept(conn: Connection, party: Party, reading: Reading, declarant: str, agent: str | None, at: datetime,
            fallback: bool) -> Outcome:
    data = reading.data
    office = value_of((data.get("ExportOffice") or {}).get("identification")) or value_of(
        data.get("DeclarationOfficeID")) or ""
    letter = rules.procedure_letter_of(data)
    mrn = allocate_mrn(conn, office, letter, at)
    typed = rules.export_declaration_of(data, mrn=mrn, started_under_fallback=fallback)
    representative = agent if agent and agent != declarant else None
    new_id = conn.execute(insert(store.declarations).values(
        declarant_eori=declarant, representative_eori=representative,
        exporter_eori=value_of((data.get("Exporter") or {}).get("ID")), lrn=typed.lrn, mrn=mrn,
        kind=typed.kind.value, type_code=value_of(data.get("TypeCode")), state=typed.status.value,
        office_of_export=office, office_of_exit=typed.exit_office, fallback=fallback, digest=reading.digest,
        data=jsontext.dumps(data),
        xml=reading.xml, lodged_at=at, accepted_at=at if typed.status == rules.Status.ACCEPTED else None,
        updated_at=at).returning(store.declarations.c.id)).scalar_one()
    add_event(conn, new_id, "lodged", typed.status.value, party, at,
              {"kind": reading.kind, "type_code": value_of(data.get("TypeCode")), "fallback": fallback})
    sent = notify(conn, new_id, [recipient(party), declarant, representative], notifications.ACCEPTED,
                  notifications.accepted(data, mrn, at), at, typed.lrn)
    return Outcome(mrn, typed.status.value, sent)


def _rejected(party: Party, data: dict | None, found: list[Problem], at: datetime, lrn: str | None,
              conn: Connection | None = None) -> Outcome:
    """REJECTED to the sender, with a pointer and both texts per problem; nothing else is stored."""
    body = notifications.rejected(data or {"FunctionalReferenceID": lrn}, found, at)
    if conn is None:
        with db.transaction() as own:
            sent = notify(own, None, [recipient(party)], notifications.REJECTED, body, at, lrn)
    else:
        sent = notify(conn, None, [recipient(party)], notifications.REJECTED, body, at, lrn)
    return Outcome(None, None, sent, tuple(found))


def allocate_mrn(conn: Connection, office: str, letter: str, at: datetime) -> str:
    """The office of export's next serial this year, atomically, drawn through the office-year's own key
    (transit.mrn.drawn_serial), as an export MRN (export/rules.export_mrn)."""
    year, table = clock.local(at).year, store.mrn_serials
    while True:
        row = conn.execute(update(table).where(table.c.office == office, table.c.year == year)
                           .values(last=table.c.last + 1).returning(table.c.last, table.c.serial_key)).first()
        if row is not None:
            return rules.export_mrn(office, year, row.last, bytes.fromhex(row.serial_key), letter)
        try:
            with conn.begin_nested():
                conn.execute(insert(table).values(office=office, year=year, last=0, serial_key=secrets.token_hex(32)))
        except IntegrityError:
            pass  # another unit of work created the row first
