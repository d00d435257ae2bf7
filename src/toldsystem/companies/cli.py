"""`told companies`: the EORI register, authorisations and powers of attorney."""

from __future__ import annotations

from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.access.rules import OPERATOR
from toldsystem.companies import service
from toldsystem.companies.rules import POWER_SCOPES

app = typer.Typer(help="The EORI register, authorisations and powers of attorney.", no_args_is_help=True)
console = Console()


@app.command()
def register(eori: str, name: str, street: str = typer.Option(...), city: str = typer.Option(...),
             postcode: str = typer.Option(...), import_: bool = typer.Option(False, "--import"),
             export: bool = typer.Option(False, "--export")) -> None:
    """Register a company (registration for import or export makes it EORI-registered)."""
    c = service.register(eori, name, street, city, postcode, registered_import=import_, registered_export=export)
    console.print(f"Registered {c.eori} {c.name} (EORI-registered: {c.eori_registered})")


@app.command("list")
def list_() -> None:
    """List the register."""
    table = Table("EORI", "name", "city", "import", "export")
    for c in service.list_all():
        table.add_row(c.eori, c.name, c.city, "yes" if c.registered_import else "", "yes" if c.registered_export else "")
    console.print(table)


@app.command()
def grant(eori: str, kind: str, valid_from: str = typer.Option(None, help="YYYY-MM-DD, default today"),
          valid_to: str = typer.Option(None, help="YYYY-MM-DD")) -> None:
    """Grant an authorisation (authorised_consignor, comprehensive_guarantee, …)."""
    a = service.grant(eori, kind, date.fromisoformat(valid_from) if valid_from else date.today(),
                      date.fromisoformat(valid_to) if valid_to else None)
    console.print(f"Granted {a.kind} #{a.id} to {a.eori} from {a.valid_from} to {a.valid_to or 'further notice'}")


@app.command()
def authorisations(eori: str) -> None:
    """List a company's authorisations."""
    table = Table("id", "kind", "from", "to", "revoked")
    for a in service.authorisations(eori):
        table.add_row(str(a.id), a.kind, str(a.valid_from), str(a.valid_to or ""), "yes" if a.revoked else "")
    console.print(table)


@app.command()
def revoke(authorisation_id: int) -> None:
    """Revoke an authorisation by its id (see `told companies authorisations EORI`)."""
    a = service.revoke(authorisation_id)
    console.print(f"Revoked {a.kind} #{a.id} of {a.eori}")


@app.command()
def registration(eori: str, import_: bool = typer.Option(None, "--import/--no-import"),
                 export: bool = typer.Option(None, "--export/--no-export")) -> None:
    """Register or deregister a company for import and/or export (this governs EORI registration)."""
    c = service.set_registration(eori, registered_import=import_, registered_export=export)
    console.print(f"{c.eori}: import {c.registered_import}, export {c.registered_export}, "
                  f"EORI-registered {c.eori_registered}")


@app.command("grant-power")
def grant_power(holder: str, representative: str,
                scope: list[str] = typer.Option(None, "--scope", help=f"one of {', '.join(POWER_SCOPES)}; "
                                                "repeat for several (default: all)"),
                valid_from: str = typer.Option(None, help="YYYY-MM-DD, default today"),
                valid_to: str = typer.Option(None, help="YYYY-MM-DD")) -> None:
    """Record a power of attorney: HOLDER lets REPRESENTATIVE act in its name (declare, amend, invalidate, use guarantees)."""
    p = service.grant_power(holder, representative, scope or sorted(POWER_SCOPES),
                            date.fromisoformat(valid_from) if valid_from else date.today(),
                            date.fromisoformat(valid_to) if valid_to else None)
    console.print(f"Power #{p.id}: {p.representative_eori} represents {p.holder_eori} ({', '.join(sorted(p.scopes))}) "
                  f"from {p.valid_from} to {p.valid_to or 'further notice'}")


@app.command()
def powers(eori: str) -> None:
    """The powers of attorney a company granted and those it holds."""
    table = Table("id", "holder", "representative", "scopes", "from", "to", "revoked")
    for p in service.powers_for(OPERATOR, eori):
        table.add_row(str(p.id), p.holder_eori, p.representative_eori, "\n".join(sorted(p.scopes)), str(p.valid_from),
                      str(p.valid_to or ""), "yes" if p.revoked else "")
    console.print(table)


@app.command("revoke-power")
def revoke_power(power_id: int) -> None:
    """Revoke a power of attorney by its id (see `told companies powers EORI`)."""
    p = service.revoke_power(power_id)
    console.print(f"Revoked power #{p.id}: {p.representative_eori} no longer represents {p.holder_eori}")
