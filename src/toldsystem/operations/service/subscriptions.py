"""Following the board: webhook subscriptions (signed posts) and e-mail subscriptions (double opt-in), each its
maker's own (operations/authorisation.py), and the announcement of every change of a message to those whose
systems it concerns — queued in the unit of work that changes the message (`announce`, called by messages.py),
so nothing is lost at a crash, and sent by the shared delivery queue (toldsystem.notifications) once it has
committed. An e-mail address is sent nothing but its confirmation until the link in it has been opened; every
notice ends with a link that stops them. What the subscriptions are told: operations/subscriptions.py."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import Connection, Row, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import config, db
from toldsystem.access.rules import OPERATOR, Party, refusal
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, NotFound, Problems, Rejected, problem
from toldsystem.notifications import mail, queue, webhooks
from toldsystem.notifications.queue import Outcome
from toldsystem.operations import store
from toldsystem.operations.authorisation import RULES, roles_towards_subscription
from toldsystem.operations.rules import Message
from toldsystem.operations.subscriptions import (EVENTS, MAX_PER_OWNER, Interest, check_interest, check_language,
                                                 concerns, confirmation, footer, newsworthy, notice, payload)

_hooks, _mails = store.webhook_subscriptions, store.mail_subscriptions
LINK = "<link>"  # where a confirmation's link goes: made when it is sent, never stored
KINDS = {"webhook": _hooks, "email": _mails}


def _unknown(kind: str, subscription_id: int) -> NotFound:
    return NotFound(problem("subscription.unknown", "subscription_id",
                            f"there is no {kind} subscription {subscription_id}",
                            f"der er intet {kind}-abonnement {subscription_id}"))


def _require(rule_name: str, by: Party, owner: str | None = None, unknown: NotFound | None = None) -> None:
    refused = refusal(RULES[rule_name], roles_towards_subscription(by, owner), frozenset(), False,
                      unknown or _unknown("", 0))
    if refused is not None:
        raise refused


def _own(conn: Connection, table: Table, kind: str, subscription_id: int, by: Party) -> Row:
    """The caller's own subscription; another's is answered exactly as an unknown one."""
    row = conn.execute(select(table).where(table.c.id == subscription_id)).first()
    _require("subscription.own", by, row.owner if row else None, _unknown(kind, subscription_id))
    return row


def _interest(systems, environments) -> Interest:
    from toldsystem.operations.service.messages import system_codes  # names too, as a message takes them (late:
    # messages.py imports us)

    interest = Interest(tuple(dict.fromkeys(system_codes(systems))), tuple(dict.fromkeys(environments)))
    found = Problems()
    found.add(check_interest(interest))
    found.raise_if_any()
    return interest


def _interest_of(row: Row) -> Interest:
    return Interest(tuple(c for c in row.systems.split(";") if c), tuple(row.environments.split(";")))


def _interest_columns(interest: Interest) -> dict:
    return {"systems": ";".join(interest.systems), "environments": ";".join(interest.environments)}


def _listed(conn: Connection, table: Table, owner: str | None = None) -> list[Row]:
    """The subscriptions of a table, oldest first: one owner's, or (None) every one."""
    query = select(table).order_by(table.c.id)
    return conn.execute(query if owner is None else query.where(table.c.owner == owner)).all()


def _room_for_one_more(conn: Connection, table: Table, owner: str) -> None:
    held = conn.execute(select(func.count()).select_from(table).where(table.c.owner == owner)).scalar_one()
    if held >= MAX_PER_OWNER:
        raise Rejected(problem("subscription.too_many", "/", f"you hold {MAX_PER_OWNER} subscriptions of this kind, "
                               "the most there may be: remove one first",
                               f"du har {MAX_PER_OWNER} abonnementer af denne slags, det højeste antal: "
                               "fjern et først"))


# --- webhooks ------------------------------------------------------------------------------------------------

def _hook_out(row: Row) -> dict:
    interest = _interest_of(row)
    return {"id": row.id, "url": row.url, "systems": list(interest.systems),
            "environments": list(interest.environments), "created_at": row.created_at.isoformat(),
            "secret_made_at": row.secret_made_at.isoformat()}


def subscribe_webhook(by: Party, url: str, systems=(), environments=("PRD",)) -> dict:
    """Subscribe a URL to the changes of messages for these systems (none: every system); its secret shown once."""
    _require("subscription.make", by)
    webhooks.check_url(url)
    interest, salt, now = _interest(systems, environments), webhooks.new_salt(), clock.now()
    with db.transaction() as conn:
        _room_for_one_more(conn, _hooks, by.key)
        made = conn.execute(insert(_hooks).values(owner=by.key, url=url, created_at=now, secret_salt=salt,
                                                  secret_made_at=now, **_interest_columns(interest))
                            .returning(*_hooks.c)).one()
    return _hook_out(made) | {"secret": webhooks.secret_of(salt)}


def webhook_subscriptions(by: Party) -> list[dict]:
    """The caller's webhook subscriptions (never their secrets)."""
    _require("subscription.make", by)
    with db.reading() as conn:
        return [_hook_out(r) for r in _listed(conn, _hooks, by.key)]


def webhook_subscription(by: Party, subscription_id: int) -> dict:
    with db.reading() as conn:
        return _hook_out(_own(conn, _hooks, "webhook", subscription_id, by))


def rotate_webhook_secret(by: Party, subscription_id: int) -> dict:
    """A new signing secret (shown once); every post from now on, a retry too, is signed with it."""
    salt = webhooks.new_salt()
    with db.transaction() as conn:
        _own(conn, _hooks, "webhook", subscription_id, by)
        row = conn.execute(update(_hooks).where(_hooks.c.id == subscription_id)
                           .values(secret_salt=salt, secret_made_at=clock.now()).returning(*_hooks.c)).one()
    return _hook_out(row) | {"secret": webhooks.secret_of(salt)}


def remove_webhook(by: Party, subscription_id: int) -> None:
    """Stop the posts; what still waits is given up (the delivery log stays)."""
    with db.transaction() as conn:
        _own(conn, _hooks, "webhook", subscription_id, by)
        _remove(conn, "webhook", subscription_id, "the subscription was removed")


def webhook_deliveries(by: Party, subscription_id: int, **paging) -> dict:
    """The subscription's delivery log, newest first."""
    with db.reading() as conn:
        _own(conn, _hooks, "webhook", subscription_id, by)
    d = store.webhook_deliveries
    return _hook_queue.log(d.c.subscription_id == subscription_id,
                           lambda r: {"message_id": r.message_id, "event": r.event, "url": r.url}, **paging)


def _post(claimed: Row) -> Outcome:
    """Post a webhook delivery, signed with its subscription's secret as it is now."""
    with db.reading() as conn:
        salt = conn.execute(select(_hooks.c.secret_salt).where(_hooks.c.id == claimed.subscription_id)).scalar()
    if salt is None:
        return Outcome(error="the subscription was removed", permanent=True)
    return webhooks.post(claimed.url, claimed.body, salt, claimed.id)


_hook_queue = queue.Queue("board webhook", store.webhook_deliveries, _post)


# --- e-mail ------------------------------------------------------------------------------------------------------

def _mail_out(row: Row) -> dict:
    interest = _interest_of(row)
    return {"id": row.id, "address": row.address, "systems": list(interest.systems),
            "environments": list(interest.environments), "language": row.language,
            "confirmed": row.confirmed_at is not None, "created_at": row.created_at.isoformat(),
            "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None}


def link_token(purpose: str, subscription_id: int, salt: str) -> str:
    """The token of a mailed link (confirm, unsubscribe): HMAC(server key, purpose, id, salt); never stored."""
    text = f"mail-{purpose}:{subscription_id}:{salt}".encode()
    return hmac.new(config.settings().secret_key, text, hashlib.sha256).hexdigest()


def link(purpose: str, row: Row) -> str:
    """The address of a mailed link, as the server is reached from outside (TOLD_PUBLIC_URL): a page that says what
    the link does and asks for a click (mail_links.py), so that a mail scanner opening every link changes nothing."""
    return (f"{config.settings().public_url}/subscriptions/{row.id}/{purpose}"
            f"?token={link_token(purpose, row.id, row.token_salt)}")


def subscribe_mail(by: Party, address: str, systems=(), environments=("PRD",), language: str = "da") -> dict:
    """Subscribe an address: only a confirmation is sent to it, until the link in that is opened."""
    _require("subscription.make", by)
    mail.server()  # no SMTP server: say so now, rather than queue what can never be sent
    address, interest = mail.address(address), _interest(systems, environments)
    found = Problems()
    found.add(check_language(language))
    found.raise_if_any()
    now = clock.now()
    try:
        with db.transaction() as conn:
            if conn.execute(select(_mails.c.id).where((_mails.c.owner == by.key)
                                                      & (_mails.c.address == address))).first():
                raise _subscribed(address)
            _room_for_one_more(conn, _mails, by.key)
            row = conn.execute(insert(_mails).values(owner=by.key, address=address, language=language,
                                                     created_at=now, confirmed_at=None, token_salt=webhooks.new_salt(),
                                                     **_interest_columns(interest)).returning(*_mails.c)).one()
            subject, text = confirmation(interest, language, LINK)
            sent = _mail_queue.add(conn, subscription_id=row.id, owner=row.owner, address=address,
                                   kind="confirmation", message_id=None, subject=subject, body=text)
            db.after_commit(lambda: _mail_queue.push([sent]))
    except IntegrityError:  # the same address at the same moment (uq owner+address): the other one was made
        raise _subscribed(address) from None
    return _mail_out(row)


def _subscribed(address: str) -> Conflict:
    return Conflict(problem("subscription.exists", "address", f"you already subscribe {address}: remove that "
                            "subscription first to change it", f"du abonnerer allerede for {address}"))


def mail_subscriptions(by: Party) -> list[dict]:
    """The caller's e-mail subscriptions, confirmed or not."""
    _require("subscription.make", by)
    with db.reading() as conn:
        return [_mail_out(r) for r in _listed(conn, _mails, by.key)]


def mail_subscription(by: Party, subscription_id: int) -> dict:
    with db.reading() as conn:
        return _mail_out(_own(conn, _mails, "email", subscription_id, by))


def remove_mail(by: Party, subscription_id: int) -> None:
    """Stop the mails; what still waits is given up."""
    with db.transaction() as conn:
        _own(conn, _mails, "email", subscription_id, by)
        _remove(conn, "email", subscription_id, "the subscription was removed")


def mail_deliveries(by: Party, subscription_id: int, **paging) -> dict:
    """The subscription's mails, newest first: the confirmation, then each notice."""
    with db.reading() as conn:
        _own(conn, _mails, "email", subscription_id, by)
    d = store.mail_deliveries
    return _mail_queue.log(d.c.subscription_id == subscription_id,
                           lambda r: {"kind": r.kind, "message_id": r.message_id, "subject": r.subject}, **paging)


def _by_link(conn: Connection, purpose: str, subscription_id: int, token: str) -> Row:
    row = conn.execute(select(_mails).where(_mails.c.id == subscription_id)).first()
    if row is None or not hmac.compare_digest(link_token(purpose, row.id, row.token_salt), token):
        raise NotFound(problem("subscription.link", "token", "this link is unknown, or its subscription has ended",
                               "linket er ukendt, eller abonnementet er ophørt"))
    return row


def linked(purpose: str, subscription_id: int, token: str) -> dict:
    """The subscription a mailed link is for, without acting on it (a wrong link: NotFound)."""
    with db.reading() as conn:
        return _mail_out(_by_link(conn, purpose, subscription_id, token))


def confirm(subscription_id: int, token: str) -> dict:
    """The link in the confirmation was opened: from now on the address is told of each change (again: no-op)."""
    with db.transaction() as conn:
        row = _by_link(conn, "confirm", subscription_id, token)
        if row.confirmed_at is None:
            row = conn.execute(update(_mails).where(_mails.c.id == row.id).values(confirmed_at=clock.now())
                               .returning(*_mails.c)).one()
    return _mail_out(row)


def unsubscribe(subscription_id: int, token: str) -> dict:
    """The link at the end of a notice was opened: the subscription ends, nothing more is sent."""
    with db.transaction() as conn:
        row = _by_link(conn, "unsubscribe", subscription_id, token)
        _remove(conn, "email", row.id, "the address unsubscribed")
    return {"id": row.id, "address": row.address, "unsubscribed": True}


def _send(claimed: Row) -> Outcome:
    """Send a mail delivery: the confirmation with its link, or a notice with the link that stops them."""
    with db.reading() as conn:
        row = conn.execute(select(_mails).where(_mails.c.id == claimed.subscription_id)).first()
    if row is None:
        return Outcome(error="the subscription was removed", permanent=True)
    if claimed.kind == "confirmation":
        return mail.send(row.address, claimed.subject, claimed.body.replace(LINK, link("confirm", row)))
    if row.confirmed_at is None:  # never: notices are queued for confirmed addresses only
        return Outcome(error="the address has not confirmed the subscription", permanent=True)
    unsubscribe_url = link("unsubscribe", row)
    return mail.send(row.address, claimed.subject, claimed.body + footer(_interest_of(row), row.language,
                                                                         unsubscribe_url),
                     # RFC 8058: a mail program may end the subscription with one POST to the link
                     {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


_mail_queue = queue.Queue("board mail", store.mail_deliveries, _send)
_QUEUES = {"webhook": (_hook_queue, store.webhook_deliveries), "email": (_mail_queue, store.mail_deliveries)}


def _remove(conn: Connection, kind: str, subscription_id: int, reason: str) -> None:
    table, (deliveries, log) = KINDS[kind], _QUEUES[kind]
    deliveries.give_up(conn, log.c.subscription_id == subscription_id, reason)
    conn.execute(delete(table).where(table.c.id == subscription_id))


# --- announcing a change -------------------------------------------------------------------------------------

def announce(conn: Connection, message: Message, action: str) -> None:
    """Inside the unit of work that changed the message: a delivery for each webhook and each confirmed address
    whose systems it concerns; sent once that unit has committed. An import announces only what is news."""
    if not newsworthy(message, action, clock.now()):
        return
    body = jsontext.dumps(payload(message, action))
    posts = [_hook_queue.add(conn, subscription_id=s.id, owner=s.owner, url=s.url, message_id=message.id,
                             event=EVENTS[action], body=body)
             for s in conn.execute(select(_hooks)) if concerns(_interest_of(s), message)]
    mails = []
    for s in conn.execute(select(_mails).where(_mails.c.confirmed_at.is_not(None))):
        if concerns(_interest_of(s), message):
            subject, text = notice(message, action, s.language, config.settings().public_url)
            mails.append(_mail_queue.add(conn, subscription_id=s.id, owner=s.owner, address=s.address, kind="notice",
                                         message_id=message.id, subject=subject, body=text))
    if posts or mails:
        db.after_commit(lambda: (_hook_queue.push(posts), _mail_queue.push(mails)))


# --- the operator ----------------------------------------------------------------------------------------------

def every_subscription(by: Party = OPERATOR) -> dict[str, list[dict]]:
    """Every subscription of either kind, with its maker (`told ops subscriptions list`)."""
    _require("subscription.administer", by)
    with db.reading() as conn:
        return {"webhook": [_hook_out(r) | {"owner": r.owner} for r in _listed(conn, _hooks)],
                "email": [_mail_out(r) | {"owner": r.owner} for r in _listed(conn, _mails)]}


def remove_any(kind: str, subscription_id: int, by: Party = OPERATOR) -> None:
    """Remove a subscription whoever made it (`told ops subscriptions remove`)."""
    _require("subscription.administer", by)
    with db.transaction() as conn:
        table = KINDS[kind]
        if conn.execute(select(table.c.id).where(table.c.id == subscription_id)).first() is None:
            raise _unknown(kind, subscription_id)
        _remove(conn, kind, subscription_id, "the operator removed the subscription")
