"""Acceptance and the release decision (seed 004): the rules, the MRN, duties from the active tariff, the lane
from the active selectivity rule set (seeded, recorded), presentation of a pre-lodged declaration, the officer's
control result."""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, Problem, Rejected, problem
from toldsystem.imports import authorisation, reading, states, store
from toldsystem.imports.authorisation import DeclarationParties
from toldsystem.imports.messages import notifications as dms
from toldsystem.imports.mrn import import_mrn
from toldsystem.imports.rules import check_declaration
from toldsystem.imports.rules.duties import compute_duties
from toldsystem.imports.rules.facts import danish_day
from toldsystem.imports.rules.model import Declaration, Procedure
from toldsystem.imports.rules.release import decision_ready_at_arrival
from toldsystem.imports.rules.selectivity import select_lane
from toldsystem.imports.rules.selectivity_language import Lane, parse_rules
from toldsystem.imports.rules.supplementary import supplementary_due_date
from toldsystem.imports.service import notice, settings
from toldsystem.imports.service.facts import facts_for
from toldsystem.imports.service.log import Notification, Outcome, notify, recipient, record

DUTIABLE = frozenset({Procedure.FULL_EXPRESS, Procedure.STANDARD, Procedure.SUPPLEMENTARY,
                      Procedure.PERIODIC_COMBINED, Procedure.LETTER_POST})
_NO_RULES = parse_rules("")
_CONTROL = {Lane.YELLOW: "documentary", Lane.RED: "physical"}

# The rules' model pointers, as DEC-DMS pointers in the notification (the element that carries what is wrong).
_POINTERS = ((re.compile(r"^/goods/(\d+)/commodityCode$"),
              r"/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[\1]/Commodity/Classification"),
             (re.compile(r"^/goods/(\d+)(/.*)?$"), r"/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[\1]"),
             (re.compile(r"^/goods$"), "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem"),
             (re.compile(r"^/(additionalDeclarationType|procedure)(/.*)?$"), "/Declaration/TypeCode"),
             (re.compile(r"^/authorisations(/.*)?$"), "/Declaration/Authorisation"),
             (re.compile(r"^/previousDocument(/.*)?$"), "/Declaration/GoodsShipment/PreviousDocument"),
             (re.compile(r"^/consignee(/.*)?$"), "/Declaration/GoodsShipment/Importer"),
             (re.compile(r"^/(powersOfAttorney|declarant)(/.*)?$"), "/Declaration/Agent"),
             (re.compile(r"^/lodgedAt$"), "/Declaration"))


def dms_pointers(problems: list[Problem]) -> list[Problem]:
    out = []
    for found in problems:
        pointer = found.pointer
        for pattern, target in _POINTERS:
            if pattern.match(pointer):
                pointer = pattern.sub(target, pointer, count=1)
                break
        out.append(replace(found, pointer=pointer))
    return out


def parties_of(row) -> DeclarationParties:
    return DeclarationParties(row.declarant_eori, row.representative_eori, row.consignee_id, row.office)


def mrn_of(conn: Connection, declaration_id: int) -> str | None:
    return conn.execute(select(store.declarations.c.mrn).where(store.declarations.c.id == declaration_id)).scalar()


def wrong_state(row, what: str) -> Problem:
    return problem("import.state", "/Declaration/ID", f"declaration {row.mrn} is {row.state}: it can no longer be {what}",
                   f"angivelse {row.mrn} er {row.state}: den kan ikke længere {what}")


def _simplified_for(conn: Connection, data: dict):
    """A supplementary declaration's simplified one: the first previous document that is one, of this consignee."""
    d = store.declarations.c
    for mrn in reading.previous_mrns(data):
        row = conn.execute(select(store.declarations).where(d.mrn == mrn.upper())).first()
        if (row is not None and row.procedure == Procedure.SIMPLIFIED_EXPRESS and row.accepted_at is not None
                and row.consignee_id == reading.consignee_of(data) and row.state != states.INVALIDATED):
            return row
    return None


def check_new(conn: Connection, data: dict, lodged_at: datetime, presented: datetime | None = None
              ) -> Declaration | list[Problem]:
    """The declaration as the rules read it, or every problem: the rules, and those that need the store."""
    kind = reading.additional_type(data)
    if reading.procedure_of(data) is None:
        return [problem("import.additional_type.unknown", "/Declaration/TypeCode",
                        f"additional declaration type {kind!r} is not taken: use A, D (full express), C, F "
                        "(simplified express) or Y (supplementary)",
                        f"supplerende angivelsestype {kind!r} modtages ikke: brug A, D, C, F eller Y")]
    simplified = _simplified_for(conn, data) if kind == "Y" else None
    presented_at = presented if presented is not None else (None if kind in reading.PRE_LODGED_TYPES else lodged_at)
    facts = facts_for(conn, data, reading.declarant_of(data), reading.forwarder_of(data), reading.consignee_of(data),
                      danish_day(lodged_at),
                      simplified.accepted_at if simplified is not None else None)
    decl = reading.to_declaration(data, facts, lodged_at=lodged_at, presented_at=presented_at,
                                  actual_arrival=presented_at)
    tariff = settings.active_tariff(conn)
    found = check_declaration(decl, lodged_at, tariff.tariff if tariff else None)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{6}", reading.office_of(data)):
        found.append(problem("import.office", "/Declaration/PresentationOffice/ID",
                             "name the customs office where the goods are presented (e.g. DK003102)",
                             "angiv toldstedet, hvor varerne frembydes (fx DK003102)"))
    if tariff is not None and decl.procedure in DUTIABLE:
        duties = compute_duties(decl.goods, tariff.tariff)
        if isinstance(duties, list):
            found.extend(duties)
    return found or decl


def model_of(conn: Connection, row) -> Declaration | None:
    """The stored declaration as the rules see it now (the parties' facts looked up again)."""
    data = jsontext.loads(row.data)
    facts = facts_for(conn, data, row.declarant_eori, reading.forwarder_of(data), row.consignee_id,
                      danish_day(row.lodged_at))
    return reading.to_declaration(data, facts, lodged_at=row.lodged_at, presented_at=row.presented_at,
                                  actual_arrival=row.arrival_at or row.presented_at, identifier=row.mrn)


def allocate_mrn(conn: Connection, office: str, now: datetime) -> str:
    """The office-year's next serial, atomically; drawn through its own permutation key."""
    year, s = clock.local(now).year, store.mrn_serials
    while True:
        row = conn.execute(update(s).where(s.c.office == office, s.c.year == year).values(last=s.c.last + 1)
                           .returning(s.c.last, s.c.serial_key)).first()
        if row is not None:
            return import_mrn(office, year, row.last, bytes.fromhex(row.serial_key))
        try:
            with conn.begin_nested():
                conn.execute(insert(s).values(office=office, year=year, last=0, serial_key=secrets.token_hex(32)))
        except IntegrityError:
            pass  # another transaction made the row first


def send_to_parties(conn: Connection, row, party: Party | None, body: dict, now: datetime) -> list[Notification]:
    """The notification to the declarant and the representative (the caller's first)."""
    first = recipient(party) if party is not None and not party.is_officer else None
    order = list(dict.fromkeys(x for x in (first, row.declarant_eori, row.representative_eori) if x))
    if first is None and party is not None:
        order.append(recipient(party))
    return [notify(conn, row.id, who, body, row.lrn, now) for who in order]


def _row(conn: Connection, declaration_id: int):
    return conn.execute(select(store.declarations).where(store.declarations.c.id == declaration_id)).one()


def accept(conn: Connection, party: Party, data: dict, xml: str | None, decl: Declaration, now: datetime) -> Outcome:
    """A declaration that passed every rule: stored with its MRN; ACCEPTED, then the decision (or, pre-lodged, the
    wait for presentation)."""
    office, kind = reading.office_of(data), decl.additional_type
    mrn = allocate_mrn(conn, office, now)
    declarant, agent = reading.declarant_of(data), reading.agent_of(data)
    pre_lodged = kind in reading.PRE_LODGED_TYPES
    simplified = _simplified_for(conn, data) if kind == "Y" else None
    values = dict(
        declarant_eori=declarant, representative_eori=agent if agent and agent != declarant else None,
        consignee_id=reading.consignee_of(data), lrn=reading.lrn_of(data), mrn=mrn, procedure=decl.procedure.value,
        additional_type=kind, state=states.PRE_LODGED if pre_lodged else states.ACCEPTED,
        lodged_electronically=decl.lodged_electronically, office=office, lodged_at=now,
        accepted_at=None if pre_lodged else now, presented_at=None if pre_lodged else now,
        simplified_mrn=simplified.mrn if simplified is not None else None,
        data=jsontext.dumps(data), xml=xml, updated_at=now)
    declaration_id = conn.execute(insert(store.declarations).values(**values)).inserted_primary_key[0]
    record(conn, declaration_id, party, now, "lodged", values["state"], {"lrn": values["lrn"], "mrn": mrn,
                                                                         "procedure": decl.procedure.value})
    row = _row(conn, declaration_id)
    sent = send_to_parties(conn, row, party, dms.accepted(data, mrn, now), now)
    if simplified is not None:
        conn.execute(update(store.declarations).where(store.declarations.c.id == simplified.id)
                     .values(supplementary_state=states.LODGED, supplementary_mrn=mrn, updated_at=now))
        record(conn, simplified.id, party, now, "supplementary_lodged", simplified.state, {"supplementary": mrn})
    if not pre_lodged:
        sent += _accepted_now(conn, party, row, data, decl, now)
    return Outcome(sent, mrn)


def _accepted_now(conn: Connection, party: Party | None, row, data: dict, decl: Declaration,
                  now: datetime) -> list[Notification]:
    """At acceptance: duties, a simplified one's due date and the consignee's notice; then the lane (not for Y)."""
    sent: list[Notification] = []
    tariff = settings.active_tariff(conn)
    changes: dict = {}
    duties = None
    if tariff is not None and decl.procedure in DUTIABLE:
        duties = compute_duties(decl.goods, tariff.tariff)
        changes |= {"duty_total": str(duties.duty.amount), "vat_total": str(duties.vat.amount),
                    "duties_currency": duties.total.currency, "tariff_version": tariff.version}
    if decl.procedure == Procedure.SIMPLIFIED_EXPRESS:
        due = supplementary_due_date(now, decl.lodged_electronically)
        changes |= {"supplementary_due": due, "supplementary_state": states.AWAITING}
        sent += send_to_parties(conn, row, party, dms.supplementary_due(data, row.mrn, now, due), now)
        if decl.represented:
            notice.send(conn, row, decl, now)
    if changes:
        conn.execute(update(store.declarations).where(store.declarations.c.id == row.id).values(**changes))
    if duties is not None:
        record(conn, row.id, party or "system", now, "duties", row.state,
               {"duty": str(duties.duty.amount), "vat": str(duties.vat.amount), "currency": duties.total.currency,
                "tariff_version": tariff.version})
    if decl.procedure != Procedure.SUPPLEMENTARY:
        sent += _decide(conn, party, row, data, decl, now)
    return sent


def _decide(conn: Connection, party: Party | None, row, data: dict, decl: Declaration,
            now: datetime) -> list[Notification]:
    """The lane from the active rule set under its seed; green and blue release, yellow and red go to control."""
    active = settings.active_rules(conn)
    chosen = select_lane(replace(decl, id=row.mrn), active.rules if active else _NO_RULES,
                         active.seed if active else "none")
    state = states.RELEASED if chosen.released else states.UNDER_CONTROL
    reason = chosen.en if active else f"{chosen.en} (no selectivity rule set is active)"
    conn.execute(update(store.declarations).where(store.declarations.c.id == row.id).values(
        lane=chosen.lane.value, lane_chosen_by=chosen.chosen_by, lane_reason=reason,
        selection_seed=active.seed if active else None, rule_set_version=active.version if active else None,
        state=state, released_at=now if chosen.released else None, updated_at=now))
    record(conn, row.id, party or "system", now, "selected", state, {
        "lane": chosen.lane.value, "chosen_by": chosen.chosen_by, "reason": reason, "draw": chosen.draw.value,
        "criterion": {"line": chosen.criterion.line, "text": chosen.criterion.text} if chosen.criterion else None,
        "matched": [{"line": c.line, "text": c.text} for c in chosen.matched],
        "rule_set_version": active.version if active else None,
        "ready_at_arrival": decision_ready_at_arrival(decl)})
    if chosen.released:
        return send_to_parties(conn, row, party, dms.released(data, row.mrn, now), now)
    return send_to_parties(conn, row, party, dms.selected_for_control(data, row.mrn, now, _CONTROL[chosen.lane]), now)


def _find(conn: Connection, party: Party, mrn: str, rule_name: str):
    row = conn.execute(select(store.declarations).where(store.declarations.c.mrn == mrn.strip().upper())).first()
    if row is None:
        raise authorisation.unknown_declaration(mrn)
    authorisation.require(rule_name, party, parties_of(row), mrn)
    return row


def present(party: Party, mrn: str, arrived_at: datetime | None = None) -> Outcome:
    """The goods of a pre-lodged declaration (D, F) are presented at its office (arrived): accepted now, then the
    decision — ready at arrival when lodged at least 2 hours before it (seed 004)."""
    now = clock.now()
    arrived = (arrived_at or now).astimezone(UTC)
    with db.transaction() as conn:
        row = _find(conn, party, mrn, "import.declaration.present")
        if row.state != states.PRE_LODGED:
            raise Conflict(wrong_state(row, "presented"))
        data = jsontext.loads(row.data)
        checked = check_new(conn, data, row.lodged_at, presented=arrived)
        if isinstance(checked, list):
            raise Rejected(dms_pointers(checked))
        conn.execute(update(store.declarations).where(store.declarations.c.id == row.id).values(
            presented_at=arrived, arrival_at=arrived, accepted_at=arrived, state=states.ACCEPTED, updated_at=now))
        record(conn, row.id, party, now, "presented", states.ACCEPTED, {"arrived_at": arrived.isoformat()})
        row = _row(conn, row.id)
        return Outcome(_accepted_now(conn, party, row, data, checked, arrived), row.mrn)


def record_control_result(party: Party, mrn: str, released: bool, note: str = "") -> Outcome:
    """The officer's control result: released, or release refused."""
    now = clock.now()
    with db.transaction() as conn:
        row = _find(conn, party, mrn, "import.declaration.control_result")
        if row.state != states.UNDER_CONTROL:
            raise Conflict(wrong_state(row, "controlled"))
        state = states.RELEASED if released else states.REFUSED
        conn.execute(update(store.declarations).where(store.declarations.c.id == row.id).values(
            state=state, released_at=now if released else None, updated_at=now))
        record(conn, row.id, party, now, "control_result", state, {"released": released, "note": note[:2000]})
        data = jsontext.loads(row.data)
        if released:
            body = dms.released(data, row.mrn, now)
        else:
            body = dms.rejected(data, [problem("import.control.refused", "/Declaration",
                                               f"release refused after control{': ' + note if note else ''}",
                                               f"frigivelse nægtet efter kontrol{': ' + note if note else ''}")], now)
            body["Declaration"]["MRN"] = row.mrn
        return Outcome(send_to_parties(conn, row, party, body, now), row.mrn)
