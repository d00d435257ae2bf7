"""The company administrator's pages of its users (seed 000: "Dette gøres af virksomhedens Administrator"): the
list, a new user (its first password chosen by the administrator or made at random, each rule it breaks named at
the field), a user's roles per system, password reset, disabling. Thin: every form reaches access.service.users,
which checks the administrator as for the API; the pages' rule is `portal.users` (authorisation_users.py)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from toldsystem.access.rules import ADMIN
from toldsystem.access.service import users
from toldsystem.web import menu, page_router
from toldsystem.web.i18n import N_
from toldsystem.web.pages import render
from toldsystem.web.visitor import Visitor

router = page_router("/admin/users")
menu.add(90, "/admin/users", N_("Users"), system=ADMIN, officers=False)


@router.get("")
def user_list(request: Request, visitor: Visitor) -> Response:
    """The company's users: name, username, roles, password state; links to each."""
    return render(request, visitor, "access/users.html", {"users": users.visible(by=visitor.party)})
