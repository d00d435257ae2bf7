"""The states of an export declaration and the allowed transitions (SPEC E; seed 002; UCC art. 172-174).

SPEC E: declaration → MRN → release (or control first) → presented at the office of exit → arrival at
exit → exit confirmation. Seed 002 ("Nødprocedure ved udgangstoldstedet"): the arrival notification is
inserted first, then the Manifest departure, which inserts the exit confirmation, so an exit is
confirmed only after the arrival at exit. A pre-lodged declaration is accepted when the goods are
presented (UCC art. 171-172). An amendment is allowed before release and not once a control is
announced (UCC art. 173(1)-(2)); after release a correction is allowed until the exit is confirmed
and after it (UCC art. 173(3); seed 002: the office inserts the fallback remark "ved indsendelse af en
rettelse"). Invalidation is allowed until the goods are presented at the office of exit (UCC art. 174,
DA art. 248: the goods have not left).
"""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem
from toldsystem.export.rules.model import DeclarationKind, Event, Status

TRANSITIONS: dict[tuple[Status, Event], Status] = {
    (Status.PRE_LODGED, Event.GOODS_PRESENTED): Status.ACCEPTED,
    (Status.PRE_LODGED, Event.AMEND): Status.PRE_LODGED,
    (Status.PRE_LODGED, Event.INVALIDATE): Status.INVALIDATED,
    (Status.ACCEPTED, Event.RELEASE): Status.RELEASED,
    (Status.ACCEPTED, Event.SELECT_FOR_CONTROL): Status.UNDER_CONTROL,
    (Status.ACCEPTED, Event.AMEND): Status.ACCEPTED,
    (Status.ACCEPTED, Event.INVALIDATE): Status.INVALIDATED,
    (Status.UNDER_CONTROL, Event.RELEASE): Status.RELEASED,
    (Status.UNDER_CONTROL, Event.INVALIDATE): Status.INVALIDATED,
    (Status.RELEASED, Event.PRESENT_AT_EXIT): Status.PRESENTED_AT_EXIT,
    (Status.RELEASED, Event.CORRECT): Status.RELEASED,
    (Status.RELEASED, Event.INVALIDATE): Status.INVALIDATED,
    (Status.PRESENTED_AT_EXIT, Event.ARRIVE_AT_EXIT): Status.ARRIVED_AT_EXIT,
    (Status.PRESENTED_AT_EXIT, Event.CORRECT): Status.PRESENTED_AT_EXIT,
    (Status.ARRIVED_AT_EXIT, Event.CONFIRM_EXIT): Status.EXITED,
    (Status.ARRIVED_AT_EXIT, Event.CORRECT): Status.ARRIVED_AT_EXIT,
    (Status.EXITED, Event.CORRECT): Status.EXITED,
}
FINAL = frozenset({Status.EXITED, Status.INVALIDATED})


def initial_status(kind: DeclarationKind) -> Status:
    """The status an export declaration starts in: pre-lodged ones wait for the goods (UCC art. 171-172)."""
    if kind in (DeclarationKind.PRE_LODGED_STANDARD, DeclarationKind.PRE_LODGED_SIMPLIFIED):
        return Status.PRE_LODGED
    return Status.ACCEPTED


def next_status(status: Status, event: Event) -> Status | Problem:
    """The status after `event` (SPEC E, seed 002, UCC art. 172-174), or why the event is not allowed now."""
    found = TRANSITIONS.get((status, event))
    if found is not None:
        return found
    return problem("export.transition.not_allowed", "/status",
                   f"An export declaration that is {status.value.replace('_', ' ')} cannot take "
                   f"'{event.value.replace('_', ' ')}'.",
                   f"En eksportangivelse med status {_DANISH[status]} kan ikke få hændelsen {_DANISH_EVENT[event]}.")


def allowed_events(status: Status) -> frozenset[Event]:
    """The events an export declaration in `status` may take."""
    return frozenset(event for (source, event) in TRANSITIONS if source == status)


_DANISH = {Status.PRE_LODGED: "forudgående indgivet", Status.ACCEPTED: "antaget",
           Status.UNDER_CONTROL: "udtaget til kontrol", Status.RELEASED: "frigivet til udførsel",
           Status.PRESENTED_AT_EXIT: "frembudt ved udgangstoldstedet", Status.ARRIVED_AT_EXIT: "ankommet til udgang",
           Status.EXITED: "udpasseret", Status.INVALIDATED: "ugyldiggjort"}
_DANISH_EVENT = {Event.GOODS_PRESENTED: "varerne frembudt", Event.RELEASE: "frigivelse",
                 Event.SELECT_FOR_CONTROL: "udtagelse til kontrol", Event.PRESENT_AT_EXIT: "frembydelse ved udgang",
                 Event.ARRIVE_AT_EXIT: "ankomstmeddelelse", Event.CONFIRM_EXIT: "udpassageattest",
                 Event.INVALIDATE: "ugyldiggørelse", Event.AMEND: "ændring", Event.CORRECT: "rettelse"}
