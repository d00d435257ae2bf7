"""The status page's own words in Danish and English, and which of the two a reader gets (SPEC O: the board is
read in both). The messages themselves are shown as published; the kinds, systems and groups have their names
in both languages where they are defined (rules.KINDS, systems.SYSTEMS, systems.GROUPS). Pure."""

from __future__ import annotations

import re

from toldsystem.operations.rules import KINDS

LANGUAGES = ("da", "en")
DEFAULT = "da"

# key: (Danish, English)
TEXTS: dict[str, tuple[str, str]] = {
    "site": ("Toldsystem", "Toldsystem"),
    "page_title": ("Driftsstatus og driftsmeddelelser", "Operational status and messages"),
    "intro": ("Servicevinduer og driftsforstyrrelser i toldsystemerne. Det, der står her, gælder for kanalerne: "
              "et system, der er lukket her, afviser eller sætter filer i kø.",
              "Service windows and disruptions in the customs systems. What is said here governs the channels: "
              "a system closed here rejects or queues files."),
    "skip": ("Spring til indholdet", "Skip to content"),
    "language": ("Sprog", "Language"),
    "status_now": ("Status nu", "Status now"),
    "current": ("Aktuelle driftsforstyrrelser og servicevinduer", "Current disruptions and service windows"),
    "upcoming": ("Kommende servicevinduer", "Upcoming service windows"),
    "history": ("Historik", "History"),
    "past_disruption": ("Driftsforstyrrelse", "Disruption"),  # one in the history is no longer current
    "none_current": ("Ingen aktuelle driftsforstyrrelser.", "No current disruptions."),
    "none_upcoming": ("Ingen planlagte servicevinduer.", "No planned service windows."),
    "none_history": ("Ingen tidligere meddelelser.", "No earlier messages."),
    "filter": ("Vis", "Show"),
    "system": ("System", "System"),
    "all_systems": ("Alle systemer", "All systems"),
    "environment": ("Miljø", "Environment"),
    "all_environments": ("Alle miljøer", "All environments"),
    "apply": ("Vis", "Show"),
    "window": ("Vindue", "Window"),
    "recurs": ("Gentages", "Recurs"),
    "work_order": ("Arbejdsordre", "Work order"),
    "created": ("Oprettet", "Created"),
    "updated": ("Opdateret", "Updated"),
    "ended": ("Afsluttet", "Ended"),
    "withdrawn": ("Aflyst", "Withdrawn"),
    "effects": ("Betydning", "Effect"),
    "fallback": ("Nødprocedure", "Fallback"),
    "updates": ("Opdateringer", "Updates"),
    "by": ("af", "by"),
    "showing": ("Viser de {shown} nyeste af {total}.", "Showing the {shown} newest of {total}."),
    "show_all": ("Vis alle", "Show all"),
    "availability": ("Tilgængelighed {year}", "Availability {year}"),
    "chart_caption": ("Timer pr. måned i planlagte servicevinduer og i driftsforstyrrelser ({environment}), lagt "
                      "sammen over de viste systemer.",
                      "Hours per month inside planned service windows and inside disruptions ({environment}), "
                      "added up over the systems shown."),
    "planned_hours": ("Planlagte servicevinduer (timer)", "Planned service windows (hours)"),
    "disruption_hours": ("Driftsforstyrrelser (timer)", "Disruptions (hours)"),
    "month": ("Måned", "Month"),
    "chart_table": ("Tallene bag figuren", "The figures behind the chart"),
    "follow": ("Følg med", "Follow"),
    "feed_rss": ("RSS", "RSS"),
    "feed_atom": ("Atom", "Atom"),
    "calendar": ("Kalender (iCalendar)", "Calendar (iCalendar)"),
    "api": ("JSON-API", "JSON API"),
    "feed_title": ("Driftsmeddelelser — toldsystem", "Operational messages — toldsystem"),
    "feed_title_system": ("Driftsmeddelelser for {system} — toldsystem",
                          "Operational messages for {system} — toldsystem"),
    "calendar_title": ("Servicevinduer — {system}", "Service windows — {system}"),
    "calendar_title_all": ("Servicevinduer — toldsystem", "Service windows — toldsystem"),
    # availability states (availability.py) and channel effects (rules.py)
    "state.available": ("Tilgængelig", "Available"),
    "state.degraded": ("Nedsat drift", "Degraded service"),
    "state.queued": ("Filer sættes i kø", "Files are queued"),
    "state.rejected": ("Ikke tilgængelig", "Unavailable"),
    "channel.file": ("Filadgang (S2S)", "File access (S2S)"),
    "channel.online": ("Online adgang", "Online access"),
    "channel.sign_in": ("Log-in", "Sign-in"),
    "channel.response_times": ("Svartider", "Response times"),
    "effect.rejected": ("afvises", "rejected"),
    "effect.queued": ("behandles når vinduet er slut", "processed when the window has ended"),
    "effect.not_affected": ("ikke berørt", "not affected"),
    "effect.unavailable": ("ikke tilgængelig", "unavailable"),
    "effect.available": ("tilgængelig", "available"),
    "effect.extended": ("forlængede", "extended"),
    "fallback.allowed": ("tilladt i vinduet", "allowed within the window"),
    "fallback.on_request": ("kun efter aftale med toldstedet", "only with the customs office's leave"),
    "fallback.not_allowed": ("ikke tilladt", "not allowed"),
    "action.created": ("oprettet", "created"),
    "action.updated": ("opdateret", "updated"),
    "action.extended": ("forlænget", "extended"),
    "action.ended": ("afsluttet", "ended"),
    "action.withdrawn": ("aflyst", "withdrawn"),
    "action.imported": ("indlæst", "imported"),
    "action.reimported": ("indlæst igen", "imported again"),
}

MONTHS = {"da": ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}


def text(key: str, language: str, **values) -> str:
    """The text `key` in `language`, with its {placeholders} filled in."""
    found = TEXTS[key][LANGUAGES.index(language)]
    return found.format(**values) if values else found


def kind_text(kind: str, language: str) -> str:
    """A kind of message as the page names it (rules.KINDS gives English, then Danish)."""
    english, danish = KINDS[kind]
    return danish if language == "da" else english


def choose(asked: str | None, accept_language: str | None) -> str:
    """The reader's language: `?lang=` if it names one of ours, else the first of ours the browser's
    Accept-Language admits (by its q-values), else Danish."""
    if asked in LANGUAGES:
        return asked
    ranked = []
    for position, entry in enumerate((accept_language or "").split(",")):
        tag, _, parameters = entry.strip().partition(";")
        quality = re.search(r"q\s*=\s*([0-9.]+)", parameters)
        try:
            weight = float(quality.group(1)) if quality else 1.0
        except ValueError:
            continue
        primary = tag.strip().lower().split("-")[0]
        if weight > 0 and (primary in LANGUAGES or primary == "*"):
            ranked.append((-weight, position, DEFAULT if primary == "*" else primary))
    return min(ranked)[2] if ranked else DEFAULT


__all__ = ["DEFAULT", "LANGUAGES", "MONTHS", "TEXTS", "choose", "kind_text", "text"]
