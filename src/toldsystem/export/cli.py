"""`told export`: lodge export declarations and send export messages, show a declaration, and the office's
decisions (release, control, presentation, arrival at exit, exit, invalidation)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from toldsystem.access.rules import OPERATOR, Party
from toldsystem.core.errors import ToldError
from toldsystem.export import messages, reading, service

app = typer.Typer(help="Export (DMS Export): declarations, release, exit.", no_args_is_help=True)
console = Console()
OFFICER = OPERATOR  # the terminal's operator decides as a national officer
FileArg = typer.Argument(..., exists=True, dir_okay=False, help="an export message as XML or JSON")


def _read(file: Path, kind: str | None) -> service.Reading:
    body = file.read_bytes()
    if body.lstrip()[:1] == b"{":
        return service.read_data(json.loads(body), kind)
    return service.read_xml(body, kind)


def _acting(reading: service.Reading, acting_as: str | None) -> Party:
    """The company named with --as, else the declaration's Agent or Declarant; an arrival: the operator."""
    if reading.kind == "arrival_at_exit":
        return OFFICER
    if acting_as:
        return Party.company(acting_as)
    data = reading.data or {}
    named = messages.value_of((data.get("Agent") or {}).get("ID")) or messages.value_of(
        (data.get("Declarant") or {}).get("ID"))
    return Party.company(named) if named else Party(kind="company", name="(unnamed sender)")


def _print(outcome: service.Outcome) -> None:
    for n in outcome.notifications:
        style = "red" if n.event_type == "REJECTED" else "green"
        console.print(f"[{style}]{n.event_type}[/{style}] #{n.id} to {n.party}")
    for found in outcome.problems:
        console.print(f"  {found.pointer}: {found.en} / {found.da}")
    if outcome.mrn:
        console.print(f"MRN {outcome.mrn} ({outcome.status})" + (" — replay" if outcome.repeated else ""))


def _run(call) -> None:
    try:
        _print(call())
    except ToldError as refused:
        for found in refused.problems:
            console.print(f"[red]{found.code}[/red] {found.pointer}: {found.en} / {found.da}")
        raise typer.Exit(1) from None


@app.command()
def lodge(file: Path = FileArg, acting_as: str = typer.Option(None, "--as", help="EORI to act for"),
          kind: str = typer.Option(None, help="declaration, simplified, amendment, invalidation, arrival_at_exit")
          ) -> None:
    """Lodge a declaration (or send any export message) from a file, XML or JSON."""
    read = _read(file, kind)
    _run(lambda: service.receive(_acting(read, acting_as), read))


@app.command()
def show(mrn: str) -> None:
    """A declaration: its state, offices, times and audit trail."""
    try:
        found = reading.declaration(OFFICER, mrn)
    except ToldError as refused:
        console.print(f"[red]{refused.problems[0].en}[/red]")
        raise typer.Exit(1) from None
    console.print(f"MRN {found.mrn}  LRN {found.lrn}  {found.kind} ({found.type_code})  [bold]{found.status}[/bold]")
    console.print(f"declarant {found.declarant}  representative {found.representative or '-'}  "
                  f"exporter {found.exporter or '-'}")
    console.print(f"office of export {found.office_of_export}  office of exit {found.office_of_exit}"
                  + ("  (fallback)" if found.fallback else ""))
    for name, at in found.times.items():
        if at:
            console.print(f"  {name:20} {at.isoformat()}")
    for event in reading.events(OFFICER, mrn):
        console.print(f"  {event.at.isoformat()}  {event.event:18} → {event.status:18} {event.actor}")


@app.command()
def release(mrn: str, reason: str = typer.Option("", help="why (kept with the decision)")) -> None:
    """Release for export (the operator as officer of the office of export)."""
    _run(lambda: service.release(OFFICER, mrn, reason=reason))


@app.command()
def control(mrn: str, lane: str = typer.Option("documentary", help="documentary or physical"),
            reason: str = typer.Option("", help="why")) -> None:
    """Select for control before release."""
    _run(lambda: service.select_for_control(OFFICER, mrn, lane=lane, reason=reason))


@app.command()
def present(mrn: str) -> None:
    """The goods are presented at the office of exit."""
    _run(lambda: service.present_at_exit(OFFICER, mrn))


@app.command()
def arrive(file: Path = FileArg) -> None:
    """The arrival at exit (CC507C) from a file, XML or JSON."""
    read = _read(file, "arrival_at_exit")
    _run(lambda: service.receive(OFFICER, read))


@app.command(name="exit")
def exit_(mrn: str, document: str = typer.Option(None, help="the transport document")) -> None:
    """Confirm the exit (udpassageattest) as the office of exit."""
    _run(lambda: service.confirm_exit(OFFICER, mrn, document=document))


@app.command()
def invalidate(mrn: str, reason: str = typer.Option("", help="why")) -> None:
    """Invalidate a declaration whose goods have not reached the office of exit."""
    _run(lambda: service.invalidate(OFFICER, mrn, reason=reason))
