"""Operational messages and service windows (SPEC O, seed 001): what a message is, and the rules an officer's
message must keep. Pure: no store, no clock — the service passes the instant in.

A message concerns one or more systems (systems.py) in one or both environments (PRD, TFE); it is of one
kind; it may have a window (a start and an end, stored in UTC, entered and shown in Europe/Copenhagen),
which may recur (an RFC 5545 RRULE, expanded in Danish wall-clock time: "every third Tuesday 18–23" stays
18–23 across summer time); and it states its effect per channel and whether fallback is allowed in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from toldsystem.core.errors import Problem, problem
from toldsystem.operations.systems import SYSTEMS
from toldsystem.operations.windows import check_recurrence

ENVIRONMENTS = {"PRD": ("production", "produktion"), "TFE": ("test (TFE)", "test (TFE)")}

SERVICE_WINDOW, DISRUPTION, BACK_TO_NORMAL, INFORMATION = "service_window", "disruption", "back_to_normal", "information"
KINDS = {
    SERVICE_WINDOW: ("Planned service window", "Planlagt servicevindue"),
    DISRUPTION: ("Current disruption", "Aktuel driftsforstyrrelse"),
    BACK_TO_NORMAL: ("Back to normal", "Normal drift igen"),
    INFORMATION: ("Information", "Information"),
}

OPEN, ENDED, WITHDRAWN = "open", "ended", "withdrawn"
STATUSES = (OPEN, ENDED, WITHDRAWN)

# The channels a window can govern, and what it can say of each (seed 001's wording in the comments).
FILE, ONLINE, SIGN_IN, RESPONSE_TIMES = "file", "online", "sign_in", "response_times"
EFFECT_STATES: dict[str, tuple[str, ...]] = {
    FILE: ("rejected", "queued", "not_affected"),  # "files … will fail/be rejected", "… processed when the
                                                   # service window has passed", "S2S (file) is not affected"
    ONLINE: ("unavailable", "available"),          # "the online system … will be unavailable"
    SIGN_IN: ("unavailable",),                     # "Sign in to … will not be possible"
    RESPONSE_TIMES: ("extended",),                 # "Extended response times may occur"
}
FALLBACK = {
    "allowed": ("fallback allowed", "nødprocedure tilladt"),
    "on_request": ("fallback only if absolutely necessary, by the customs office's leave",
                   "nødprocedure kun hvis absolut nødvendigt, efter aftale med toldstedet"),
    "not_allowed": ("fallback not allowed", "nødprocedure ikke tilladt"),
}
WORK_ORDER = re.compile(r"^(?:WO|INC|CRQ|PBI)\d{6,15}$")
TITLE_MAX, BODY_MAX, NOTE_MAX = 300, 20_000, 2_000


@dataclass(frozen=True, slots=True)
class Effect:
    """What a message says of one channel; `systems` empty: of every system the message concerns."""

    channel: str
    state: str
    systems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Message:
    """An operational message as it stands (its earlier versions are kept in its history)."""

    systems: tuple[str, ...]
    environments: tuple[str, ...]
    kind: str
    title: str
    body: str
    created: datetime
    updated: datetime
    work_order: str = ""
    window_start: datetime | None = None
    window_end: datetime | None = None
    recurrence: str | None = None
    effects: tuple[Effect, ...] = ()
    fallback: str | None = None
    status: str = OPEN
    ended_at: datetime | None = None
    id: int | None = None
    version: int = 0
    source_key: str | None = None  # where an imported message came from (importer.identity)

    @property
    def has_window(self) -> bool:
        return self.window_start is not None and self.window_end is not None


# The fields a message's content consists of: what a history entry records and an update may change.
CONTENT_FIELDS = ("systems", "environments", "kind", "title", "body", "work_order", "window_start", "window_end",
                  "recurrence", "effects", "fallback", "status", "ended_at")


@dataclass(frozen=True, slots=True)
class Change:
    """An officer's act on a message, as the history records it."""

    action: str  # created | updated | extended | ended | withdrawn | imported | reimported
    at: datetime
    by: str
    note: str = ""
    changed: tuple[str, ...] = field(default=())


# --- rules of a message ----------------------------------------------------------------------------------------

def check_systems(systems: tuple[str, ...]) -> list[Problem]:
    """A message concerns at least one system, each one the board knows (SPEC O: the systems it concerns)."""
    if not systems:
        return [problem("ops.systems_missing", "systems", "name at least one system the message concerns",
                        "angiv mindst ét system, meddelelsen vedrører")]
    return [problem("ops.system_unknown", f"systems/{i}", f"{code!r} is not a system the board knows; "
                    f"known: {', '.join(SYSTEMS)}", f"{code!r} er ikke et kendt system")
            for i, code in enumerate(systems) if code not in SYSTEMS]


def check_environments(environments: tuple[str, ...]) -> list[Problem]:
    """A message is for production (PRD), test (TFE) or both (SPEC O: environment)."""
    if not environments or any(e not in ENVIRONMENTS for e in environments):
        return [problem("ops.environment", "environment", "the environment is PRD, TFE or both",
                        "miljøet er PRD, TFE eller begge")]
    return []


def check_kind(kind: str) -> list[Problem]:
    """A message is a planned service window, a current disruption, back to normal or information (SPEC O: kinds)."""
    if kind not in KINDS:
        return [problem("ops.kind", "kind", f"kind is one of {', '.join(KINDS)}", f"art er en af {', '.join(KINDS)}")]
    return []


def check_text(title: str, body: str) -> list[Problem]:
    """A message has a title; title and body are of a length a page can show (SPEC O: title, body)."""
    found = []
    if not title.strip():
        found.append(problem("ops.title_missing", "title", "a message needs a title", "en meddelelse skal have en titel"))
    if len(title) > TITLE_MAX:
        found.append(problem("ops.title_long", "title", f"the title is at most {TITLE_MAX} characters",
                             f"titlen er højst {TITLE_MAX} tegn"))
    if len(body) > BODY_MAX:
        found.append(problem("ops.body_long", "body", f"the body is at most {BODY_MAX} characters",
                             f"teksten er højst {BODY_MAX} tegn"))
    return found


def check_work_order(work_order: str) -> list[Problem]:
    """A work-order number is the agency's change or incident number, e.g. WO0000001522444 or INC000001772158."""
    if work_order and not WORK_ORDER.match(work_order):
        return [problem("ops.work_order", "work_order", "a work-order number is WO, INC, CRQ or PBI and digits, e.g. "
                        "WO0000001522444", "et arbejdsordrenummer er WO, INC, CRQ eller PBI og cifre")]
    return []


def check_window(start: datetime | None, end: datetime | None, recurrence: str | None) -> list[Problem]:
    """A window has a start and an end, the end after the start; only a window can recur (SPEC O: windows)."""
    if (start is None) != (end is None):
        return [problem("ops.window_half", "window_end" if end is None else "window_start",
                        "a window needs both its start and its end", "et vindue skal have både start og slut")]
    if start is not None and end is not None and end <= start:
        return [problem("ops.window_order", "window_end", "the window must end after it starts",
                        "vinduet skal slutte efter det begynder")]
    if recurrence and start is None:
        return [problem("ops.recurrence_without_window", "recurrence", "a recurring window needs its first "
                        "occurrence's start and end", "et gentaget vindue skal have første forekomsts start og slut")]
    return []


EARLIEST, LATEST = 2000, 2100  # the years a board's times fall in


def check_instant(at: datetime | None, pointer: str) -> list[Problem]:
    """A time on the board lies between the years 2000 and 2100 (outside, it is a typing error)."""
    if at is not None and not EARLIEST <= at.year <= LATEST:
        return [problem("ops.time_range", pointer, f"a time on the board lies in the years {EARLIEST}–{LATEST}",
                        f"et tidspunkt på tavlen ligger i årene {EARLIEST}–{LATEST}")]
    return []


def check_effects(effects: tuple[Effect, ...]) -> list[Problem]:
    """Each effect names a channel and what happens on it (SPEC O: effect per channel)."""
    found = []
    for i, effect in enumerate(effects):
        if effect.channel not in EFFECT_STATES:
            found.append(problem("ops.effect_channel", f"effects/{i}/channel", f"the channel is one of "
                                 f"{', '.join(EFFECT_STATES)}", f"kanalen er en af {', '.join(EFFECT_STATES)}"))
        elif effect.state not in EFFECT_STATES[effect.channel]:
            states = ", ".join(EFFECT_STATES[effect.channel])
            found.append(problem("ops.effect_state", f"effects/{i}/state", f"{effect.channel} is {states}",
                                 f"{effect.channel} er {states}"))
        found += [problem("ops.system_unknown", f"effects/{i}/systems/{j}", f"{code!r} is not a system the board "
                          "knows", f"{code!r} er ikke et kendt system")
                  for j, code in enumerate(effect.systems) if code not in SYSTEMS]
    return found


def check_fallback(fallback: str | None) -> list[Problem]:
    """Whether fallback is allowed within the window: allowed, on request, not allowed, or not said (SPEC F)."""
    if fallback is not None and fallback not in FALLBACK:
        return [problem("ops.fallback", "fallback", f"fallback is one of {', '.join(FALLBACK)} (or left out)",
                        f"nødprocedure er en af {', '.join(FALLBACK)}")]
    return []


def check_message(message: Message) -> list[Problem]:
    """Every rule a message as a whole keeps."""
    return (check_systems(message.systems) + check_environments(message.environments) + check_kind(message.kind)
            + check_text(message.title, message.body) + check_work_order(message.work_order)
            + check_window(message.window_start, message.window_end, message.recurrence)
            + check_recurrence(message.recurrence) + check_effects(message.effects) + check_fallback(message.fallback))


def check_note_for_past_window(message: Message, last_end: datetime | None, note: str, now: datetime) -> list[Problem]:
    """A window that has passed is history: it is changed only with a note saying why (SPEC O: updates are kept)."""
    if last_end is not None and last_end <= now and not note.strip():
        return [problem("ops.past_window_note", "note", "this window has passed; changing it needs a note saying why",
                        "vinduet er overstået; en ændring kræver en note om hvorfor")]
    if len(note) > NOTE_MAX:
        return [problem("ops.note_long", "note", f"a note is at most {NOTE_MAX} characters",
                        f"en note er højst {NOTE_MAX} tegn")]
    return []


def check_extension(message: Message, until: datetime) -> list[Problem]:
    """Extending moves a window's end later (an earlier end is `end`, a new time is an update)."""
    if not message.has_window:
        return [problem("ops.extend_without_window", "until", "only a message with a window can be extended; give it "
                        "a window by an update", "kun en meddelelse med et vindue kan forlænges")]
    if message.status != OPEN:
        return [problem("ops.not_open", "status", f"the message is {message.status}; only an open one is extended",
                        f"meddelelsen er {message.status}; kun en åben forlænges")]
    if until <= message.window_end:
        return [problem("ops.extend_earlier", "until", "an extension ends the window later than it ends now",
                        "en forlængelse slutter vinduet senere end nu")]
    return []


def check_end(message: Message, at: datetime) -> list[Problem]:
    """A window or disruption ends after it began; one that has not begun is withdrawn instead."""
    began = message.window_start if message.has_window else message.created
    if at < began:
        return [problem("ops.end_before_start", "at", "it cannot end before it began; withdraw a window that has "
                        "not begun", "den kan ikke slutte før den begyndte; træk et vindue tilbage, der ikke er begyndt")]
    if message.status != OPEN:
        return [problem("ops.not_open", "status", f"the message is {message.status} already",
                        f"meddelelsen er allerede {message.status}")]
    return []


def ended(message: Message, at: datetime) -> Message:
    """The message once it ended at `at`: a disruption is back to normal, a window closes at `at` if earlier."""
    kind = BACK_TO_NORMAL if message.kind == DISRUPTION else message.kind
    end = message.window_end
    if message.has_window and not message.recurrence and at < message.window_end:
        end = at
    return replace(message, kind=kind, window_end=end, status=ENDED, ended_at=at)


def changed_fields(before: Message, after: Message) -> tuple[str, ...]:
    """The content fields that differ between two versions of a message."""
    return tuple(name for name in CONTENT_FIELDS if getattr(before, name) != getattr(after, name))
