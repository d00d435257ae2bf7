"""Demo guarantees with known access codes, for a local development system only (see demo.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.identifiers import normalise_eori
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.service.codes import change_access_code
from toldsystem.guarantees.service.records import ac, g
from toldsystem.guarantees.service.registration import (approve_individual_document, register_comprehensive,
                                                        register_individual_document)
from toldsystem.guarantees.service.vouchers import register_voucher_batch, sell_voucher_batch

DEMO_OFFICE = "DK009860"
DEMO_LABEL = "Demo (kendt demo-kode)"
DEMO_CODES = {"comprehensive": "DEM1", "individual": "DEM2", "voucher": "DV{n:02d}"}


def load_demo(holder_eori: str, voucher_buyer_eori: str | None = None, *,
              office_of_guarantee: str = DEMO_OFFICE) -> dict:
    """Demo guarantees with known access codes: a comprehensive guarantee of 100,000 EUR and an approved
    individual document for `holder_eori`, and a registered batch of 3 vouchers for the buyer (idempotent)."""
    holder = normalise_eori(holder_eori)
    buyer = normalise_eori(voucher_buyer_eori or holder_eori)
    existing = _demo_existing(holder, buyer)
    if existing:
        return existing
    if not companies.holds(holder, "comprehensive_guarantee"):
        companies.grant(holder, "comprehensive_guarantee", clock.local(clock.now()).date() - timedelta(days=1),
                        reference="DEMO-SAMLET-KAUTION")
    comprehensive, _ = register_comprehensive(holder, "100000.00", "EUR", office_of_guarantee=office_of_guarantee,
                                              access_code_label=DEMO_LABEL, access_code=DEMO_CODES["comprehensive"])
    individual, issued = register_individual_document(holder, "25000.00", "EUR", office_of_guarantee=office_of_guarantee,
                                                      guarantor="Demo Kautionsforsikring A/S",
                                                      access_code_label=DEMO_LABEL)
    change_access_code(Party.company(holder), individual.grn, issued.id, DEMO_CODES["individual"])
    approve_individual_document(individual.grn)
    batch = sell_voucher_batch(buyer, 3, office_of_guarantee=office_of_guarantee)
    for n, voucher in enumerate(batch.vouchers, start=1):
        change_access_code(Party.company(buyer), voucher.grn, voucher.id, DEMO_CODES["voucher"].format(n=n))
    register_voucher_batch(batch.id)
    return _demo_existing(holder, buyer)


def _demo_existing(holder: str, buyer: str) -> dict:
    with db.reading() as conn:
        rows = conn.execute(select(g.c.grn, g.c.type, g.c.holder_eori).select_from(g.join(ac, ac.c.grn == g.c.grn))
                            .where(ac.c.label.in_([DEMO_LABEL]), ac.c.revoked_at.is_(None), g.c.holder_eori == holder)
                            .order_by(g.c.grn)).all()
        batch = conn.execute(select(store.voucher_batches).where(store.voucher_batches.c.buyer_eori == buyer,
                                                                 store.voucher_batches.c.registered_at.isnot(None))
                             .order_by(store.voucher_batches.c.id)).first()
    by_type = {r.type: r.grn for r in rows}
    if "1" not in by_type or "2" not in by_type or batch is None:
        return {}
    return {
        "comprehensive": {"grn": by_type["1"], "access_code": DEMO_CODES["comprehensive"],
                          "reference_amount": "100000.00", "currency": "EUR"},
        "individual": {"grn": by_type["2"], "access_code": DEMO_CODES["individual"], "amount": "25000.00",
                       "currency": "EUR"},
        "vouchers": [{"grn": grn, "access_code": DEMO_CODES["voucher"].format(n=n), "amount": "7000.00",
                      "currency": "EUR"} for n, grn in enumerate(rules.voucher_grns(batch.base_grn, 3), start=1)],
        "holder_eori": holder, "voucher_buyer_eori": buyer,
    }
