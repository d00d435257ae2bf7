"""The officers' settings of the imports room: the selectivity rule set, the tariff, customs credit standings.

Each rule set and tariff is kept as the text the officer gave, versioned: the newest is the active one, and each
decision records the version it used. A consignee's customs credit (toldkredit) is not in the EORI register, so
officers set it here (seed 004: a consignee without, deprived of or refused customs credit is always full express).
"""

from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select, update

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import Forbidden, Rejected, problem
from toldsystem.core.identifiers import eori_problem
from toldsystem.imports import authorisation, store
from toldsystem.imports.rules.duties import Tariff, read_tariff
from toldsystem.imports.rules.model import CustomsCredit
from toldsystem.imports.rules.selectivity_language import RuleSet, parse_rules
from toldsystem.imports.service.log import recipient

MAX_TARIFF_CHARACTERS = 2_000_000


@dataclass(frozen=True, slots=True)
class ActiveRules:
    version: int
    text: str
    seed: str
    rules: RuleSet


@dataclass(frozen=True, slots=True)
class ActiveTariff:
    version: int
    text: str
    tariff: Tariff


@dataclass(frozen=True, slots=True)
class CreditStanding:
    consignee_eori: str
    status: CustomsCredit
    since: date


def set_rules(party: Party, text: str, seed: str | None = None) -> ActiveRules:
    """A new selectivity rule set (the officers' rule language), active from now; refused with every error."""
    authorisation.require_officer(party, "import.settings.rules")
    parsed = parse_rules(text)
    if isinstance(parsed, list):
        raise Rejected(parsed)
    seed = seed or secrets.token_hex(16)
    with db.transaction() as conn:
        version = conn.execute(insert(store.rule_sets).values(
            text=text, seed=seed, created_at=clock.now(), created_by=recipient(party))).inserted_primary_key[0]
    return ActiveRules(version, text, seed, parsed)


def active_rules(conn: Connection) -> ActiveRules | None:
    row = conn.execute(select(store.rule_sets).order_by(store.rule_sets.c.version.desc()).limit(1)).first()
    if row is None:
        return None
    parsed = parse_rules(row.text)
    return ActiveRules(row.version, row.text, row.seed, parsed) if isinstance(parsed, RuleSet) else None


def set_tariff(party: Party, text: str) -> ActiveTariff:
    """A new tariff (CSV: commodity_code,duty_rate), active from now; refused with every error."""
    authorisation.require_officer(party, "import.settings.tariff")
    if len(text) > MAX_TARIFF_CHARACTERS:
        raise Rejected(problem("import.tariff.too_large", "/", f"a tariff has at most {MAX_TARIFF_CHARACTERS} "
                               "characters", f"en toldtarif har højst {MAX_TARIFF_CHARACTERS} tegn"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # read_tariff's csv reader raises on a lone CR
    try:
        parsed = read_tariff(text)
    except csv.Error as error:  # the rules should answer every bad input with problems; they do not, yet
        raise Rejected(problem("import.tariff.unreadable", "/text", f"the tariff is not readable CSV: {error}",
                               f"toldtariffen er ikke læsbar CSV: {error}")) from None
    if isinstance(parsed, list):
        raise Rejected(parsed)
    with db.transaction() as conn:
        version = conn.execute(insert(store.tariffs).values(
            text=text, created_at=clock.now(), created_by=recipient(party))).inserted_primary_key[0]
    return ActiveTariff(version, text, parsed)


def active_tariff(conn: Connection) -> ActiveTariff | None:
    row = conn.execute(select(store.tariffs).order_by(store.tariffs.c.version.desc()).limit(1)).first()
    if row is None:
        return None
    parsed = read_tariff(row.text)
    return ActiveTariff(row.version, row.text, parsed) if isinstance(parsed, Tariff) else None


def set_credit(party: Party, eori: str, status: str, since: date | None = None) -> CreditStanding:
    """Set a consignee's customs credit standing: granted, none, withdrawn or refused (since a Danish date)."""
    authorisation.require_officer(party, "import.settings.credit")
    eori = eori.strip().upper()
    if eori_problem(eori):
        raise Rejected(problem("eori.invalid", "/eori", f"EORI {eori!r} is invalid: {eori_problem(eori)}",
                               f"EORI-nummeret {eori!r} er ugyldigt"))
    if status not in set(CustomsCredit):
        raise Rejected(problem("import.credit.status", "/status", f"status is one of {[c.value for c in CustomsCredit]}",
                               f"status er en af {[c.value for c in CustomsCredit]}"))
    now = clock.now()
    since = since or clock.local(now).date()
    values = {"status": status, "since": since, "set_at": now, "set_by": recipient(party)}
    with db.transaction() as conn:
        changed = conn.execute(update(store.credit_standings)
                               .where(store.credit_standings.c.consignee_eori == eori).values(**values)).rowcount
        if not changed:
            conn.execute(insert(store.credit_standings).values(consignee_eori=eori, **values))
    return CreditStanding(eori, CustomsCredit(status), since)


def credit_of(conn: Connection, eori: str) -> CreditStanding | None:
    row = conn.execute(select(store.credit_standings)
                       .where(store.credit_standings.c.consignee_eori == eori)).first()
    return CreditStanding(row.consignee_eori, CustomsCredit(row.status), row.since) if row else None


def credit(party: Party, eori: str) -> CreditStanding | None:
    """A consignee's standing, as officers read it."""
    if not party.is_officer:
        raise Forbidden(problem("auth.officer_only", "Authorization", "only customs officers read credit standings",
                                "kun toldmedarbejdere kan se kreditforhold"))
    with db.reading() as conn:
        return credit_of(conn, eori.strip().upper())
