"""Incidents registered on the way: an office where an incident happened (e.g. the one that attested a
transhipment) registers it, and the office of departure forwards it to the holder with CC182C (TIS
"Recovery initiation on incident occurrence"). Incidents the trader reports in the arrival
notification are recorded by destination.arrive."""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Rejected, problem
from toldsystem.reference import service as reference
from toldsystem.transit import answers, answers_holder, incidents, messages, states
from toldsystem.transit.rules import incident_problems
from toldsystem.transit.service.log import StoredMessage, answering, append_events, send_to_holder_side
from toldsystem.transit.service.movements import require_on, require_state


def register_incidents(officer: Party, mrn: str, office: str, reported: list[dict]) -> list[StoredMessage]:
    """Record the incidents (phase 5 Incident blocks) on the movement and forward them in CC182C."""
    now = clock.now()
    found = incident_problems(reported, "/incidents")
    if reference.snapshot().office(office) is None:
        found.append(problem("incident.office_unknown", "office", f"customs office {office} is not in the "
                             "reference list", f"toldsted {office} findes ikke i referencelisten"))
    if not reported or len(reported) > 9:
        found.append(problem("incident.count", "incidents", "one CC182C forwards 1 to 9 incidents",
                             "en CC182C videresender 1 til 9 hændelser"))
    if found:
        raise Rejected(found)
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.register_incident", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.register_incident"], "register an incident for")
        body = answers_holder.cc182c(jsontext.loads(movement.declaration), mrn, now, office, reported)
        # As given, not as fitted: an incident that does not fit the official type is refused, not dropped.
        body["Consignment"] = {"Incident": answers_holder.numbered(reported)}
        schema_found = messages.validate_data("CC182C", answers.with_header("CC182C", movement.holder_eori, now,
                                                                            body, None))
        if schema_found:  # the incidents as given do not fit the official Incident type
            raise Rejected([problem(p.code, "incidents" + p.pointer.removeprefix("/CC182C/Consignment/Incident"),
                                    p.en, p.da) for p in schema_found])
        append_events(conn, movement.id, officer, now, [
            ("incident_registered", movement.state, incidents.recorded(incident, reported_by=f"office {office}"))
            for incident in reported])
        sent.extend(send_to_holder_side(conn, movement, "CC182C", body, None, now))
        return sent
