"""When the goods may leave, who may use which express procedure, and the agent's liability (seed 004, SPEC I)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from toldsystem.core.errors import Problem
from toldsystem.imports.rules.express import (forwarder_holds_power_of_attorney, full_express_reasons,
                                              simplified_express_needs_authorisation, simplified_express_not_allowed_for)
from toldsystem.imports.rules.facts import as_list
from toldsystem.imports.rules.model import Declaration, Procedure

DECISION_READY_LEAD = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class LeaveDecision:
    """May the goods leave the customs office now, and why (code, English, Danish)."""

    may_leave: bool
    reason: str
    en: str
    da: str
    liable: str | None = None  # who answers for the duties, when not the consignee (the agent's storage)


@dataclass(frozen=True, slots=True)
class ExpressOptions:
    """Which express procedures the declaration's parties may use, and what stands in the way of simplified."""

    full_express: bool
    simplified_express: bool
    reasons: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class TemporaryStorageOutcome:
    """The clearing agent's own temporary storage (seed 004): it is liable; goods wait until duties are paid."""

    liable: str
    may_leave_before_duties_paid: bool
    en: str
    da: str


def decision_ready_at_arrival(decl: Declaration) -> bool:
    """Seed 004 "Fordel ved at angive elektronisk": lodged electronically ≥ 2 h before actual arrival, no waiting."""
    return (decl.lodged_electronically and decl.actual_arrival is not None
            and decl.actual_arrival - decl.lodged_at >= DECISION_READY_LEAD)


def express_options(decl: Declaration) -> ExpressOptions:
    """Seed 004 "Hvem kan anvende ordningen?": full express is for anyone; simplified needs the authorisation (and a
    forwarder the consignee's power of attorney) and none of the cases that are always full express or that
    simplified express cannot be used for."""
    as_simplified = replace(decl, procedure=Procedure.SIMPLIFIED_EXPRESS)
    reasons: list[Problem] = [r.problem for r in full_express_reasons(decl)]
    for rule in (simplified_express_not_allowed_for, simplified_express_needs_authorisation,
                 forwarder_holds_power_of_attorney):
        reasons.extend(as_list(rule(as_simplified, decl.lodged_at)))
    return ExpressOptions(full_express=True, simplified_express=not reasons, reasons=tuple(reasons))


def temporary_storage_outcome(decl: Declaration) -> TemporaryStorageOutcome | None:
    """Seed 004 "I de tre sidstnævnte tilfælde..." (TDL § 33, TBEK § 6, stk. 5): the agent is liable, duties first."""
    if not decl.agent_temporary_storage or not decl.represented:
        return None
    agent = decl.declarant.identifier
    return TemporaryStorageOutcome(
        liable=agent, may_leave_before_duties_paid=False,
        en=f"the goods are on the clearing agent's temporary storage: {agent} is liable for duties and taxes, "
           "and the goods may not leave before they are paid",
        da=f"varerne er oplagt på ekspeditørens midlertidige oplag: {agent} hæfter for told og afgifter, "
           "og varerne må ikke fraføres, før de er betalt")


def may_leave(decl: Declaration, at: datetime, released: bool, duties_paid: bool) -> LeaveDecision:
    """Seed 004 "Fordel ved anvendelse..." (TBEK § 6) and "Varer, der altid skal angives...": may the goods leave now?

    `released`: customs released the goods (a green or blue lane, or a yellow/red control that ended in
    release). Express goods leave at release; the cases that are always full express wait for clearance,
    and private, no-credit and foreign consignees' goods, or goods on the agent's storage, until duties are paid.
    """
    if decl.actual_arrival is None or at < decl.actual_arrival:
        return LeaveDecision(False, "not_arrived", "the goods have not arrived", "varerne er ikke ankommet")
    storage = temporary_storage_outcome(decl)
    if not released:
        return LeaveDecision(False, "not_released", "customs have not released the goods (decision or control pending)",
                             "toldmyndigheden har ikke frigivet varerne (afgørelse eller kontrol afventer)",
                             storage.liable if storage else None)
    pay_first = storage is not None or any(r.storage_alternative for r in full_express_reasons(decl))
    if pay_first and not duties_paid:
        if storage is not None:
            return LeaveDecision(False, "duties_unpaid", storage.en, storage.da, storage.liable)
        return LeaveDecision(False, "duties_unpaid",
                             "goods for a private person, a company without customs credit or a foreign consignee "
                             "may not leave before duties are paid (TDL § 33)",
                             "varer til private, virksomheder uden toldkredit eller udenlandske varemodtagere må "
                             "ikke fraføres, før told mv. er betalt (TDL § 33)")
    return LeaveDecision(True, "released", "released for free circulation: the goods may leave",
                         "frigivet til fri disposition: varerne må fraføres",
                         storage.liable if storage else None)
