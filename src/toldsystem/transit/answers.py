"""The customs side's answers as NCTS phase 5 message data (dicts in the schema's shape).

Each builder returns the message body without its header; `with_header` adds the header.
A builder maps what it knows onto the elements its message type has, and `messages.fit` leaves
out whatever the official type has no place for (a declaration's limitDate in a CC029C, its
countryOfDispatch in a CC043C, ...), so every answer validates against its schema.
Rendering to XML and validation against our schemas happen in `transit.messages`.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from functools import lru_cache

from toldsystem.core import clock
from toldsystem.core.errors import Problem
from toldsystem.guarantees.rules import invalid_guarantee_reason
from toldsystem.transit.messages import fit

NCTS_DK = "NTA.DK"  # the sender/recipient name of the Danish national transit application
UNKNOWN_OFFICE = "DK000460"  # the Danish customs office answering when a message names none


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


def _departure(declaration: dict) -> dict:
    office = declaration.get("CustomsOfficeOfDeparture", {}).get("referenceNumber", UNKNOWN_OFFICE)
    return {"referenceNumber": office}


# --- error codes ---------------------------------------------------------------------------------

def error_reason(code: str) -> str:
    """Phase 5 errorReason is 7 characters: our rule code mapped to a stable 'R' + 4 hex id."""
    return "R" + hashlib.sha1(code.encode()).hexdigest()[:4].upper()


# Problems that are a code list violation (CL180 12): a value outside a business code list.
_CODE_LIST_PROBLEMS = ("type_unknown", "country.unknown", "declaration_type.unknown", "office.unknown",
                       "security.unknown", "currency.unknown", "currency.code")


def error_code(code: str) -> str:
    """The functional error code (CL180) of a problem: 90 unknown MRN, 92 out of sequence, 26 duplicate
    message, 13 missing, 15 not allowed, 12 code list violation, else 14 rule violation."""
    if code == "movement.unknown":
        return "90"
    if code.startswith("movement.state"):
        return "92"
    if code == "message.identification_reused":
        return "26"
    if code.endswith(("required", "missing")):
        return "13"
    if code.endswith(("forbidden", "not_allowed", "both_levels")):
        return "15"
    if code.endswith(_CODE_LIST_PROBLEMS):
        return "12"
    return "14"


# The XML error code (XmlErrorCodes of tcl.xsd) of each problem the parser and the JSON check report.
_XML_ERROR_CODES = {
    "xml.schema.missing": "13", "xml.schema.unexpected": "15", "xml.schema.too_many": "35",
    "xml.schema.enumeration": "12", "xml.schema.too_long": "39", "xml.schema.too_short": "40",
    "xml.schema.pattern": "51", "xml.schema.min_inclusive": "54", "xml.schema.max_inclusive": "55",
    "xml.schema.min_exclusive": "56", "xml.schema.max_exclusive": "57", "xml.schema.length": "50",
    "xml.schema.digits": "50", "xml.schema.invalid": "50", "xml.message_type_mismatch": "50",
    "data.unknown_element": "15", "data.wrong_shape": "50", "data.invalid_characters": "53",
    "xml.not_utf8": "53",
}


def xml_error_code(code: str) -> str:
    """The XML error code for a problem: what the schema check found, 52 for XML that cannot be read,
    18 (other) for the rest."""
    if code in _XML_ERROR_CODES:
        return _XML_ERROR_CODES[code]
    if code.startswith(("xml.", "data.")):
        return "52"
    return "18"


def functional_errors(problems: list[Problem], values: dict[str, str] | None = None) -> list[dict]:
    """FunctionalError entries pointing at each offending element."""
    out = []
    for p in problems:
        entry = {"errorPointer": p.pointer[:512] or "/", "errorCode": error_code(p.code),
                 "errorReason": error_reason(p.code)}
        value = values.get(p.pointer) if values else None
        if value:
            entry["originalAttributeValue"] = str(value)[:512]
        out.append(entry)
    return out


# --- departure -----------------------------------------------------------------------------------

def cc928c(declaration: dict) -> dict:
    """Positive acknowledgement of a declaration: its LRN (the MRN follows in CC028C)."""
    return fit("CC928C", {"TransitOperation": {"LRN": declaration["TransitOperation"]["LRN"]},
                          "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {})})


def cc028c(declaration: dict, mrn: str, accepted: datetime) -> dict:
    """MRN allocated."""
    return fit("CC028C", {"TransitOperation": {"LRN": declaration["TransitOperation"]["LRN"], "MRN": mrn,
                                               "declarationAcceptanceDate": accepted.date().isoformat()},
                          "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {})})


def cc056c(declaration: dict, problems: list[Problem], at: datetime, mrn: str | None = None,
           rejection_type: str = "015", values: dict[str, str] | None = None) -> dict:
    """Rejection with a pointer to each offending element; the first reason in English and Danish."""
    op: dict = {"LRN": declaration.get("TransitOperation", {}).get("LRN"), "MRN": mrn}
    first = problems[0]
    op.update({"businessRejectionType": rejection_type, "rejectionDateAndTime": _datetime(at),
               "rejectionCode": "12", "rejectionReason": f"{first.en} / {first.da}"[:512]})
    return fit("CC056C", {"TransitOperation": op, "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {}),
                          "Representative": declaration.get("Representative"),
                          "FunctionalError": functional_errors(problems, values)})


def cc057c(message: dict, problems: list[Problem], at: datetime, mrn: str, office: str, trader: str,
           rejection_type: str, values: dict[str, str] | None = None) -> dict:
    """Rejection from the office of destination (of an arrival notification or unloading remarks)."""
    first = problems[0]
    return fit("CC057C", {
        "TransitOperation": {"MRN": mrn, "businessRejectionType": rejection_type,
                             "rejectionDateAndTime": _datetime(at), "rejectionCode": "12",
                             "rejectionReason": f"{first.en} / {first.da}"[:512]},
        "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
        "TraderAtDestination": {"identificationNumber": trader},
        "FunctionalError": functional_errors(problems, values)})


def cc917c(problems: list[Problem], lrn: str | None = None) -> dict:
    """XML error: the message did not parse or did not validate against the schema."""
    body: dict = {}
    if lrn:
        body["Header"] = {"LRN": lrn}
    body["XMLError"] = [{"errorLineNumber": str(p.line), "errorColumnNumber": str(p.column),
                         "errorPointer": p.pointer[:512] or "/", "errorCode": xml_error_code(p.code),
                         "errorText": _safe_text(p)[:512]}
                        for p in problems]
    return fit("CC917C", body)


def _safe_text(p: Problem) -> str:
    """The schema's message quotes the offending value; for an access code that value is a secret."""
    if p.pointer.endswith("accessCode"):
        return "The access code must be 4 letters or digits."
    return " ".join(p.en.split()) or p.code


def cc029c(declaration: dict, mrn: str, accepted: datetime, released: datetime) -> dict:
    """Release for transit: the declaration as released, with MRN and dates (access codes left out)."""
    op = declaration["TransitOperation"]
    release_op = {"LRN": op["LRN"], "MRN": mrn, "declarationType": op["declarationType"],
                  "additionalDeclarationType": op.get("additionalDeclarationType", "A"),
                  "TIRCarnetNumber": op.get("TIRCarnetNumber"),
                  "declarationAcceptanceDate": accepted.date().isoformat(), "releaseDate": released.date().isoformat(),
                  "security": op.get("security", "0"), "reducedDatasetIndicator": op.get("reducedDatasetIndicator", "0"),
                  "specificCircumstanceIndicator": op.get("specificCircumstanceIndicator"),
                  "communicationLanguageAtDeparture": op.get("communicationLanguageAtDeparture"),
                  "bindingItinerary": op.get("bindingItinerary", "0")}
    body = {key: declaration.get(key) for key in _RELEASED_AS_DECLARED}
    body.update({"TransitOperation": release_op,
                 "Guarantee": [without_access_codes(g) for g in declaration["Guarantee"]],
                 "Consignment": _released_consignment(declaration["Consignment"])})
    return fit("CC029C", body)


# The parts of a declaration a release repeats as declared (fitted to CC029C's types).
_RELEASED_AS_DECLARED = ("Authorisation", "CustomsOfficeOfDeparture", "CustomsOfficeOfDestinationDeclared",
                         "CustomsOfficeOfTransitDeclared", "CustomsOfficeOfExitForTransitDeclared",
                         "HolderOfTheTransitProcedure", "Representative")


def _released_consignment(consignment: dict) -> dict:
    """The consignment with what the release states and the declaration may leave out (the container
    indicator of a pre-lodged declaration, the number of seals) derived from what it does say."""
    equipment = [_with_number_of_seals(e) for e in consignment.get("TransportEquipment", [])]
    containers = any(e.get("containerIdentificationNumber") for e in equipment)
    released = {"containerIndicator": "1" if containers else "0", **consignment}
    if equipment:
        released["TransportEquipment"] = equipment
    return released


def _with_number_of_seals(equipment: dict) -> dict:
    return {"numberOfSeals": str(len(equipment.get("Seal", []))), **equipment}


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
                     "InvalidGuaranteeReason": [{"sequenceNumber": str(i), "code": invalid_guarantee_reason(p.code),
                                                 "text": f"{p.en} / {p.da}"[:512]}
                                                for i, p in enumerate(problems[:9], start=1)]})
    return fit("CC055C", {"TransitOperation": {"MRN": mrn, "declarationAcceptanceDate": accepted.date().isoformat()},
                          "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {}),
                          "GuaranteeReference": refs})


def cc009c(declaration: dict, mrn: str | None, requested: datetime | None, decided: datetime, accepted: bool,
           by_customs: bool, justification: str | None) -> dict:
    """Invalidation decision."""
    invalidation = {"requestDateAndTime": _datetime(requested) if requested else None,
                    "decisionDateAndTime": _datetime(decided), "decision": "1" if accepted else "0",
                    "initiatedByCustoms": "1" if by_customs else "0",
                    "justification": justification[:512] if justification else None}
    return fit("CC009C", {"TransitOperation": {"LRN": declaration["TransitOperation"].get("LRN"), "MRN": mrn},
                          "Invalidation": invalidation, "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {})})


def cc051c(declaration: dict, mrn: str, submitted: datetime, code: str, text: str) -> dict:
    """No release for transit."""
    return fit("CC051C", {"TransitOperation": {"MRN": mrn, "declarationSubmissionDateAndTime": _datetime(submitted),
                                               "noReleaseMotivationCode": code,
                                               "noReleaseMotivationText": text[:512]},
                          "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {}),
                          "Representative": declaration.get("Representative")})


def cc060c(declaration: dict, mrn: str, at: datetime, controls: list[str], text: str | None) -> dict:
    """Control decision notification: customs will control before release."""
    return fit("CC060C", {
        "TransitOperation": {"LRN": declaration["TransitOperation"]["LRN"], "MRN": mrn,
                             "controlNotificationDateAndTime": _datetime(at), "notificationType": "0"},
        "CustomsOfficeOfDeparture": _departure(declaration),
        "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {}),
        "Representative": declaration.get("Representative"),
        "TypeOfControls": [{"sequenceNumber": str(i), "type": c[:3], "text": text[:512] if text else None}
                           for i, c in enumerate(controls, start=1)]})


# --- destination ---------------------------------------------------------------------------------

def cc043c(declaration: dict, mrn: str, office: str, trader: str, accepted: datetime) -> dict:
    """Unloading permission for the trader at destination, with the consignment to unload."""
    op = declaration["TransitOperation"]
    return fit("CC043C", {
        "TransitOperation": {"MRN": mrn, "declarationType": op["declarationType"],
                             "declarationAcceptanceDate": accepted.date().isoformat(),
                             "security": op.get("security", "0"),
                             "reducedDatasetIndicator": op.get("reducedDatasetIndicator", "0")},
        "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
        # Without the holder's name and address (a valid EORI suffices, C0250) the block is left out.
        "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure"),
        "Representative": declaration.get("Representative"),
        "TraderAtDestination": {"identificationNumber": trader},
        "Consignment": _released_consignment(declaration["Consignment"])})


def cc025c(mrn: str, office: str, trader: str, released: datetime) -> dict:
    """Goods release notification at destination."""
    return fit("CC025C", {"TransitOperation": {"MRN": mrn, "releaseDate": released.date().isoformat(),
                                               "releaseIndicator": "1"},
                          "CustomsOfficeOfDestinationActual": {"referenceNumber": office},
                          "TraderAtDestination": {"identificationNumber": trader}})


def cc045c(declaration: dict, mrn: str, written_off: datetime) -> dict:
    """Write-off notification to the holder: the movement is closed and the guarantee discharged."""
    return fit("CC045C", {"TransitOperation": {"MRN": mrn, "writeOffDate": written_off.date().isoformat()},
                          "CustomsOfficeOfDeparture": _departure(declaration),
                          "HolderOfTheTransitProcedure": declaration.get("HolderOfTheTransitProcedure", {})})
