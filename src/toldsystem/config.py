"""Configuration from environment variables (documented in docs/operations.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    """What one request may cost: bounds on hostile input, each settable (docs/operations.md)."""

    max_body_bytes: int = 8 * 1024 * 1024  # a request body, counted while it streams in
    max_body_seconds: int = 30  # the time a request body may take to arrive in full (a slow sender holds a connection)
    max_problems: int = 100  # problems reported (and stored) per answer; the last says how many more
    max_json_depth: int = 64  # nesting of JSON objects and arrays
    max_xml_depth: int = 64  # nesting of XML elements
    max_xml_elements: int = 100_000  # elements in one message (a 999-item CC015C has about 18,500)
    max_xml_attributes: int = 100  # attributes in one message (NCTS messages carry PhaseID at most)


@dataclass(frozen=True)
class Smtp:
    """The SMTP server the board's e-mail subscriptions are sent through (TOLD_SMTP_*; docs/operations-board.md)."""

    host: str
    port: int = 25
    sender: str = "toldsystem@localhost"  # the From address
    starttls: bool = False  # upgrade the connection with STARTTLS before anything else is said
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed, never logged


@dataclass(frozen=True)
class Settings:
    database_url: str
    var_dir: Path
    secret_key: bytes
    eur_dkk_rate: Decimal
    balance_queries_per_minute: int
    limits: Limits = field(default_factory=lambda: Limits())
    webhook_private_targets: bool = False  # webhooks may post to loopback and private addresses (a vendor's own machine)
    insecure_cookies: bool = False  # session cookies without Secure, for plain-http use on one's own machine (make run)
    # The file gateway `told serve` opens beside the API (None: not opened); FTPS's passive data ports.
    sftp_port: int | None = 2222
    ftps_port: int | None = 2121
    ftps_passive_ports: range = range(60000, 60100)
    smtp: Smtp | None = None  # None: no mail is sent, and e-mail subscriptions are refused saying so
    public_url: str = "http://127.0.0.1:8000"  # where the server is reached from outside: the links in mails


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
        limits=_limits(),
        webhook_private_targets=_yes("TOLD_WEBHOOK_PRIVATE_TARGETS"),
        smtp=_smtp(),
        public_url=os.environ.get("TOLD_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        insecure_cookies=_yes("TOLD_INSECURE_COOKIES"),
        sftp_port=_port("TOLD_SFTP_PORT", 2222),
        ftps_port=_port("TOLD_FTPS_PORT", 2121),
        ftps_passive_ports=_ports("TOLD_FTPS_PASSIVE_PORTS", "60000-60099"),
    )


def _port(variable: str, default: int) -> int | None:
    """A TCP port from 1 to 65535, 0 for any free one, or "off" for none."""
    value = os.environ.get(variable, str(default)).strip().lower()
    if value == "off":
        return None
    port = int(value)
    if not 0 <= port <= 65535:
        raise ValueError(f"{variable} must be a port from 0 to 65535 or 'off', not {value}")
    return port


def _ports(variable: str, default: str) -> range:
    """A range of TCP ports written FIRST-LAST."""
    value = os.environ.get(variable, default)
    first, _, last = value.partition("-")
    ports = range(int(first), int(last or first) + 1)
    if not ports or ports.start < 1 or ports.stop > 65536:
        raise ValueError(f"{variable} must be a range of ports such as 60000-60099, not {value}")
    return ports


def _yes(variable: str) -> bool:
    return os.environ.get(variable, "").lower() in ("1", "true", "yes")


def _smtp() -> Smtp | None:
    """TOLD_SMTP_HOST (none: no mail), TOLD_SMTP_PORT (25), TOLD_SMTP_FROM, TOLD_SMTP_STARTTLS, TOLD_SMTP_USER and
    TOLD_SMTP_PASSWORD."""
    host = os.environ.get("TOLD_SMTP_HOST")
    if not host:
        return None
    return Smtp(host=host, port=_positive("TOLD_SMTP_PORT", 25),
                sender=os.environ.get("TOLD_SMTP_FROM", Smtp.sender), starttls=_yes("TOLD_SMTP_STARTTLS"),
                user=os.environ.get("TOLD_SMTP_USER") or None, password=os.environ.get("TOLD_SMTP_PASSWORD") or None)


def _limits() -> Limits:
    """TOLD_MAX_BODY_BYTES, TOLD_MAX_BODY_SECONDS, TOLD_MAX_PROBLEMS, TOLD_MAX_JSON_DEPTH, TOLD_MAX_XML_DEPTH, TOLD_MAX_XML_ELEMENTS and
    TOLD_MAX_XML_ATTRIBUTES; each left out keeps its default."""
    defaults = Limits()
    return Limits(**{name: _positive(f"TOLD_{name.upper()}", getattr(defaults, name)) for name in vars(defaults)})


def _positive(variable: str, default: int) -> int:
    value = int(os.environ.get(variable, default))
    if value < 1:
        raise ValueError(f"{variable} must be a positive whole number, not {value}")
    return value


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
