"""`told ops`: the operational-messages board at the terminal (the operator acts as a national officer).

Times are given as ISO 8601 (2026-05-20T12:00, or with an offset); without an offset they are Danish time."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.operations import service, views
from toldsystem.operations.service import subscriptions
from toldsystem.operations.rules import EFFECT_STATES, Effect
from toldsystem.operations.systems import SYSTEMS

app = typer.Typer(help="Operational messages and service windows (Driftsmeddelelser).", no_args_is_help=True)
console = Console()

EFFECT_HELP = ("CHANNEL=STATE[:SYSTEM,SYSTEM], e.g. file=rejected:dms_transit, online=unavailable, "
               "sign_in=unavailable, response_times=extended (repeatable)")


def _print_json(value) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _effects(given: list[str]) -> list[Effect]:
    found = []
    for text in given:
        said, _, systems = text.partition(":")
        channel, _, state = said.partition("=")
        if channel not in EFFECT_STATES:
            raise typer.BadParameter(f"{text!r}: the channel is one of {', '.join(EFFECT_STATES)}")
        found.append(Effect(channel, state, service.system_codes([s for s in systems.split(",") if s])))
    return found


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO 8601 time such as 2026-05-20T12:00") from None


def _show(message) -> None:
    out = views.message_out(message)
    console.print(f"#{out['id']} [bold]{out['title']}[/bold] ({out['kind']}, {out['status']}, {out['environment']})")
    console.print(f"  {', '.join(out['categories'])}; work order {out['work_order'] or '-'}; version {out['version']}")
    if out["window_start"]:
        console.print(f"  window {out['window_start']} – {out['window_end']}"
                      + (f" recurring {out['recurrence']}" if out["recurrence"] else ""))
    for effect in out["effects"]:
        console.print(f"  {effect['channel']} {effect['state']} {', '.join(effect['systems']) or '(all)'}")
    if out["fallback"]:
        console.print(f"  fallback: {out['fallback']}")


@app.command("list")
def list_messages(system: str = typer.Option(None, help="a system's code or page name"),
                  environment: str = typer.Option(None, help="PRD or TFE"),
                  json_output: bool = typer.Option(False, "--json", help="every message as a JSON list")) -> None:
    """List the board's messages, newest update first."""
    found = service.messages(service.system_codes([system])[0] if system else None, environment)
    if json_output:
        _print_json([views.message_out(m) for m in found])
        return
    table = Table("id", "kind", "status", "env", "title", "window (Danish time)", "updated")
    for m in found:
        out = views.message_out(m)
        window = f"{out['window_start'][:16]} – {out['window_end'][:16]}" if out["window_start"] else ""
        table.add_row(str(m.id), m.kind, m.status, out["environment"], m.title[:60], window, out["updated"][:16])
    console.print(table)


@app.command()
def show(message_id: int, json_output: bool = typer.Option(False, "--json")) -> None:
    """Show one message with its history of updates."""
    message = service.get(message_id)
    if json_output:
        _print_json(views.message_out(message) | {"history": service.history(message_id)})
        return
    _show(message)
    console.print(message.body)
    for entry in service.history(message_id):
        console.print(f"  v{entry['version']} {entry['action']} {entry['at']} by {entry['by']}"
                      + (f": {entry['note']}" if entry["note"] else "")
                      + (f" ({', '.join(entry['changed'])})" if entry["changed"] else ""))


@app.command()
def create(title: str, system: list[str] = typer.Option(..., "--system", help="repeatable; code or page name"),
           kind: str = typer.Option("service_window", help="service_window, disruption, back_to_normal, information"),
           environment: list[str] = typer.Option(["PRD"], "--environment", help="PRD and/or TFE"),
           body: str = typer.Option(""), work_order: str = typer.Option(""),
           start: str = typer.Option(None, help="window start"), end: str = typer.Option(None, help="window end"),
           recurrence: str = typer.Option(None, help="RRULE, e.g. FREQ=MONTHLY;BYDAY=+3TU"),
           effect: list[str] = typer.Option([], "--effect", help=EFFECT_HELP),
           fallback: str = typer.Option(None, help="allowed, on_request or not_allowed")) -> None:
    """Publish a message or service window."""
    message = service.create(systems=system, environments=environment, kind=kind, title=title, body=body,
                             work_order=work_order, window_start=_when(start), window_end=_when(end),
                             recurrence=recurrence, effects=_effects(effect), fallback=fallback)
    _show(message)


@app.command()
def update(message_id: int, note: str = typer.Option("", help="why (needed for a window that has passed)"),
           title: str = typer.Option(None), body: str = typer.Option(None), kind: str = typer.Option(None),
           start: str = typer.Option(None), end: str = typer.Option(None),
           effect: list[str] = typer.Option(None, "--effect", help=EFFECT_HELP),
           fallback: str = typer.Option(None)) -> None:
    """Change a message; the earlier version stays in its history."""
    changes = {k: v for k, v in (("title", title), ("body", body), ("kind", kind), ("window_start", _when(start)),
                                 ("window_end", _when(end)), ("fallback", fallback)) if v is not None}
    if effect:
        changes["effects"] = _effects(effect)
    _show(service.update(message_id, note=note, **changes))


@app.command()
def extend(message_id: int, until: str, note: str = typer.Option("")) -> None:
    """Move a window's end later."""
    _show(service.extend(message_id, _when(until), note=note))


@app.command("end")
def end_message(message_id: int, at: str = typer.Option(None, help="when it ended (default now)"),
                note: str = typer.Option("")) -> None:
    """End a window or a disruption (a disruption is then back to normal)."""
    _show(service.end(message_id, _when(at), note=note))


@app.command()
def withdraw(message_id: int, note: str = typer.Option("")) -> None:
    """Withdraw a message (a cancelled window); it stays in the history."""
    _show(service.withdraw(message_id, note=note))


@app.command("import")
def import_page(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="the page's text"),
                json_output: bool = typer.Option(False, "--json")) -> None:
    """Import the agency's published message page (its text); re-importing the same text changes nothing."""
    result = service.import_text(file.read_text(encoding="utf-8"))
    if json_output:
        _print_json(result.as_dict())
        return
    console.print(f"{result.blocks} blocks, {result.messages} messages: {len(result.created)} created, "
                  f"{len(result.updated)} updated, {result.unchanged} unchanged")
    for found in result.problems:
        kind = "assumed" if found.code == "import.assumed" else "not read"
        console.print(f"  line {found.line}: {kind}: {found.en}", markup=False, highlight=False)


@app.command()
def availability(system: str, environment: str = typer.Option("PRD"),
                 channel: str = typer.Option("file", help="file, online or sign_in"),
                 at: str = typer.Option(None, help="default now")) -> None:
    """Ask the board whether a channel of a system is available."""
    _print_json(views.availability_out(service.availability(service.system_codes([system])[0], environment, channel,
                                                            service.instant(_when(at)))))


@app.command()
def status(environment: str = typer.Option("PRD"), at: str = typer.Option(None)) -> None:
    """Each group of systems' state, rolled up from its systems'."""
    table = Table("group", "state", "systems not available")
    for code, group in service.status(environment, service.instant(_when(at))).items():
        others = [f"{SYSTEMS[s].page_name}: {state}" for s, state in group["systems"].items() if state != "available"]
        table.add_row(code, group["state"], "\n".join(others))
    console.print(table)


@app.command()
def report(year: int = typer.Option(..., help="e.g. 2025"), environment: str = typer.Option("PRD"),
           system: str = typer.Option(None), json_output: bool = typer.Option(False, "--json")) -> None:
    """Availability history: per system and month, minutes inside planned windows and inside disruptions."""
    rows = service.availability_report(year, environment, service.system_codes([system])[0] if system else None)
    if json_output:
        _print_json([{"system": r.system, "name": SYSTEMS[r.system].page_name, "month": r.month,
                      "planned_minutes": r.planned_minutes, "disruption_minutes": r.disruption_minutes} for r in rows])
        return
    table = Table("system", *[f"{m:02d}" for m in range(1, 13)], "year", title=f"{year} {environment}: minutes "
                  "planned / disruption")
    by_system: dict[str, list] = {}
    for r in rows:
        by_system.setdefault(r.system, []).append(r)
    for code, months in by_system.items():
        cells = [f"{r.planned_minutes}/{r.disruption_minutes}" for r in months]
        total = f"{sum(r.planned_minutes for r in months)}/{sum(r.disruption_minutes for r in months)}"
        table.add_row(SYSTEMS[code].page_name, *cells, total)
    console.print(table)


subscriptions_app = typer.Typer(help="Who follows the board by webhook or e-mail (the operator sees every one).",
                                no_args_is_help=True)
app.add_typer(subscriptions_app, name="subscriptions")


@subscriptions_app.command("list")
def list_subscriptions(json_output: bool = typer.Option(False, "--json", help="as JSON: the webhook and email lists")
                       ) -> None:
    """Every webhook and e-mail subscription, with who made it."""
    found = subscriptions.every_subscription()
    if json_output:
        _print_json(found)
        return
    table = Table("kind", "id", "owner", "to", "systems", "env", "state", "since")
    for kind, listed in found.items():
        for s in listed:
            state = "" if kind == "webhook" else ("confirmed" if s["confirmed"] else "unconfirmed")
            table.add_row(kind, str(s["id"]), s["owner"], s.get("url") or s.get("address"),
                          ", ".join(s["systems"]) or "(all)", "/".join(s["environments"]), state, s["created_at"][:16])
    console.print(table)


@subscriptions_app.command("remove")
def remove_subscription(kind: str = typer.Argument(..., help="webhook or email"),
                        subscription_id: int = typer.Argument(...)) -> None:
    """Remove a subscription, whoever made it; what still waits to be sent is given up."""
    if kind not in subscriptions.KINDS:
        raise typer.BadParameter(f"{kind!r}: the kind is webhook or email")
    subscriptions.remove_any(kind, subscription_id)
    console.print(f"removed {kind} subscription {subscription_id}")
