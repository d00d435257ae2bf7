"""Who may act in the access room: users and their roles, SSH keys and tokens, web sessions, the audit log.

A company's administrator (a user holding the administrator role, seed 000 "Dette gøres af virksomhedens
Administrator") manages its company's users; a national officer who holds the administrator role manages
officers' accounts and may help any company (Told Servicedesk). A user sees itself and registers its own SSH
keys. Signing in and changing a password need no token: the password is the proof. The audit log is read by
officers (every entry) and by a company (the entries it made or that concern it).
"""

from __future__ import annotations

from toldsystem.access.rules import ADMIN, ADMINISTRATOR, ANYONE, SELF, Rule, rule

_ADMIN_OR_UNKNOWN = "403 to a user of the same company, else 404 as an unknown user"

RULES: dict[str, Rule] = {
    "session.sign_in": rule(set(), "a user's own password: a web session (cookie) for the portal",
                            refusal="401 for an unknown user or a wrong password; 429 while it waits; 403 for an "
                            "expired password"),
    "password.change": rule(set(), "a user's own password, proving the current one",
                            refusal="401 or 429 as for signing in; 422 naming each rule of seed 000 broken"),
    "session.read": rule({ANYONE}, "the caller itself: its user, company, roles"),
    "session.end": rule({ANYONE}, "the caller's own web session"),
    "user.list": rule({ANYONE}, "users, filtered: an administrator its company's, a national administrator every "
                      "one, any other user itself"),
    "user.create": rule({ADMINISTRATOR}, "a new user of the administrator's own company (a national "
                        "administrator's: of any company, or an officer)",
                        refusal="403 to a user who is not an administrator; 404 for another company, as unknown"),
    "user.read": rule({SELF, ADMINISTRATOR}, "a user", refusal=_ADMIN_OR_UNKNOWN),
    "user.manage": rule({ADMINISTRATOR}, "a user: its roles, password reset, API tokens, disabling",
                        refusal=_ADMIN_OR_UNKNOWN),
    "user.keys": rule({SELF, ADMINISTRATOR}, "a user's SSH public keys", refusal=_ADMIN_OR_UNKNOWN),
    "audit.read": rule({ANYONE}, "the audit log, filtered: officers every entry, a company those it made or that "
                       "concern it"),
    # the portal's own pages (access/web.py, web_users.py)
    "portal.front": rule(set(), "the portal's front door: a company's user to its dashboard, an officer to the "
                         "office, anyone else to the sign-in page", refusal="never refused"),
    "portal.language": rule(set(), "the visitor's language: remembered for a signed-in user, else in a cookie",
                            refusal="never refused; a signed-in visitor sends its session's CSRF token"),
    "portal.users": rule({ADMINISTRATOR}, "the administrator's pages of its company's users: list, create, roles, "
                         "password reset, disable", refusal="404 page, as an unknown page", system=ADMIN),
}

ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/api/access/session"): "session.sign_in",
    ("GET", "/api/access/session"): "session.read",
    ("DELETE", "/api/access/session"): "session.end",
    ("POST", "/api/access/password"): "password.change",
    ("GET", "/api/access/users"): "user.list",
    ("POST", "/api/access/users"): "user.create",
    ("GET", "/api/access/users/{username}"): "user.read",
    ("PUT", "/api/access/users/{username}/roles"): "user.manage",
    ("POST", "/api/access/users/{username}/reset-password"): "user.manage",
    ("POST", "/api/access/users/{username}/disable"): "user.manage",
    ("POST", "/api/access/users/{username}/enable"): "user.manage",
    ("POST", "/api/access/users/{username}/tokens"): "user.manage",
    ("GET", "/api/access/users/{username}/keys"): "user.keys",
    ("POST", "/api/access/users/{username}/keys"): "user.keys",
    ("POST", "/api/access/users/{username}/keys/revoke"): "user.keys",
    ("GET", "/api/access/audit"): "audit.read",
    # the portal's pages (outside the API; web/visitor.py checks each page's rule)
    ("GET", "/"): "portal.front",
    ("GET", "/login"): "session.sign_in",
    ("POST", "/login"): "session.sign_in",
    ("POST", "/logout"): "session.end",
    ("GET", "/password"): "password.change",
    ("POST", "/password"): "password.change",
    ("POST", "/language"): "portal.language",
    ("GET", "/admin/users"): "portal.users",
    ("GET", "/admin/users/new"): "portal.users",
    ("POST", "/admin/users/new"): "portal.users",
    ("GET", "/admin/users/{username}"): "portal.users",
    ("POST", "/admin/users/{username}/roles"): "portal.users",
    ("POST", "/admin/users/{username}/reset-password"): "portal.users",
    ("POST", "/admin/users/{username}/disable"): "portal.users",
    ("POST", "/admin/users/{username}/enable"): "portal.users",
}
