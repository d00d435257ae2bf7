"""Web sessions for the portal: signed in with a password, kept server-side (only SHA-256 digests of the session
id and of its CSRF token are stored), ended by signing out, by the idle timeout (30 minutes without a request)
or the absolute one (8 hours after sign-in), and by a password change, reset or disabled user.

CSRF: the synchronizer token pattern. Sign-in gives a CSRF token beside the session id; every request that
changes something and comes with the session cookie must send it back in the X-CSRF-Token header. A bearer
token is never sent by a browser on its own, so bearer calls need none.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, insert, select, update

from toldsystem import db
from toldsystem.access import store
from toldsystem.access.rules import Party, not_registered, token_digest
from toldsystem.access.service import audit, signin
from toldsystem.access.service.users import party_of_user
from toldsystem.companies import store as companies_store
from toldsystem.companies.rules import is_eori_registered
from toldsystem.core import clock
from toldsystem.core.errors import Forbidden, Unauthenticated, problem
from toldsystem.prepared import Prepared

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=8)
_SEEN_EVERY = timedelta(seconds=60)  # seen_at is written at most this often: a request is not a write
CSRF_HEADER = "X-CSRF-Token"

_s, _u, _c = store.web_sessions, store.users, companies_store.companies
_SESSION = Prepared(select(_s.c.id, _s.c.csrf_digest, _s.c.created_at, _s.c.seen_at, _u.c.username, _u.c.kind,
                           _u.c.eori, _u.c.office, _u.c.roles, _u.c.language, _c.c.registered_import,
                           _c.c.registered_export)
                    .select_from(_s.join(_u, _u.c.id == _s.c.user_id).outerjoin(_c, _c.c.eori == _u.c.eori))
                    .where(_s.c.digest == bindparam("digest"), _s.c.ended_at.is_(None), _u.c.disabled_at.is_(None)))


@dataclass(frozen=True, slots=True)
class Started:
    """A new session: its id (the cookie) and CSRF token, each shown once, and who signed in."""

    session_id: str
    csrf_token: str
    party: Party
    expires_at: datetime


def start(username: str, password: str, *, client: str | None, channel: str = "portal") -> Started:
    """Sign in to a web session through `channel` — the portal's form, or the API's POST /access/session (the
    password's rules, lockout and audit of a refusal as for every channel)."""
    party = signin.sign_in(username, password, channel=channel, client=client)
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = clock.now()
    with db.transaction() as conn:
        user_id = conn.execute(select(_u.c.id).where(_u.c.username == username)).scalar_one()
        conn.execute(insert(_s).values(digest=token_digest(session_id), csrf_digest=token_digest(csrf),
                                       user_id=user_id, created_at=now, seen_at=now,
                                       client=(client or None) and client[:100]))
        audit.record(conn, party, "session.sign_in", username, subject=party.eori)
    return Started(session_id, csrf, party.via("portal", client), now + ABSOLUTE)  # the session's party


def _ended() -> Unauthenticated:
    return Unauthenticated(problem("auth.session", "Cookie", "no session, or it has ended: sign in again",
                                   "ingen session, eller den er udløbet: log ind igen"))


def party(session_id: str, csrf_token: str | None, changes: bool) -> Party:
    """The party behind a session cookie; a request that changes something must carry the session's CSRF token."""
    return signed_in(session_id, csrf_token, changes)[0]


def signed_in(session_id: str, csrf_token: str | None, changes: bool) -> tuple[Party, str | None]:
    """The party behind a session cookie and its user's language (None: not chosen); the one check of a session,
    for the API (the X-CSRF-Token header) and the portal's pages (that header or the form's csrf_token field)."""
    with db.reading() as conn:
        row = _SESSION.run(conn, {"digest": token_digest(session_id)}).first()
    now = clock.now()
    if row is None or now - row.seen_at > IDLE or now - row.created_at > ABSOLUTE:
        raise _ended()
    if changes and not (csrf_token and hmac.compare_digest(token_digest(csrf_token), row.csrf_digest)):
        raise Forbidden(problem("auth.csrf", CSRF_HEADER, f"a change made with the session cookie must send the "
                                f"session's CSRF token in the {CSRF_HEADER} header (given at sign-in)",
                                f"en ændring med sessionens cookie skal sende sessionens CSRF-nøgle i {CSRF_HEADER}"))
    if row.kind == "company" and not is_eori_registered(bool(row.registered_import), bool(row.registered_export)):
        raise not_registered(row.eori, "Cookie")
    if now - row.seen_at > _SEEN_EVERY:
        with db.transaction() as conn:
            conn.execute(update(_s).where(_s.c.id == row.id).values(seen_at=now))
    return party_of_user(row), row.language


def end(session_id: str, by: Party) -> None:
    """Sign out: the session ends at once."""
    with db.transaction() as conn:
        done = conn.execute(update(_s).where(_s.c.digest == token_digest(session_id), _s.c.ended_at.is_(None))
                            .values(ended_at=clock.now()))
        if done.rowcount:
            audit.record(conn, by, "session.sign_out", by.user or by.name, subject=by.eori)
