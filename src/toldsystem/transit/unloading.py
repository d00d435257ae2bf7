"""The unloading remarks (CC044C) against the unloading permission they answer: the rules the office
of destination checks before it takes them (TIS "Unloading remarks rejected"). Pure: no IO."""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem


def permitted_under_seal(declaration: dict) -> bool:
    """Whether the unloading permission (CC043C, the consignment as released) lists seals."""
    for equipment in declaration.get("Consignment", {}).get("TransportEquipment", []):
        stated = equipment.get("numberOfSeals")
        if (int(stated) if stated and stated.isdigit() else len(equipment.get("Seal", []))) > 0:
            return True
    return False


def state_of_seals_as_the_permission_says(remarks: dict, declaration: dict) -> Problem | None:
    """C0440: the remarks state the state of the seals when the unloading permission listed seals,
    and do not when it listed none."""
    given = "stateOfSeals" in remarks.get("UnloadingRemark", {})
    pointer = "/CC044C/UnloadingRemark/stateOfSeals"
    if permitted_under_seal(declaration) and not given:
        return problem("unloading.state_of_seals_required", pointer,
                       "the goods were sealed: state the state of the seals (C0440)",
                       "varerne var forseglet: angiv forseglingernes tilstand (C0440)")
    if given and not permitted_under_seal(declaration):
        return problem("unloading.state_of_seals_not_allowed", pointer,
                       "the unloading permission listed no seals: leave out the state of the seals (C0440)",
                       "losningstilladelsen angav ingen forseglinger: udelad forseglingernes tilstand (C0440)")
    return None


def unloading_remarks_problems(remarks: dict, declaration: dict) -> list[Problem]:
    """Every rule the unloading remarks break."""
    return [p for p in [state_of_seals_as_the_permission_says(remarks, declaration)] if p]
