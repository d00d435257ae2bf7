"""The company administrator's pages of its users (seed 000: "Dette gøres af virksomhedens Administrator"): the
list, a new user (its first password chosen by the administrator or made at random, each rule it breaks named at
the field), a user's roles per system, password reset, disabling and enabling. Thin: every form reaches
access.service.users, which checks the administrator as for the API (another company's user is unknown); the
pages' rule is `portal.users` (authorisation_users.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from toldsystem.access.rules import ADMIN, SYSTEMS
from toldsystem.access.service import users
from toldsystem.core.errors import Rejected
from toldsystem.web import i18n, menu, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import SignedIn, Visitor

router = page_router("/admin/users")
menu.add(90, "/admin/users", N_("Users"), system=ADMIN, officers=False)

Roles = Annotated[list[str], Form(max_length=20)]
_FIELDS = ("name", "roles", "password")


def role_choices(language: str) -> list[tuple[str, str]]:
    """Every role an administrator may grant, with its name in the page's language (seed 000's systems, GMS, and
    the administrator role)."""
    named = [(code, texts[0] if language == "en" else texts[1]) for code, texts in SYSTEMS.items()]
    return named + [(ADMIN, i18n.gettext(language, "administrator (users and roles)"))]


@router.get("")
def user_list(request: Request, visitor: Visitor) -> Response:
    """The company's users: username, name, roles, state; each opens its page."""
    return render(request, visitor, "access/users.html", {"users": users.visible(by=visitor.party),
                                                          "roles": dict(role_choices(visitor.language))})


def _new_page(request: Request, visitor: SignedIn, *, name: str = "", roles=(), errors=None,
              status: int = 200) -> Response:
    return render(request, visitor, "access/user_new.html", {
        "name": name, "chosen": set(roles), "roles": role_choices(visitor.language), "errors": errors or {}},
        status=status)


@router.get("/new")
def new_user_page(request: Request, visitor: Visitor) -> Response:
    return _new_page(request, visitor)


@router.post("/new")
def create_user(request: Request, visitor: Visitor, name: Annotated[str, Form(max_length=200)] = "",
                roles: Roles = [], password: Annotated[str, Form(max_length=200)] = "") -> Response:  # noqa: B006
    """A new user of the administrator's company; its first password is changed at its first sign-in."""
    try:
        made, first = users.create(name, set(roles), by=visitor.party, password=password or None)
    except Rejected as refused:
        return _new_page(request, visitor, name=name, roles=roles, status=422,
                         errors=i18n.at_fields(refused.problems, visitor.language, _FIELDS, "name"))
    return _user_page(request, visitor, made, created=True, shown_password=None if password else first,
                      status=201)


def _user_page(request: Request, visitor: SignedIn, user: users.User, *, created: bool = False,
               shown_password: str | None = None, saved: str = "", errors=None, status: int = 200) -> Response:
    return render(request, visitor, "access/user.html", {
        "user": user, "roles": role_choices(visitor.language), "created": created, "saved": saved,
        "shown_password": shown_password, "errors": errors or {}}, status=status)


@router.get("/{username}")
def user_page(request: Request, visitor: Visitor, username: str, saved: str = "") -> Response:
    """One user: its roles (to change), reset its password, disable or enable it."""
    return _user_page(request, visitor, users.get(username, by=visitor.party), saved=saved[:10])


@router.post("/{username}/roles")
def change_roles(request: Request, visitor: Visitor, username: str, roles: Roles = []) -> Response:  # noqa: B006
    """The user's roles become exactly those ticked (effective within a second everywhere)."""
    try:
        users.set_roles(username, set(roles), by=visitor.party)
    except Rejected as refused:
        return _user_page(request, visitor, users.get(username, by=visitor.party), status=422,
                          errors=i18n.at_fields(refused.problems, visitor.language, _FIELDS, "name"))
    return RedirectResponse(f"/admin/users/{username}?saved=roles", status_code=303)


@router.post("/{username}/reset-password")
def reset_password(request: Request, visitor: Visitor, username: str) -> Response:
    """A new temporary password, shown once here; the user changes it at its next sign-in."""
    temporary = users.reset_password(username, by=visitor.party)
    return _user_page(request, visitor, users.get(username, by=visitor.party), shown_password=temporary)


@router.post("/{username}/disable")
def disable(visitor: Visitor, username: str) -> Response:
    """No more sign-in; its tokens, keys and sessions stop. The username stays taken."""
    users.set_disabled(username, True, by=visitor.party)
    return RedirectResponse(f"/admin/users/{username}?saved=disabled", status_code=303)


@router.post("/{username}/enable")
def enable(visitor: Visitor, username: str) -> Response:
    users.set_disabled(username, False, by=visitor.party)
    return RedirectResponse(f"/admin/users/{username}?saved=enabled", status_code=303)
