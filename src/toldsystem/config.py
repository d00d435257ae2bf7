"""Configuration from environment variables (documented in docs/operations.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path
    secret_key: bytes
    eur_dkk_rate: Decimal
    balance_queries_per_minute: int


def _secret_key(var_dir: Path) -> bytes:
    """TOLD_SECRET_KEY, or a key kept in var/secret.key (made once, readable by the owner only)."""
    configured = os.environ.get("TOLD_SECRET_KEY")
    if configured:
        return configured.encode()
    path = var_dir / "secret.key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


def load() -> Settings:
    """Read the settings from the environment."""
    var_dir = Path(os.environ.get("TOLD_VAR_DIR", "var")).resolve()
    return Settings(
        database_url=os.environ.get("TOLD_DATABASE_URL", f"sqlite:///{var_dir / 'told.db'}"),
        var_dir=var_dir,
        secret_key=_secret_key(var_dir),
        eur_dkk_rate=Decimal(os.environ.get("TOLD_EUR_DKK_RATE", "7.46")),
        balance_queries_per_minute=int(os.environ.get("TOLD_BALANCE_QUERIES_PER_MINUTE", "10")),
    )


_settings: Settings | None = None


def settings() -> Settings:
    """The process's settings, read once."""
    global _settings
    if _settings is None:
        _settings = load()
    return _settings


def override(new: Settings | None) -> None:
    """Replace the settings (tests)."""
    global _settings
    _settings = new
