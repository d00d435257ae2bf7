"""`told`: the command line of toldsystem."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from toldsystem.access.cli import app as access_app
from toldsystem.companies.cli import app as companies_app
from toldsystem.core.errors import ToldError
from toldsystem.guarantees.cli import app as guarantees_app
from toldsystem.reference.cli import app as reference_app

app = typer.Typer(help="toldsystem — the Danish customs systems.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(reference_app, name="reference")
app.add_typer(companies_app, name="companies")
app.add_typer(access_app, name="access")
app.add_typer(guarantees_app, name="guarantees")


@db_app.command()
def upgrade() -> None:
    """Migrate the database (TOLD_DATABASE_URL) to the newest schema."""
    from toldsystem import db, migrate

    migrate.upgrade(db.engine())
    Console().print(f"Database at {db.engine().url.render_as_string(hide_password=True)} is up to date.")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and pages."""
    import uvicorn

    uvicorn.run("toldsystem.app:create_app", factory=True, host=host, port=port)


def main() -> None:
    """Entry point that turns ToldErrors into a clear message and exit code 1."""
    try:
        app(standalone_mode=False)
    except ToldError as exc:
        err = Console(stderr=True)
        for p in exc.problems:
            err.print(f"[red]error[/red] {p.pointer}: {p.en}")
        sys.exit(1)
