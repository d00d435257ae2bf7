"""Permissions to use the fallback procedure (seed 002 "Generelt"; SPEC F): who gives them, how they are sent,
what they state, and when they end. The officer decides; these rules check the recorded decision and answer
whether a company may use fallback for a procedure at an instant."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime

from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import eori_problem, normalise_eori
from toldsystem.fallback.rules.facts import Result, as_list, fallback_problem
from toldsystem.fallback.rules.model import CAUSES, Channel, Permission, Procedure, Scope

PermissionRule = Callable[[Permission], Result]

# Seed 002 "Import" and "Eksport": when Import (e-Export) falls back, Manifest's arrival (departure) part does too.
FALLS_BACK_WITH: dict[Procedure, frozenset[Procedure]] = {
    Procedure.IMPORT: frozenset({Procedure.MANIFEST_ARRIVAL}),
    Procedure.EXPORT: frozenset({Procedure.MANIFEST_DEPARTURE}),
    Procedure.EXPORT_EXIT: frozenset({Procedure.MANIFEST_DEPARTURE}),
}
# Seed 002 "Import": the SAD may always be used for import; "det ikke kræver særlig tilladelse". "Opbevaringsdelen
# af manifestsystemet": for MIO "anvendes samme regler som beskrevet ovenfor under nødproceduren for import".
NO_PERMISSION_NEEDED = frozenset({Procedure.IMPORT, Procedure.MANIFEST_STORAGE})


def company_permission_is_sent_to_the_company(p: Permission) -> Result:
    """Seed 002 "Generelt": a company's permission answers its mail/fax (by phone if that fails) and names it."""
    if p.scope != Scope.COMPANY:
        return None
    if p.channel == Channel.BOARD:
        return fallback_problem("company_on_board", "/channel", "a company's permission is sent to the company by "
                                "mail, fax or phone, not the board", "en virksomheds tilladelse gives ved retursvar "
                                "pr. mail, fax eller telefon, ikke på rullemenuen")
    if not p.company or eori_problem(normalise_eori(p.company)):
        return fallback_problem("company", "/company", "a company's permission names the company by a valid EORI",
                                "en virksomheds tilladelse angiver virksomheden med gyldigt EORI-nr.")
    return None


def phone_only_when_mail_impossible(p: Permission) -> Result:
    """Seed 002 "Generelt": "Hvis det ikke er muligt at sende/modtage mail/fax kan tilladelsen gives telefonisk"."""
    if p.channel == Channel.PHONE and not p.mail_impossible:
        return fallback_problem("phone", "/channel", "a permission is given by phone only when mail and fax cannot "
                                "be sent or received: record why", "tilladelsen gives kun telefonisk, når mail/fax "
                                "ikke kan sendes eller modtages: angiv hvorfor")
    return None


def company_permission_states_its_period(p: Permission) -> Result:
    """Seed 002 "Generelt": the answer states "hvor længe nødproceduren kan anvendes": an end after its start."""
    if p.scope == Scope.COMPANY and p.granted and (p.valid_until is None or p.valid_until <= p.valid_from):
        return fallback_problem("period", "/validUntil", "a company's permission states how long fallback may be "
                                "used: an end after its start", "tilladelsen skal angive, hvor længe nødproceduren "
                                "kan anvendes: en slutning efter starten")
    return None


def general_permission_is_on_the_board(p: Permission) -> Result:
    """Seed 002 "Generelt": a general permission is published on the board ("Toldsystemets rullemenu")."""
    if p.scope == Scope.GENERAL and (p.channel != Channel.BOARD or p.board_message is None):
        return fallback_problem("general_unpublished", "/boardMessage", "a general permission is published on the "
                                "board", "en generel tilladelse offentliggøres på Toldsystemets rullemenu")
    return None


def general_end_is_on_the_board(p: Permission) -> Result:
    """Seed 002 "Generelt": "Der skrives ligeledes på … rullemenu når brugen af nødproceduren ophører"."""
    if p.scope == Scope.GENERAL and p.ended_at is not None and p.end_message is None:
        return fallback_problem("end_unpublished", "/endMessage", "the end of a general permission is published on "
                                "the board", "ophøret af en generel tilladelse skrives på rullemenuen")
    return None


def permission_names_procedures_and_a_cause_they_allow(p: Permission) -> Result:
    """Seed 002, per procedure: it names its procedures, and the cause is one each procedure's fallback allows."""
    if not p.procedures:
        return fallback_problem("procedures", "/procedures", "a permission names the procedures it covers",
                                "en tilladelse angiver de procedurer, den omfatter")
    return [fallback_problem("cause", "/cause", f"{p.cause.value} is not a cause for the {proc.value} fallback",
                             f"{p.cause.value} er ikke en årsag til nødprocedure for {proc.value}")
            for proc in sorted(p.procedures) if p.cause not in CAUSES[proc]]


def decided_by_an_officer(p: Permission) -> Result:
    """Seed 002 "Generelt": "tilladelsen gives altid efter en konkret vurdering": an officer made the decision."""
    if not p.decided_by.strip():
        return fallback_problem("officer", "/decidedBy", "a permission is an officer's decision: say whose",
                                "en tilladelse er en konkret vurdering: angiv sagsbehandleren")
    return None


RULES: tuple[PermissionRule, ...] = (
    company_permission_is_sent_to_the_company, phone_only_when_mail_impossible, company_permission_states_its_period,
    general_permission_is_on_the_board, general_end_is_on_the_board,
    permission_names_procedures_and_a_cause_they_allow, decided_by_an_officer)


def check_permission(p: Permission) -> list[Problem]:
    """Every rule of a recorded permission."""
    return [found for rule in RULES for found in as_list(rule(p))]


def permission_ends_at(p: Permission, back_at: datetime | None = None) -> datetime | None:
    """Seed 002 "Generelt": fallback ends at the permission's end, its published end, or when the system is back."""
    ends = [t for t in (p.valid_until, p.ended_at, back_at) if t is not None]
    return min(ends) if ends else None


@dataclass(frozen=True, slots=True)
class FallbackUse:
    """May a company use fallback for a procedure now: yes or no, on which permission, and why."""

    allowed: bool
    permission: Permission | None
    en: str
    da: str


def covers(p: Permission, company: str, procedure: Procedure) -> bool:
    """The permission is for everyone (general) or this company, and covers the procedure or one it falls back with."""
    procedures = set(p.procedures).union(*(FALLS_BACK_WITH.get(proc, frozenset()) for proc in p.procedures))
    return procedure in procedures and (p.scope == Scope.GENERAL
                                        or normalise_eori(p.company) == normalise_eori(company))


def may_use_fallback(company: str, procedure: Procedure, at: datetime, permissions: Collection[Permission],
                     back_at: datetime | None = None) -> FallbackUse:
    """Seed 002 "Generelt": fallback needs a permission in force (the import SAD never does); it ends once the
    system is announced back (`back_at`)."""
    if procedure in NO_PERMISSION_NEEDED:
        return FallbackUse(True, None, "the single administrative document may always be used for import (and "
                           "temporary storage follows the import rules)", "enhedsdokumentet kan altid anvendes ved "
                           "import og kræver ikke særlig tilladelse (midlertidig opbevaring følger reglerne for "
                           "import)")
    if back_at is not None and back_at <= at:
        return FallbackUse(False, None, "the system is announced back: fallback has ended",
                           "systemet er meldt i drift igen: brugen af nødprocedure er ophørt")
    for p in permissions:
        if covers(p, company, procedure) and p.in_force(at):
            return FallbackUse(True, p, f"fallback permitted until {p.valid_until or 'its end is announced'}",
                               f"nødprocedure tilladt indtil {p.valid_until or 'ophør meldes'}")
    return FallbackUse(False, None, "no permission to use fallback: call the customs service desk (70 15 73 01)",
                       "ingen tilladelse til nødprocedure: kontakt Told - Servicedesk (70 15 73 01)")
