"""What the pure transit rules need to know from the store: reference data, the holder, its LRNs, other parties."""

from __future__ import annotations

from datetime import date, datetime

import pycountry
from sqlalchemy import Connection, bindparam, select

from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import Problem
from toldsystem.prepared import Prepared
from toldsystem.reference import service as reference
from toldsystem.transit import store
from toldsystem.transit import rules
from toldsystem.transit.declaration import Declaration
from toldsystem.transit.rules import RuleContext

ISO_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries)
# C0250 asks whether a consignor's or consignee's EORI is valid; a declaration may name up to
# thousands of parties, so only this many distinct numbers are looked up (the others count as
# not valid: their name and address are then required, which the sender can always give).
MAX_PARTY_LOOKUPS = 10
_LRN_USED = Prepared(select(store.movements.c.id).where(store.movements.c.holder_eori == bindparam("holder"),
                                                        store.movements.c.lrn == bindparam("lrn")))


def for_declaration(conn: Connection, holder: str, lrn: str | None, now: datetime,
                    decl: Declaration | None = None) -> RuleContext:
    """The facts for checking a declaration by `holder` today (lrn None: an amendment, LRN already ours)."""
    snapshot = reference.snapshot()
    today = clock.local(now).date()
    holder_standing = companies.standing(holder, today) if holder else None
    used = lrn is not None and _LRN_USED.run(conn, {"holder": holder, "lrn": lrn}).first() is not None
    valid_holder = holder if holder_standing and holder_standing.known and holder_standing.eori_registered else None
    return RuleContext(
        today=today,
        holder_known=bool(holder_standing and holder_standing.known),
        holder_eori_registered=bool(holder_standing and holder_standing.eori_registered),
        holder_is_authorised_consignor=bool(holder_standing
                                            and "authorised_consignor" in holder_standing.authorisations),
        lrn_already_used=used,
        known_eoris=_valid_party_eoris(decl, today, valid_holder) if decl else frozenset(),
        offices=snapshot.offices,
        countries=snapshot.countries,
        iso_country_codes=ISO_COUNTRIES,
        code_lists=snapshot.code_lists,
        eur_rates={code: currency.eur_rate for code, currency in snapshot.currencies.items()},
    )


def _valid_party_eoris(decl: Declaration, today: date, valid_holder: str | None) -> frozenset[str]:
    """The consignors' and consignees' EORIs that are in our register and EORI-registered (C0250)."""
    c = decl.consignment
    parties = [c.consignor, c.consignee, *(p for h in c.house_consignments for p in (h.consignor, h.consignee))]
    numbers = [n for n in dict.fromkeys(p.identification_number for p in parties if p and p.identification_number)
               if n != valid_holder]  # the holder, often the consignor too, is already known
    valid = {valid_holder} if valid_holder else set()
    for eori in numbers[:MAX_PARTY_LOOKUPS]:
        standing = companies.standing(eori, today)
        if standing.known and standing.eori_registered:
            valid.add(eori)
    return frozenset(valid)


def arrival_notification_problems(data: dict) -> list[Problem]:
    """CC007C: the phase 5 conditions on the message itself (who may send it is transit/authorisation.py's)."""
    return rules.arrival_notification_problems(data, message_context())


def unloading_remarks_problems(data: dict, declared: dict) -> list[Problem]:
    """CC044C: the phase 5 conditions on the unloading remarks, against the movement's declaration."""
    return rules.unloading_remarks_problems(data, declared, message_context())


def message_context() -> RuleContext:
    """The reference data alone: enough for the rules on CC007C, CC014C and CC044C."""
    snapshot = reference.snapshot()
    return RuleContext(today=clock.local(clock.now()).date(), holder_known=False, holder_eori_registered=False,
                       offices=snapshot.offices, countries=snapshot.countries, iso_country_codes=ISO_COUNTRIES,
                       code_lists=snapshot.code_lists)
