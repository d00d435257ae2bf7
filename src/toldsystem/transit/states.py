"""The states of a transit movement and which may follow which (SPEC T, lifecycle)."""

PRE_LODGED = "pre_lodged"              # CC015C type D acknowledged (CC928C); waits for the presentation CC170C
NOT_PRESENTED = "not_presented"        # pre-lodged, goods not presented within 30 days: CC056C, deemed not lodged
ACCEPTED = "accepted"                  # MRN allocated (CC028C), guarantee being checked
GUARANTEE_INVALID = "guarantee_invalid"  # CC055C sent; CC013C may amend the guarantee
AWAITING_RELEASE = "awaiting_release"  # standard procedure: goods presented, officer releases or controls
UNDER_CONTROL = "under_control"        # CC060C: customs controls before release
RELEASED = "released"                  # CC029C
NOT_RELEASED = "not_released"          # CC051C
INVALIDATED = "invalidated"            # CC014C → CC009C, or customs' own invalidation (CC009C)
ARRIVED = "arrived"                    # CC007C at the office of destination
UNLOADING = "unloading"                # CC043C sent to the authorised consignee
DISCREPANCIES = "discrepancies"        # CC044C with remarks or discrepancies; the office of destination decides
MAJOR_DISCREPANCIES = "major_discrepancies"  # control result at destination: CC025C, CC019C to the holder
RECOVERED = "recovered"                # CC035C recovery notification, CC045C: the transit procedure ends
CLOSED = "closed"                      # control result conform: CC025C, CC045C, guarantee discharged

BEFORE_RELEASE = frozenset({PRE_LODGED, ACCEPTED, GUARANTEE_INVALID, AWAITING_RELEASE, UNDER_CONTROL})
FINAL = frozenset({NOT_PRESENTED, NOT_RELEASED, INVALIDATED, RECOVERED, CLOSED})
# Released and not yet written off: customs may still invalidate (before arrival) or start recovery.
UNDER_WAY = frozenset({RELEASED, ARRIVED, UNLOADING, DISCREPANCIES, MAJOR_DISCREPANCIES})

# The officer's work lists (issue 12, part 3): what waits for the office's decision. At departure a
# movement presented in the standard procedure waits to be released or controlled (and, under control,
# released or refused); at destination an arrival in the standard procedure, unloading remarks and
# major discrepancies wait for the office (UNLOADING waits for the trader's remarks, not for customs).
WAITING_AT_DEPARTURE = frozenset({AWAITING_RELEASE, UNDER_CONTROL})
WAITING_AT_DESTINATION = frozenset({ARRIVED, DISCREPANCIES, MAJOR_DISCREPANCIES})

# In which states the offices take each decision (the rule names of transit/authorisation.py): the services
# refuse any other (409), and the back office offers a decision only in these.
DECIDED_IN: dict[str, frozenset[str]] = {
    "movement.control": frozenset({AWAITING_RELEASE}),
    "movement.release": WAITING_AT_DEPARTURE,
    "movement.request_amendment": BEFORE_RELEASE,
    "movement.refuse_release": BEFORE_RELEASE,
    "movement.invalidate": BEFORE_RELEASE | {RELEASED},
    "movement.register_incident": frozenset({RELEASED}),
    "movement.control_result": frozenset({ARRIVED, UNLOADING, DISCREPANCIES}),
    "movement.permit_unloading": frozenset({DISCREPANCIES}),
    "movement.resolve_discrepancies": frozenset({MAJOR_DISCREPANCIES}),
    "movement.recover": UNDER_WAY,
}
