"""The board's answer to every channel (SPEC O "the board governs the channels"): for a system, an environment,
a channel and an instant — available, rejected, queued or degraded, and the message behind it. Pure.

`Board` is built once from the messages (the service keeps one per process and builds it again when a message
changes); asking it is a dictionary lookup and a scan of the few periods announced for that system, so every
submission can afford it.

Channels asked: `file` — system-to-system access (the file gateway and the HTTP API's message intake);
`online` — the online portal; `sign_in` — signing in. What a message says of a channel becomes:

    file rejected → rejected; file queued → queued; online unavailable → rejected (online);
    sign-in unavailable → rejected (sign_in); extended response times → degraded (file and online).

When several messages govern at once, the most severe answer wins (rejected, queued, degraded, available).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

from toldsystem.operations import periods as spans
from toldsystem.operations.rules import (DISRUPTION, FILE, ONLINE, OPEN, RESPONSE_TIMES, SIGN_IN, Message)
from toldsystem.operations.systems import GROUPS, SYSTEMS
from toldsystem.operations.windows import OPEN_END

AVAILABLE, DEGRADED, QUEUED, REJECTED = "available", "degraded", "queued", "rejected"
SEVERITY = {AVAILABLE: 0, DEGRADED: 1, QUEUED: 2, REJECTED: 3}
CHANNELS = (FILE, ONLINE, SIGN_IN)
UMBRELLA = {"tfe": "TFE"}
_EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)  # a category that stands for every system in its environment ("TFE (testsystems)")

# (channel an effect names, its state) -> what each asked channel gets
_ANSWERS: dict[tuple[str, str], dict[str, str]] = {
    (FILE, "rejected"): {FILE: REJECTED},
    (FILE, "queued"): {FILE: QUEUED},
    (ONLINE, "unavailable"): {ONLINE: REJECTED},
    (SIGN_IN, "unavailable"): {SIGN_IN: REJECTED},
    (RESPONSE_TIMES, "extended"): {FILE: DEGRADED, ONLINE: DEGRADED},
}


@dataclass(frozen=True, slots=True)
class Availability:
    """The board's answer: the state, and the message behind it (None when available)."""

    state: str
    system: str
    environment: str
    channel: str
    message: Message | None = None
    until: datetime | None = None  # when the governing period ends (None: not announced)

    @property
    def available(self) -> bool:
        return self.state == AVAILABLE


@dataclass(frozen=True, slots=True)
class _Governs:
    """One message's hold on one system in one environment: the channels it answers for, and when."""

    message: Message
    answers: dict[str, str]  # channel -> state
    disruption: bool  # an open disruption (rolls the system up as degraded even when it names no channel)


def answers_for(message: Message, system: str, environment: str) -> dict[str, str]:
    """What the message answers each channel of `system` in `environment` (empty: it does not govern them)."""
    found: dict[str, str] = {}
    for effect in message.effects:
        if not _names(message, effect.systems, system, environment):
            continue
        for channel, state in _ANSWERS.get((effect.channel, effect.state), {}).items():
            if SEVERITY[state] > SEVERITY.get(found.get(channel, AVAILABLE), 0):
                found[channel] = state
    return found


def _names(message: Message, effect_systems: tuple[str, ...], system: str, environment: str) -> bool:
    named = effect_systems or message.systems
    return system in named or any(UMBRELLA.get(code) == environment for code in named)


def governed_systems(message: Message) -> set[str]:
    """Every system the message can govern: its own, those its effects name, or all in an umbrella's environment."""
    named = set(message.systems)
    for effect in message.effects:
        named.update(effect.systems)
    if any(code in UMBRELLA for code in named):
        named.update(SYSTEMS)
    return named


class Board:
    """The messages as the channels see them, indexed by (system, environment)."""

    def __init__(self, messages: Iterable[Message]):
        self._index: dict[tuple[str, str], list[_Governs]] = {}
        # per (system, environment): the single-period holds sorted by their end (a bisect finds those still
        # running at an instant: for "now", only the current and upcoming few), and the recurring ones
        self._by_end: dict[tuple[str, str], tuple[list[datetime], list[tuple[datetime, _Governs]]]] = {}
        self._recurring: dict[tuple[str, str], list[_Governs]] = {}
        self._available: dict[tuple[str, str, str], Availability] = {}
        self.messages = tuple(messages)
        for message in self.messages:
            if message.status == "withdrawn":
                continue
            for system in governed_systems(message):
                for environment in message.environments:
                    answers = answers_for(message, system, environment)
                    disruption = (message.kind == DISRUPTION and message.status == OPEN
                                  and (system in message.systems or _names(message, (), system, environment)))
                    if answers or disruption:
                        self._index.setdefault((system, environment), []).append(
                            _Governs(message, answers, disruption))
        for key, held in self._index.items():
            spans_by_end = []
            for governs in held:
                if not governs.answers:
                    continue
                if governs.message.has_window and governs.message.recurrence:
                    self._recurring.setdefault(key, []).append(governs)
                    continue
                for start, end in spans.periods(governs.message, _EARLIEST, OPEN_END):
                    spans_by_end.append((end, start, governs))
            spans_by_end.sort(key=lambda item: item[0])
            self._by_end[key] = ([end for end, _s, _g in spans_by_end],
                                 [(start, governs) for _e, start, governs in spans_by_end])

    def availability(self, system: str, environment: str, channel: str, at: datetime) -> Availability:
        """The answer for one channel of one system at `at` (see the module's docstring)."""
        key = (system, environment)
        worst: tuple[int, str, _Governs, datetime] | None = None
        indexed = self._by_end.get(key)
        if indexed is not None:
            ends, held = indexed
            for i in range(bisect_right(ends, at), len(ends)):
                start, governs = held[i]
                state = governs.answers.get(channel)
                if state is not None and start <= at and (worst is None or SEVERITY[state] > worst[0]):
                    worst = (SEVERITY[state], state, governs, ends[i])
        for governs in self._recurring.get(key, ()):
            state = governs.answers.get(channel)
            if state is None or (worst is not None and SEVERITY[state] <= worst[0]):
                continue
            period = spans.period_at(governs.message, at)
            if period is not None:
                worst = (SEVERITY[state], state, governs, period[1])
        if worst is not None:
            _severity, state, governs, end = worst
            return Availability(state, system, environment, channel, governs.message,
                                None if end >= OPEN_END else end)
        found = self._available.get((system, environment, channel))
        if found is None:
            found = self._available[(system, environment, channel)] = Availability(AVAILABLE, system, environment,
                                                                                  channel)
        return found

    def status(self, system: str, environment: str, at: datetime) -> tuple[str, tuple[Message, ...]]:
        """A system's state at `at` for the status page — the most severe of its channels, at least degraded during
        an open disruption — and the messages that make it so."""
        state, behind = AVAILABLE, []
        for governs in self._index.get((system, environment), ()):
            if spans.period_at(governs.message, at) is None:
                continue
            worst = max((SEVERITY[s] for s in governs.answers.values()), default=0)
            if governs.disruption:
                worst = max(worst, SEVERITY[DEGRADED])
            if worst:
                behind.append(governs.message)
                if worst > SEVERITY[state]:
                    state = next(s for s, rank in SEVERITY.items() if rank == worst)
        return state, tuple(behind)

    def rollup(self, environment: str, at: datetime) -> dict[str, dict]:
        """Per group of systems: its state (the most severe of its systems'), each system's, and the messages."""
        groups: dict[str, dict] = {}
        for code, known in SYSTEMS.items():
            state, behind = self.status(code, environment, at)
            group = groups.setdefault(known.group, {"state": AVAILABLE, "systems": {}, "messages": set()})
            group["systems"][code] = state
            group["messages"].update(m.id for m in behind)
            if SEVERITY[state] > SEVERITY[group["state"]]:
                group["state"] = state
        return {code: groups[code] for code in GROUPS if code in groups}
