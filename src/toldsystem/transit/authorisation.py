"""Who may act on a transit movement (SPEC T "who may send what"; seed 003 box 53; seed 000).

The holder (or a representative holding the holder's power of attorney, see companies/)
declares, amends and asks for invalidation; only the trader at destination entitled for the
movement notifies arrival, and only whoever received the unloading permission (CC043C) sends
unloading remarks; officers act for their own office. A message or request about a movement the
sender may not see is answered exactly as one about an unknown movement.

Arrival (CC007C) is entitled to the consignee the declaration names by EORI, at any office that
acts as office of destination (P5 lets the actual office differ from the declared one: a
diversion); or — when the declaration names no consignee EORI — to an authorised consignee
established in the country of the declared office of destination, arriving there in either
procedure (a diversion is the declared consignee's alone). The simplified procedure
is always the authorised consignee's (C0102).
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from toldsystem.access.rules import (ANYONE, COMPANY, HOLDER, NATIONAL_OFFICER, OFFICER, OFFICER_AT_DEPARTURE,
                                     OFFICER_AT_DESTINATION, REPRESENTATIVE, TRADER_AT_DESTINATION, Party, Rule,
                                     in_system, officer_roles, rule)
from toldsystem.companies.rules import TRANSIT_SCOPES
from toldsystem.core.errors import Problem, problem
from toldsystem.transit import states

_SEES_OR_UNKNOWN = "403 to a party that may see the movement, else 404 as unknown"
_AS_UNKNOWN = ("CC906C, as for an unknown MRN (a party that may see the movement gets CC056C with the reason); "
               "nothing changes")

# The incoming NCTS messages: who may send each, about what, when (every one needs the user's transit role).
MESSAGES: dict[str, Rule] = in_system("transit", {
    "CC015C": rule({HOLDER, REPRESENTATIVE}, "a new movement of the holder it names (a Representative named in it "
                   "must hold the holder's power; a representative using GMS guarantees needs guarantees.use)",
                   "-", scope="transit.declare",
                   refusal="CC056C naming the holder or the Representative; nothing is created"),
    "CC013C": rule({HOLDER, REPRESENTATIVE}, "the holder's movement (the holder cannot be changed)", "before release",
                   scope="transit.amend", refusal=_AS_UNKNOWN),
    "CC014C": rule({HOLDER, REPRESENTATIVE}, "the holder's movement", "before release (after: CC009C refusing it)",
                   scope="transit.invalidate", refusal=_AS_UNKNOWN),
    "CC170C": rule({HOLDER, REPRESENTATIVE}, "the holder's pre-lodged declaration (found by the holder and LRN), "
                   "presented at its office of departure", "pre-lodged (type D), within 30 days",
                   scope="transit.declare", refusal=_AS_UNKNOWN),
    "CC007C": rule({TRADER_AT_DESTINATION}, "a movement, at an office acting as office of destination (DES)",
                   "released", refusal=_AS_UNKNOWN),
    "CC044C": rule({TRADER_AT_DESTINATION}, "the movement whose unloading permission (CC043C) it received",
                   "unloading", refusal=_AS_UNKNOWN),
})

RULES: dict[str, Rule] = in_system("transit", {
    "message.send": rule({COMPANY}, "an NCTS message (who may send which: the message rules); messageSender must be "
                         "the caller or its registered representative",
                         refusal="403 to officers and for a messageSender that is not the caller; then per message"),
    "movement.list": rule({ANYONE}, "movements, filtered to those the caller may read"),
    "movement.read": rule({HOLDER, REPRESENTATIVE, TRADER_AT_DESTINATION, OFFICER_AT_DEPARTURE,
                           OFFICER_AT_DESTINATION},
                          "a movement: its state, declaration, audit trail, messages (a company only its own), TAD",
                          "any state (the TAD once released); the trader at destination from its arrival on"),
    "message.read": rule({HOLDER, OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION},
                         "one message: its sender or recipient; officers of its movement's offices (a message of "
                         "no movement: national officers)"),
    "outbox.read": rule({ANYONE}, "the caller's own answers"),
    "held.read": rule({HOLDER, OFFICER}, "a message a queued service window holds (SPEC O), held or processed: "
                      "the company that sent it; any officer"),
    "messages.find": rule({ANYONE}, "the caller's own messages, in and out, by LRN or messageIdentification "
                          "(an officer of an office: those of its movements; a national officer: all)"),
    "webhook.manage": rule({COMPANY}, "the caller's own webhook", refusal="403 to officers"),
    "movement.work_list": rule({OFFICER}, "the movements waiting for a decision of the officer's office (release "
                               "or control at departure; arrival, unloading remarks, discrepancies at destination; "
                               "a national officer: every office's)", refusal="404, as for an unknown list"),
    "movement.office_read": rule({OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION}, "a movement in the back office: "
                                 "its declaration, audit trail, every message, the decisions open",
                                 refusal="404, as for an unknown movement"),
    "movement.release": rule({OFFICER_AT_DEPARTURE}, "a movement (CC029C)", "awaiting release or under control",
                             refusal=_SEES_OR_UNKNOWN),
    "movement.control": rule({OFFICER_AT_DEPARTURE}, "a movement (CC060C)", "awaiting release",
                             refusal=_SEES_OR_UNKNOWN),
    "movement.refuse_release": rule({OFFICER_AT_DEPARTURE}, "a movement (CC051C)", "before release",
                                    refusal=_SEES_OR_UNKNOWN),
    "movement.request_amendment": rule({OFFICER_AT_DEPARTURE}, "a movement (CC022C)", "before release",
                                       refusal=_SEES_OR_UNKNOWN),
    "movement.invalidate": rule({OFFICER_AT_DEPARTURE}, "a movement (CC009C on the office's initiative)",
                                "before release, or released and not arrived", refusal=_SEES_OR_UNKNOWN),
    "movement.register_incident": rule({OFFICER_AT_DEPARTURE}, "a movement: incidents the office where they "
                                       "happened reported, forwarded to the holder (CC182C)", "released",
                                       refusal=_SEES_OR_UNKNOWN),
    "movement.recover": rule({OFFICER_AT_DEPARTURE}, "a movement (CC035C, CC045C): the authority of recovery at "
                             "departure", "released to major discrepancies", refusal=_SEES_OR_UNKNOWN),
    "movement.control_result": rule({OFFICER_AT_DESTINATION}, "a movement (conform: CC025C, CC045C; else CC025C, "
                                    "CC019C)", "arrived, unloading or discrepancies", refusal=_SEES_OR_UNKNOWN),
    "movement.permit_unloading": rule({OFFICER_AT_DESTINATION}, "a movement (a new CC043C)", "discrepancies",
                                      refusal=_SEES_OR_UNKNOWN),
    "movement.resolve_discrepancies": rule({OFFICER_AT_DESTINATION}, "a movement (CC045C)", "major discrepancies",
                                           refusal=_SEES_OR_UNKNOWN),
    "pre_lodged.control": rule({OFFICER_AT_DEPARTURE}, "a pre-lodged declaration, by holder and LRN (CC060C type 2)",
                               "pre-lodged", refusal=_SEES_OR_UNKNOWN),
    "pre_lodged.expire": rule({NATIONAL_OFFICER}, "every pre-lodged declaration not presented within 30 days "
                              "(CC056C)", refusal="403 to everyone else"),
})

ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/api/transit/messages"): "message.send",
    ("GET", "/api/transit/outbox"): "outbox.read",
    ("GET", "/api/transit/held/{held_id}"): "held.read",
    ("GET", "/api/transit/messages/{message_id}"): "message.read",
    ("GET", "/api/transit/messages/{message_id}.xml"): "message.read",
    ("GET", "/api/transit/movements"): "movement.list",
    ("GET", "/api/transit/movements/{mrn}"): "movement.read",
    ("GET", "/api/transit/movements/{mrn}/declaration"): "movement.read",
    ("GET", "/api/transit/movements/{mrn}/events"): "movement.read",
    ("GET", "/api/transit/movements/{mrn}/messages"): "movement.read",
    ("GET", "/api/transit/movements/{mrn}/tad.pdf"): "movement.read",
    ("POST", "/api/transit/movements/{mrn}/release"): "movement.release",
    ("POST", "/api/transit/movements/{mrn}/control"): "movement.control",
    ("POST", "/api/transit/movements/{mrn}/no-release"): "movement.refuse_release",
    ("POST", "/api/transit/movements/{mrn}/control-result"): "movement.control_result",
    ("POST", "/api/transit/movements/{mrn}/amendment-request"): "movement.request_amendment",
    ("POST", "/api/transit/movements/{mrn}/invalidation"): "movement.invalidate",
    ("POST", "/api/transit/movements/{mrn}/incidents"): "movement.register_incident",
    ("POST", "/api/transit/movements/{mrn}/recovery"): "movement.recover",
    ("POST", "/api/transit/movements/{mrn}/unloading-permission"): "movement.permit_unloading",
    ("POST", "/api/transit/movements/{mrn}/discrepancies-resolved"): "movement.resolve_discrepancies",
    ("POST", "/api/transit/pre-lodged/{holder}/{lrn}/control"): "pre_lodged.control",
    ("POST", "/api/transit/pre-lodged/expire"): "pre_lodged.expire",
    ("GET", "/api/transit/messages"): "messages.find",
    ("PUT", "/api/transit/webhook"): "webhook.manage",
    ("GET", "/api/transit/webhook"): "webhook.manage",
    ("DELETE", "/api/transit/webhook"): "webhook.manage",
    ("POST", "/api/transit/webhook/secret"): "webhook.manage",
    ("GET", "/api/transit/webhook/deliveries"): "webhook.manage",
    # the officers' back office in the portal (office_web.py; web/visitor.py checks each page's rule)
    ("GET", "/office"): "movement.work_list",
    ("GET", "/office/movements/{mrn}"): "movement.office_read",
    ("GET", "/office/movements/{mrn}/messages/{message_id}.xml"): "movement.office_read",
    ("POST", "/office/movements/{mrn}/release"): "movement.release",
    ("POST", "/office/movements/{mrn}/control"): "movement.control",
    ("POST", "/office/movements/{mrn}/no-release"): "movement.refuse_release",
    ("POST", "/office/movements/{mrn}/amendment-request"): "movement.request_amendment",
    ("POST", "/office/movements/{mrn}/invalidation"): "movement.invalidate",
    ("POST", "/office/movements/{mrn}/incidents"): "movement.register_incident",
    ("POST", "/office/movements/{mrn}/control-result"): "movement.control_result",
    ("POST", "/office/movements/{mrn}/unloading-permission"): "movement.permit_unloading",
    ("POST", "/office/movements/{mrn}/discrepancies-resolved"): "movement.resolve_discrepancies",
    ("POST", "/office/movements/{mrn}/recovery"): "movement.recover",
}

# The declarants' pages (issue 12 part 2): their own module, joined into this room's tables.
from toldsystem.transit.authorisation_declarants import PAGE_ROUTES, PAGE_RULES  # noqa: E402

RULES |= PAGE_RULES
ROUTES |= PAGE_ROUTES


@dataclass(frozen=True, slots=True)
class MovementParties:
    """Who a movement concerns: its holder, the representative named for it, the trader at destination (from
    arrival on), and its offices."""

    holder: str
    representative: str | None
    trader_at_destination: str | None
    office_of_departure: str
    office_of_destination: str  # declared, the actual one once arrived
    state: str


@dataclass(frozen=True, slots=True)
class ArrivalClaim:
    """What a CC007C claims, and what the store knows of its trader and the office it names."""

    trader: str
    actual_office: str
    actual_office_acts_as_destination: bool
    simplified: bool
    trader_is_authorised_consignee: bool  # a valid authorised_consignee authorisation today
    trader_country: str


def roles_towards_movement(party: Party, movement: MovementParties, power_scopes: frozenset[str]) -> frozenset[str]:
    """The party's roles towards a movement; `power_scopes` are its valid powers from the movement's holder today."""
    roles = set(officer_roles(party, officer_at_departure=movement.office_of_departure,
                              officer_at_destination=movement.office_of_destination))
    if party.is_officer or party.eori is None:
        return frozenset(roles)
    if party.eori == movement.holder:
        roles.add(HOLDER)
    if party.eori == movement.representative or power_scopes & TRANSIT_SCOPES:
        roles.add(REPRESENTATIVE)
    if party.eori == movement.trader_at_destination:
        roles.add(TRADER_AT_DESTINATION)
    return frozenset(roles)


def declared_consignees(declaration: dict) -> frozenset[str]:
    """Box 8: the consignees the declaration names by EORI, at header or house-consignment level."""
    consignment = declaration.get("Consignment", {})
    found = {consignment.get("Consignee", {}).get("identificationNumber")}
    found |= {house.get("Consignee", {}).get("identificationNumber") for house in consignment.get("HouseConsignment", [])}
    return frozenset(e for e in found if e)


def arrival_refusals(party: Party, claim: ArrivalClaim, movement: MovementParties,
                     consignees: frozenset[str]) -> list[Problem]:
    """CC007C: why this party may not notify this arrival (none: it is the trader at destination entitled)."""
    found = []
    if party.eori != claim.trader:
        found.append(problem("arrival.trader_not_caller", "/CC007C/TraderAtDestination/identificationNumber",
                             f"you ({party.eori}) are not the trader at destination named ({claim.trader})",
                             f"du ({party.eori}) er ikke den angivne modtager på bestemmelsesstedet ({claim.trader})"))
    if not claim.actual_office_acts_as_destination:
        found.append(problem("arrival.office_not_destination",
                             "/CC007C/CustomsOfficeOfDestinationActual/referenceNumber",
                             f"{claim.actual_office} is not an office of destination",
                             f"{claim.actual_office} er ikke et bestemmelsestoldsted"))
    if movement.state != states.RELEASED:
        found.append(problem("movement.state_not_allowed", "/CC007C/TransitOperation/MRN",
                             f"arrival can only be notified for a released movement; this one is {movement.state}",
                             f"ankomst kan kun meddeles for en frigivet forsendelse; denne har status {movement.state}"))
    if not found and not entitled_at_destination(claim, consignees, movement.office_of_destination):
        found.append(problem("arrival.trader_not_entitled", "/CC007C/TraderAtDestination/identificationNumber",
                             f"{claim.trader} is neither the consignee declared for this movement nor an authorised "
                             "consignee at its declared office of destination (simplified procedure)",
                             f"{claim.trader} er hverken den angivne modtager eller godkendt modtager ved det angivne "
                             "bestemmelsestoldsted (forenklet procedure)"))
    return found


def entitled_at_destination(claim: ArrivalClaim, consignees: frozenset[str], declared_office: str) -> bool:
    """Box 53: the declared consignee anywhere it may arrive; else an authorised consignee of the declared office's
    country, there; the simplified procedure only for an authorised consignee (C0102)."""
    if claim.simplified and not claim.trader_is_authorised_consignee:
        return False
    if claim.trader in consignees:
        return True
    if consignees:
        return False  # the holder named the consignee: nobody else receives the goods
    # Unnamed: the customs-approved authorised consignee of the declared office's country, there, in
    # either procedure (a standard one frees the guarantee as much as a simplified one).
    return (claim.trader_is_authorised_consignee and claim.actual_office == declared_office
            and claim.trader_country == declared_office[:2])


def sender_is_holder_or_representative(message_type: str, party: Party, holder: str,
                                       representative: str | None) -> Problem | None:
    """CC015C: the holder declares, or the Representative it names (SPEC T; seed 000: own data only)."""
    if party.eori in (holder, representative):
        return None
    return problem("holder.not_caller", f"/{message_type}/HolderOfTheTransitProcedure/identificationNumber",
                   f"you ({party.eori}) are neither the holder ({holder}) nor its representative",
                   f"du ({party.eori}) er hverken hovedforpligtet ({holder}) eller dennes repræsentant")


def representative_has_power(message_type: str, holder: str, representative: str | None, scopes: frozenset[str],
                             scope: str) -> Problem | None:
    """A Representative named in a message holds the holder's valid power of attorney for what it does."""
    if representative is None or representative == holder or scope in scopes:
        return None
    return problem("representative.no_power", f"/{message_type}/Representative/identificationNumber",
                   f"{representative} holds no valid power of attorney from {holder} for {scope}",
                   f"{representative} har ingen gyldig fuldmagt fra {holder} til {scope}")


def representative_may_use_guarantees(message_type: str, party: Party, holder: str, scopes: frozenset[str],
                                      uses_gms_guarantee: bool) -> Problem | None:
    """A representative that names the holder's GMS guarantees needs a power covering guarantees.use."""
    if party.eori == holder or not uses_gms_guarantee or "guarantees.use" in scopes:
        return None
    return problem("representative.no_guarantee_power", f"/{message_type}/Guarantee",
                   f"your power of attorney from {holder} does not cover the use of its guarantees "
                   "(scope guarantees.use)",
                   f"din fuldmagt fra {holder} omfatter ikke brug af dennes sikkerhedsstillelser")


def holder_unchanged(message_type: str, movement_holder: str, named_holder: str | None) -> Problem | None:
    """A follow-up message keeps the movement's holder: a new holder is a new declaration."""
    if named_holder in (None, movement_holder):
        return None
    return problem("holder.changed", f"/{message_type}/HolderOfTheTransitProcedure/identificationNumber",
                   f"the movement's holder is {movement_holder}; it cannot be changed by {message_type}",
                   f"forsendelsens hovedforpligtede er {movement_holder} og kan ikke ændres med {message_type}")


_DMS_SENDER = re.compile(r"[0-9]{1,20}:([0-9]{8})")


def sender_company(sender: str | None) -> str | None:
    """The company a messageSender names: an EORI, or the Danish DMS's '<user number>:<CVR>' (as its own
    CC015C templates write it), which names DK + CVR."""
    found = _DMS_SENDER.fullmatch(sender or "")
    return f"DK{found.group(1)}" if found else sender


def sender_problem(party: Party, message_type: str, sender: str | None, sender_represents_caller: bool
                   ) -> Problem | None:
    """messageSender is the calling company, or its registered representative (a valid power from the caller)."""
    if sender_company(sender) == party.eori or sender_represents_caller:
        return None
    return problem("message.sender_not_caller", f"/{message_type}/messageSender",
                   f"messageSender {sender} is neither you ({party.eori}) nor your registered representative",
                   f"messageSender {sender} er hverken dig ({party.eori}) eller din registrerede repræsentant")
