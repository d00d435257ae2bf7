"""What a message's body says of the channels and of fallback (seed 001's phrasing, SPEC O and F). Pure.

The body is read line by line. A line that only names systems ("DMS Import/DMS Export/DMS Forsendelse",
"Import/Manifest", "TFE AS4GW") begins a section about them; "File access:", "S2S (file) access." and
"Online access." begin a channel's part; each sentence then says what happens to whom:

    Files sent to X will fail/be rejected        file rejected, for X
    File access (to X) will be unavailable       file rejected
    Files sent to X will be processed when the service window has passed     file queued
    S2S (file) is not affected                   file not affected
    The online system(s) for X will be unavailable / Online access … unavailable     online unavailable
    Online access (for X) will be available      online available
    Sign in to X will not be possible            sign-in unavailable, for X
    Extended/long response times …               extended response times
    Unavailable (a line of its own)              file rejected and online unavailable, for the section
    X will be unavailable on …                   file rejected and online unavailable, for X

X, where named, gives the systems; else the section's; else the message's own. A bullet under a channel's
heading that says none of these is reported (`Reading.unread`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toldsystem.operations.rules import FILE, ONLINE, RESPONSE_TIMES, SIGN_IN, Effect
from toldsystem.operations.systems import only_systems, systems_named

_I = re.IGNORECASE
_CHANNEL_HEADING = {
    FILE: re.compile(r"^(?:file|s2s)\s*(?:\((?:s2s|file)\)\s*)?(?:access|transfer)?\s*(?:\((?:s2s|file)\))?\s*[.:,]?$", _I),
    ONLINE: re.compile(r"^online\s+access\s*[.:,]?$", _I),
}
_S = r"(?P<s>[^.;:]+?)"
_S2 = r"(?P<s2>[^.;:]+?)"
# (pattern, [(channel, state)]) in the order tried: the first that matches a sentence says what it means.
_SENTENCES: list[tuple[re.Pattern, list[tuple[str, str]]]] = [(re.compile(p, _I), e) for p, e in (
    (rf"files?\s+(?:sent\s+)?(?:to\s+{_S}\s+)?will\s+be\s+processed\s+when\s+the\s+service\s*window\s+has\s+passed",
     [(FILE, "queued")]),
    (rf"files?\s+sent\s+(?:in\s+)?(?:to\s+{_S}\s+)?(?:will|may)\s+(?:fail|be\s+rejected)", [(FILE, "rejected")]),
    (rf"file\s+access\s+(?:to\s+{_S}\s+)?will\s+be\s+(?:unavailable|closed)", [(FILE, "rejected")]),
    (rf"{_S}\s+(?:is|are)\s+(?:currently\s+)?not\s+available\s+for\s+file\s+transfers?", [(FILE, "rejected")]),
    (rf"file\s+access\s+(?:to\s+{_S}\s+)?will\s+be\s+available", [(FILE, "not_affected")]),
    (r"(?:file|s2s)(?:\s*\((?:s2s|file)\))?(?:\s+access|\s+transfer)?\s+(?:is|are)\s+(?:currently\s+)?not\s+affected"
     r"|system[- ]to[- ]system\s+should\s+not\s+be\s+affected|file\s+transfer\s*/\s*s2s\s+doesn'?t\s+seem\s+to\s+be\s+"
     r"affected", [(FILE, "not_affected")]),
    (rf"(?:the\s+)?online\s+systems?\s+(?:for\s+{_S}\s+)?will\s+be\s+unavailable"
     rf"|online\s+access\s+(?:for\s+{_S2}\s+)?will\s+be\s+unavailable", [(ONLINE, "unavailable")]),
    (rf"online\s+access\s+(?:for\s+{_S}\s+)?will\s+be\s+available|the\s+online\s+solutions?\s+in\s+{_S2}\s+(?:is|are)"
     r"\s+available", [(ONLINE, "available")]),
    (rf"(?:sign|log)[- ]?in\s+to\s+{_S}\s+will\s+not\s+be\s+possible", [(SIGN_IN, "unavailable")]),
    (r"^(?:unavailable|unavailability)\.?$", [(FILE, "rejected"), (ONLINE, "unavailable")]),
    (r"(?:extended|long|longer|increased)(?:\s*/\s*no)?\s+response[ -]?times?|delays?\s+in\s+(?:\w+\s+)?responses",
     [(RESPONSE_TIMES, "extended")]),
    (rf"^(?:{_S}\s+)will\s+be\s+unavailable\b", [(FILE, "rejected"), (ONLINE, "unavailable")]),
)]
_BULLET = re.compile(r"^\s*(?:[•·*▪◦]|-(?!-))\s*")

_FALLBACK = r"(?:fall[- ]?back|emergency|nød)[- ]?procedur\w*"
_NO_LONGER = re.compile(rf"{_FALLBACK}.{{0,60}}\bno\s+longer\b|\bno\s+longer\b.{{0,40}}{_FALLBACK}", _I)
_NOT_ALLOWED = re.compile(rf"{_FALLBACK}.{{0,40}}\bnot\s+(?:be\s+)?(?:allowed|permitted)|\bno\s+general\s+use\s+of\s+"
                          rf"{_FALLBACK}", _I)
_ALLOWED = re.compile(rf"{_FALLBACK}.{{0,60}}\b(?:allowed|permitted|granted|authori[sz]ed)\b|{_FALLBACK}\s+can\s+be\s+used"
                      rf"|(?:permission|authori[sz]ation)\b.{{0,40}}\b(?:granted|allowed)\b.{{0,30}}{_FALLBACK}"
                      rf"|(?:permission|authori[sz]ation)\b.{{0,20}}{_FALLBACK}.{{0,40}}\b(?:granted|allowed)\b", _I)
_ON_REQUEST = re.compile(rf"only\s+use\s+the\s+{_FALLBACK}.{{0,80}}absolutely\s+necessary|{_FALLBACK}.{{0,80}}contact\s+"
                         r"the\s+(?:relevant\s+)?customs\s+office", _I)
_CANCELLED_FOR = re.compile(rf"^{_S}\s+(?:is|are)\s+cancell?ed\s+from\s+the\b", _I)


@dataclass
class Reading:
    """What a body says of the channels, of fallback, which systems are cancelled from it, and what was not read."""

    effects: list[Effect] = field(default_factory=list)
    fallback: str | None = None
    cancelled_for: set[str] = field(default_factory=set)
    unread: list[str] = field(default_factory=list)


def section_systems(line: str) -> tuple[str, ...]:
    """The systems a line names when it consists of nothing but system names (a section heading)."""
    return () if _BULLET.match(line) else only_systems(line)


def _sentence_effects(sentence: str, section: tuple[str, ...]) -> list[Effect] | None:
    """The effects a sentence states ([] if it names only systems this board does not know), or None."""
    for pattern, meaning in _SENTENCES:
        match = pattern.search(sentence)
        if match is None:
            continue
        phrase = next((v for k, v in match.groupdict().items() if k.startswith("s") and v), None)
        named = systems_named(phrase) if phrase else ()
        if phrase and not named and not re.fullmatch(r"(?:the\s+)?(?:files?|systems?|it|they|this|access)", phrase.strip(),
                                                     re.IGNORECASE):
            return []
        return [Effect(channel, state, tuple(named or section)) for channel, state in meaning]
    return None


def read(lines: list[str]) -> Reading:
    """Read a body (lines as the page has them, newest update first)."""
    found = Reading()
    section: tuple[str, ...] = ()
    channel: str | None = None
    statements: set[str] = set()
    heading_above = False  # headings in a row ("TFE DMS Import/…", "TFE AS4GW") make one section
    for line in lines:
        text = line.strip()
        if not text:
            continue
        named = section_systems(text)
        if named:
            section = tuple(dict.fromkeys((section if heading_above else ()) + named))
            channel, heading_above = None, True
            continue
        heading_above = False
        heading = next((c for c, pattern in _CHANNEL_HEADING.items() if pattern.match(text)), None)
        if heading:
            channel = heading
            continue
        cancelled = _CANCELLED_FOR.match(text)
        if cancelled:
            found.cancelled_for.update(systems_named(cancelled.group("s")))
        sentence = _BULLET.sub("", text)
        effects = _sentence_effects(sentence, section)
        if effects == []:
            found.unread.append(text)
        elif effects is not None:
            found.effects += [e for e in effects if e not in found.effects]
        elif channel is not None and _BULLET.match(line) and not re.search(r"resubmit|affected entries", text, _I):
            found.unread.append(text)
        for name, pattern in (("no_longer", _NO_LONGER), ("not_allowed", _NOT_ALLOWED), ("allowed", _ALLOWED),
                              ("on_request", _ON_REQUEST)):
            if pattern.search(text):
                statements.add(name)
                break
    # "No longer allowed" is said last of all; a body that allows fallback anywhere allows it there.
    for name, fallback in (("no_longer", "not_allowed"), ("not_allowed", "not_allowed"), ("allowed", "allowed"),
                           ("on_request", "on_request")):
        if name in statements:
            found.fallback = fallback
            break
    return found
