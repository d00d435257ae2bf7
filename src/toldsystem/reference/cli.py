"""`told reference`: load and list reference data."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.reference import service

app = typer.Typer(help="Customs offices, countries, currencies and code lists.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


@app.command()
def load(csv_file: Path = typer.Argument(None, dir_okay=False, help="a reference CSV file to load"),
         kind: str = typer.Option(None, help="code-lists, offices or currencies (default: told by the header)"),
         replace: bool = typer.Option(False, "--replace", help="offices: the file becomes the whole office list")) -> None:
    """Load the bundled reference data, or load a CSV file: a code list in it replaces that list whole."""
    if csv_file is None:
        n = service.load_bundled()
        console.print(f"Bundled reference data: {n['offices']} offices, {n['code_lists']} code lists "
                      f"({n['code_list_entries']} codes) and {n['currencies']} currencies written; "
                      f"{n['unchanged_parts']} parts were already up to date")
        return
    loaded = service.load_file(csv_file, kind=kind, replace=replace)  # errors: told's main prints them, exit 1
    lists = f" ({', '.join(loaded.lists)})" if loaded.lists else ""
    console.print(f"Loaded {loaded.rows} {loaded.kind} rows{lists} from {csv_file}")


@app.command()
def offices(country: str = typer.Option(None), role: str = typer.Option(None)) -> None:
    """List customs offices."""
    table = Table("code", "name", "city", "roles")
    for o in sorted(service.snapshot().offices.values(), key=lambda o: o.code):
        if (country is None or o.country == country) and (role is None or role in o.roles):
            table.add_row(o.code, o.name, o.city, " ".join(sorted(o.roles)))
    console.print(table)


@app.command("lists")
def code_lists() -> None:
    """List the code lists loaded, by official id."""
    snap = service.snapshot()
    table = Table("list", "name", "codes", "source")
    for info in sorted(snap.lists.values(), key=lambda i: i.list_id):
        if info.list_id in snap.code_lists:
            table.add_row(info.list_id, info.name, str(len(snap.code_lists[info.list_id])), info.source)
    console.print(table)


@app.command()
def codes(list_id: str = typer.Argument(..., help="official id, e.g. CL017"),
          code: str = typer.Option(None, help="show only this code")) -> None:
    """Show the codes of one list."""
    snap = service.snapshot()
    if list_id not in snap.code_lists:
        err.print(f"no code list {list_id} is loaded; `told reference lists` shows them")
        raise typer.Exit(1)
    table = Table("code", "en", "da", "valid to")
    for found in sorted(snap.code_lists[list_id]):
        if code is None or found == code:
            entry = snap.entry(list_id, found)
            table.add_row(found, entry.en if entry else "", entry.da if entry else "",
                          str(entry.valid_to or "") if entry else "")
    console.print(table)
