"""The office of guarantee's work lists (issue 12, part 3; seed 003): individual guarantee documents waiting
for approval, TC32 voucher batches sold and not yet registered, and the office's guarantees to look up or
revoke — each paged, newest first, at the officer's office (a national officer: every office's).

Each is one indexed query (ix_guarantees_office_status, ix_guarantee_voucher_batches_office)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from toldsystem import db
from toldsystem.access.rules import Party, officer_roles
from toldsystem.core.errors import NotFound, problem
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.rules import Guarantee
from toldsystem.guarantees.service.records import g, guarantee_of, require
from toldsystem.guarantees.service.vouchers import VoucherBatch, batch_of

vb = store.voucher_batches


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list and how many it holds in all."""

    items: list
    total: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.page * self.page_size < self.total


def _require_officer(party: Party) -> None:
    require("guarantee.work_list", officer_roles(party),
            NotFound(problem("work_list.unknown", "office", "there is no work list for you",
                             "der er ingen arbejdsliste til dig")), "guarantee.work_list")


def _at_office(party: Party, column):
    return column == party.office if party.office is not None else column.is_not(None)


def _paged(query, count_query, page: int, page_size: int, row_of) -> Page:
    page, page_size = max(page, 1), max(1, min(page_size, 200))
    with db.reading() as conn:
        total = conn.execute(count_query).scalar_one()
        rows = conn.execute(query.limit(page_size).offset((page - 1) * page_size)).all()
    return Page([row_of(r) for r in rows], total, page, page_size)


def office_guarantees(party: Party, status: str | None = None, *, awaiting_approval: bool = False,
                      page: int = 1, page_size: int = 25) -> Page:
    """The guarantees of the officer's office, newest first; with `awaiting_approval` only the individual
    guarantee documents pending approval (vouchers wait in their batch, registered together)."""
    _require_officer(party)
    condition = _at_office(party, g.c.office_of_guarantee)
    if awaiting_approval:
        status = rules.PENDING
        condition = condition & g.c.batch_id.is_(None)
    if status:
        condition = condition & (g.c.status == status)
    return _paged(select(g).where(condition).order_by(g.c.created_at.desc(), g.c.grn),
                  select(func.count()).select_from(g).where(condition), page, page_size, guarantee_of)


def batches_to_register(party: Party, page: int = 1, page_size: int = 25) -> Page:
    """The voucher batches sold at the officer's office and not yet registered, oldest sale first."""
    _require_officer(party)
    condition = _at_office(party, vb.c.office_of_guarantee) & vb.c.registered_at.is_(None)
    return _paged(select(vb).where(condition).order_by(vb.c.sold_at, vb.c.id),
                  select(func.count()).select_from(vb).where(condition), page, page_size, batch_of)


def guarantee_counts(party: Party) -> dict[str, int]:
    """How many wait for the office: guarantee documents to approve, voucher batches to register."""
    return {"to_approve": office_guarantees(party, awaiting_approval=True, page_size=1).total,
            "batches": batches_to_register(party, page_size=1).total}


__all__ = ["Guarantee", "Page", "VoucherBatch", "batches_to_register", "guarantee_counts", "office_guarantees"]
