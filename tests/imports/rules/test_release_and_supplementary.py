"""When goods may leave, the 2-hour rule, and the supplementary declaration's deadline (seed 004)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from toldsystem.imports.rules import check_declaration
from toldsystem.imports.rules.model import Consignee, CustomsCredit, Declarant, DeclarantRole, Procedure
from toldsystem.imports.rules.release import (decision_ready_at_arrival, express_options, may_leave,
                                              temporary_storage_outcome)
from toldsystem.imports.rules.supplementary import (SupplementaryState, is_overdue, supplementary_due_date,
                                                    supplementary_outcome)

from tests.imports.rules.factory import ARRIVAL, IMPORTER, codes, declaration, item

UTC = timezone.utc
AFTER = ARRIVAL + timedelta(minutes=1)


def test_decision_ready_at_arrival_needs_two_hours_and_electronic_lodging() -> None:
    assert decision_ready_at_arrival(declaration(lodged_at=ARRIVAL - timedelta(hours=2)))
    assert not decision_ready_at_arrival(declaration(lodged_at=ARRIVAL - timedelta(hours=1, minutes=59)))
    assert not decision_ready_at_arrival(declaration(lodged_at=ARRIVAL - timedelta(hours=3), lodged_electronically=False))
    assert not decision_ready_at_arrival(declaration(actual_arrival=None))


def test_express_goods_leave_at_release() -> None:
    decision = may_leave(declaration(), AFTER, released=True, duties_paid=False)
    assert decision.may_leave and decision.reason == "released"
    assert not may_leave(declaration(), AFTER, released=False, duties_paid=True).may_leave
    assert may_leave(declaration(), ARRIVAL - timedelta(minutes=1), released=True, duties_paid=True).reason == "not_arrived"


@pytest.mark.parametrize("consignee", [
    Consignee("x", "Privat", private_person=True),
    Consignee(IMPORTER, "I", customs_credit=CustomsCredit.WITHDRAWN),
    Consignee("SE556000000001", "Svensk AB", country="SE"),
])
def test_private_no_credit_and_foreign_consignees_wait_for_payment(consignee: Consignee) -> None:
    decl = declaration(procedure=Procedure.FULL_EXPRESS, additional_type="D", consignee=consignee)
    waiting = may_leave(decl, AFTER, released=True, duties_paid=False)
    assert not waiting.may_leave and waiting.reason == "duties_unpaid" and "TDL § 33" in waiting.en
    assert may_leave(decl, AFTER, released=True, duties_paid=True).may_leave


def test_damaged_packaging_waits_for_clearance_only() -> None:
    decl = declaration(procedure=Procedure.FULL_EXPRESS, additional_type="D", goods=(item(packaging_heavily_damaged=True),))
    assert not may_leave(decl, AFTER, released=False, duties_paid=True).may_leave
    assert may_leave(decl, AFTER, released=True, duties_paid=False).may_leave


def test_on_the_agents_temporary_storage_the_agent_is_liable_and_duties_come_first() -> None:
    decl = declaration(procedure=Procedure.STANDARD, additional_type="A", agent_temporary_storage=True,
                       consignee=Consignee("x", "Privat", private_person=True))
    outcome = temporary_storage_outcome(decl)
    assert outcome is not None and outcome.liable == decl.declarant.identifier
    assert not outcome.may_leave_before_duties_paid and "liable" in outcome.en and "hæfter" in outcome.da
    waiting = may_leave(decl, AFTER, released=True, duties_paid=False)
    assert (waiting.may_leave, waiting.reason, waiting.liable) == (False, "duties_unpaid", decl.declarant.identifier)
    assert may_leave(decl, AFTER, released=True, duties_paid=True).may_leave
    assert temporary_storage_outcome(declaration()) is None
    own = replace(decl, declarant=Declarant(IMPORTER, "I", DeclarantRole.CONSIGNEE))
    assert temporary_storage_outcome(own) is None


def test_express_options() -> None:
    options = express_options(declaration())
    assert options.full_express and options.simplified_express and options.reasons == ()
    private = express_options(declaration(procedure=Procedure.FULL_EXPRESS, authorisations=(),
                                          consignee=Consignee("x", "P", private_person=True)))
    assert private.full_express and not private.simplified_express
    assert codes(list(private.reasons)) == ["import.full_express.private_consignee",
                                            "import.simplified_express.not_authorised",
                                            "import.simplified_express.no_power_of_attorney"]  # the power names IMPORTER
    no_power = express_options(declaration(powers_of_attorney=()))
    assert codes(list(no_power.reasons)) == ["import.simplified_express.no_power_of_attorney"]


# Due dates: the supplementary declaration to a simplified express declaration accepted on the day.
@pytest.mark.parametrize(("accepted", "electronic", "due"), [
    (datetime(2025, 3, 14, 10, tzinfo=UTC), True, date(2025, 4, 2)),  # April 2025: Tue 1, Wed 2
    (datetime(2025, 3, 14, 10, tzinfo=UTC), False, date(2025, 3, 31)),  # Mon 31 March 2025
    (datetime(2026, 3, 20, 10, tzinfo=UTC), True, date(2026, 4, 7)),  # Wed 1, Easter Thu 2-Mon 6, Tue 7
    (datetime(2025, 12, 15, 10, tzinfo=UTC), True, date(2026, 1, 5)),  # 1 Jan 2026 (Thu) holiday; Fri 2, Mon 5
    (datetime(2025, 12, 15, 10, tzinfo=UTC), False, date(2025, 12, 30)),  # 31 Dec (Wed) closed: Tue 30
    (datetime(2026, 12, 1, 10, tzinfo=UTC), False, date(2026, 12, 30)),  # Thu 31 closed: Wed 30
    (datetime(2026, 12, 1, 10, tzinfo=UTC), True, date(2027, 1, 5)),  # 1 Jan 2027 (Fri) holiday; Mon 4, Tue 5
    (datetime(2027, 2, 26, 10, tzinfo=UTC), True, date(2027, 3, 2)),  # March 2027: Mon 1, Tue 2
    (datetime(2027, 3, 5, 10, tzinfo=UTC), False, date(2027, 3, 31)),  # Easter 25-29 March; Wed 31 works
    (datetime(2025, 5, 2, 10, tzinfo=UTC), False, date(2025, 5, 30)),  # Sat 31: Fri 30
    (datetime(2025, 7, 31, 22, 30, tzinfo=UTC), True, date(2025, 9, 2)),  # 00:30 on 1 Aug in DK: Sept Mon 1, Tue 2
    (datetime(2025, 7, 31, 21, 30, tzinfo=UTC), True, date(2025, 8, 4)),  # 23:30 on 31 July in DK: Aug Fri 1, Mon 4
    (datetime(2026, 12, 31, 9, tzinfo=UTC), False, date(2027, 1, 4)),  # accepted on the closed 31 Dec: next working day
])
def test_supplementary_due_date(accepted: datetime, electronic: bool, due: date) -> None:
    assert supplementary_due_date(accepted, electronic) == due


def test_is_overdue_the_day_after_the_due_date() -> None:
    accepted = datetime(2026, 3, 20, 10, tzinfo=UTC)  # due 7 April 2026 electronically
    assert not is_overdue(accepted, True, date(2026, 4, 7))
    assert is_overdue(accepted, True, date(2026, 4, 8))
    assert is_overdue(accepted, False, date(2026, 4, 1))  # on the SAD due Tue 31 March 2026


def test_supplementary_outcome_becomes_an_estimated_assessment() -> None:
    accepted = datetime(2026, 3, 20, 10, tzinfo=UTC)
    assert supplementary_outcome(accepted, True, date(2026, 4, 1)).state == SupplementaryState.AWAITING
    assert supplementary_outcome(accepted, True, date(2026, 5, 1), lodged_on=date(2026, 4, 7)).state == \
        SupplementaryState.LODGED_IN_TIME
    late = supplementary_outcome(accepted, True, date(2026, 4, 8))
    assert late.state == SupplementaryState.ESTIMATED_ASSESSMENT and "skønsmæssigt" in late.da
    assert supplementary_outcome(accepted, True, date(2026, 4, 20), lodged_on=date(2026, 4, 9)).state == \
        SupplementaryState.ESTIMATED_ASSESSMENT


def test_supplementary_declaration_rules() -> None:
    accepted = datetime(2026, 3, 20, 10, tzinfo=UTC)
    in_time = declaration(procedure=Procedure.SUPPLEMENTARY, additional_type="Y", simplified_accepted_at=accepted,
                          lodged_at=datetime(2026, 4, 7, 14, tzinfo=UTC))
    assert check_declaration(in_time, in_time.lodged_at) == []
    late = replace(in_time, lodged_at=datetime(2026, 4, 8, 8, tzinfo=UTC))
    assert codes(check_declaration(late, late.lodged_at)) == ["import.supplementary.late"]
    orphan = replace(in_time, simplified_accepted_at=None)
    assert codes(check_declaration(orphan, orphan.lodged_at)) == ["import.supplementary.no_simplified_declaration"]
