"""Who may act on the operational-messages board (SPEC O): the board is public — anyone, without a token, reads
its messages, their history, the systems' status, the availability answers and the availability history, the status page with its feeds and calendar —
and customs officers write it (create, update, extend, end, withdraw). A company that tries to write is told
403: there is nothing about a public message to hide.

Anyone signed in, company or officer, may follow the board by webhook or e-mail; a subscription is its maker's
alone, and another's is answered as unknown (404). The links mailed to an address (confirm, unsubscribe) need
no token: the link's own token is the proof; the page a link opens acts only on its button (a POST). The operator at the terminal sees and removes every one."""

from __future__ import annotations

from toldsystem.access.rules import COMPANY, HOLDER, NATIONAL_OFFICER, OFFICER, Party, Rule, officer_roles, rule

_WRITE = "403 to a company; nothing changes"

RULES: dict[str, Rule] = {
    "operations.read": rule(set(), "the board: messages with their history, systems and their status, availability, "
                            "the availability history; the status page, its feeds and calendar",
                            refusal="never refused; no token needed"),
    "operations.publish": rule({OFFICER}, "a new operational message or service window", refusal=_WRITE),
    "operations.change": rule({OFFICER}, "an operational message (update, extend, end, withdraw; a past window only "
                              "with a note)", refusal=_WRITE),
    "subscription.make": rule({COMPANY, OFFICER}, "a webhook or e-mail subscription of its own, and the list of "
                              "its own", refusal="401 without a valid token; a listing shows only the caller's own"),
    "subscription.own": rule({HOLDER}, "the caller's own subscription: read it, rotate its secret, remove it, read "
                             "its delivery log", refusal="404, as for an unknown subscription"),
    "subscription.link": rule(set(), "an e-mail subscription, by the confirm or unsubscribe link mailed to its "
                              "address", refusal="never refused for want of a token; a wrong link: 404"),
    "subscription.administer": rule({NATIONAL_OFFICER}, "every subscription (`told ops subscriptions`: list, "
                                    "remove)", refusal="no route: the operator's terminal only"),
}

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/api/operations/messages"): "operations.read",
    ("GET", "/api/operations/messages/{message_id}"): "operations.read",
    ("GET", "/api/operations/board"): "operations.read",
    ("GET", "/api/operations/systems"): "operations.read",
    ("GET", "/api/operations/status"): "operations.read",
    ("GET", "/api/operations/availability"): "operations.read",
    ("GET", "/api/operations/report"): "operations.read",
    # the public status page and its feeds, outside the API (pages.py)
    ("GET", "/status"): "operations.read",
    ("GET", "/status/feed.rss"): "operations.read",
    ("GET", "/status/feed.atom"): "operations.read",
    ("GET", "/status/calendar.ics"): "operations.read",
    # the board's editor in the portal (editor_web.py; web/visitor.py checks each page's rule)
    ("GET", "/board"): "operations.change",
    ("GET", "/board/new"): "operations.publish",
    ("POST", "/board/new"): "operations.publish",
    ("GET", "/board/{message_id}"): "operations.change",
    ("POST", "/board/{message_id}"): "operations.change",
    ("POST", "/board/{message_id}/extend"): "operations.change",
    ("POST", "/board/{message_id}/end"): "operations.change",
    ("POST", "/api/operations/messages"): "operations.publish",
    ("PATCH", "/api/operations/messages/{message_id}"): "operations.change",
    ("POST", "/api/operations/messages/{message_id}/extend"): "operations.change",
    ("POST", "/api/operations/messages/{message_id}/end"): "operations.change",
    ("POST", "/api/operations/messages/{message_id}/withdraw"): "operations.change",
    ("POST", "/api/operations/subscriptions/webhooks"): "subscription.make",
    ("GET", "/api/operations/subscriptions/webhooks"): "subscription.make",
    ("GET", "/api/operations/subscriptions/webhooks/{subscription_id}"): "subscription.own",
    ("DELETE", "/api/operations/subscriptions/webhooks/{subscription_id}"): "subscription.own",
    ("POST", "/api/operations/subscriptions/webhooks/{subscription_id}/secret"): "subscription.own",
    ("GET", "/api/operations/subscriptions/webhooks/{subscription_id}/deliveries"): "subscription.own",
    ("POST", "/api/operations/subscriptions/email"): "subscription.make",
    ("GET", "/api/operations/subscriptions/email"): "subscription.make",
    ("GET", "/api/operations/subscriptions/email/{subscription_id}"): "subscription.own",
    ("DELETE", "/api/operations/subscriptions/email/{subscription_id}"): "subscription.own",
    ("GET", "/api/operations/subscriptions/email/{subscription_id}/deliveries"): "subscription.own",
    ("POST", "/api/operations/subscriptions/email/{subscription_id}/confirm"): "subscription.link",
    ("POST", "/api/operations/subscriptions/email/{subscription_id}/unsubscribe"): "subscription.link",
    # the pages the mailed links open (mail_links.py): a GET shows, only the POST acts
    ("GET", "/subscriptions/{subscription_id}/confirm"): "subscription.link",
    ("POST", "/subscriptions/{subscription_id}/confirm"): "subscription.link",
    ("GET", "/subscriptions/{subscription_id}/unsubscribe"): "subscription.link",
    ("POST", "/subscriptions/{subscription_id}/unsubscribe"): "subscription.link",
}


def roles_towards_board(party: Party) -> frozenset[str]:
    """An officer is an officer towards the board (it is national: every officer may write it)."""
    return officer_roles(party)


def roles_towards_subscription(party: Party, owner: str | None) -> frozenset[str]:
    """A company or an officer, and the holder of a subscription it made (owner: the subscription's maker)."""
    roles = set(officer_roles(party)) if party.is_officer else {COMPANY}
    return frozenset(roles | ({HOLDER} if owner is not None and owner == party.key else set()))
