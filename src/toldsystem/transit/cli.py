"""`told transit`: send NCTS messages, follow movements, officer decisions, print the TAD."""

from __future__ import annotations

import json
from datetime import datetime
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
        style = "red" if answer.message_type in ("CC917C", "CC906C", "CC056C", "CC057C", "CC055C", "CC051C",
                                                 "CC019C", "CC035C") else "green"
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
def send(file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                     help="a CC015C/CC013C/CC014C/CC170C/CC007C/CC044C"),
         acting_as: str = typer.Option(None, "--as", help="EORI to act for")) -> None:
    """Send any trader message from a file (XML, or JSON with messageType)."""
    raw = file.read_bytes()
    if file.suffix.lower() == ".json":
        data = json.loads(raw)
        result = service.receive_data(_sender(data, acting_as), data.get("messageType", ""), data)
    else:
        result = service.receive_xml(_sender(raw, acting_as), raw)
    _print_answers(result)
    if result.answers and result.answers[0].message_type in ("CC917C", "CC906C", "CC056C", "CC057C"):
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
def release(mrn: str,
            limit_date: datetime = typer.Option(None, formats=["%Y-%m-%d"],
                                                help="box D time limit (standard procedure; default from the route)"),
            seal: list[str] = typer.Option(None, help="a seal identifier; repeat for each (default: as declared)")
            ) -> None:
    """Release a movement for transit: CC029C (officer); in the standard procedure with box D and seals."""
    found = service.release(OFFICER, mrn, limit_date.date() if limit_date else None, seal or None)
    _print_answers(service.IntakeResult(found, mrn))


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
    """Control result at destination: conform closes (CC025C, CC045C); not conform reports major
    discrepancies (CC025C, CC019C) (officer)."""
    _print_answers(service.IntakeResult(service.record_control_result(OFFICER, mrn, conform, text), mrn))


@app.command("intend-control")
def intend_control(holder: str, lrn: str, text: str = typer.Option(None)) -> None:
    """Announce a control of a pre-lodged declaration's goods at presentation: CC060C type 2 (officer)."""
    _print_answers(service.IntakeResult(service.intend_control(OFFICER, holder, lrn, ["A"], text), None))


@app.command("expire-pre-lodged")
def expire_pre_lodged() -> None:
    """End the pre-lodged declarations whose goods were not presented within 30 days: CC056C (run daily)."""
    found = service.expire_unpresented(OFFICER)
    _print_answers(service.IntakeResult(found, None))
    console.print(f"{len(found)} pre-lodged declaration(s) ended")


@app.command("discrepancies-resolved")
def discrepancies_resolved(mrn: str, text: str = "") -> None:
    """The major discrepancies are resolved: CC045C, the movement closes (officer)."""
    _print_answers(service.IntakeResult(service.resolve_discrepancies(OFFICER, mrn, text), mrn))


@app.command("unloading-permission")
def unloading_permission(mrn: str) -> None:
    """Let an unfinished unloading go on: a new CC043C (officer)."""
    _print_answers(service.IntakeResult(service.permit_unloading_again(OFFICER, mrn), mrn))


@app.command()
def recovery(mrn: str, text: str = typer.Option(...), amount: str = typer.Option(None),
             currency: str = typer.Option(None), office: str = typer.Option(None)) -> None:
    """Start recovery: CC035C, then CC045C; the amount defaults to what the guarantees cover (officer)."""
    _print_answers(service.IntakeResult(service.recover(OFFICER, mrn, text, amount, currency, office), mrn))


@app.command()
def invalidate(mrn: str, text: str = typer.Option(..., help="the justification")) -> None:
    """Invalidate a movement on customs' initiative, before release or until arrival: CC009C (officer)."""
    _print_answers(service.IntakeResult(service.invalidate(OFFICER, mrn, text), mrn))


@app.command("amendment-request")
def amendment_request(mrn: str, pointer: list[str] = typer.Option(..., help="an element to amend; repeat"),
                      text: str = typer.Option(...)) -> None:
    """Ask the holder to amend the declaration: CC022C (officer)."""
    _print_answers(service.IntakeResult(service.request_amendment(OFFICER, mrn, pointer, text), mrn))


@app.command()
def incidents(mrn: str,
              file: Path = typer.Argument(..., exists=True, dir_okay=False,
                                          help="JSON: a list of phase 5 Incident blocks, or the API's "
                                               '{"office": …, "incidents": […]}'),
              office: str = typer.Option(None, help="the office that registers them (default: the file's)")) -> None:
    """Register incidents on the way; CC182C forwards them to the holder (officer)."""
    given = json.loads(file.read_text(encoding="utf-8"))
    reported = given.get("incidents", []) if isinstance(given, dict) else given
    office = office or (given.get("office") if isinstance(given, dict) else None)
    if not office:
        raise typer.BadParameter("name the office with --office")
    _print_answers(service.IntakeResult(service.register_incidents(OFFICER, mrn, office, reported), mrn))
