"""A pre-lodged declaration (CC015C, additionalDeclarationType D) meets its goods: the presentation
notification (CC170C) completes it, and only then are the MRN allocated (CC028C), the guarantee
checked and the movement released (TIS process flows, "Pre-lodgement message flows")."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from toldsystem.access.rules import Party, officer_roles, refusal
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Forbidden, NotFound, problem
from toldsystem.transit import answers, answers_holder, authorisation, context, states, store
from toldsystem.transit.declaration import declaration_from_data
from toldsystem.transit.presentation import (kept_as_proof, not_presented_problem, presentation_overdue,
                                             presentation_problems, presented_declaration)
from toldsystem.transit.rules import check_declaration
from toldsystem.transit.service.departure import allocate_mrn, guarantee_outcome
from toldsystem.transit.service.log import (IntakeResult, StoredMessage, answering, append_events, log_incoming,
                                            reject, send_to_holder_side, set_state, store_answers, to_holder_side)
from toldsystem.transit.service.movements import for_message, require_rule, require_state

def present(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC170C: the goods of a pre-lodged declaration are presented; a presentation that is out of
    sequence or makes the declaration invalid is rejected with CC056C and the declaration waits on."""
    now = clock.now()
    movement = for_message(conn, party, data, "CC170C")
    log_incoming(conn, movement.id, data, xml, party, now)
    declared = jsontext.loads(movement.declaration)
    found = presentation_problems(movement.state, declared, data)
    if not found and presentation_overdue(movement.submitted_at, now):
        found = [not_presented_problem(movement.submitted_at, "/CC170C/TransitOperation/LRN")]
    if found:
        return reject(conn, party, declared | {"messageType": "CC170C"}, found, now, movement.id, movement.mrn)
    presented = presented_declaration(declared, data)
    proofs = jsontext.loads(movement.access_proofs) if movement.access_proofs else {}
    decl = declaration_from_data(presented)
    found = decl if isinstance(decl, list) else [
        p for p in check_declaration(decl, context.for_declaration(conn, movement.holder_eori, None, now, decl))
        if not kept_as_proof(p, presented, proofs)]
    if found:
        return reject(conn, party, presented | {"messageType": "CC170C"}, found, now, movement.id, movement.mrn)
    mrn = allocate_mrn(conn, movement.office_of_departure, presented["TransitOperation"].get("security"), now)
    # A control the office announced (CC060C type 2) keeps even an authorised consignor's goods for it.
    released_at_once = movement.simplified and not _control_intended(conn, movement.id)
    state, events, outgoing = guarantee_outcome(party, presented, mrn, released_at_once, now, accepted=now,
                                                proofs=proofs)
    # Accepted now (UCC art. 172: a pre-lodged declaration is accepted when the goods are presented);
    # the proofs of its access codes have served their purpose.
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id).values(
        mrn=mrn, state=state, declaration=jsontext.dumps(presented), access_proofs=None, submitted_at=now,
        updated_at=now))
    append_events(conn, movement.id, party, now, [("presented", states.ACCEPTED, {"mrn": mrn}), *events])
    allocated = [("CC028C", answers.cc028c(presented, mrn, now))]
    answers_ = to_holder_side(movement.holder_eori, movement.representative_eori, allocated + outgoing)
    return IntakeResult(store_answers(conn, movement.id, data, now, answers_), mrn)


def intend_control(officer: Party, holder: str, lrn: str, controls: list[str],
                   text: str | None = None) -> list[StoredMessage]:
    """CC060C, notification type 2 (intention to control): after its risk analysis the office may
    control the goods of a pre-lodged declaration when they are presented; the movement then waits
    for the office after the presentation, even an authorised consignor's (TIS "Transit presentation
    notification valid", step 3)."""
    now = clock.now()
    m = store.movements
    with answering() as (conn, sent):
        query = select(m).where(m.c.holder_eori == holder, m.c.lrn == lrn)
        movement = conn.execute(query.with_for_update() if conn.dialect.name == "postgresql" else query).first()
        unknown = NotFound(problem("movement.unknown", "lrn", f"no declaration of {holder} with LRN {lrn}",
                                   f"ingen angivelse fra {holder} med LRN {lrn}"))
        if movement is None:
            raise unknown
        require_rule(officer, "pre_lodged.control", movement, unknown)
        require_state(movement, {states.PRE_LODGED}, "announce a control of")
        set_state(conn, movement.id, states.PRE_LODGED, "control_intended", officer, {"controls": controls})
        notice = answers_holder.cc060c_intention(jsontext.loads(movement.declaration), now, controls, text)
        sent.extend(send_to_holder_side(conn, movement, "CC060C", notice, None, now))
        return sent


def _control_intended(conn: Connection, movement_id: int) -> bool:
    e = store.movement_events
    return conn.execute(select(e.c.id).where(e.c.movement_id == movement_id, e.c.event == "control_intended")
                        .limit(1)).first() is not None


def expire_unpresented(actor: Party) -> list[StoredMessage]:
    """Pre-lodged declarations whose goods were not presented within 30 days are deemed not lodged:
    CC056C to the holder, and the movement ends (state not_presented). Run daily (told transit
    expire-pre-lodged)."""
    now = clock.now()
    refused = refusal(authorisation.RULES["pre_lodged.expire"], officer_roles(actor), frozenset(), True,
                      Forbidden([]))
    if refused is not None:
        raise refused
    m = store.movements
    with answering() as (conn, sent):
        waiting = conn.execute(select(m).where(m.c.state == states.PRE_LODGED).order_by(m.c.id)).all()
        for movement in (w for w in waiting if presentation_overdue(w.submitted_at, now)):
            declared = jsontext.loads(movement.declaration)
            found = [not_presented_problem(movement.submitted_at)]
            set_state(conn, movement.id, states.NOT_PRESENTED, "not_presented", actor, {"reason": found[0].en})
            body = answers.cc056c(declared, found, now, rejection_type="015")
            sent.extend(send_to_holder_side(conn, movement, "CC056C", body, None, now, problems=found))
        return sent
