"""Pure rules about access codes (seed 003 "adgangskode", SPEC G) and against guessing them.

An access code is a 4-character secret: 36^4 values. Every check of one is an answer that may
tell whether it was right, so wrong codes are counted per caller and GRN — from declarations,
amendments, balance queries and test reservations alike — and after a few the caller waits
before the next code is checked at all, twice as long each time, until it is locked out of that
GRN. One caller's failures never touch another caller's counter, nor the holder's.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from toldsystem.core.errors import Problem, problem

ACCESS_CODE_ALPHABET = string.ascii_uppercase + string.digits
ACCESS_CODE_PATTERN = re.compile(r"^[A-Za-z0-9]{4}$")

# Wrong codes a caller may send for one GRN before it must wait, the first wait (doubled after each
# further failure, up to the longest), and the consecutive failures after which it is locked out
# until the holder (or an officer of the office of guarantee) clears it. So whatever the pace, a
# caller gets at most LOCKOUT_AFTER answers that depend on the code it sent, per GRN.
FREE_FAILURES = 3
FIRST_WAIT = timedelta(seconds=2)
LONGEST_WAIT = timedelta(hours=1)
LOCKOUT_AFTER = 10


@dataclass(frozen=True, slots=True)
class AccessCode:
    """One access code's record: who it is for and when — never the code itself."""

    id: int
    grn: str
    label: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A new access code, shown to its holder once and never again."""

    id: int
    grn: str
    label: str
    code: str


@dataclass(frozen=True, slots=True)
class CodeAttempts:
    """A caller's consecutive wrong access codes (or unknown GRNs) for one GRN."""

    caller: str
    grn: str
    failures: int
    first_failed_at: datetime
    last_failed_at: datetime
    blocked_until: datetime | None
    locked: bool


def new_access_code() -> str:
    """A random access code of 4 letters or digits (NCTS phase 5) — seed 003 "adgangskode"."""
    return "".join(secrets.choice(ACCESS_CODE_ALPHABET) for _ in range(4))


def normalise_access_code(code: str) -> str:
    """Access codes are compared without surrounding spaces and case-insensitively."""
    return code.strip().upper()


def check_access_code_format(code: str | None, pointer: str = "guarantee/accessCode") -> Problem | None:
    """An access code is 4 letters or digits (NCTS phase 5) — seed 003."""
    if code is not None and ACCESS_CODE_PATTERN.fullmatch(code.strip()):
        return None
    return problem("guarantee.access_code_malformed", pointer, "an access code is 4 letters or digits",
                   "en adgangskode er 4 bogstaver eller cifre")


def check_access_code_label(label: str, pointer: str = "label") -> Problem | None:
    """Each access code is labelled with the person the holder authorised — seed 003."""
    if label and label.strip() and len(label.strip()) <= 200:
        return None
    return problem("guarantee.access_code_label", pointer,
                   "name the person (or role) the access code is for, at most 200 characters",
                   "angiv den person, adgangskoden er til (højst 200 tegn)")


def access_code_digest(key: bytes, grn: str, code: str) -> str:
    """HMAC-SHA256 of the access code, keyed with the server secret and bound to its GRN.

    Why a keyed hash: a 4-character code has only 36^4 ≈ 1.7 million values, so any unkeyed
    hash (even a slow one) of a stolen database is reversed by trying them all; a slow hash
    would also cap the reservation throughput. With HMAC the secret key — which never sits in
    the database — is needed to test a guess. Binding the GRN in means equal codes on two
    guarantees have different digests.
    """
    message = f"{grn}:{normalise_access_code(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def access_code_matches(key: bytes, grn: str, code: str, digests: Iterable[str]) -> bool:
    """The code matches one of the guarantee's active access codes; compared in constant time."""
    candidate = access_code_digest(key, grn, code)
    matched = False
    for digest in digests:
        # No early exit: the time taken does not depend on which code matched.
        matched |= hmac.compare_digest(candidate, digest)
    return matched


def proof_matches(proof: str, digests: Iterable[str]) -> bool:
    """A kept proof (an access code's digest) matches one of the active access codes; constant time."""
    matched = False
    for digest in digests:
        matched |= hmac.compare_digest(proof, digest)
    return matched


def guarantee_not_valid_problem() -> Problem:
    """Unknown GRN, not the holder's, or wrong access code: one answer, so it is no oracle — seed 003."""
    return problem("guarantee.not_valid", "guarantee/GRN",
                   "the GRN and access code do not identify a guarantee you may use; check both",
                   "GRN og adgangskode identificerer ikke en sikkerhedsstillelse, du må bruge; kontroller begge")


# --- guessing ----------------------------------------------------------------------------------------

def wait_after(failures: int) -> timedelta:
    """After FREE_FAILURES wrong codes, each further one doubles the wait before the next is checked."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 32), LONGEST_WAIT)


def locked_out(failures: int) -> bool:
    """LOCKOUT_AFTER consecutive wrong codes lock the caller out of the GRN until it is cleared."""
    return failures >= LOCKOUT_AFTER


def after_failure(previous: CodeAttempts | None, caller: str, grn: str, now: datetime) -> CodeAttempts:
    """The record after one more wrong code: counted, with its wait, locked once there are too many."""
    failures = (previous.failures if previous else 0) + 1
    wait = wait_after(failures)
    return CodeAttempts(caller, grn, failures, previous.first_failed_at if previous else now, now,
                        now + wait if wait else None, locked_out(failures))


def attempts_problem(attempts: CodeAttempts | None, now: datetime, pointer: str = "guarantee/GRN") -> Problem | None:
    """While waiting or locked out, no code is checked: the answer is the same whether it was right."""
    if attempts is None:
        return None
    if attempts.locked:
        return problem("guarantee.attempts_locked", pointer,
                       f"after {attempts.failures} wrong access codes in a row for this GRN you are locked out of it; "
                       "the guarantee's holder can clear the lock",
                       f"efter {attempts.failures} forkerte adgangskoder i træk for dette GRN er du spærret; "
                       "sikkerhedsstillelsens indehaver kan ophæve spærringen")
    if attempts.blocked_until is not None and now < attempts.blocked_until:
        return problem("guarantee.attempts_backoff", pointer,
                       f"after {attempts.failures} wrong access codes in a row for this GRN no code is checked before "
                       f"{attempts.blocked_until.isoformat(timespec='seconds')}",
                       f"efter {attempts.failures} forkerte adgangskoder i træk for dette GRN kontrolleres ingen kode "
                       f"før {attempts.blocked_until.isoformat(timespec='seconds')}")
    return None
