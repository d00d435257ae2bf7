"""The names the declarants' pages give to movement states and NCTS messages (English msgids; the da catalogue
translates them), so a state or an answer reads as a person would say it (SPEC T lifecycle)."""

from __future__ import annotations

from toldsystem.transit import states
from toldsystem.web.i18n import N_


STATES = {
    states.PRE_LODGED: N_("Pre-lodged"), states.NOT_PRESENTED: N_("Not presented"),
    states.ACCEPTED: N_("Accepted (MRN allocated)"), states.GUARANTEE_INVALID: N_("Guarantee not valid"),
    states.AWAITING_RELEASE: N_("Awaiting release"), states.UNDER_CONTROL: N_("Under control"),
    states.RELEASED: N_("Released for transit"), states.NOT_RELEASED: N_("Not released"),
    states.INVALIDATED: N_("Invalidated"), states.ARRIVED: N_("Arrived"), states.UNLOADING: N_("Unloading"),
    states.DISCREPANCIES: N_("Discrepancies"), states.MAJOR_DISCREPANCIES: N_("Major discrepancies"),
    states.RECOVERED: N_("Recovered"), states.CLOSED: N_("Closed"),
}

MESSAGES = {
    "CC007C": N_("Arrival notification"), "CC009C": N_("Invalidation decision"),
    "CC013C": N_("Amendment of the declaration"), "CC014C": N_("Invalidation request"),
    "CC015C": N_("Transit declaration"), "CC019C": N_("Discrepancies"), "CC022C": N_("Notification to amend"),
    "CC025C": N_("Goods release notification"), "CC028C": N_("MRN allocated"), "CC029C": N_("Release for transit"),
    "CC035C": N_("Recovery notification"), "CC043C": N_("Unloading permission"), "CC044C": N_("Unloading remarks"),
    "CC045C": N_("Write-off notification"), "CC051C": N_("No release for transit"),
    "CC055C": N_("Guarantee not valid"), "CC056C": N_("Rejection"), "CC057C": N_("Rejection at destination"),
    "CC060C": N_("Control decision"), "CC170C": N_("Presentation notification"), "CC182C": N_("Incident"),
    "CC906C": N_("Functional error"), "CC917C": N_("XML error"), "CC928C": N_("Positive acknowledgement"),
}

EVENTS = {
    "declared": N_("Declared"), "pre_lodged": N_("Pre-lodged"), "presented": N_("Goods presented"),
    "guarantee_accepted": N_("Guarantee accepted"), "guarantee_not_valid": N_("Guarantee not valid"),
    "released": N_("Released for transit"), "amended": N_("Amended"), "amendment_requested": N_("Amendment requested"),
    "control_decided": N_("Control decided"), "control_intended": N_("Control announced"),
    "not_released": N_("Not released"), "not_presented": N_("Not presented"), "invalidated": N_("Invalidated"),
    "invalidated_by_customs": N_("Invalidated by customs"), "arrived": N_("Arrived"),
    "unloading_permitted": N_("Unloading permitted"), "unloading_remarks": N_("Unloading remarks"),
    "control_result_conform": N_("Control result: conform"), "major_discrepancies": N_("Major discrepancies"),
    "incident_registered": N_("Incident registered"), "incident_reported": N_("Incident reported"),
    "recovery": N_("Recovery"),
}


def state_name(state: str) -> str:
    """A state's English name (its msgid), the code itself for one not named here."""
    return STATES.get(state, state)


def event_name(event: str) -> str:
    """An audit event's English name (its msgid), the event itself for one not named here."""
    return EVENTS.get(event, event)


def message_name(message_type: str) -> str:
    """A message type's English name (its msgid), the type itself for one not named here."""
    return MESSAGES.get(message_type, message_type)
