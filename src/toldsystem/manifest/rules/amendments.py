"""Correction and deletion of a filed Manifest declaration, at any status (SPEC M; seed 000 "Kendte
problemstillinger: Rettelse eller sletning i Manifest fejler — Bemærkningsfeltet må ikke være udfyldt, hvis
angivelsens status er 11 eller derunder (selv om feltet er markeret som obligatorisk)").

That defect is not reproduced: the remarks field is the mandatory field it is marked as, at every status."""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.manifest.rules.facts import manifest_problem
from toldsystem.manifest.rules.model import Amendment, AmendmentRequest

REMARKS_MAX = 512


def amendment_states_remarks(r: AmendmentRequest) -> Problem | None:
    """Seed 000: the remarks field is marked mandatory: a correction or deletion says why, whatever the status."""
    if not r.remarks.strip():
        return manifest_problem("remarks_missing", "/remarks", "a correction or deletion states its remarks",
                                "en rettelse eller sletning skal have en bemærkning")
    if len(r.remarks) > REMARKS_MAX:
        return manifest_problem("remarks_long", "/remarks", f"remarks are at most {REMARKS_MAX} characters",
                                f"bemærkningen er højst {REMARKS_MAX} tegn")
    return None


def amendment_of_existing_declaration(r: AmendmentRequest) -> Problem | None:
    """SPEC M: correction and deletion work at every status; only a declaration already deleted cannot be amended."""
    if r.deleted:
        verb = ("corrected", "rettes") if r.kind == Amendment.CORRECTION else ("deleted again", "slettes igen")
        return manifest_problem("amend_deleted", "/", f"the declaration is deleted and cannot be {verb[0]}",
                                f"angivelsen er slettet og kan ikke {verb[1]}")
    return None


def check_amendment(r: AmendmentRequest) -> list[Problem]:
    """Both amendment rules. The status is never a reason to refuse (the seed 000 defect is not reproduced)."""
    return [p for p in (amendment_of_existing_declaration(r), amendment_states_remarks(r)) if p is not None]
