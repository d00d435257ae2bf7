"""Manifest submissions are signed (seed 000 "Onlineadgang til ICS og Manifest sker med digital signatur … FTP-adgang
til ICS og Manifest sker ligeledes med digital signatur"; seed 002: the online solution "kræver en individuel
digital signatur"). The verification is done by toldsystem.signatures; its result is the fact this rule reads."""

from __future__ import annotations

from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.manifest.rules.facts import manifest_problem
from toldsystem.signatures.rules import Verified


def submission_is_signed(verification: Verified | Problem | None, submitter: str) -> list[Problem]:
    """Seed 000: an unsigned submission, or one whose signature failed or is another company's, is refused."""
    if verification is None:
        return [manifest_problem("unsigned", "/signature", "a Manifest submission needs a valid digital signature",
                                 "en indsendelse til Manifest kræver en gyldig digital signatur")]
    if isinstance(verification, Problem):
        return [manifest_problem("signature_invalid", "/signature", f"the digital signature is not valid: "
                                 f"{verification.en}", f"den digitale signatur er ikke gyldig: {verification.da}")]
    if normalise_eori(verification.company_eori) != normalise_eori(submitter):
        return [manifest_problem("signature_other_company", "/signature", f"the signature is "
                                 f"{verification.company_eori}'s, not the submitter {submitter}'s",
                                 f"signaturen tilhører {verification.company_eori}, ikke indsenderen {submitter}")]
    return []
