"""A world of parties around one holder's objects, for the authorisation tests (docs/security.md).

Every object belongs to the holder, Padborg Spedition (DK13585628): its movements (departing Padborg
DK009264 for Hamburg DE004851), its guarantees (office of guarantee Aarhus DK009860), its company
record and its power of attorney for Nordisk Import. Each party kind stands in one relation to them.
"""

from __future__ import annotations

import copy
from collections import Counter
import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from toldsystem import db, demo
from toldsystem.reference import store as reference_store
from toldsystem.access import service as access
from toldsystem.access.rules import (ADMINISTRATOR, ANYONE, ASSOCIATION, COMPANY, HOLDER, NATIONAL_OFFICER, OFFICER,
                                     OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION, OFFICER_OF_GUARANTEE,
                                     REPRESENTATIVE, TRADER_AT_DESTINATION)
from toldsystem.companies import service as companies
from toldsystem.companies.rules import POWER_SCOPES
from toldsystem.models import metadata
from toldsystem.transit.example import example_arrival

HOLDER_EORI = "DK13585628"       # Padborg Spedition: the holder of every object here
REP_EORI = "DK12345674"          # Nordisk Import: holds the holder's valid power (every scope)
LAPSED_EORI = "DK20406089"       # Jysk Eksport: its powers from the holder expired and were revoked
TRADER_EORI = "DE123456789012345"  # Hamburger Logistik: authorised consignee at the destination
UNRELATED_EORI = "DK33445563"    # Nordic Freight: nothing to do with the holder
ASSOCIATION_EORI = "DK30507096"  # Danske Speditører: sells vouchers
DEPARTURE, DESTINATION, GUARANTEE_OFFICE, ELSEWHERE = "DK009264", "DE004851", "DK009860", "DK009761"
UNKNOWN_MRN = "26DK009264099999J9"

COMPANY_KINDS = {"holder": HOLDER_EORI, "representative": REP_EORI, "representative_without_power": LAPSED_EORI,
                 "trader_at_destination": TRADER_EORI, "unrelated": UNRELATED_EORI, "association": ASSOCIATION_EORI}
OFFICER_KINDS = ("officer_competent", "officer_other_office", "national_officer")
KINDS = (*COMPANY_KINDS, *OFFICER_KINDS)

# What each kind of party is towards the holder's objects — written here, not taken from the code under test.
# (The competent officer is of the office the operation concerns: departure, destination or guarantee.)
KIND_ROLES = {
    "holder": {ANYONE, COMPANY, HOLDER, ADMINISTRATOR},  # its token is its first administrator's
    "representative": {ANYONE, COMPANY, REPRESENTATIVE},
    "representative_without_power": {ANYONE, COMPANY},
    "trader_at_destination": {ANYONE, COMPANY, TRADER_AT_DESTINATION},
    "unrelated": {ANYONE, COMPANY},
    "association": {ANYONE, COMPANY, ASSOCIATION},
    "officer_competent": {ANYONE, OFFICER, OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION, OFFICER_OF_GUARANTEE},
    "officer_other_office": {ANYONE, OFFICER},
    "national_officer": {ANYONE, OFFICER, OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION, OFFICER_OF_GUARANTEE,
                         NATIONAL_OFFICER, ADMINISTRATOR},  # a token from the terminal: every role, admin too
}

# Rows a party's own request may add or change even when refused: its own message log, its own counters.
CALLERS_OWN = {"transit_messages": "party_eori", "transit_intake_keys": "party_eori", "export_messages": "party",
               "guarantee_code_failures": "caller", "guarantee_balance_queries": "caller",
               "audit_log": "actor_eori"}  # a refused message is still logged, and so audited as its sender's


def expected_allowed(kind: str, actors: frozenset[str]) -> bool:
    """A kind may act if one of its roles is an actor of the rule (its powers cover every scope)."""
    return bool(KIND_ROLES[kind] & actors)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    client: object
    tokens: dict[str, str]
    keys: dict[str, str]  # each kind's EORI (a company) or name (an officer): its own rows may change
    officer_office: dict[str, str] = field(default_factory=dict)
    lazy: dict[str, object] = field(default_factory=dict)

    def headers(self, kind: str, competent_office: str | None = None) -> dict[str, str]:
        if kind == "officer_competent":
            return bearer(self.officer_token(competent_office or DEPARTURE))
        return bearer(self.tokens[kind])

    def own(self, kind: str, competent_office: str | None = None) -> set[str]:
        """What the kind's own rows are keyed by: its EORI, or an officer's name and Party.key."""
        name = f"competent {competent_office or DEPARTURE}" if kind == "officer_competent" else self.keys[kind]
        return {name, f"officer:{name}"}

    def officer_token(self, office: str) -> str:
        if office not in self.officer_office:
            self.officer_office[office] = access.issue_officer_token(f"competent {office}", office=office)
        return self.officer_office[office]

    # --- the holder's objects, made when a scenario first needs them ---------------------------------

    def declare(self, *, standard: bool = False) -> str:
        declaration = demo.declaration(HOLDER_EORI)
        if standard:  # no authorised-consignor authorisation: the office releases
            del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
        answer = self.client.post("/api/transit/messages", json=declaration, headers=bearer("told_demo_forwarder"))
        assert answer.status_code == 200 and answer.json()["mrn"], answer.text
        return answer.json()["mrn"]

    def released(self) -> str:
        return self.declare()

    def awaiting_release(self) -> str:
        return self.declare(standard=True)

    def unloading(self) -> str:
        """Released, then arrived at Hamburg: the trader at destination received CC043C."""
        mrn = self.declare()
        answer = self.client.post("/api/transit/messages", json=example_arrival(mrn, TRADER_EORI),
                                  headers=bearer("told_demo_hamburg"))
        assert [a["messageType"] for a in answer.json()["answers"]] == ["CC043C"], answer.text
        return mrn

    def discrepancies(self) -> str:
        """Unloading remarks not conform: the office of destination decides."""
        mrn = self.unloading()
        remarks = {"messageSender": TRADER_EORI, "messageRecipient": "NTA.DK",
                   "preparationDateAndTime": "2026-11-23T12:00:00", "messageIdentification": uuid.uuid4().hex[:35],
                   "messageType": "CC044C", "TransitOperation": {"MRN": mrn},
                   "CustomsOfficeOfDestinationActual": {"referenceNumber": DESTINATION},
                   "TraderAtDestination": {"identificationNumber": TRADER_EORI},
                   "UnloadingRemark": {"conform": "0", "unloadingCompletion": "1", "unloadingDate": "2026-11-23",
                                       "stateOfSeals": "1", "unloadingRemark": "2 kolli mangler"}}
        answer = self.client.post("/api/transit/messages", json=remarks, headers=bearer("told_demo_hamburg"))
        assert answer.status_code == 200 and answer.json()["answers"] == [], answer.text
        return mrn

    def major_discrepancies(self) -> str:
        """The office of destination found major discrepancies (CC025C, CC019C): resolution or recovery follows."""
        mrn = self.discrepancies()
        answer = self.client.post(f"/api/transit/movements/{mrn}/control-result", headers=bearer(demo.OFFICER_TOKEN),
                                  json={"conform": False, "text": "2 kolli mangler"})
        assert answer.status_code == 200, answer.text
        return mrn

    def pre_lodged(self) -> str:
        """A pre-lodged declaration (type D) waiting for its presentation: its LRN."""
        declaration = demo.declaration(HOLDER_EORI)
        declaration["TransitOperation"]["additionalDeclarationType"] = "D"
        answer = self.client.post("/api/transit/messages", json=declaration, headers=bearer("told_demo_forwarder"))
        assert [a["messageType"] for a in answer.json()["answers"]] == ["CC928C"], answer.text
        return declaration["TransitOperation"]["LRN"]

    def guarantee(self, kind: str = "1 comprehensive") -> dict:
        return next(g for g in demo.demo_guarantees() if g["holder_eori"] == HOLDER_EORI and g["type"] == kind)


def make_world(client) -> World:
    """The demo data, the holder's powers for Nordisk Import (valid) and Jysk Eksport (lapsed), an unrelated company."""
    demo.load()
    companies.register(UNRELATED_EORI, "Nordic Freight A/S", "Kajen 2", "Aarhus", "8000", registered_export=True)
    companies.grant_power(HOLDER_EORI, REP_EORI, sorted(POWER_SCOPES), date(2026, 1, 1))
    companies.grant_power(HOLDER_EORI, LAPSED_EORI, sorted(POWER_SCOPES), date(2025, 1, 1), date(2025, 12, 31))
    revoked = companies.grant_power(HOLDER_EORI, LAPSED_EORI, sorted(POWER_SCOPES), date(2026, 1, 1))
    companies.revoke_power(revoked.id)
    tokens = {"holder": "told_demo_forwarder", "representative": "told_demo_importer",
              "representative_without_power": "told_demo_consignor", "trader_at_destination": "told_demo_hamburg",
              "association": "told_demo_association", "unrelated": access.issue_company_token(UNRELATED_EORI, "t"),
              "national_officer": demo.OFFICER_TOKEN,
              "officer_other_office": access.issue_officer_token("elsewhere", office=ELSEWHERE)}
    keys = {**COMPANY_KINDS, "national_officer": "Demo officer (Toldstyrelsen)", "officer_other_office": "elsewhere"}
    world = World(client, tokens, keys)
    for office in (DEPARTURE, DESTINATION, GUARANTEE_OFFICE):
        world.officer_token(office)
    return world


# The bulk reference data (offices, code lists: some 175,000 rows) has no route that writes it; reading
# it twice per case would make the matrices crawl.
_WATCHED = [t for t in metadata.sorted_tables if t not in reference_store.BULK_TABLES]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but the bulk reference data."""
    with db.reading() as conn:
        return {t.name: sorted((tuple(str(v) for v in r) for r in conn.execute(select(t)))) for t in _WATCHED}


def changes_beyond_own(before: dict, after: dict, own: set[str]) -> dict[str, tuple[list, list]]:
    """Rows added or removed anywhere except the caller's own message log and counters."""
    changed = {}
    for name in before:
        # Counters, not lists: the reference tables hold some 175,000 rows, and a list scan per row is quadratic.
        was, now = Counter(before[name]), Counter(after[name])
        gone, new = sorted((was - now).elements()), sorted((now - was).elements())
        if name in CALLERS_OWN:
            column = [c.name for c in metadata.tables[name].columns].index(CALLERS_OWN[name])
            gone = [r for r in gone if r[column] not in own]
            new = [r for r in new if r[column] not in own]
        if gone or new:
            changed[name] = (gone, new)
    return changed


def new_identification(data: dict, sender: str) -> dict:
    data = copy.deepcopy(data)
    data["messageIdentification"] = uuid.uuid4().hex[:35]
    data["messageSender"] = sender
    return data
