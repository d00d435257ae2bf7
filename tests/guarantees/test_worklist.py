"""The office of guarantee's work lists (issue 12, part 3; seed 003): documents to approve and voucher batches to
register wait at their office only, and leave the list once decided."""

from __future__ import annotations

import pytest

from tests.conftest import FORWARDER, IMPORTER, register_company
from tests.guarantees.conftest import OFFICE, comprehensive
from toldsystem.access.rules import Party
from toldsystem.core.errors import NotFound
from toldsystem.guarantees import rules, service

AT_OFFICE = Party(kind="officer", name="Officer at Aarhus", office=OFFICE)
ELSEWHERE = Party(kind="officer", name="Officer at Padborg", office="DK009264")
NATIONAL = Party(kind="officer", name="National officer")


def grns(page) -> list[str]:
    return [found.grn for found in page.items]


def test_an_individual_document_waits_for_approval_at_its_office_only(store):
    register_company(FORWARDER)
    document, _ = service.register_individual_document(FORWARDER, "5000", office_of_guarantee=OFFICE, by=AT_OFFICE)
    assert grns(service.office_guarantees(AT_OFFICE, awaiting_approval=True)) == [document.grn]
    assert grns(service.office_guarantees(NATIONAL, awaiting_approval=True)) == [document.grn]
    assert grns(service.office_guarantees(ELSEWHERE, awaiting_approval=True)) == []
    assert service.guarantee_counts(AT_OFFICE) == {"to_approve": 1, "batches": 0}
    service.approve_individual_document(document.grn, by=AT_OFFICE)
    assert grns(service.office_guarantees(AT_OFFICE, awaiting_approval=True)) == []
    assert grns(service.office_guarantees(AT_OFFICE, rules.REGISTERED)) == [document.grn]


def test_a_sold_voucher_batch_waits_for_registration_and_its_vouchers_not_for_approval(store):
    register_company(IMPORTER)
    batch = service.sell_voucher_batch(IMPORTER, 3, office_of_guarantee=OFFICE, by=AT_OFFICE)
    assert [b.id for b in service.batches_to_register(AT_OFFICE).items] == [batch.id]
    assert service.batches_to_register(ELSEWHERE).total == 0
    assert service.guarantee_counts(AT_OFFICE) == {"to_approve": 0, "batches": 1}
    service.register_voucher_batch(batch.id, by=AT_OFFICE)
    assert service.batches_to_register(AT_OFFICE).total == 0
    assert service.office_guarantees(AT_OFFICE, rules.REGISTERED).total == 3


def test_the_office_lists_its_guarantees_newest_first_in_pages(store, fixed_clock):
    older, _ = comprehensive()
    fixed_clock.advance(minutes=1)
    newer, _ = comprehensive(IMPORTER)
    first = service.office_guarantees(AT_OFFICE, page_size=1)
    assert grns(first) == [newer.grn] and first.total == 2 and first.has_more
    assert grns(service.office_guarantees(AT_OFFICE, page=2, page_size=1)) == [older.grn]
    service.revoke_guarantee(older.grn, by=AT_OFFICE)
    assert grns(service.office_guarantees(AT_OFFICE, rules.REVOKED)) == [older.grn]


def test_a_company_has_no_work_list_of_guarantees(store):
    with pytest.raises(NotFound):
        service.guarantee_counts(Party.company(FORWARDER))
