"""`told`: the command line of toldsystem."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from toldsystem.access.cli import app as access_app
from toldsystem.access.users_cli import app as users_app
from toldsystem.access.users_cli import audit_app
from toldsystem.companies.cli import app as companies_app
from toldsystem.core.errors import ToldError
from toldsystem.guarantees.cli import app as guarantees_app
from toldsystem.imports.cli import app as imports_app
from toldsystem.operations.cli import app as ops_app
from toldsystem.reference.cli import app as reference_app
from toldsystem.signatures.cli import app as signatures_app
from toldsystem.transit.cli import app as transit_app
from toldsystem.export.cli import app as export_app

app = typer.Typer(help="toldsystem — the Danish customs systems.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(reference_app, name="reference")
app.add_typer(companies_app, name="companies")
app.add_typer(access_app, name="access")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(guarantees_app, name="guarantees")
app.add_typer(transit_app, name="transit")
app.add_typer(imports_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(ops_app, name="ops")
app.add_typer(signatures_app, name="signatures")
demo_app = typer.Typer(help="Demo data for a local development system.", no_args_is_help=True)
app.add_typer(demo_app, name="demo")


@db_app.command()
def upgrade() -> None:
    """Migrate the database (TOLD_DATABASE_URL) to the newest schema."""
    from toldsystem import db, migrate

    migrate.upgrade(db.engine())
    Console().print(f"Database at {db.engine().url.render_as_string(hide_password=True)} is up to date.")


@demo_app.command("load")
def demo_load() -> None:
    """Load reference data and the demo companies, tokens and guarantees (once)."""
    from toldsystem import demo
    from toldsystem.reference import service as reference

    reference.load_bundled()
    loaded = demo.load()
    demo.load_portal_users()
    Console().print("Demo data loaded." if loaded["loaded"] else "Demo data was already loaded.")
    demo_show()


@demo_app.command("show")
def demo_show() -> None:
    """Print the demo tokens, companies, guarantees and access codes."""
    from rich.table import Table

    from toldsystem import demo

    shown = demo.show()
    console = Console()
    console.print(f"Officer token: [bold]{shown['officer_token']}[/bold]")
    companies = Table("EORI", "company", "authorisations", title="Demo companies")
    companies.add_column("API token", no_wrap=True, min_width=22)
    for c in shown["companies"]:
        companies.add_row(c["eori"], c["name"], "\n".join(c["authorisations"]), c["token"])
    console.print(companies)
    guarantees = Table("GRN", "type", "holder", "access code", title="Demo guarantees")
    for g in shown["guarantees"]:
        guarantees.add_row(g["grn"], g["type"], g["holder_eori"], g["access_code"])
    console.print(guarantees)
    people = Table("username", "password", "who", "roles", title="Demo users of the portal (http://127.0.0.1:8000/)")
    for u in shown["portal_users"]:
        people.add_row(u["username"], u["password"], f"{u['name']}, {u['of']}", ", ".join(u["roles"]))
    console.print(people)
    powers = Table("holder", "represented by", "scopes", title="Demo powers of attorney")
    for p in shown["powers"]:
        powers.add_row(f"{p['holder_eori']} {p['holder']}", f"{p['representative_eori']} {p['representative']}",
                       "\n".join(p["scopes"]))
    console.print(powers)
    clerk = shown["portal_users"][0]  # a company's user with the transit role: the file gateway's too
    console.print(f"File gateway: the clerk [bold]{clerk['username']}[/bold], password [bold]{clerk['password']}"
                  f"[/bold] — sftp -P 2222 {clerk['username']}@127.0.0.1; FTPS on port 2121 (README)")


@demo_app.command("declaration")
def demo_declaration(holder: str = typer.Option("DK13585628", help="the demo holder's EORI"),
                     items: int = typer.Option(2, min=1, max=999),
                     representative: str = typer.Option(None, help="lodged by this demo representative "
                                                        "(e.g. DK13585628 for DK20406089)"),
                     json_output: bool = typer.Option(False, "--json", help="JSON instead of XML")) -> None:
    """Print a fresh, valid CC015C for a demo holder and its comprehensive guarantee (today's dates, new LRN)."""
    import json as _json

    from toldsystem import demo
    from toldsystem.transit.messages import render

    data = demo.declaration(holder, items, representative)
    sys.stdout.write(_json.dumps(data, indent=2, ensure_ascii=False) + "\n" if json_output
                     else render("CC015C", data).decode("utf-8"))


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and pages, and the file gateway on the same host: SFTP (TOLD_SFTP_PORT, 2222) and FTPS
    (TOLD_FTPS_PORT, 2121; either "off" for none)."""
    import uvicorn

    from toldsystem.app import create_app

    uvicorn.run(create_app(file_gateway_host=host), host=host, port=port)


def main() -> None:
    """Entry point: usage errors are Typer's (exit 2); a rule or lookup failure prints what and where (exit 1)."""
    try:
        app()
    except ToldError as exc:
        err = Console(stderr=True)
        for p in exc.problems:
            err.print(f"[red]error[/red] {p.pointer}: {p.en}")
        sys.exit(1)
