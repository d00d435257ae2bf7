"""Tables for users, their API tokens, SSH keys and web sessions, and the audit log."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from toldsystem.db import UtcDateTime, metadata

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(40), nullable=False, unique=True),  # fixed forever (rules.username)
    Column("kind", String(10), nullable=False),  # company | officer
    Column("eori", String(17), ForeignKey("companies.eori"), nullable=True),  # a company user's company
    Column("office", String(8), nullable=True),  # an officer's customs office; none: a national officer
    Column("serial", Integer, nullable=False),  # the number in the username, counted per company (or office)
    Column("name", String(200), nullable=False),  # the person's name, as the administrator gave it
    Column("roles", String(200), nullable=False),  # system roles, comma-separated (rules.SYSTEMS, ADMIN)
    Column("password_hash", String(200), nullable=True),  # argon2; none: no password sign-in (tokens, keys)
    Column("password_changed_at", UtcDateTime, nullable=True),
    Column("must_change", Boolean, nullable=False, default=False),  # set by a reset: the next sign-in changes it
    Column("failures", Integer, nullable=False, default=0),  # failed sign-ins in a row
    Column("wait_until", UtcDateTime, nullable=True),  # no sign-in before this (back-off)
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime, nullable=True),
    Column("language", String(2), nullable=True),  # the portal's language the user chose (da, en); none: not chosen
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),  # company | officer
    Column("eori", String(17), ForeignKey("companies.eori"), nullable=True),
    Column("name", String(200), nullable=False),
    Column("office", String(8), nullable=True),  # an officer's customs office; none: a national officer
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=True),  # whose token: it carries the user's roles
)

user_keys = Table(
    "user_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("fingerprint", String(100), nullable=False),  # SHA256:… as ssh-keygen -l shows it
    Column("public_key", Text, nullable=False),  # the OpenSSH public key line, without its comment
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

web_sessions = Table(
    "web_sessions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),  # SHA-256 of the session id; the id is never stored
    Column("csrf_digest", String(64), nullable=False),  # SHA-256 of its CSRF token
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("seen_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("client", String(100), nullable=True),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(200), nullable=False),  # the username, or the token's or officer's name
    Column("actor_eori", String(17), nullable=True),  # the company the actor acted for (none: an officer)
    Column("channel", String(10), nullable=False),  # api | portal | cli | sftp | ftps | internal
    Column("client", String(100), nullable=True),  # the client's address
    Column("action", String(60), nullable=False),  # e.g. user.create, transit.message, guarantee.revoke
    Column("target", String(200), nullable=False),  # what it acted on: a username, an MRN, a GRN …
    Column("subject_eori", String(17), nullable=True),  # whose data it concerns: that company reads the entry
    Column("detail", Text, nullable=False),  # JSON; never a secret (audit.record refuses known secret names)
    Index("ix_audit_log_subject", "subject_eori", "id"),
    Index("ix_audit_log_actor_eori", "actor_eori", "id"),
)
