"""`told access`: API tokens."""

from __future__ import annotations

import typer
from rich.console import Console

from toldsystem.access import service

app = typer.Typer(help="API tokens for companies and customs officers.", no_args_is_help=True)
console = Console()


@app.command("company-token")
def company_token(eori: str, name: str = typer.Option("api", help="what the token is for")) -> None:
    """Issue an API token acting for a company; shown once."""
    console.print(service.issue_company_token(eori, name))


@app.command("officer-token")
def officer_token(name: str, office: str = typer.Option(None, help="the officer's customs office, e.g. DK009264; "
                                                       "left out: a national officer, who acts for every office")) -> None:
    """Issue an API token for a customs officer; shown once."""
    console.print(service.issue_officer_token(name, office=office))


@app.command()
def revoke(token: str) -> None:
    """Revoke an API token: it no longer authenticates."""
    service.revoke(token)
    console.print("Token revoked.")


@app.command()
def table() -> None:
    """Print the authorisation model (who may act on what) as Markdown, as docs/security.md shows it."""
    from toldsystem.access.authorisation import markdown

    print(markdown())
