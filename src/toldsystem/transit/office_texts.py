"""The back office's words for the states and the officers' decisions (their msgids; the catalogues translate
them): a state's code is the API's, its name is the officer's."""

from toldsystem.transit import states
from toldsystem.web.i18n import N_

STATE_NAMES = {
    states.PRE_LODGED: N_("Pre-lodged"), states.NOT_PRESENTED: N_("Not presented"), states.ACCEPTED: N_("Accepted"),
    states.GUARANTEE_INVALID: N_("Guarantee not valid"), states.AWAITING_RELEASE: N_("Awaiting release"),
    states.UNDER_CONTROL: N_("Under control"), states.RELEASED: N_("Released"), states.NOT_RELEASED: N_("Not released"),
    states.INVALIDATED: N_("Invalidated"), states.ARRIVED: N_("Arrived"), states.UNLOADING: N_("Unloading"),
    states.DISCREPANCIES: N_("Unloading remarks to decide"), states.MAJOR_DISCREPANCIES: N_("Major discrepancies"),
    states.RECOVERED: N_("Recovered"), states.CLOSED: N_("Closed"),
}

# Each decision: its heading on the movement page and what the notice says once it is taken.
DECISION_NAMES = {
    "movement.control": (N_("Control before release (CC060C)"), N_("The control decision was sent (CC060C).")),
    "movement.release": (N_("Release for transit (CC029C)"), N_("The movement is released (CC029C).")),
    "movement.request_amendment": (N_("Ask for an amendment (CC022C)"), N_("The holder is asked to amend (CC022C).")),
    "movement.refuse_release": (N_("Refuse release (CC051C)"), N_("Release is refused (CC051C).")),
    "movement.invalidate": (N_("Invalidate (CC009C)"), N_("The movement is invalidated (CC009C).")),
    "movement.register_incident": (N_("Register an incident (CC182C)"), N_("The incident is registered (CC182C).")),
    "movement.control_result": (N_("Control result at destination"), N_("The control result is recorded.")),
    "movement.permit_unloading": (N_("Permit unloading again (CC043C)"), N_("Unloading is permitted (CC043C).")),
    "movement.resolve_discrepancies": (N_("Discrepancies resolved (CC045C)"),
                                       N_("The discrepancies are resolved (CC045C).")),
    "movement.recover": (N_("Start recovery (CC035C)"), N_("Recovery is started (CC035C).")),
}
