"""Pure rules about parties and tokens (seed 000: each company sees only its own data)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

TOKEN_PREFIX = "told_"


@dataclass(frozen=True, slots=True)
class Party:
    """The party a call acts for: a company (by EORI) or a customs officer."""

    kind: str  # "company" or "officer"
    name: str
    eori: str | None = None

    @property
    def is_officer(self) -> bool:
        return self.kind == "officer"

    def may_see(self, owner_eori: str) -> bool:
        """Officers see everything; a company sees only its own data (seed 000)."""
        return self.is_officer or self.eori == owner_eori


def new_token() -> str:
    """A fresh API token: 256 random bits, shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens carry 256 random bits, so SHA-256 is a sufficient one-way hash for lookup."""
    return hashlib.sha256(token.encode()).hexdigest()
