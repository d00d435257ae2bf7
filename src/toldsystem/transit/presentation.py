"""A pre-lodged declaration and its presentation (CC170C), as pure rules: whether a presentation may
be taken, the declaration it completes, and when the goods come too late. No IO."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from toldsystem.core.errors import Problem, problem
from toldsystem.transit.states import PRE_LODGED

# additionalDeclarationType D (CL042): lodged before the goods are presented (UCC art. 171).
PRE_LODGED_TYPE = "D"
# UCC art. 171: goods not presented within 30 days of lodging: the declaration is deemed not lodged.
PRESENTATION_PERIOD = timedelta(days=30)

# The consignment data a presentation notification states (CC170C's Consignment, in schema order).
_PRESENTED = ("containerIndicator", "inlandModeOfTransport", "modeOfTransportAtTheBorder", "TransportEquipment",
              "LocationOfGoods", "DepartureTransportMeans", "ActiveBorderTransportMeans", "PlaceOfLoading")


def presentation_overdue(lodged: datetime, now: datetime) -> bool:
    """UCC art. 171: the goods of a pre-lodged declaration are presented within 30 days of lodging."""
    return now - lodged > PRESENTATION_PERIOD


def not_presented_problem(lodged: datetime, pointer: str = "/CC015C/TransitOperation/LRN") -> Problem:
    """The CC056C reason for a pre-lodged declaration whose goods never came (TIS "Transit presentation
    notification not valid", step 6)."""
    return problem("presentation.time_limit_expired", pointer,
                   f"the goods were not presented within 30 days of lodging on {lodged.date().isoformat()}; the "
                   "declaration is deemed not lodged (UCC art. 171)",
                   f"varerne blev ikke frembudt inden 30 dage efter indgivelsen den {lodged.date().isoformat()}; "
                   "angivelsen anses for ikke indgivet (EU-toldkodeks art. 171)")


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
    elif state != PRE_LODGED:
        found.append(problem("movement.state_not_allowed", "/CC170C/TransitOperation/LRN",
                             f"CC170C is not allowed while the movement is {state}",
                             f"CC170C er ikke tilladt, når forsendelsen har status {state}"))
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
    if _container_indicator_changed(consignment, stated) and "TransportEquipment" not in stated:
        consignment.pop("TransportEquipment", None)
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


def _container_indicator_changed(declared: dict, stated: dict) -> bool:
    """C0823 on the CC170C: transport equipment goes with the container indicator it is stated with. A
    presentation that changes the indicator states the equipment that goes with the new one (none, for 0);
    the pre-lodged equipment went with the old indicator and does not stay."""
    new = str(stated.get("containerIndicator", "")).strip()
    return new != "" and new != str(declared.get("containerIndicator", "")).strip()
