"""`told transit`: send NCTS messages, follow movements, officer decisions, print the TAD."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.access.rules import OPERATOR, Party
from toldsystem.transit import service

app = typer.Typer(help="Transit (NCTS phase 5): declarations and movements.", no_args_is_help=True)
console = Console()
OFFICER = OPERATOR  # the terminal's operator decides as a national officer


def _sender(data_or_xml: bytes | dict, acting_as: str | None) -> Party:
    """The CLI acts for the company named with --as, else for the message's sender (or its holder or trader at
    destination); a message too broken to name anyone is answered (CC917C) to an unnamed sender."""
    if acting_as:
        return Party.company(acting_as)
    if isinstance(data_or_xml, bytes):
        from toldsystem.transit.messages import parse_message

        parsed = parse_message(data_or_xml)
        data_or_xml = parsed.data if not isinstance(parsed, list) else {}
    named = [data_or_xml.get("messageSender")] + [data_or_xml.get(block, {}).get("identificationNumber")
                                                  for block in ("HolderOfTheTransitProcedure", "TraderAtDestination")]
    eori = next((e for e in named if e and e != "NTA.DK"), None)
    return Party.company(eori) if eori else Party(kind="company", name="(unnamed sender)")


def _print_answers(result) -> None:
    for answer in result.answers:
        style = "red" if answer.message_type in ("CC917C", "CC906C", "CC056C", "CC055C", "CC051C") else "green"
        console.print(f"[{style}]{answer.message_type}[/{style}] #{answer.id} to {answer.party_eori}")
        for error in answer.data.get("_errors", []):
            console.print(f"  {error['pointer']}: {error['message']} / {error['message_da']}")
        for error in answer.data.get("XMLError", []):
            console.print(f"  {error.get('errorPointer', '')}: {error['errorText']}")
    if result.mrn:
        console.print(f"MRN {result.mrn}")


@app.command()
def declare(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CC015C as XML or JSON"),
            acting_as: str = typer.Option(None, "--as", help="EORI to act for (default: the holder)")) -> None:
    """Send a declaration (CC015C) from a file, XML or JSON."""
    send(file, acting_as)


@app.command()
def send(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="a CC015C/CC013C/CC014C/CC007C/CC044C"),
         acting_as: str = typer.Option(None, "--as", help="EORI to act for")) -> None:
    """Send any trader message from a file (XML, or JSON with messageType)."""
    raw = file.read_bytes()
    if file.suffix.lower() == ".json":
        data = json.loads(raw)
        result = service.receive_data(_sender(data, acting_as), data.get("messageType", ""), data)
    else:
        result = service.receive_xml(_sender(raw, acting_as), raw)
    _print_answers(result)
    if result.answers and result.answers[0].message_type in ("CC917C", "CC906C", "CC056C"):
        raise typer.Exit(1)


@app.command()
def movements(holder: str = typer.Option(None), state: str = typer.Option(None), page: int = 1) -> None:
    """List movements (as an officer)."""
    found = service.list_movements(OFFICER, holder=holder, state=state, page=page)
    table = Table("MRN", "LRN", "holder", "state", "departure", "destination", "updated")
    for m in found["movements"]:
        table.add_row(m["mrn"], m["lrn"], m["holder_eori"], m["state"], m["office_of_departure"],
                      m["office_of_destination"], str(m["updated_at"])[:19])
    console.print(table)


@app.command()
def show(mrn: str) -> None:
    """A movement, its audit trail and its messages."""
    m = service.movement(OFFICER, mrn)
    console.print(f"[bold]{m['mrn']}[/bold] LRN {m['lrn']} — {m['state']} — holder {m['holder_eori']}")
    trail = Table("at (UTC)", "event", "state", "by", title="Audit trail")
    for e in service.events(OFFICER, mrn):
        trail.add_row(str(e["at"])[:19], e["event"], e["state"], e["actor"])
    console.print(trail)
    log = Table("#", "direction", "message", "party", title="Messages")
    for msg in service.movement_messages(OFFICER, mrn):
        log.add_row(str(msg.id), msg.direction, msg.message_type, msg.party_eori)
    console.print(log)


@app.command()
def outbox(eori: str, since: int = 0) -> None:
    """Answers waiting for a company since a message id."""
    for msg in service.outbox(Party.company(eori), since):
        console.print(f"#{msg.id} {msg.message_type} {msg.created_at:%Y-%m-%d %H:%M:%S}")


@app.command()
def tad(mrn: str, output: Path = typer.Option(None, "-o", help="where to write the PDF")) -> None:
    """Print the transit accompanying document with its list of items as PDF."""
    from toldsystem.transit.tad import tad_pdf

    target = output or Path(f"TAD-{mrn}.pdf")
    target.write_bytes(tad_pdf(OFFICER, mrn))
    console.print(f"Wrote {target}")


@app.command()
def release(mrn: str) -> None:
    """Release a movement for transit (officer)."""
    _print_answers(service.IntakeResult(service.release(OFFICER, mrn), mrn))


@app.command()
def control(mrn: str, text: str = typer.Option(None)) -> None:
    """Decide to control before release: CC060C (officer)."""
    _print_answers(service.IntakeResult(service.decide_control(OFFICER, mrn, ["A"], text), mrn))


@app.command("no-release")
def no_release(mrn: str, text: str) -> None:
    """Refuse release: CC051C (officer)."""
    _print_answers(service.IntakeResult(service.refuse_release(OFFICER, mrn, text), mrn))


@app.command("control-result")
def control_result(mrn: str, conform: bool = typer.Option(..., "--conform/--not-conform"), text: str = "") -> None:
    """Record the control result at destination; conform closes the movement (officer)."""
    _print_answers(service.IntakeResult(service.record_control_result(OFFICER, mrn, conform, text), mrn))
