"""Following the board by webhook and by e-mail (SPEC O "subscriptions", issue 10 item 5): who is told of a change
of a message, and what they are told — the webhook's JSON and the mail's text in Danish or English. Pure; the
service (service/subscriptions.py) stores the subscriptions and queues what is sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from toldsystem.core.api import API_ROOT
from toldsystem.core.errors import Problem, problem
from toldsystem.operations import feeds, periods, texts
from toldsystem.operations.rules import ENVIRONMENTS, Message
from toldsystem.operations.systems import SYSTEMS
from toldsystem.operations.views import iso

MAX_PER_OWNER = 20  # subscriptions of each kind one subscriber may hold
LANGUAGES = texts.LANGUAGES

# The history's actions (store.versions) as a subscriber is told of them: an import is a creation or an update.
EVENTS = {"created": "created", "imported": "created", "updated": "updated", "reimported": "updated",
          "extended": "extended", "ended": "ended", "withdrawn": "withdrawn"}
IMPORTS = ("imported", "reimported")
RECENT = timedelta(days=1)  # an imported version updated within this long ago is news

MAIL_TEXTS: dict[str, tuple[str, str]] = {  # key: (Danish, English)
    "tag": ("Driftsmeddelelse", "Operational message"),
    "event.created": ("Ny", "New"),
    "event.updated": ("Opdateret", "Updated"),
    "event.extended": ("Forlænget", "Extended"),
    "event.ended": ("Afsluttet", "Ended"),
    "event.withdrawn": ("Aflyst", "Withdrawn"),
    "read_more": ("Læs meddelelsen på statussiden: {url}", "Read the message on the status page: {url}"),
    "why": ("Du får denne mail, fordi adressen abonnerer på driftsmeddelelser for {systems} ({environments}).",
            "You receive this mail because this address subscribes to operational messages for {systems} "
            "({environments})."),
    "unsubscribe": ("Afmeld: {url}", "Unsubscribe: {url}"),
    "all_systems": ("alle systemer", "every system"),
    "confirm_subject": ("Bekræft dit abonnement på driftsmeddelelser", "Confirm your subscription to operational "
                                                                        "messages"),
    "confirm_body": ("Nogen (forhåbentlig du) har bedt om at få driftsmeddelelser fra toldsystem for {systems} "
                     "({environments}) sendt til denne adresse.\n\nBekræft abonnementet ved at åbne linket:\n{url}"
                     "\n\nHar du ikke bedt om det, så se bort fra denne mail: der sendes intet mere.",
                     "Someone (you, we hope) asked for operational messages from toldsystem for {systems} "
                     "({environments}) to be sent to this address.\n\nConfirm the subscription by opening the link:"
                     "\n{url}\n\nIf you did not ask for it, ignore this mail: nothing more will be sent."),
}


@dataclass(frozen=True)
class Interest:
    """What a subscriber follows: systems by code (none: every system) in environments."""

    systems: tuple[str, ...]
    environments: tuple[str, ...]


def mail_text(key: str, language: str, **values) -> str:
    found = MAIL_TEXTS[key][LANGUAGES.index(language)]
    return found.format(**values) if values else found


def check_interest(interest: Interest) -> list[Problem]:
    """The systems are the board's (GET /operations/systems), the environments PRD or TFE, at least one."""
    found = [problem("subscription.system", f"systems/{i}", f"{code!r} is not a system of the board",
                     f"{code!r} er ikke et system på tavlen")
             for i, code in enumerate(interest.systems) if code not in SYSTEMS]
    if not interest.environments:
        found.append(problem("subscription.environment", "environments", "name at least one environment: PRD or TFE",
                             "angiv mindst ét miljø: PRD eller TFE"))
    found += [problem("subscription.environment", f"environments/{i}", f"{e!r} is not an environment: PRD or TFE",
                      f"{e!r} er ikke et miljø: PRD eller TFE")
              for i, e in enumerate(interest.environments) if e not in ENVIRONMENTS]
    return found


def check_language(language: str) -> list[Problem]:
    """A mail subscription's language: da or en."""
    if language in LANGUAGES:
        return []
    return [problem("subscription.language", "language", "the language is da or en", "sproget er da eller en")]


def concerns(interest: Interest, message: Message) -> bool:
    """A subscriber is told of a message that concerns one of its systems (or any, when it named none), in one of
    its environments; a system named only in the message's effects counts too."""
    if not set(interest.environments) & set(message.environments):
        return False
    if not interest.systems:
        return True
    named = set(message.systems) | {code for effect in message.effects for code in effect.systems}
    return bool(named & set(interest.systems))


def newsworthy(message: Message, action: str, now: datetime) -> bool:
    """An officer's change is always announced; an imported version only if it is news — the message current or
    upcoming, or the version updated within the last day — so importing the page's history tells no one of
    windows long past."""
    if action not in EVENTS:
        return False
    if action not in IMPORTS:
        return True
    return periods.phase(message, now) in (periods.CURRENT, periods.UPCOMING) or now - message.updated <= RECENT


def payload(message: Message, action: str) -> dict:
    """The JSON a webhook is posted: the event, the message's id and version, what it concerns, its kind, title
    and window, and where to read the whole of it (the board is public)."""
    return {"event": EVENTS[action], "message_id": message.id, "version": message.version,
            "systems": list(message.systems), "categories": [SYSTEMS[c].page_name for c in message.systems],
            "environments": list(message.environments), "kind": message.kind, "status": message.status,
            "title": message.title, "window_start": iso(message.window_start), "window_end": iso(message.window_end),
            "updated": iso(message.updated),
            "links": {"json": f"{API_ROOT}/operations/messages/{message.id}", "page": f"/status#message-{message.id}"}}


def notice(message: Message, action: str, language: str, public_url: str) -> tuple[str, str]:
    """A mail's subject and text telling of a change of a message (the footer with the unsubscribe link is added
    when it is sent)."""
    event = mail_text(f"event.{EVENTS[action]}", language)
    subject = f"[{mail_text('tag', language)}] {event}: {message.title}"[:300]
    link = f"{public_url}/status?lang={language}#message-{message.id}"
    body = "\n\n".join([f"{event}: {message.title}", feeds.summary(message, language).strip(),
                        mail_text("read_more", language, url=link)])
    return subject, body


def followed(interest: Interest, language: str) -> tuple[str, str]:
    """What a subscription follows, in words: the systems and the environments."""
    names = (", ".join(SYSTEMS[c].da if language == "da" else SYSTEMS[c].en for c in interest.systems)
             or mail_text("all_systems", language))
    return names, "/".join(interest.environments)


def confirmation(interest: Interest, language: str, confirm_url: str) -> tuple[str, str]:
    """The first mail, and the only one before it is confirmed: the link that confirms the subscription."""
    systems, environments = followed(interest, language)
    return (mail_text("confirm_subject", language),
            mail_text("confirm_body", language, systems=systems, environments=environments, url=confirm_url))


def footer(interest: Interest, language: str, unsubscribe_url: str) -> str:
    """What ends every notice: why it came, and the link that stops them."""
    systems, environments = followed(interest, language)
    return "\n\n-- \n" + "\n".join([mail_text("why", language, systems=systems, environments=environments),
                                     mail_text("unsubscribe", language, url=unsubscribe_url)])
