"""The states of an import declaration (docs/imports.md "States")."""

PRE_LODGED = "pre_lodged"  # D, F: lodged before the goods are presented; waits for presentation
ACCEPTED = "accepted"  # a supplementary declaration (Y), accepted: nothing more to release
UNDER_CONTROL = "under_control"  # yellow (documentary) or red (physical) lane: waits for the officer's result
RELEASED = "released"  # green or blue lane, or released after control
REFUSED = "refused"  # release refused after control
INVALIDATED = "invalidated"  # at the declarant's request, before release

BEFORE_RELEASE = frozenset({PRE_LODGED, UNDER_CONTROL})
STATES = (PRE_LODGED, ACCEPTED, UNDER_CONTROL, RELEASED, REFUSED, INVALIDATED)

# A simplified declaration's supplementary declaration (imports_declarations.supplementary_state).
AWAITING, LODGED, ESTIMATED = "awaiting", "lodged", "estimated"
