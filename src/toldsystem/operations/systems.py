"""The systems a message concerns: the agency's categories as its page names them, a code for each, the group
each rolls up into on the status page, and the other names the page's texts use for them (SPEC O, seed 001).

A message names its systems by the page's category names ("DMS eksport", "DMS Forsendelse (NCTS)", …); the
store and the API keep the codes. The texts inside a message name systems more loosely ("DMS Import/DMS
Export/DMS Forsendelse", "the Import", "Traderportal, EU-CTP and IPEP"): `systems_named` reads those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Group:
    """Systems shown and rolled up together on the status page."""

    code: str
    en: str
    da: str


@dataclass(frozen=True, slots=True)
class System:
    """One system (or the page's catch-all category) the board can announce something for."""

    code: str
    page_name: str  # the category as the agency's page names it
    en: str
    da: str
    group: str
    aliases: tuple[str, ...] = ()  # other names the page's texts use for it
    category: bool = True  # one of the page's categories (NemLog-In and the gateways are named in texts only)


GROUPS: dict[str, Group] = {g.code: g for g in (
    Group("dms", "DMS (customs declarations)", "DMS (toldangivelser)"),
    Group("classic", "Import, Export, Transit, ICS and Manifest (classic systems)",
          "Import, Eksport, Forsendelse, ICS og Manifest (klassiske systemer)"),
    Group("eu", "EU systems", "EU-systemer"),
    Group("excise", "Excise (EMCS)", "Punktafgifter (EMCS)"),
    Group("access", "Sign-in and gateways", "Log-in og gateways"),
    Group("test", "Test systems (TFE)", "Testsystemer (TFE)"),
    Group("other", "Other", "Øvrige"),
)}

SYSTEMS: dict[str, System] = {s.code: s for s in (
    System("dms_import", "DMS Import", "DMS Import", "DMS Import", "dms", ("DMS Import", "DMS Online")),
    System("dms_export", "DMS eksport", "DMS Export", "DMS Eksport", "dms", ("DMS Export", "DMS Eksport")),
    System("dms_transit", "DMS Forsendelse (NCTS)", "DMS Forsendelse (NCTS)", "DMS Forsendelse (NCTS)", "dms",
           ("DMS Forsendelse", "DMS NCTS", "DMS Transit", "NCTS")),
    System("import", "Import", "Import (classic)", "Import (klassisk)", "classic",
           ("Import Classic", "Classic import", "the Import")),
    System("export", "Export", "Export (e-Export)", "Eksport (e-Export)", "classic", ("e-Export", "ECS")),
    System("transit", "Transit", "Transit (classic NCTS)", "Forsendelse (klassisk NCTS)", "classic"),
    System("ics", "ICS", "Import Control System (ICS)", "Import Control System (ICS)", "classic",
           ("Import Control System (ICS)", "Import Control System")),
    System("manifest", "Manifest", "Manifest", "Manifest", "classic", ("Manifes",)),
    System("ics2", "ICS2", "ICS2", "ICS2", "eu", ("ICS2-STP",)),
    System("eu_systems", "EU-systems", "EU systems", "EU-systemer", "eu",
           ("EU systems", "EU-system", "Traderportal", "Trader Portal", "EU trader portal", "EU-CTP", "EUCTP", "IPEP",
            "UUM&DS", "PoUS", "POUS", "CBAM", "CDMS", "EBTI", "eAEO", "INF", "REX")),
    System("eori", "EORI", "EORI", "EORI", "eu"),
    System("emcs", "EMCS", "EMCS", "EMCS", "excise"),
    System("nemlog_in", "NemLog-In", "NemLog-In (MitID)", "NemLog-In (MitID)", "access",
           ("NemLog-in", "NemLogin", "Nem-Login", "Nem-Login Business", "MitID"), category=False),
    System("gateways", "Gateways", "Gateways (S2S)", "Gateways (S2S)", "access",
           ("Gateway", "AS4", "AS4GW", "AS4W", "AS4 Gateway", "AS4-Gateway", "FTPS Gateway", "Told Gateway"),
           category=False),
    System("tfe", "TFE (testsystems)", "TFE test systems", "TFE testsystemer", "test", ("TFE", "testsystems")),
    System("ntse", "E-tax for businesses (NTSE)", "E-tax for businesses (NTSE)", "TastSelv Erhverv (NTSE)", "other",
           ("NTSE", "TastSelv Erhverv")),
    System("other", "Other messages", "Other messages", "Øvrige meddelelser", "other"),
)}

# The page's category names, longest first (so "ICS2" is read before "ICS").
_BY_PAGE_NAME = {s.page_name.casefold(): s for s in SYSTEMS.values()}
PAGE_NAMES = tuple(sorted((s.page_name for s in SYSTEMS.values() if s.category), key=len, reverse=True))
_BY_NAME = {name.casefold(): s for s in SYSTEMS.values() for name in (s.page_name, s.code, *s.aliases)}
_NAME_SEPARATORS = re.compile(r"\s*(?:/|,|&|\band\b|\bog\b)\s*", re.IGNORECASE)
_NOISE = re.compile(r"^(?:(?:the|following|TFE|TEST/TFE|TEST|PRD|online|systems?)\s+)+|(?:\s+(?:systems?|online|TFE|TEST|PRD"
                    r"|\(test\)))+$", re.IGNORECASE)
# Names the texts give a whole group of systems.
_GROUP_NAMES = {"dms": ("dms_import", "dms_export", "dms_transit")}


def system(code_or_name: str) -> System | None:
    """A system by its code, its page name or another name the texts use (any case)."""
    return _BY_NAME.get(code_or_name.strip().casefold())


def by_page_name(name: str) -> System | None:
    """A system by the category name the page gives it (any case)."""
    return _BY_PAGE_NAME.get(name.strip().casefold())


def systems_named(phrase: str) -> tuple[str, ...]:
    """The codes of the systems a phrase such as "DMS Import/DMS Export/DMS Forsendelse" or "Traderportal, EU-CTP and
    IPEP" names, in order, each once; a part that names no system is left out."""
    found: list[str] = []
    for part in _NAME_SEPARATORS.split(phrase.strip(" .:")):
        for code in _codes(part, loosely=True):
            if code not in found:
                found.append(code)
    return tuple(found)


def _codes(part: str, loosely: bool = False) -> tuple[str, ...]:
    """The systems one part of a phrase names: a system's name, a group's ("DMS"); loosely, also by its first word
    ('CBAM "Authorization Management Module…"')."""
    for candidate in (part.strip(), _NOISE.sub("", part).strip()):
        named = system(candidate)
        if named is not None:
            return (named.code,)
        if candidate.casefold() in _GROUP_NAMES:
            return _GROUP_NAMES[candidate.casefold()]
    words = part.split()
    if loosely and len(words) > 1 and (named := system(words[0])) is not None:
        return (named.code,)
    return ()


def only_systems(phrase: str) -> tuple[str, ...]:
    """The systems a phrase names when it names nothing else ("TEST/TFE DMS Import/DMS Export", "Import/Manifest"),
    else none (a heading of a section about them, not a sentence)."""
    text = phrase.strip(" .:")
    parts = [p for p in _NAME_SEPARATORS.split(text) if p and p.upper() not in ("TEST", "TFE", "PRD")]
    if not parts or len(text) > 80:
        return ()
    named: list[str] = []
    for part in parts:
        codes = _codes(part)
        if not codes:
            return ()
        named += [code for code in codes if code not in named]
    return tuple(named)


def group_of(code: str) -> str:
    """The group a system rolls up into."""
    return SYSTEMS[code].group
