"""`told signatures`: a company's signing certificates, and checking a signed file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.signatures import service
from toldsystem.signatures.rules import MAX_PAYLOAD_BYTES, MAX_SIGNATURE_BYTES

app = typer.Typer(help="Signing certificates for ICS and Manifest, and checking signed files.", no_args_is_help=True)
console = Console()


def _read(path: Path, limit: int) -> bytes:
    if path.stat().st_size > limit:
        raise typer.BadParameter(f"{path} is larger than {limit} bytes")
    return path.read_bytes()


@app.command()
def register(eori: str, certificate: Path = typer.Argument(..., exists=True, dir_okay=False, help="PEM or DER"),
             label: str = typer.Option("", help="whose or what the certificate is")) -> None:
    """Register a certificate EORI signs with (it must name the company: NTRDK-<CVR> or CVR:<CVR>-…)."""
    c = service.register(eori, _read(certificate, MAX_SIGNATURE_BYTES), label=label)
    console.print(f"Certificate #{c.id} of {c.eori}: {c.facts.subject}\n  SHA-256 {c.facts.fingerprint}, "
                  f"{c.facts.key_type}, valid {c.facts.not_before:%Y-%m-%d} – {c.facts.not_after:%Y-%m-%d}")


@app.command("list")
def list_(eori: str) -> None:
    """A company's certificates, revoked ones included."""
    table = Table("id", "subject", "SHA-256", "valid to", "revoked")
    for c in service.certificates(eori):
        table.add_row(str(c.id), c.facts.subject, c.facts.fingerprint[:16] + "…", f"{c.facts.not_after:%Y-%m-%d}",
                      f"{c.revoked_at:%Y-%m-%d %H:%M}" if c.revoked_at else "")
    console.print(table)


@app.command()
def revoke(certificate_id: int, reason: str = typer.Option("", help="why, kept with the revocation")) -> None:
    """Revoke a certificate by its id: nothing it signs is accepted from now on."""
    c = service.revoke(certificate_id, reason=reason)
    console.print(f"Revoked certificate #{c.id} of {c.eori} at {c.revoked_at:%Y-%m-%d %H:%M:%S} UTC")


@app.command()
def verify(eori: str, file: Path = typer.Argument(..., exists=True, dir_okay=False),
           signature: Path = typer.Option(None, exists=True, dir_okay=False, help="a detached CMS signature"),
           media_type: str = typer.Option(None, help="default: application/xml for *.xml, else the file is not XML")
           ) -> None:
    """Check a signed file from EORI as the ICS and Manifest channels will."""
    kind = media_type or ("application/xml" if file.suffix.lower() == ".xml" else "application/octet-stream")
    v = service.verify(eori, _read(file, MAX_PAYLOAD_BYTES),
                       signature=_read(signature, MAX_SIGNATURE_BYTES) if signature else None, media_type=kind)
    console.print(f"Valid {v.format} signature by certificate #{v.certificate_id} ({v.subject})")
