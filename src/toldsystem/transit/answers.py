"""The customs side's answers as NCTS phase 5 message data (dicts in the schema's shape).

Each builder returns the message body without its header; `with_header` adds the header.
Rendering to XML and validation against our schemas happen in `transit.messages`.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from functools import lru_cache

from toldsystem.core import clock
from toldsystem.core.errors import Problem

NCTS_DK = "NTA.DK"  # the sender/recipient name of the Danish national transit application


def with_header(message_type: str, recipient: str, at: datetime, body: dict, correlation: str | None) -> dict:
    """Phase 5 header: sender, recipient, time, a unique message identification, type, correlation."""
    data = {
        "messageSender": NCTS_DK,
        "messageRecipient": recipient,
        "preparationDateAndTime": _datetime(at),
        "messageIdentification": uuid.uuid4().hex[:35],
        "messageType": message_type,
    }
    if correlation:
        data["correlationIdentifier"] = correlation[:35]
    data.update(body)
    return data


@lru_cache(maxsize=64)  # every answer of a unit of work states the same instant
def _datetime(at: datetime) -> str:
    """Phase 5 date-times carry no zone; the Danish system states Danish local time."""
    return clock.local(at).replace(microsecond=0, tzinfo=None).isoformat()


def _holder(declaration: dict) -> dict:
    holder = declaration.get("HolderOfTheTransitProcedure", {})
    return {k: holder[k] for k in ("identificationNumber", "name", "Address") if k in holder}


def _departure(declaration: dict) -> dict:
    return {"referenceNumber": declaration["CustomsOfficeOfDeparture"]["referenceNumber"]}


def error_reason(code: str) -> str:
    """Phase 5 errorReason is 7 characters: our rule code mapped to a stable 'R' + 4 hex id."""
    return "R" + hashlib.sha1(code.encode()).hexdigest()[:4].upper()


def error_code(code: str) -> str:
    """Phase 5 error codes: 13 missing, 14 not allowed here, 26 duplicate LRN, 90 unknown MRN, 12 incorrect value."""
    if code == "movement.unknown":
        return "90"
    if code.endswith(("required", "missing")):
        return "13"
    if code.endswith(("forbidden", "not_allowed")):
        return "14"
    if "duplicate" in code:
        return "26"
    return "12"


def functional_errors(problems: list[Problem], values: dict[str, str] | None = None) -> list[dict]:
    """FunctionalError entries pointing at each offending element."""
    out = []
    for p in problems:
        entry = {"errorPointer": p.pointer[:512], "errorCode": error_code(p.code), "errorReason": error_reason(p.code)}
        if values and p.pointer in values:
            entry["originalAttributeValue"] = str(values[p.pointer])[:512]
        out.append(entry)
    return out


def cc928c(declaration: dict, mrn: str | None) -> dict:
    """Positive acknowledgement of a declaration."""
    op = {"LRN": declaration["TransitOperation"]["LRN"]}
    if mrn:
        op["MRN"] = mrn
    return {"TransitOperation": op, "CustomsOfficeOfDeparture": _departure(declaration),
            "HolderOfTheTransitProcedure": _holder(declaration)}


def cc028c(declaration: dict, mrn: str, accepted: datetime) -> dict:
    """MRN allocated."""
    return {"TransitOperation": {"LRN": declaration["TransitOperation"]["LRN"], "MRN": mrn,
                                 "declarationAcceptanceDate": accepted.date().isoformat()},
            "CustomsOfficeOfDeparture": _departure(declaration),
            "HolderOfTheTransitProcedure": _holder(declaration)}


def cc056c(declaration: dict, problems: list[Problem], at: datetime, mrn: str | None = None,
           rejection_type: str = "015", values: dict[str, str] | None = None) -> dict:
    """Rejection with a pointer to each offending element; the first reason in English and Danish."""
    op: dict = {}
    lrn = declaration.get("TransitOperation", {}).get("LRN")
    if lrn:
        op["LRN"] = lrn
    if mrn:
        op["MRN"] = mrn
    first = problems[0]
    op.update({"businessRejectionType": rejection_type, "rejectionDateAndTime": _datetime(at),
               "rejectionCode": "12", "rejectionReason": f"{first.en} / {first.da}"[:512]})
    office = declaration.get("CustomsOfficeOfDeparture", {}).get("referenceNumber", "DK000460")
    return {"TransitOperation": op, "CustomsOfficeOfDeparture": {"referenceNumber": office},
            "HolderOfTheTransitProcedure": _holder(declaration),
            "FunctionalError": functional_errors(problems, values)}


def cc917c(problems: list[Problem], lrn: str | None = None) -> dict:
    """XML error: the message did not parse or did not validate against the schema."""
    body: dict = {}
    if lrn:
        body["Header"] = {"LRN": lrn}
    body["XMLError"] = [{"errorLineNumber": str(p.line), "errorColumnNumber": str(p.column),
                         "errorPointer": p.pointer[:512], "errorCode": "14", "errorText": _safe_text(p)[:512]}
                        for p in problems]
    return body


def _safe_text(p: Problem) -> str:
    """The schema's message quotes the offending value; for an access code that value is a secret."""
    if p.pointer.endswith("accessCode"):
        return "The access code must be 4 letters or digits."
    return p.en


def cc029c(declaration: dict, mrn: str, accepted: datetime, released: datetime) -> dict:
    """Release for transit: the declaration as released, with MRN and dates (access codes left out)."""
    op = dict(declaration["TransitOperation"])
    release_op = {"LRN": op["LRN"], "MRN": mrn, "declarationType": op["declarationType"],
                  "additionalDeclarationType": op.get("additionalDeclarationType", "A")}
    if "TIRCarnetNumber" in op:
        release_op["TIRCarnetNumber"] = op["TIRCarnetNumber"]
    release_op.update({"declarationAcceptanceDate": accepted.date().isoformat(),
                       "releaseDate": released.date().isoformat(), "security": op.get("security", "0"),
                       "reducedDatasetIndicator": op.get("reducedDatasetIndicator", "0")})
    for key in ("specificCircumstanceIndicator", "communicationLanguageAtDeparture"):
        if key in op:
            release_op[key] = op[key]
    release_op["bindingItinerary"] = op.get("bindingItinerary", "0")
    if "limitDate" in op:
        release_op["limitDate"] = op["limitDate"]
    body = {"TransitOperation": release_op}
    for key in ("Authorisation", "CustomsOfficeOfDeparture", "CustomsOfficeOfDestinationDeclared",
                "CustomsOfficeOfTransitDeclared", "CustomsOfficeOfExitForTransitDeclared",
                "HolderOfTheTransitProcedure", "Representative"):
        if key in declaration:
            body[key] = declaration[key]
    body["Guarantee"] = [without_access_codes(g) for g in declaration["Guarantee"]]
    body["Consignment"] = declaration["Consignment"]
    return body


def without_access_codes(guarantee: dict) -> dict:
    """A Guarantee block with its access codes left out (they are secrets: never stored or sent)."""
    g = dict(guarantee)
    if "GuaranteeReference" in g:
        g["GuaranteeReference"] = [{k: v for k, v in ref.items() if k != "accessCode"}
                                   for ref in g["GuaranteeReference"]]
    return g


def cc055c(declaration: dict, mrn: str, accepted: datetime, invalid: list[tuple[str, list[Problem]]]) -> dict:
    """Guarantee not valid: for each GRN the reasons GMS gave."""
    refs = []
    for seq, (grn, problems) in enumerate(invalid, start=1):
        refs.append({"sequenceNumber": str(seq), "GRN": grn,
                     "InvalidGuaranteeReason": [{"sequenceNumber": str(i), "code": _gms_reason(p.code),
                                                 "text": f"{p.en} / {p.da}"[:512]}
                                                for i, p in enumerate(problems[:9], start=1)]})
    return {"TransitOperation": {"MRN": mrn, "declarationAcceptanceDate": accepted.date().isoformat()},
            "CustomsOfficeOfDeparture": _departure(declaration),
            "HolderOfTheTransitProcedure": _holder(declaration), "GuaranteeReference": refs}


def _gms_reason(code: str) -> str:
    # Phase 5 invalid-guarantee reason codes (CL252): G01 unknown/invalid GRN, G02 not valid for the
    # holder, G03 access code, G04 not valid in a country, G05 amount not covered, G06 other.
    for fragment, reason in (("grn", "G01"), ("holder", "G02"), ("access", "G03"), ("country", "G04"),
                             ("amount", "G05"), ("cover", "G05"), ("exceed", "G05")):
        if fragment in code:
            return reason
    return "G06"


def cc009c(declaration: dict, mrn: str | None, requested: datetime | None, decided: datetime, accepted: bool,
           by_customs: bool, justification: str | None) -> dict:
    """Invalidation decision."""
    op: dict = {"LRN": declaration["TransitOperation"]["LRN"]}
    if mrn:
        op["MRN"] = mrn
    inv: dict = {}
    if requested:
        inv["requestDateAndTime"] = _datetime(requested)
    inv.update({"decisionDateAndTime": _datetime(decided), "decision": "1" if accepted else "0",
                "initiatedByCustoms": "1" if by_customs else "0"})
    if justification:
        inv["justification"] = justification[:512]
    return {"TransitOperation": op, "Invalidation": inv, "CustomsOfficeOfDeparture": _departure(declaration),
            "HolderOfTheTransitProcedure": _holder(declaration)}


def cc051c(declaration: dict, mrn: str, submitted: datetime, code: str, text: str) -> dict:
    """No release for transit."""
    return {"TransitOperation": {"MRN": mrn, "declarationSubmissionDateAndTime": _datetime(submitted),
                                 "noReleaseMotivationCode": code, "noReleaseMotivationText": text[:512]},
            "CustomsOfficeOfDeparture": _departure(declaration), "HolderOfTheTransitProcedure": _holder(declaration)}


def cc060c(declaration: dict, mrn: str, at: datetime, controls: list[str], text: str | None) -> dict:
    """Control decision notification: customs will control before release."""
    body: dict = {"TransitOperation": {"LRN": declaration["TransitOperation"]["LRN"], "MRN": mrn,
                                       "controlNotificationDateAndTime": _datetime(at), "notificationType": "0"},
                  "CustomsOfficeOfDeparture": _departure(declaration),
                  "HolderOfTheTransitProcedure": _holder(declaration)}
    if controls:
        body["TypeOfControls"] = [{"sequenceNumber": str(i), "type": c[:3], **({"text": text[:512]} if text else {})}
                                  for i, c in enumerate(controls, start=1)]
    return body


def cc043c(declaration: dict, mrn: str, office: str, trader: str, accepted: datetime) -> dict:
    """Unloading permission for the trader at destination, with the consignment to unload."""
    op = declaration["TransitOperation"]
    return {"TransitOperation": {"MRN": mrn, "declarationType": op["declarationType"],
                                 "declarationAcceptanceDate": accepted.date().isoformat(),
                                 "security": op.get("security", "0"),
                                 "reducedDatasetIndicator": op.get("reducedDatasetIndicator", "0")},
            "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
            "HolderOfTheTransitProcedure": _holder(declaration),
            "TraderAtDestination": {"identificationNumber": trader},
            "Consignment": declaration["Consignment"]}


def cc025c(mrn: str, office: str, trader: str, released: datetime) -> dict:
    """Goods release notification at destination."""
    return {"TransitOperation": {"MRN": mrn, "releaseDate": released.date().isoformat(), "releaseIndicator": "1"},
            "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
            "TraderAtDestination": {"identificationNumber": trader}}


def cc045c(declaration: dict, mrn: str, written_off: datetime) -> dict:
    """Write-off notification to the holder: the movement is closed and the guarantee discharged."""
    return {"TransitOperation": {"MRN": mrn, "writeOffDate": written_off.date().isoformat()},
            "CustomsOfficeOfDeparture": _departure(declaration), "HolderOfTheTransitProcedure": _holder(declaration)}
