"""`told guarantees`: the guarantee management system at the terminal (acting as the office of guarantee)."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.access.rules import OPERATOR, Party
from toldsystem.guarantees import service

app = typer.Typer(help="Guarantees (GMS): register, access codes, vouchers, balances, ledger.", no_args_is_help=True)
codes_app = typer.Typer(help="Access codes of a guarantee (for its holder).", no_args_is_help=True)
app.add_typer(codes_app, name="access-code")
console = Console()

OFFICE = typer.Option(..., "--office", help="Office of guarantee, e.g. DK009860")
LIMITS = typer.Option([], "--not-valid-in", help="Country where the guarantee is not valid (CH NO IS AN SM HR)")


def _show_code(grn: str, label: str, code: str) -> None:
    console.print(f"GRN [bold]{grn}[/bold]  access code [bold]{code}[/bold]  for {label}")
    console.print("[yellow]The access code is shown this once; GMS keeps only a keyed hash of it.[/yellow]")


@app.command()
def register(holder: str, amount: str, currency: str = "EUR", office: str = OFFICE,
             waiver: bool = typer.Option(False, help="Type 0 (waiver) instead of 1"),
             not_valid_in: list[str] = LIMITS, label: str = "Hovedforpligtede") -> None:
    """Register a comprehensive guarantee (type 1, or 0 with --waiver) with its reference amount."""
    g, code = service.register_comprehensive(holder, amount, currency, office_of_guarantee=office,
                                             guarantee_type="0" if waiver else "1", not_valid_in=not_valid_in,
                                             access_code_label=label)
    console.print(f"Registered comprehensive guarantee {g.grn} for {g.holder_eori}: {g.reference_amount} {g.currency}")
    _show_code(g.grn, code.label, code.code)


@app.command("register-document")
def register_document(holder: str, amount: str, currency: str = "EUR", office: str = OFFICE,
                      multiple_usage: bool = typer.Option(False, "--multiple-usage", "--annex-47a",
                                                          help="Type 9 (with multiple usage) instead of 2 (one movement)"),
                      guarantor: str = "", not_valid_in: list[str] = LIMITS) -> None:
    """Record an individual guarantee document (type 2 or 9); approve it before use."""
    g, code = service.register_individual_document(holder, amount, currency, office_of_guarantee=office,
                                                   guarantee_type="9" if multiple_usage else "2", guarantor=guarantor,
                                                   not_valid_in=not_valid_in)
    console.print(f"Recorded guarantee document {g.grn} ({g.reference_amount} {g.currency}), awaiting approval")
    _show_code(g.grn, code.label, code.code)


@app.command()
def approve(grn: str) -> None:
    """Approve and register an individual guarantee document."""
    g = service.approve_individual_document(grn)
    console.print(f"Guarantee {g.grn} is {g.status}")


@app.command("list")
def list_(holder: str = typer.Option(None, help="Only this holder's guarantees")) -> None:
    """List guarantees with their reference, open and available amounts."""
    table = Table("GRN", "type", "holder", "status", "reference", "open", "available", "cur", "not valid in")
    for g in service.list_guarantees(holder):
        table.add_row(g.grn, g.type, g.holder_eori, g.status, str(g.reference_amount), str(g.open_amount),
                      str(g.available), g.currency, " ".join(sorted(g.not_valid_in)))
    console.print(table)


@app.command()
def balance(grn: str, access_code: str = typer.Option(..., prompt=True, hide_input=True),
            acting_as: str = typer.Option(None, "--as", help="EORI of the company asking (default: the operator)")) -> None:
    """Balance query by GRN and access code (IE034/IE037); the code is asked for, not echoed."""
    b = service.balance(grn, access_code, caller=(Party.company(acting_as) if acting_as else OPERATOR).key)
    console.print(f"{b.grn}: reference {b.reference_amount}, open {b.open_amount}, available {b.available} {b.currency}")


@app.command("sell-vouchers")
def sell_vouchers(buyer: str, count: int, office: str = OFFICE) -> None:
    """Record a sale of TC32 vouchers (7,000 EUR each) notified by Danske Speditører; codes shown once."""
    batch = service.sell_voucher_batch(buyer, count, office_of_guarantee=office)
    console.print(f"Batch {batch.id}: {batch.count} vouchers sold to {batch.buyer_eori} (not usable until registered)")
    table = Table("GRN", "access code")
    for v in batch.vouchers:
        table.add_row(v.grn, v.code)
    console.print(table)
    console.print("[yellow]The access codes are shown this once.[/yellow]")


@app.command("register-vouchers")
def register_vouchers(batch_id: int) -> None:
    """Register a sold voucher batch at the office of guarantee; its vouchers become usable."""
    batch = service.register_voucher_batch(batch_id)
    console.print(f"Batch {batch.id} ({batch.count} vouchers, {batch.base_grn}…) registered")


@app.command()
def ledger(grn: str) -> None:
    """Show a guarantee's append-only ledger and check it against the open amount."""
    table = Table("#", "when", "kind", "movement", "amount", "cur")
    for e in service.ledger(grn):
        table.add_row(str(e.id), e.created_at.isoformat(timespec="seconds"), e.kind, e.movement_ref, str(e.amount),
                      e.currency)
    console.print(table)
    g = service.get(grn)
    agrees = service.ledger_balance(grn) == g.open_amount
    console.print(f"open amount {g.open_amount} {g.currency}; ledger {'agrees' if agrees else '[red]DISAGREES[/red]'}")


@codes_app.command("add")
def code_add(holder: str, grn: str, label: str, code: str = typer.Option(None, help="Chosen code; generated if left out")) -> None:
    """Authorise a person with a new access code."""
    issued = service.add_access_code(Party.company(holder), grn, label, code)
    _show_code(issued.grn, issued.label, issued.code)


@codes_app.command("change")
def code_change(holder: str, grn: str, code_id: int) -> None:
    """Change an access code: the old one stops working, a new one is shown once."""
    issued = service.change_access_code(Party.company(holder), grn, code_id)
    _show_code(issued.grn, issued.label, issued.code)


@codes_app.command("revoke")
def code_revoke(holder: str, grn: str, code_id: int) -> None:
    """Revoke an access code."""
    c = service.revoke_access_code(Party.company(holder), grn, code_id)
    console.print(f"Access code {c.id} ({c.label}) of {c.grn} revoked")


@codes_app.command("list")
def code_list(holder: str, grn: str) -> None:
    """The authorised persons of a guarantee (never the codes)."""
    table = Table("id", "for", "created", "revoked")
    for c in service.access_codes(Party.company(holder), grn):
        table.add_row(str(c.id), c.label, c.created_at.isoformat(timespec="seconds"),
                      c.revoked_at.isoformat(timespec="seconds") if c.revoked_at else "")
    console.print(table)


@codes_app.command("attempts")
def code_attempts(holder: str, grn: str) -> None:
    """Who sent wrong access codes for the holder's guarantee, and who waits or is locked out."""
    table = Table("caller", "wrong codes", "first", "last", "no check before", "locked")
    for a in service.failed_attempts(Party.company(holder), grn):
        table.add_row(a.caller, str(a.failures), a.first_failed_at.isoformat(timespec="seconds"),
                      a.last_failed_at.isoformat(timespec="seconds"),
                      a.blocked_until.isoformat(timespec="seconds") if a.blocked_until else "", "yes" if a.locked else "")
    console.print(table)


@codes_app.command("clear")
def code_clear(holder: str, grn: str, caller: str) -> None:
    """Clear a caller's wait or lockout on the holder's guarantee (e.g. after its own typing mistakes)."""
    cleared = service.clear_failed_attempts(Party.company(holder), grn, caller)
    console.print(f"Cleared {cleared.failures} failed attempts of {cleared.caller} on {grn}")
