"""`told import`: lodge DMS Import declarations, follow them, the due list and the sweep, the officers' settings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer
from rich.console import Console

from toldsystem.access.rules import OPERATOR, Party
from toldsystem.imports import reading, service

app = typer.Typer(help="Import (DMS Import): express clearance declarations.", no_args_is_help=True)
console = Console()
OFFICER = OPERATOR  # the terminal's operator acts as a national officer


def _print(outcome) -> None:
    first = outcome.notifications[0].party if outcome.notifications else None
    for n in outcome.notifications:
        if n.party != first:
            continue
        style = "red" if n.event_type == "REJECTED" else "green"
        console.print(f"[{style}]{n.event_type}[/{style}] #{n.id} to {n.party}")
        for error in n.data.get("Error") or []:
            console.print(f"  {error['Pointer'][0]['DocumentSectionCode']}: {error['ValidationText']} / "
                          f"{error['ValidationInformation']}")
    if outcome.mrn:
        console.print(f"MRN {outcome.mrn}")


@app.command()
def lodge(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="DEC-DMS XML, or its data as JSON"),
          acting_as: str = typer.Option(None, "--as", help="EORI to act for (default: the Declarant)")) -> None:
    """Lodge a declaration, amendment or invalidation from a file."""
    body = file.read_bytes()
    if file.suffix.lower() == ".json":
        read = service.read_data(json.loads(body))
    else:
        read = service.read_xml(body)
    eori = acting_as or (reading.declarant_of(read.data) if read.data else "")
    party = Party.company(eori) if eori else Party(kind="company", name="(unnamed)", eori="UNNAMED")
    _print(service.lodge(party, read))


@app.command()
def show(mrn: str) -> None:
    """A declaration: state, lane, duties, supplementary due date, events (JSON)."""
    found = service.declaration(OFFICER, mrn)
    found.pop("data", None)
    console.print_json(json.dumps(found, default=str))


@app.command()
def present(mrn: str) -> None:
    """The goods of a pre-lodged declaration are presented now."""
    _print(service.present(OFFICER, mrn))


@app.command("control-result")
def control_result(mrn: str, released: bool = typer.Option(True, "--released/--refused"),
                   note: str = typer.Option("", help="the officer's note")) -> None:
    """The officer's control result."""
    _print(service.record_control_result(OFFICER, mrn, released, note))


@app.command()
def due(overdue: bool = typer.Option(False, help="only the overdue ones"),
        today: str = typer.Option(None, help="YYYY-MM-DD, default today")) -> None:
    """Supplementary declarations due and overdue (overdue ones open estimated-assessment cases)."""
    for item in service.due_list(OFFICER, date.fromisoformat(today) if today else None, overdue_only=overdue,
                                 limit=1000):
        flag = "[red]OVERDUE[/red]" if item.overdue else "due"
        console.print(f"{item.mrn}  {item.lrn}  {item.declarant}  {item.consignee}  {flag} {item.due.isoformat()}")


@app.command()
def sweep(today: str = typer.Option(None, help="YYYY-MM-DD, default today")) -> None:
    """Open an estimated-assessment case for every overdue supplementary declaration."""
    console.print(f"opened {service.sweep(OFFICER, date.fromisoformat(today) if today else None)} case(s)")


@app.command()
def cases() -> None:
    """The open estimated-assessment cases."""
    for case in service.cases(OFFICER):
        console.print(f"#{case.id}  {case.mrn}  due {case.due.isoformat()}  opened {case.opened_at.isoformat()}")


rules_app = typer.Typer(help="The selectivity rule set.", no_args_is_help=True)
tariff_app = typer.Typer(help="The tariff (CSV).", no_args_is_help=True)
credit_app = typer.Typer(help="Consignees' customs credit.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(tariff_app, name="tariff")
app.add_typer(credit_app, name="credit")


@rules_app.command("set")
def rules_set(file: Path = typer.Argument(..., exists=True, dir_okay=False),
              seed: str = typer.Option(None, help="the random draws' seed (default: a new one)")) -> None:
    """A new selectivity rule set from a file."""
    found = service.set_rules(OFFICER, file.read_text(encoding="utf-8"), seed)
    console.print(f"rule set version {found.version} active (seed {found.seed})")


@tariff_app.command("set")
def tariff_set(file: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """A new tariff from a CSV file (commodity_code,duty_rate)."""
    console.print(f"tariff version {service.set_tariff(OFFICER, file.read_text(encoding='utf-8')).version} active")


@credit_app.command("set")
def credit_set(eori: str, status: str, since: str = typer.Option(None, help="YYYY-MM-DD, default today")) -> None:
    """A consignee's customs credit: granted, none, withdrawn or refused."""
    found = service.set_credit(OFFICER, eori, status, date.fromisoformat(since) if since else None)
    console.print(f"{found.consignee_eori}: {found.status.value} since {found.since.isoformat()}")
