"""The portal's own pages (issue 12, part 1): the front door `/`, signing in and out, changing a password (forced
when it expired or was reset), the language switch. Thin: every form reaches access.service, as the API does;
each page's rule is in authorisation_users.py ROUTES. The administrator's users pages: web_users.py."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

from toldsystem.access.api import CSRF_COOKIE, SESSION_COOKIE
from toldsystem.access.routes import set_session_cookies
from toldsystem import config
from toldsystem.access.service import sessions, signin, users
from toldsystem.core.errors import ToldError
from toldsystem.web import i18n, page_router
from toldsystem.web.pages import render
from toldsystem.web.visitor import LANGUAGE_COOKIE, MaybeVisitor, SignedIn, Visitor, is_own_path, request_language

router = page_router()

_YEAR = 365 * 24 * 3600
Text = Annotated[str, Form(max_length=200)]
Next = Annotated[str, Form(max_length=500)]


def _go(path: str | None, default: str = "/") -> RedirectResponse:
    return RedirectResponse(path if is_own_path(path) else default, status_code=303)


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


@router.get("/")
def front_door(visitor: MaybeVisitor) -> Response:
    """Signed in: a company to its dashboard, an officer to the office; anyone else to sign in."""
    if visitor is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse("/office" if visitor.party.is_officer else "/dashboard", status_code=303)


# The sign-in form carries a token that must equal its cookie's (HttpOnly, SameSite=Strict): another site's page
# cannot post the form with its own username and password and so sign the visitor in as someone else (login CSRF).
FORM_COOKIE = "told_signin"
FORM_FIELD = "form_token"


def _sign_in_page(request: Request, *, username: str = "", next_path: str = "", errors=None, notice: str = "",
                  status: int = 200) -> Response:
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(32)
    page = render(request, None, "access/login.html", {"username": username, "next": next_path, "form_token": token,
                                                       "errors": errors or {}, "notice": notice}, status=status)
    page.set_cookie(FORM_COOKIE, token, path="/login", secure=not config.settings().insecure_cookies,
                    httponly=True, samesite="strict")
    return page


def _form_of_this_site(request: Request, token: str) -> bool:
    kept = request.cookies.get(FORM_COOKIE)
    return bool(kept and token) and hmac.compare_digest(kept, token)


@router.get("/login")
def sign_in_page(request: Request, next: str = "", signed_out: str = "") -> Response:
    """The sign-in form, for companies' users and officers alike (seed 000: a username and a password)."""
    language = request_language(request)
    notice = i18n.gettext(language, "You are signed out.") if signed_out else ""
    return _sign_in_page(request, next_path=next if is_own_path(next) else "", notice=notice)


def _signed_in(started: sessions.Started, next_path: str | None) -> Response:
    """Into the portal: the session's cookies, the user's language, and on to the page asked for."""
    response = _go(next_path)
    set_session_cookies(response, started)
    language = users.language_of(started.party.user)
    if language:  # the user's choice wins over the browser's, on every page and the "unknown" page alike
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=_YEAR, path="/", samesite="lax")
    return response


@router.post("/login")
def sign_in(request: Request, username: Text = "", password: Text = "", next: Next = "",
            form_token: Text = "") -> Response:
    """Sign in; a wrong password, a wait (back-off) or an expired one is said at the form, in the visitor's language.
    A form not from this site's sign-in page is refused before the password is looked at."""
    language = request_language(request)
    if not _form_of_this_site(request, form_token):
        return _sign_in_page(request, username=username, next_path=next, status=400, notice=i18n.gettext(
            language, "The sign-in form was not this site's own, or it is too old. Please sign in again."))
    try:
        started = sessions.start(username.strip(), password, client=_client(request))
    except signin.PasswordExpired as expired:
        return _password_page(request, None, username=username.strip(), next_path=next, forced=True,
                              notice=i18n.problem_text(expired.problems[0], language))
    except ToldError as refused:
        return _sign_in_page(request, username=username, next_path=next, status=refused.status,
                             errors=i18n.at_fields(refused.problems, language, ("username", "password"), "password"))
    return _signed_in(started, next)


@router.post("/logout")
def sign_out(request: Request, visitor: Visitor) -> Response:
    """Sign out: the session ends at once."""
    sessions.end(request.cookies.get(SESSION_COOKIE, ""), visitor.party)
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


def _password_page(request: Request, visitor: SignedIn | None, *, username: str = "", next_path: str = "",
                   forced: bool = False, notice: str = "", errors=None, status: int = 200) -> Response:
    return render(request, visitor, "access/password.html", {
        "username": visitor.party.user if visitor else username, "next": next_path, "forced": forced,
        "notice": notice, "errors": errors or {}}, status=status)


@router.get("/password")
def password_page(request: Request, visitor: MaybeVisitor, next: str = "") -> Response:
    """Change one's password: signed in, or (when it has expired or was reset) with the username."""
    return _password_page(request, visitor, next_path=next if is_own_path(next) else "")


@router.post("/password")
def change_password(request: Request, visitor: MaybeVisitor, username: Text = "", current_password: Text = "",
                    new_password: Text = "", repeat_password: Text = "", next: Next = "",
                    forced: Annotated[str, Form(max_length=1)] = "") -> Response:
    """The change, by seed 000's rules (access/passwords.py, as every channel): each rule broken is said at the new
    password; then signed in with the new one. The user's other sessions end."""
    name = visitor.party.user if visitor else username.strip()
    language = visitor.language if visitor else request_language(request)
    again = dict(username=name, next_path=next, forced=bool(forced))
    if new_password != repeat_password:
        return _password_page(request, visitor, **again, status=422, errors={"repeat_password": [
            i18n.gettext(language, "The two new passwords differ: type the same one twice.")]})
    try:
        signin.change_password(name, current_password, new_password, channel="portal", client=_client(request))
    except ToldError as refused:
        at = "new_password" if refused.status == 422 else "current_password"  # a rule broken, or a wrong password
        return _password_page(request, visitor, **again, status=refused.status,
                              errors={at: [i18n.problem_text(p, language) for p in refused.problems]})
    return _signed_in(sessions.start(name, new_password, client=_client(request)), next)


@router.post("/language")
def switch_language(request: Request, visitor: MaybeVisitor, lang: Annotated[str, Form(max_length=5)] = "",
                    next: Next = "") -> Response:
    """The visitor's language: kept for the user (its next sessions too), and in a cookie for everyone."""
    language = i18n.choose(lang)
    if visitor is not None:
        users.set_language(visitor.party.user, language)
    response = _go(next)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=_YEAR, path="/", samesite="lax")
    return response
