"""A pre-lodged declaration (CC015C, additionalDeclarationType D) meets its goods: the presentation
notification (CC170C) completes it, and only then are the MRN allocated (CC028C), the guarantee
checked and the movement released (TIS process flows, "Pre-lodgement message flows")."""

from __future__ import annotations

import re

from sqlalchemy import Connection, update

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Problem, problem
from toldsystem.transit import answers, context, states, store
from toldsystem.transit.declaration import declaration_from_data
from toldsystem.transit.rules import check_declaration
from toldsystem.transit.service.departure import PRE_LODGED_TYPE, allocate_mrn, guarantee_outcome
from toldsystem.transit.service.log import IntakeResult, append_events, log_incoming, reject, store_answers
from toldsystem.transit.service.movements import for_message, wrong_state

# The consignment data a presentation notification states (CC170C's Consignment, in schema order).
_PRESENTED = ("containerIndicator", "inlandModeOfTransport", "modeOfTransportAtTheBorder", "TransportEquipment",
              "LocationOfGoods", "DepartureTransportMeans", "ActiveBorderTransportMeans", "PlaceOfLoading")


def present(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC170C: the goods of a pre-lodged declaration are presented; a presentation that is out of
    sequence or makes the declaration invalid is rejected with CC056C and the declaration waits on."""
    now = clock.now()
    movement = for_message(conn, party, data, "CC170C")
    log_incoming(conn, movement.id, data, xml, party, now)
    declared = jsontext.loads(movement.declaration)
    found = presentation_problems(movement.state, declared, data)
    if found:
        return reject(conn, party, declared | {"messageType": "CC170C"}, found, now, movement.id, movement.mrn)
    presented = presented_declaration(declared, data)
    proofs = jsontext.loads(movement.access_proofs) if movement.access_proofs else {}
    decl = declaration_from_data(presented)
    found = decl if isinstance(decl, list) else [
        p for p in check_declaration(decl, context.for_declaration(conn, movement.holder_eori, None, now))
        if not kept_as_proof(p, presented, proofs)]
    if found:
        return reject(conn, party, presented | {"messageType": "CC170C"}, found, now, movement.id, movement.mrn)
    mrn = allocate_mrn(conn, movement.office_of_departure, presented["TransitOperation"].get("security"), now)
    state, events, outgoing = guarantee_outcome(conn, presented, mrn, movement.simplified, now, accepted=now,
                                                proofs=proofs)
    # Accepted now (UCC art. 172: a pre-lodged declaration is accepted when the goods are presented);
    # the proofs of its access codes have served their purpose.
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id).values(
        mrn=mrn, state=state, declaration=jsontext.dumps(presented), access_proofs=None, submitted_at=now,
        updated_at=now))
    append_events(conn, movement.id, party, now, [("presented", states.ACCEPTED, {"mrn": mrn}), *events])
    allocated = [("CC028C", movement.holder_eori, answers.cc028c(presented, mrn, now))]
    return IntakeResult(store_answers(conn, movement.id, data, now, allocated + outgoing), mrn)


_ACCESS_CODE_AT = re.compile(r"/CC015C/Guarantee\[(\d+)\]/GuaranteeReference\[(\d+)\]/accessCode")


def kept_as_proof(found: Problem, declaration: dict, proofs: dict[str, str]) -> bool:
    """A missing access code that the declaration did give: only its proof was kept (SPEC G), and the
    guarantee check uses that."""
    at = _ACCESS_CODE_AT.fullmatch(found.pointer)
    if at is None:
        return False
    guarantee, reference = int(at[1]) - 1, int(at[2]) - 1
    refs = declaration.get("Guarantee", [])[guarantee:guarantee + 1]
    refs = refs[0].get("GuaranteeReference", [])[reference:reference + 1] if refs else []
    return bool(refs) and refs[0].get("GRN") in proofs


def presentation_problems(state: str, declared: dict, presentation: dict) -> list[Problem]:
    """CC170C is for a pre-lodged declaration (type D) not yet presented, at its office of departure."""
    found = []
    declared_type = declared["TransitOperation"].get("additionalDeclarationType", "A")
    if declared_type != PRE_LODGED_TYPE:
        found.append(problem("presentation.not_pre_lodged", "/CC170C/TransitOperation/LRN",
                             f"CC170C presents a pre-lodged declaration (additional declaration type D); "
                             f"this one is of type {declared_type} and its goods were presented with it",
                             f"CC170C frembyder varerne til en forudgående angivelse (type D); denne er af type "
                             f"{declared_type}, og varerne blev frembudt med den"))
    elif state != states.PRE_LODGED:
        found.append(wrong_state("CC170C", state, "/CC170C/TransitOperation/LRN"))
    office = presentation["CustomsOfficeOfDeparture"]["referenceNumber"]
    if office != declared["CustomsOfficeOfDeparture"]["referenceNumber"]:
        found.append(problem("presentation.office_of_departure", "/CC170C/CustomsOfficeOfDeparture/referenceNumber",
                             f"the goods are presented at the declared office of departure "
                             f"{declared['CustomsOfficeOfDeparture']['referenceNumber']}, not at {office}",
                             f"varerne frembydes på det angivne afgangstoldsted "
                             f"{declared['CustomsOfficeOfDeparture']['referenceNumber']}, ikke på {office}"))
    return found


def presented_declaration(declared: dict, presentation: dict) -> dict:
    """The declaration completed by its presentation: where the goods are, how they travel, the time limit."""
    consignment = dict(declared["Consignment"])
    stated = presentation.get("Consignment", {})
    consignment.update({key: stated[key] for key in _PRESENTED if key in stated})
    means = {h["sequenceNumber"]: h["DepartureTransportMeans"] for h in stated.get("HouseConsignment", [])
             if h.get("DepartureTransportMeans")}
    if means:
        consignment["HouseConsignment"] = [
            {**house, "DepartureTransportMeans": means[house["sequenceNumber"]]}
            if house.get("sequenceNumber") in means else house for house in consignment.get("HouseConsignment", [])]
    operation = dict(declared["TransitOperation"])
    if presentation["TransitOperation"].get("limitDate"):
        operation["limitDate"] = presentation["TransitOperation"]["limitDate"]
    return {**declared, "TransitOperation": operation, "Consignment": consignment}
