"""The HTTP answers of a message the board does not let through at once (SPEC O; transit/service/gate.py decides):
503 naming the window, 202 with where the held message's outcome will be found, and the held message as its sender
reads it. Shapes only: api.py's routes call these."""

from __future__ import annotations

from fastapi import Response

from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.core.api import JSON
from toldsystem.core.http_errors import error_response
from toldsystem.intake.service import Held
from toldsystem.operations.availability import Availability
from toldsystem.transit import service

XML = "application/xml"


def _headers(availability: Availability) -> dict[str, str]:
    headers = {"X-Told-Availability": service.notice(availability)}
    retry = service.seconds_left(availability)
    if retry is not None:
        headers["Retry-After"] = str(retry)
    return headers


def closed(party: Party, refused: service.Closed, xml_body: bytes | None) -> Response:
    """503 naming the window, `Retry-After` at its end; to an XML sender (`xml_body`: what it sent) a CC917C."""
    headers = _headers(refused.availability)
    if xml_body is not None:
        headers["X-Told-Message-Type"] = "CC917C"
        return Response(service.closed_xml(party, refused, xml_body), status_code=503, media_type=XML,
                        headers=headers)
    return error_response(refused.problems, 503, headers)


def accepted(found: Held, availability: Availability, root: str) -> Response:
    """202: the message is held; `Location` is where its outcome will be found, `Retry-After` a hint of when."""
    headers = _headers(availability) | {"Location": f"{root}/held/{found.id}"}
    return Response(jsontext.dump_bytes(held_out(found, root)), status_code=202, media_type=JSON, headers=headers)


def held_out(found: Held, root: str) -> dict:
    """A held message as its sender reads it: held, processed (with its answers) or failed (with the problems)."""
    summary, outcome = found.summary, found.outcome or {}
    out = {"id": found.id, "state": found.state, "messageType": summary.get("messageType"),
           "messageIdentification": summary.get("messageIdentification"), "LRN": summary.get("LRN"),
           "received_at": found.received_at.isoformat(),
           "processed_at": found.processed_at.isoformat() if found.processed_at else None,
           "links": {"self": f"{root}/held/{found.id}"}}
    if found.state == "processed":
        out |= {"mrn": outcome.get("mrn"), "repeated": outcome.get("repeated", False),
                "answers": [{"id": a["id"], "messageType": a["messageType"],
                             "links": {"self": f"{root}/messages/{a['id']}", "xml": f"{root}/messages/{a['id']}.xml"}}
                            for a in outcome.get("answers", ())]}
        if outcome.get("mrn"):
            out["links"]["movement"] = f"{root}/movements/{outcome['mrn']}"
    elif found.state == "failed":
        out["errors"] = outcome.get("errors", [])
    return out
