"""What the pure transit rules need to know from the store: reference data, the holder, its LRNs."""

from __future__ import annotations

from datetime import datetime

import pycountry
from sqlalchemy import Connection, bindparam, select

from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.prepared import Prepared
from toldsystem.reference import service as reference
from toldsystem.transit import store
from toldsystem.transit.rules import RuleContext

ISO_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries)
_LRN_USED = Prepared(select(store.movements.c.id).where(store.movements.c.holder_eori == bindparam("holder"),
                                                        store.movements.c.lrn == bindparam("lrn")))


def for_declaration(conn: Connection, holder: str, lrn: str | None, now: datetime) -> RuleContext:
    """The facts for checking a declaration by `holder` today (lrn None: an amendment, LRN already ours)."""
    snapshot = reference.snapshot()
    today = clock.local(now).date()
    holder_standing = companies.standing(holder, today) if holder else None
    used = lrn is not None and _LRN_USED.run(conn, {"holder": holder, "lrn": lrn}).first() is not None
    return RuleContext(
        today=today,
        holder_known=bool(holder_standing and holder_standing.known),
        holder_eori_registered=bool(holder_standing and holder_standing.eori_registered),
        holder_is_authorised_consignor=bool(holder_standing
                                            and "authorised_consignor" in holder_standing.authorisations),
        lrn_already_used=used,
        offices=snapshot.offices,
        countries=snapshot.countries,
        iso_country_codes=ISO_COUNTRIES,
        code_lists=snapshot.code_lists,
    )

