"""The pages behind the links mailed to a subscribed address (SPEC O: followed by e-mail): opening a link shows
what it will do and asks for one click; only that click (a POST) confirms or ends the subscription. Mail
scanners and link previews open every link in a mail; they must change nothing. A mail program's one-click
unsubscribe (RFC 8058: a POST of `List-Unsubscribe=One-Click` to the link) ends it at once.

The link's token is the proof (HMAC of the server's key, service/subscriptions.py); a wrong one is the portal's
one "page not found". Who may: authorisation.py, `subscription.link`."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from toldsystem.core.api import RowId
from toldsystem.operations.api import Token
from toldsystem.operations.service import subscriptions
from toldsystem.web.pages import render
from toldsystem.web.routing import page_router

router = page_router("/subscriptions")



def _page(request: Request, purpose: str, subscription: dict, token: str, done: bool) -> Response:
    return render(request, None, "operations/mail_link.html",
                  {"purpose": purpose, "subscription": subscription, "token": token, "done": done,
                   "query": {"token": token}}, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


@router.get("/{subscription_id}/confirm")
def confirm_page(request: Request, subscription_id: RowId, token: Token) -> Response:
    """What the confirmation link will do, with its button; nothing changes yet."""
    found = subscriptions.linked("confirm", subscription_id, token)
    return _page(request, "confirm", found, token, done=found["confirmed"])


@router.post("/{subscription_id}/confirm")
def confirm(request: Request, subscription_id: RowId, token: Token) -> Response:
    """The button was pressed: from now on the address is told (pressed again: still confirmed)."""
    return _page(request, "confirm", subscriptions.confirm(subscription_id, token), token, done=True)


@router.get("/{subscription_id}/unsubscribe")
def unsubscribe_page(request: Request, subscription_id: RowId, token: Token) -> Response:
    """What the unsubscribe link will do, with its button; nothing changes yet."""
    return _page(request, "unsubscribe", subscriptions.linked("unsubscribe", subscription_id, token), token,
                 done=False)


@router.post("/{subscription_id}/unsubscribe")
def unsubscribe(request: Request, subscription_id: RowId, token: Token) -> Response:
    """The button was pressed, or the mail program asked (RFC 8058): the subscription ends."""
    return _page(request, "unsubscribe", subscriptions.unsubscribe(subscription_id, token), token, done=True)
