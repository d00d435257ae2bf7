"""User use cases: an administrator creates users of its company and grants and revokes their roles per system,
resets a password (a temporary one, changed at the next sign-in), issues a user's API tokens, registers its SSH
public keys; a national officer with the administrator role does the same for officers' accounts. Every change
goes to the audit log in the same unit of work."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher, profiles
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access import passwords, recent, rules, store
from toldsystem.access.authorisation_users import RULES
from toldsystem.access.rules import ADMIN, ALL_ROLES, OPERATOR, Party, refusal, roles_towards_user, sees_user
from toldsystem.access.service import audit
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import NotFound, Problems, Rejected, problem
from toldsystem.reference import service as reference



@functools.cache
def hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's recommended parameters (RFC 9106, low memory). TOLD_PASSWORD_HASHING=cheapest
    is for test suites only (the cheapest parameters); a password hashed so is rehashed at its next sign-in."""
    if os.environ.get("TOLD_PASSWORD_HASHING") == "cheapest":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()

_u = store.users


@dataclass(frozen=True, slots=True)
class User:
    """A user as its administrator sees it (never its password)."""

    username: str
    kind: str
    eori: str | None
    office: str | None
    name: str
    roles: frozenset[str]
    has_password: bool
    password_expires_at: datetime | None
    must_change: bool
    waiting_until: datetime | None
    created_at: datetime
    disabled: bool


def as_user(row) -> User:
    expires = passwords.expires_at(row.password_changed_at) if row.password_changed_at else None
    return User(row.username, row.kind, row.eori, row.office, row.name, rules.parse_roles(row.roles),
                row.password_hash is not None, expires, bool(row.must_change), row.wait_until, row.created_at,
                row.disabled_at is not None)


def party_of_user(row, name: str | None = None) -> Party:
    """The party a user acts as: its company (or office), carrying the user's roles."""
    return Party(kind=row.kind, name=name or row.username, eori=row.eori, office=row.office, user=row.username,
                 roles=rules.parse_roles(row.roles))


def unknown_user(name: str) -> NotFound:
    return NotFound(problem("user.unknown", "username", f"no user {name}", f"ingen bruger {name}"))


def row_of(conn: Connection, name: str):
    return conn.execute(select(_u).where(_u.c.username == name)).first()


def require(rule_name: str, by: Party, row, name: str) -> None:
    """Ask the room's table (access/authorisation_users.py); a user the caller may not see is "unknown"."""
    if row is None:
        raise unknown_user(name)
    roles = roles_towards_user(by, row.kind, row.eori, row.username)
    refused = refusal(RULES[rule_name], roles, frozenset(), sees_user(by, row.kind, row.eori), unknown_user(name))
    if refused is not None:
        raise refused


def _checked_roles(roles: list[str] | set[str]) -> frozenset[str]:
    found = Problems()
    found.add(rules.role_problems(roles))
    found.raise_if_any()
    return frozenset(roles)


def create(name: str, roles: list[str] | set[str], *, eori: str | None = None, officer: bool = False,
           office: str | None = None, by: Party = OPERATOR, password: str | None = None,
           must_change: bool = True) -> tuple[User, str]:
    """A new user with a first password: a temporary one (shown once), or the one its administrator chose, which
    keeps every rule of seed 000; either is changed at the first sign-in (seed 000 "tvungent adgangskodeskift";
    only the demo's users are made without, demo.py). A company's administrator creates users of its own company
    (eori defaults to it)."""
    kind = "officer" if officer else "company"
    eori = None if officer else (eori or by.eori)
    _may_create(by, kind, eori, office)
    found = Problems()
    if not name or not name.strip() or len(name) > 200:
        found.add(problem("user.name", "name", "the person's name is required (at most 200 characters)",
                          "personens navn skal udfyldes (højst 200 tegn)"))
    found.add(rules.role_problems(roles))
    if password is not None:
        found.add(passwords.problems(password))
    found.raise_if_any()
    granted = frozenset(roles)
    first = passwords.temporary() if password is None else password
    with db.transaction() as conn:
        row = _insert(conn, kind, eori, office, name.strip(), granted, hasher().hash(first), must_change)
        audit.record(conn, by, "user.create", row.username, subject=eori, roles=sorted(granted), kind=kind,
                     office=office)
    return as_user(row), first


def _may_create(by: Party, kind: str, eori: str | None, office: str | None) -> None:
    """user.create: the company's own administrator, or a national officer who is an administrator."""
    if kind == "company":
        if eori is None:
            raise Rejected(problem("user.eori", "eori", "name the company (eori) the user belongs to",
                                   "angiv virksomheden (eori), brugeren hører til"))
        if companies.find(eori) is None or not (by.is_officer or by.eori == eori):
            raise companies_unknown(eori)
        companies.require_active(eori)
    elif office is not None and reference.snapshot().office(office) is None:
        raise Rejected(problem("office.unknown", "office", f"{office} is not a customs office in the reference data",
                               f"{office} er ikke et toldsted i referencedataene"))
    roles = roles_towards_user(by, kind, eori, "")
    refused = refusal(RULES["user.create"], roles, frozenset(), True, companies_unknown(eori or ""))
    if refused is not None:
        raise refused


def companies_unknown(eori: str) -> NotFound:
    return NotFound(problem("company.unknown", "eori", f"no company with EORI {eori} is registered",
                            f"ingen virksomhed med EORI {eori} er registreret"))


def _insert(conn: Connection, kind: str, eori: str | None, office: str | None, name: str, roles: frozenset[str],
            password_hash: str | None, must_change: bool = True):
    # The serial is one past the highest the company (or office) ever had: users are disabled, never deleted, so
    # a username is never given twice. Two creations at once clash on the unique username and one is retried.
    for _attempt in range(5):
        scope = (_u.c.eori == eori) if kind == "company" else (_u.c.kind == "officer") & (
            _u.c.office == office if office else _u.c.office.is_(None))
        serial = (conn.execute(select(func.max(_u.c.serial)).where(scope)).scalar() or 0) + 1
        username = rules.username(kind, eori, office, serial)
        try:
            with db.transaction() as inner:  # a savepoint: a clash undoes only this insert
                inner.execute(insert(_u).values(
                    username=username, kind=kind, eori=eori, office=office, serial=serial, name=name,
                    roles=rules.roles_text(roles), password_hash=password_hash,
                    password_changed_at=clock.now() if password_hash else None,
                    must_change=must_change and password_hash is not None,
                    failures=0, created_at=clock.now()))
        except IntegrityError:
            continue
        return row_of(conn, username)
    raise RuntimeError("could not give a username after 5 attempts")


def first_administrator(conn: Connection, eori: str):
    """The company's first administrator, made (holding every role, without a password) if it has none: the user
    the company's tokens from before users belong to (migration 0013_users)."""
    rows = conn.execute(select(_u).where(_u.c.eori == eori, _u.c.disabled_at.is_(None)).order_by(_u.c.serial)).all()
    found = next((r for r in rows if ADMIN in rules.parse_roles(r.roles)), None)
    return found or _insert(conn, "company", eori, None, "administrator", ALL_ROLES, None)


def get(name: str, *, by: Party = OPERATOR) -> User:
    """One user: itself, or its administrator."""
    with db.reading() as conn:
        row = row_of(conn, name)
    require("user.read", by, row, name)
    return as_user(row)


def visible(by: Party = OPERATOR) -> list[User]:
    """The users the caller may see: an administrator its company's (a national one every user), a user itself."""
    query = select(_u).order_by(_u.c.kind, _u.c.eori, _u.c.office, _u.c.serial)
    if not (by.is_officer and by.office is None and ADMIN in by.roles):
        if ADMIN in by.roles and not by.is_officer:
            query = query.where(_u.c.eori == by.eori, _u.c.kind == "company")
        else:
            query = query.where(_u.c.username == (by.user or ""))
    with db.reading() as conn:
        return [as_user(r) for r in conn.execute(query).all()]


def set_roles(name: str, roles: list[str] | set[str], *, by: Party = OPERATOR) -> User:
    """Grant and revoke: the user's roles become exactly these (effective within a second everywhere)."""
    granted = _checked_roles(roles)
    with db.transaction() as conn:
        row = row_of(conn, name)
        require("user.manage", by, row, name)
        before = rules.parse_roles(row.roles)
        conn.execute(update(_u).where(_u.c.id == row.id).values(roles=rules.roles_text(granted)))
        audit.record(conn, by, "user.roles", name, subject=row.eori, granted=sorted(granted - before),
                     revoked=sorted(before - granted))
        db.after_commit(recent.forget)
        row = row_of(conn, name)
    return as_user(row)


def reset_password(name: str, *, by: Party = OPERATOR) -> str:
    """A new temporary password (shown once), to be changed at the next sign-in; clears any wait."""
    temporary = passwords.temporary()
    with db.transaction() as conn:
        row = row_of(conn, name)
        require("user.manage", by, row, name)
        conn.execute(update(_u).where(_u.c.id == row.id).values(
            password_hash=hasher().hash(temporary), password_changed_at=clock.now(), must_change=True, failures=0,
            wait_until=None))
        end_sessions(conn, row.id)
        audit.record(conn, by, "user.reset_password", name, subject=row.eori)
    return temporary


def set_disabled(name: str, disabled: bool, *, by: Party = OPERATOR) -> User:
    """A disabled user signs in no more, and its tokens, keys and sessions stop; its username stays taken."""
    with db.transaction() as conn:
        row = row_of(conn, name)
        require("user.manage", by, row, name)
        conn.execute(update(_u).where(_u.c.id == row.id).values(disabled_at=clock.now() if disabled else None))
        if disabled:
            end_sessions(conn, row.id)
        audit.record(conn, by, "user.disable" if disabled else "user.enable", name, subject=row.eori)
        db.after_commit(recent.forget)
        row = row_of(conn, name)
    return as_user(row)


def end_sessions(conn: Connection, user_id: int) -> None:
    conn.execute(update(store.web_sessions).where(store.web_sessions.c.user_id == user_id,
                                                  store.web_sessions.c.ended_at.is_(None))
                 .values(ended_at=clock.now()))


# --- SSH public keys (the file gateway signs users in with them) ------------------------------------------

_KEY_TYPES = ("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
              "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com")
MAX_KEY_CHARS = 16_384  # an RSA key of 16384 bits is some 2,800 characters


def parse_public_key(text: str) -> tuple[str, str]:
    """An OpenSSH public key line ("ssh-ed25519 AAAA… comment"): its normal form (type and key, no comment) and
    its fingerprint as ssh-keygen -l shows it (SHA256 of the key blob, base64 without padding)."""
    parts = (text or "").strip().split()
    bad = Rejected(problem("key.malformed", "public_key", "not an OpenSSH public key: send the line of the .pub "
                           f"file, e.g. 'ssh-ed25519 AAAA…' (types: {', '.join(_KEY_TYPES)})",
                           "ikke en offentlig OpenSSH-nøgle: send linjen fra .pub-filen"))
    if len(text or "") > MAX_KEY_CHARS or len(parts) < 2 or parts[0] not in _KEY_TYPES:
        raise bad
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        raise bad from None
    # The blob begins with the key type as an SSH string (4-byte length, then the name): it must agree.
    length = int.from_bytes(blob[:4], "big") if len(blob) >= 4 else -1
    if blob[4:4 + length].decode("ascii", "replace") != parts[0] or len(blob) <= 4 + length:
        raise bad
    fingerprint = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return f"{parts[0]} {parts[1]}", fingerprint


def add_key(name: str, public_key: str, *, by: Party = OPERATOR) -> str:
    """Register an SSH public key for the user (itself, or its administrator); its fingerprint."""
    normal, fingerprint = parse_public_key(public_key)
    with db.transaction() as conn:
        row = row_of(conn, name)
        require("user.keys", by, row, name)
        conn.execute(insert(store.user_keys).values(user_id=row.id, fingerprint=fingerprint, public_key=normal,
                                                    created_at=clock.now()))
        audit.record(conn, by, "user.key_add", name, subject=row.eori, fingerprint=fingerprint)
    return fingerprint


def keys(name: str, *, by: Party = OPERATOR) -> list[dict]:
    """The user's SSH keys in force (fingerprints and when they were registered)."""
    k = store.user_keys
    with db.reading() as conn:
        row = row_of(conn, name)
        require("user.keys", by, row, name)
        found = conn.execute(select(k).where(k.c.user_id == row.id, k.c.revoked_at.is_(None)).order_by(k.c.id)).all()
    return [{"fingerprint": r.fingerprint, "type": r.public_key.split()[0], "created_at": r.created_at}
            for r in found]


def revoke_key(name: str, fingerprint: str, *, by: Party = OPERATOR) -> None:
    k = store.user_keys
    with db.transaction() as conn:
        row = row_of(conn, name)
        require("user.keys", by, row, name)
        done = conn.execute(update(k).where(k.c.user_id == row.id, k.c.fingerprint == fingerprint,
                                            k.c.revoked_at.is_(None)).values(revoked_at=clock.now()))
        if done.rowcount == 0:
            raise NotFound(problem("key.unknown", "fingerprint", f"{name} has no key {fingerprint}",
                                   f"{name} har ingen nøgle {fingerprint}"))
        audit.record(conn, by, "user.key_revoke", name, subject=row.eori, fingerprint=fingerprint)


# --- the portal's language, remembered per user -------------------------------------------------------------

LANGUAGES = ("da", "en")


def set_language(name: str, language: str) -> None:
    """The user's own choice of the portal's language (da or en), kept for its next sessions."""
    if language not in LANGUAGES:
        raise Rejected(problem("user.language", "lang", "the language is da or en", "sproget er da eller en"))
    with db.transaction() as conn:
        conn.execute(update(_u).where(_u.c.username == name).values(language=language))


def language_of(name: str) -> str | None:
    """The language the user chose (None: none yet)."""
    with db.reading() as conn:
        return conn.execute(select(_u.c.language).where(_u.c.username == name)).scalar()
