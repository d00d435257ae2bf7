"""`told reference`: load and list reference data."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.reference import service

app = typer.Typer(help="Customs offices, countries, currencies and code lists.", no_args_is_help=True)
console = Console()


@app.command()
def load(kind: str = typer.Option(None, help="offices, countries, currencies or code-lists"),
         csv_file: Path = typer.Argument(None, exists=True, dir_okay=False, help="a CSV file to add")) -> None:
    """Load the bundled reference data, or extend it from a CSV file."""
    if csv_file is None:
        counts = service.load_bundled()
        console.print("Loaded " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    else:
        console.print(f"Loaded {service.load_file(kind or 'offices', csv_file)} {kind or 'offices'} from {csv_file}")


@app.command()
def offices(country: str = typer.Option(None), role: str = typer.Option(None)) -> None:
    """List customs offices."""
    table = Table("code", "name", "city", "roles")
    for o in sorted(service.snapshot().offices.values(), key=lambda o: o.code):
        if (country is None or o.country == country) and (role is None or role in o.roles):
            table.add_row(o.code, o.name, o.city, " ".join(sorted(o.roles)))
    console.print(table)
