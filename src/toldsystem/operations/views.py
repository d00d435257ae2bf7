"""A message as JSON, the same for the API, `told ops list --json` and whatever reads them (the status page, the
feeds): times in ISO 8601 with the Danish offset, systems both as the page names them and by code, and the
channel effects both in summary (one field per channel) and in full (per system). Pure."""

from __future__ import annotations

from datetime import datetime

from toldsystem.operations.rules import FILE, KINDS, ONLINE, RESPONSE_TIMES, SIGN_IN, Effect, Message
from toldsystem.operations.systems import SYSTEMS
from toldsystem.core.clock import local

# The most severe first, for the per-channel summary.
_ORDER = {FILE: ("rejected", "queued", "not_affected"), ONLINE: ("unavailable", "available"),
          SIGN_IN: ("unavailable",), RESPONSE_TIMES: ("extended",)}


def iso(at: datetime | None) -> str | None:
    """An instant as Danish local time with its offset, e.g. 2026-05-20T12:00:00+02:00."""
    return None if at is None else local(at).isoformat()


def environment_text(environments: tuple[str, ...]) -> str:
    """PRD, TFE, or PRD/TFE for a message that concerns both."""
    return "/".join(e for e in ("PRD", "TFE") if e in environments)


def channel_summary(effects: tuple[Effect, ...], channel: str) -> str | None:
    """The most severe thing the message says of a channel, for any of its systems (None: it says nothing)."""
    said = {e.state for e in effects if e.channel == channel}
    return next((state for state in _ORDER[channel] if state in said), None)


def effect_out(effect: Effect) -> dict:
    return {"channel": effect.channel, "state": effect.state, "systems": list(effect.systems)}


def message_out(message: Message) -> dict:
    """The message as the API and `told ops list --json` give it."""
    return {
        "id": message.id,
        "categories": [SYSTEMS[code].page_name for code in message.systems],
        "systems": list(message.systems),
        "environment": environment_text(message.environments),
        "environments": list(message.environments),
        "kind": message.kind,
        "kind_text": KINDS[message.kind][0],
        "status": message.status,
        "title": message.title,
        "updated": iso(message.updated),
        "created": iso(message.created),
        "work_order": message.work_order or None,
        "body": message.body,
        "window_start": iso(message.window_start),
        "window_end": iso(message.window_end),
        "recurrence": message.recurrence,
        "file_access": channel_summary(message.effects, FILE),
        "online_access": channel_summary(message.effects, ONLINE),
        "sign_in": channel_summary(message.effects, SIGN_IN),
        "extended_response_times": channel_summary(message.effects, RESPONSE_TIMES) is not None,
        "effects": [effect_out(e) for e in message.effects],
        "fallback": message.fallback,
        "fallback_allowed": message.fallback == "allowed",
        "ended_at": iso(message.ended_at),
        "version": message.version,
    }


def content(message: Message) -> dict:
    """The message's content as a history entry keeps it (UTC, codes only)."""
    def utc(at: datetime | None) -> str | None:
        return None if at is None else at.isoformat()

    return {"systems": list(message.systems), "environments": list(message.environments), "kind": message.kind,
            "title": message.title, "body": message.body, "work_order": message.work_order,
            "window_start": utc(message.window_start), "window_end": utc(message.window_end),
            "recurrence": message.recurrence, "effects": [effect_out(e) for e in message.effects],
            "fallback": message.fallback, "status": message.status, "ended_at": utc(message.ended_at),
            "updated": utc(message.updated)}


def availability_out(answer) -> dict:
    """An availability answer as JSON (service.availability)."""
    message = answer.message
    return {"system": answer.system, "environment": answer.environment, "channel": answer.channel,
            "state": answer.state, "until": iso(answer.until),
            "message": None if message is None else {"id": message.id, "title": message.title,
                                                     "work_order": message.work_order or None,
                                                     "kind": message.kind, "fallback": message.fallback}}


__all__ = ["availability_out", "channel_summary", "content", "environment_text", "iso", "message_out"]
