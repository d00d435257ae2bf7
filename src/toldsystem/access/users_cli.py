"""`told users` and `told audit`: users and their roles, passwords, tokens and SSH keys; the audit log. The terminal
acts as the operator (a national administrator), recorded as channel cli with the terminal's user and host."""

from __future__ import annotations

import getpass
import socket

import typer
from rich.console import Console
from rich.table import Table

from toldsystem.access import service
from toldsystem.access.rules import ALL_ROLES, OPERATOR
from toldsystem.access.service import audit, users

app = typer.Typer(help="Users of companies and officers' accounts: roles per system, passwords, tokens, SSH keys.",
                  no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: who did what, when, from where, through which channel.",
                        no_args_is_help=True)
console = Console()
_ROLES_HELP = f"comma-separated: {', '.join(sorted(ALL_ROLES))}"


def _operator():
    return OPERATOR.via("cli", f"{getpass.getuser()}@{socket.gethostname()}")


def _roles(text: str) -> list[str]:
    return [r.strip() for r in text.split(",") if r.strip()]


@app.command()
def create(name: str = typer.Argument(..., help="the person's name"),
           roles: str = typer.Option(..., help=_ROLES_HELP),
           eori: str = typer.Option(None, help="the company the user belongs to"),
           officer: bool = typer.Option(False, help="an officer's account"),
           office: str = typer.Option(None, help="the officer's customs office; left out: a national officer")) -> None:
    """Create a user; its username is given and fixed, its temporary password is shown once."""
    user, temporary = users.create(name, _roles(roles), eori=eori, officer=officer, office=office, by=_operator())
    console.print(f"Created [bold]{user.username}[/bold] ({', '.join(sorted(user.roles))}).")
    console.print(f"Temporary password (changed at the first sign-in): [bold]{temporary}[/bold]")


@app.command("list")
def list_(eori: str = typer.Option(None, help="only this company's users")) -> None:
    """List users."""
    table = Table("username", "name", "company/office", "roles", "password expires", "state")
    for u in users.visible(by=_operator()):
        if eori and u.eori != eori:
            continue
        state = "disabled" if u.disabled else ("must change password" if u.must_change else "")
        shown = "every role" if u.roles == ALL_ROLES else ", ".join(sorted(u.roles))
        table.add_row(u.username, u.name, u.eori or u.office or "national", shown,
                      f"{u.password_expires_at:%Y-%m-%d}" if u.password_expires_at else "", state)
    console.print(table)


@app.command()
def roles(username: str, roles: str = typer.Argument(..., help=_ROLES_HELP)) -> None:
    """Set a user's roles (grants and revokes): they become exactly these."""
    user = users.set_roles(username, _roles(roles), by=_operator())
    console.print(f"{user.username}: {', '.join(sorted(user.roles)) or 'no roles'}")


@app.command("reset-password")
def reset_password(username: str) -> None:
    """A new temporary password for a user (shown once), changed at its next sign-in; any wait is cleared."""
    console.print(f"Temporary password for {username}: [bold]{users.reset_password(username, by=_operator())}[/bold]")


@app.command("change-password")
def change_password(username: str) -> None:
    """Change a user's password, giving the current one (asked, not echoed)."""
    current = typer.prompt("Current password", hide_input=True)
    new = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    service.change_password(username, current, new, channel="cli", client=_operator().client)
    console.print("Password changed.")


@app.command()
def token(username: str, name: str = typer.Option("api", help="what the token is for")) -> None:
    """Issue an API token of a user (it acts with the user's roles); shown once."""
    console.print(service.issue_user_token(username, name, by=_operator()))


@app.command("add-key")
def add_key(username: str, public_key_file: typer.FileText = typer.Argument(..., help="an OpenSSH .pub file")) -> None:
    """Register an SSH public key of a user (for the SFTP gateway)."""
    console.print(users.add_key(username, public_key_file.read(users.MAX_KEY_CHARS + 1), by=_operator()))


@app.command()
def disable(username: str) -> None:
    """Disable a user: it signs in no more, its tokens and sessions stop."""
    users.set_disabled(username, True, by=_operator())
    console.print(f"{username} disabled.")


@app.command()
def enable(username: str) -> None:
    """Enable a disabled user again."""
    users.set_disabled(username, False, by=_operator())
    console.print(f"{username} enabled.")


@audit_app.command("list")
def audit_list(page: int = typer.Option(1, min=1), page_size: int = typer.Option(50, min=1, max=500),
               action: str = typer.Option(None, help="only this action, e.g. user.create")) -> None:
    """The audit log, newest first."""
    found = audit.read(_operator(), page, page_size, action)
    table = Table("at", "actor", "channel", "from", "action", "target", "detail",
                  title=f"page {found.page} of {max(1, -(-found.total // found.page_size))} ({found.total} entries)")
    for e in found.entries:
        table.add_row(f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.channel, e.client or "", e.action, e.target,
                      ", ".join(f"{k}={v}" for k, v in e.detail.items()))
    console.print(table)
