"""Signing in with a password (seed 000's rules) or an SSH key, and changing a password.

The seam the file gateway codes against: `sign_in(username, password, channel=…)` and
`party_for_public_key(username, public_key_openssh)`, each giving the Party the user acts as.

Lockout with back-off, per user: after 3 wrong passwords in a row each sign-in waits 30 s, then 60 s, 120 s …,
at most 15 minutes (passwords.wait_after). While it waits, an attempt is refused unchecked and uncounted, so a
stranger who guesses can delay a user by 15 minutes at a time but never lock it out for good; the user's SSH
keys and API tokens keep working, a correct password after the wait clears the count, and the administrator's
reset clears it at once.
"""

from __future__ import annotations

import functools
import math
from datetime import timedelta

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select, update

from toldsystem import db
from toldsystem.access import passwords, store
from toldsystem.access.rules import Party, not_registered
from toldsystem.access.service import audit
from toldsystem.access.service.users import end_sessions, hasher, parse_public_key, party_of_user
from toldsystem.companies import store as companies_store
from toldsystem.companies.rules import is_eori_registered
from toldsystem.core import clock
from toldsystem.core.errors import Forbidden, Rejected, ToldError, Unauthenticated, problem

_u, _c = store.users, companies_store.companies


@functools.cache
def _nobody() -> str:
    """Verified against when the username is unknown, so that an unknown user costs what a wrong password does."""
    return hasher().hash("nobody-has-this-password")



class PasswordExpired(Forbidden):
    """The password was right but has expired (3 months, seed 000) or was reset: change it first."""

    reset = False  # True: the administrator reset it (a temporary password); False: it is older than 3 months


class SignInWaiting(ToldError):
    """Too many wrong passwords in a row: the user's sign-in waits (back-off)."""

    status = 429


def _wrong() -> Unauthenticated:
    # The same answer for an unknown user, a disabled one and a wrong password: it tells a stranger nothing.
    return Unauthenticated(problem("auth.sign_in", "password", "unknown username or wrong password",
                                   "ukendt brugernavn eller forkert adgangskode"))


def _user_row(conn, username: str):
    return conn.execute(select(_u, _c.c.registered_import, _c.c.registered_export)
                        .select_from(_u.outerjoin(_c, _c.c.eori == _u.c.eori))
                        .where(_u.c.username == username)).first()


def _check_company(row) -> None:
    if row.kind == "company" and not is_eori_registered(bool(row.registered_import), bool(row.registered_export)):
        raise not_registered(row.eori, "username")


def verified(username: str, password: str, *, channel: str, client: str | None = None):
    """The user's row once its password is verified; counts a failure (and the back-off) otherwise. Every refusal
    is audited (`_refused`), in the unit of work that counts it."""
    now = clock.now()
    refused = None
    malformed = not isinstance(username, str) or not isinstance(password, str) or len(username) > 40 \
        or len(password) > 200
    with db.transaction() as conn:
        row = None if malformed else _user_row(conn, username)
        if malformed:
            refused = _wrong()
            _refused(conn, str(username)[:40], None, "malformed", channel, client)
        elif row is not None and row.wait_until is not None and row.wait_until > now:
            seconds = math.ceil((row.wait_until - now).total_seconds())
            refused = SignInWaiting(problem("auth.waiting", "password", f"too many wrong passwords in a row: try "
                                            f"again in {seconds} seconds", f"for mange forkerte adgangskoder i "
                                            f"træk: prøv igen om {seconds} sekunder"))
            _refused(conn, username, row, "waiting", channel, client, waits_seconds=seconds)
        elif row is None or row.password_hash is None or row.disabled_at is not None:
            _verify(_nobody(), password)
            refused = _wrong()
            why = "unknown_user" if row is None else "disabled" if row.disabled_at is not None else "no_password"
            _refused(conn, username, row, why, channel, client)
        elif not _verify(row.password_hash, password):
            failures = row.failures + 1
            wait = passwords.wait_after(failures)
            conn.execute(update(_u).where(_u.c.id == row.id).values(
                failures=_u.c.failures + 1, wait_until=now + timedelta(seconds=wait) if wait else None))
            refused = _wrong()
            _refused(conn, username, row, "wrong_password", channel, client, failures=failures,
                     waits_seconds=wait or 0)
        elif row.failures or row.wait_until or hasher().check_needs_rehash(row.password_hash):
            conn.execute(update(_u).where(_u.c.id == row.id).values(
                failures=0, wait_until=None, password_hash=_rehashed(row.password_hash, password)))
    if refused is not None:
        raise refused  # raised after the commit: the failure is counted and audited
    try:
        _check_company(row)
    except ToldError:
        refuse(username, "company_not_registered", channel=channel, client=client)
        raise
    return row


def _refused(conn, username: str, row, reason: str, channel: str, client: str | None, **detail: int) -> None:
    """Audit a refused sign-in: who tried (the username given; a known user's company reads the entry), through
    which channel, from where and why — never the password."""
    by = party_of_user(row) if row is not None else Party(kind="company", name=username or "?", user=username or "?")
    audit.record(conn, by.via(channel, client), "user.sign_in_refused", username or "?",
                 subject=row.eori if row is not None else None, reason=reason, **detail)


def refuse(username: str, reason: str, *, channel: str, client: str | None) -> None:
    """Audit a sign-in refused after its password was right (expired, reset, the company no longer registered, an
    officer at the companies' gateway), in a unit of work of its own."""
    with db.transaction() as conn:
        _refused(conn, username, _user_row(conn, username), reason, channel, client)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _rehashed(password_hash: str, password: str) -> str:
    return hasher().hash(password) if hasher().check_needs_rehash(password_hash) else password_hash


def sign_in(username: str, password: str, *, channel: str, client: str | None = None) -> Party:
    """The party a user acts as, signed in with its password through `channel` (api, portal, sftp, ftps) from
    `client`; Unauthenticated, SignInWaiting (429), or PasswordExpired: change it first (POST
    /api/v1/access/password). A refusal is audited, naming why."""
    row = verified(username, password, channel=channel, client=client)
    if row.must_change or passwords.is_expired(row.password_changed_at, clock.now()):
        refuse(username, "password_reset" if row.must_change else "password_expired", channel=channel, client=client)
        why_en = "was reset" if row.must_change else "has expired (seed 000: it is changed every 3 months)"
        why_da = "er nulstillet" if row.must_change else "er udløbet (den skal ændres hver 3. måned)"
        expired = PasswordExpired(problem("auth.password_expired", "password",
                                          f"your password {why_en}: change it (POST /api/v1/access/password, or "
                                          "`told users change-password`) and sign in again",
                                          f"din adgangskode {why_da}: skift den og log ind igen"))
        expired.reset = bool(row.must_change)
        raise expired
    return party_of_user(row).via(channel, client)


def change_password(username: str, current: str, new: str, *, channel: str, client: str | None = None) -> None:
    """The user changes its password, proving the current one: the new one keeps every rule of seed 000 and
    changes at least 3 characters (passwords.too_few_changed, held to every change so that "changing" to the
    same password cannot dodge the 3-month expiry). The user's web sessions end."""
    row = verified(username, current, channel=channel, client=client)
    found = passwords.problems(new if isinstance(new, str) else "")
    changed = passwords.too_few_changed(current, new if isinstance(new, str) else "")
    if changed is not None:
        found.append(changed)
    if found:
        raise Rejected(found)
    with db.transaction() as conn:
        conn.execute(update(_u).where(_u.c.id == row.id).values(
            password_hash=hasher().hash(new), password_changed_at=clock.now(), must_change=False))
        end_sessions(conn, row.id)
        audit.record(conn, party_of_user(row).via(channel, client), "user.change_password", username,
                     subject=row.eori)


def party_for_public_key(username: str, public_key_openssh: str) -> Party:
    """The party a user acts as when it proves one of its registered SSH keys (the gateway checks the signature);
    Unauthenticated for an unknown user or key, a disabled user, or a revoked key."""
    try:
        normal, _fingerprint = parse_public_key(public_key_openssh)
    except Rejected:
        raise _wrong() from None
    k = store.user_keys
    with db.reading() as conn:
        row = conn.execute(select(_u, _c.c.registered_import, _c.c.registered_export)
                           .select_from(_u.join(k, k.c.user_id == _u.c.id).outerjoin(_c, _c.c.eori == _u.c.eori))
                           .where(_u.c.username == username, k.c.public_key == normal, k.c.revoked_at.is_(None),
                                  _u.c.disabled_at.is_(None))).first()
    if row is None:
        raise Unauthenticated(problem("auth.key", "public_key", "unknown user or key", "ukendt bruger eller nøgle"))
    _check_company(row)
    return party_of_user(row).via("sftp", None)
