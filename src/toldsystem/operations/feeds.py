"""The board to follow (SPEC O): its messages as an RSS and an Atom feed (feedgen), and its windows as an
iCalendar a calendar program subscribes to (icalendar). Each message is one feed entry, newest update first,
whose id stays the same as the message changes; each window one event whose UID stays and whose SEQUENCE is the
message's version, so a subscribed calendar moves or cancels it. Pure: the messages are given."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, vRecur

from toldsystem.core.clock import local
from toldsystem.operations.rules import WITHDRAWN, Message
from toldsystem.operations.systems import SYSTEMS
from toldsystem.operations.texts import kind_text, text

FEED_ENTRIES = 50  # the newest messages a feed carries
PRODUCT = "-//toldsystem//operations board//EN"


def _when(at: datetime | None, language: str) -> str:
    return "" if at is None else local(at).strftime("%d-%m-%Y %H:%M" if language == "da" else "%Y-%m-%d %H:%M")


def entry_id(base_url: str, message: Message) -> str:
    return f"{base_url}status#message-{message.id}"


def summary(message: Message, language: str) -> str:
    """What a feed entry says besides the title: the kind, the systems, the window and the work order, then the
    message's own text."""
    names = ", ".join(SYSTEMS[code].page_name for code in message.systems)
    lines = [f"{kind_text(message.kind, language)} — {names}"]
    if message.window_start is not None:
        lines.append(f"{text('window', language)}: {_when(message.window_start, language)} – "
                     f"{_when(message.window_end, language)}")
    if message.work_order:
        lines.append(f"{text('work_order', language)}: {message.work_order}")
    if message.status == WITHDRAWN:
        lines.append(text("withdrawn", language))
    return "\n".join(lines + ["", message.body])


def _feed(messages: Sequence[Message], base_url: str, language: str, system: str | None,
          self_url: str) -> FeedGenerator:
    feed = FeedGenerator()
    title = (text("feed_title_system", language, system=SYSTEMS[system].page_name) if system
             else text("feed_title", language))
    feed.id(self_url)
    feed.title(title)
    feed.subtitle(text("intro", language))
    feed.link(href=f"{base_url}status" + (f"?system={system}" if system else ""), rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.language(language)
    newest = max((m.updated for m in messages), default=datetime(2000, 1, 1, tzinfo=timezone.utc))
    feed.updated(newest)
    feed.lastBuildDate(newest)
    for message in reversed(list(messages)[:FEED_ENTRIES]):  # feedgen puts the last added first
        entry = feed.add_entry()
        entry.id(entry_id(base_url, message))
        entry.title(message.title)
        entry.link(href=entry_id(base_url, message))
        entry.updated(message.updated)
        entry.published(message.created)
        entry.description(summary(message, language))
        for code in message.systems:
            entry.category(term=SYSTEMS[code].page_name)
    return feed


def rss(messages: Sequence[Message], base_url: str, language: str, system: str | None, self_url: str) -> bytes:
    """RSS 2.0 of the messages (newest update first, as given)."""
    return _feed(messages, base_url, language, system, self_url).rss_str(pretty=True)


def atom(messages: Sequence[Message], base_url: str, language: str, system: str | None, self_url: str) -> bytes:
    """Atom 1.0 of the messages (newest update first, as given)."""
    return _feed(messages, base_url, language, system, self_url).atom_str(pretty=True)


def calendar(messages: Sequence[Message], base_url: str, language: str, system: str | None) -> bytes:
    """An iCalendar of the messages' windows: one event per message with a window (a recurring window as one
    event with its RRULE, in Danish wall-clock time), a withdrawn one CANCELLED, an ended one cut at its end."""
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", text("calendar_title", language, system=SYSTEMS[system].page_name) if system
            else text("calendar_title_all", language))
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    for message in messages:
        if message.has_window:
            cal.add_component(_event(message, base_url, language))
    cal.add_missing_timezones()
    return cal.to_ical()


def _event(message: Message, base_url: str, language: str) -> Event:
    event = Event()
    event.add("uid", f"operations-message-{message.id}@toldsystem")
    event.add("sequence", message.version)
    event.add("dtstamp", message.updated)
    event.add("created", message.created)
    event.add("last-modified", message.updated)
    event.add("summary", message.title)
    event.add("description", summary(message, language))
    event.add("url", entry_id(base_url, message))
    event.add("categories", [SYSTEMS[code].page_name for code in message.systems])
    end = message.window_end
    if message.recurrence:
        event.add("dtstart", local(message.window_start))
        event.add("dtend", local(message.window_end))
        rule = vRecur.from_ical(message.recurrence)
        if message.ended_at is not None:
            rule["UNTIL"] = message.ended_at
        event.add("rrule", rule)
    else:
        if message.ended_at is not None and message.ended_at < end:
            end = max(message.ended_at, message.window_start)
        event.add("dtstart", message.window_start)
        event.add("dtend", end)
    event.add("status", "CANCELLED" if message.status == WITHDRAWN else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


__all__ = ["FEED_ENTRIES", "atom", "calendar", "entry_id", "rss", "summary"]
