"""TC32 vouchers (seed 003): the forwarders' association notifies a sale, the office of guarantee
registers the batch, and only then may its vouchers be used."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problems, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.authorisation import roles_as_seller, roles_towards_guarantee, sees_office
from toldsystem.guarantees.rules import IssuedCode
from toldsystem.guarantees.service.codes import issue_code
from toldsystem.guarantees.service.records import cents, g, office_problem, require
from toldsystem.guarantees.service.registration import allocate_grn, insert_guarantee
from toldsystem.guarantees.service.types import registered_as_problem

vb = store.voucher_batches


@dataclass(frozen=True, slots=True)
class VoucherBatch:
    """A batch of TC32 vouchers sold to one buyer; `vouchers` carries the codes only when just sold."""

    id: int
    base_grn: str
    buyer_eori: str
    office_of_guarantee: str
    count: int
    registered: bool
    vouchers: tuple[IssuedCode, ...] = ()


def batch_of(row, vouchers: Sequence[IssuedCode] = ()) -> VoucherBatch:
    return VoucherBatch(row.id, row.base_grn, row.buyer_eori, row.office_of_guarantee, row.count,
                        row.registered_at is not None, tuple(vouchers))


def _unknown_batch(batch_id: int) -> NotFound:
    return NotFound(problem("voucher.batch_unknown", "batch_id", f"no voucher batch {batch_id}",
                            f"ingen portion sikkerhedsdokumenter {batch_id}"))


def sell_voucher_batch(buyer_eori: str, count: int, *, office_of_guarantee: str,
                       by: Party = OPERATOR) -> VoucherBatch:
    """The forwarders' association notifies a sale: `count` vouchers of 7,000 EUR to the buyer; GRNs and codes returned once."""
    sells = not by.is_officer and companies.holds(by.eori or "", "voucher_sales")
    require("voucher.sell", roles_as_seller(by, sells, office_of_guarantee), _unknown_batch(0))
    buyer = companies.require_active(normalise_eori(buyer_eori), "buyer_eori")
    found = Problems()
    found.add(registered_as_problem(rules.VOUCHER_TYPE, rules.VOUCHERS))  # still a type of CL251 and CL286
    found.add(rules.check_voucher_count(count))
    found.add(office_problem(office_of_guarantee))
    found.raise_if_any()
    now = clock.now()
    with db.transaction() as conn:
        base = allocate_grn(conn, office_of_guarantee)
        batch_id = conn.execute(insert(vb).values(
            base_grn=base, buyer_eori=buyer.eori, office_of_guarantee=office_of_guarantee, count=count, sold_at=now)
            .returning(vb.c.id)).scalar_one()
        issued = []
        for number, grn in enumerate(rules.voucher_grns(base, count), start=1):
            insert_guarantee(conn, grn=grn, type=rules.VOUCHER_TYPE, holder_eori=buyer.eori,
                             office_of_guarantee=office_of_guarantee, reference_cents=cents(rules.VOUCHER_AMOUNT),
                             currency=rules.VOUCHER_CURRENCY, status=rules.PENDING, not_valid_in="",
                             batch_id=batch_id, created_at=now)
            issued.append(issue_code(conn, grn, f"Sikkerhedsdokument {number}"))
        row = conn.execute(select(vb).where(vb.c.id == batch_id)).one()
    return batch_of(row, issued)


def register_voucher_batch(batch_id: int, *, by: Party = OPERATOR) -> VoucherBatch:
    """The office of guarantee registers a sold batch (its officer); only then may its vouchers be used."""
    now = clock.now()
    with db.transaction() as conn:
        row = conn.execute(select(vb).where(vb.c.id == batch_id)).first()
        roles = roles_towards_guarantee(by, row.buyer_eori if row else None, row.office_of_guarantee if row else None)
        require("voucher.register", roles, _unknown_batch(batch_id), "voucher.register")
        if row is None:
            raise _unknown_batch(batch_id)
        done = conn.execute(update(vb).where(vb.c.id == batch_id, vb.c.registered_at.is_(None)).values(registered_at=now))
        if done.rowcount == 0:
            raise Conflict(problem("voucher.batch_registered", "batch_id", f"batch {batch_id} is already registered",
                                   f"portion {batch_id} er allerede registreret"))
        conn.execute(update(g).where(g.c.batch_id == batch_id, g.c.status == rules.PENDING)
                     .values(status=rules.REGISTERED, registered_at=now))
        row = conn.execute(select(vb).where(vb.c.id == batch_id)).one()
    return batch_of(row)


def voucher_batches(buyer_eori: str | None = None) -> list[VoucherBatch]:
    """Voucher batches, newest first; one buyer's only when given."""
    query = select(vb).order_by(vb.c.id.desc())
    if buyer_eori:
        query = query.where(vb.c.buyer_eori == normalise_eori(buyer_eori))
    with db.reading() as conn:
        return [batch_of(r) for r in conn.execute(query)]


def visible_voucher_batches(party: Party) -> list[VoucherBatch]:
    """The batches the party may see: those it bought, an officer its office's, a national officer all."""
    if not party.is_officer:
        return voucher_batches(party.eori)
    return [b for b in voucher_batches() if sees_office(party, b.office_of_guarantee)]
