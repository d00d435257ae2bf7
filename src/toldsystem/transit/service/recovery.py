"""Recovery: the competent authority of recovery at departure claims the debt from the holder (CC035C)
for goods that did not arrive, whose major discrepancies were not resolved, or after incidents; the
movement is then written off (CC045C) and the transit procedure ends (TIS "Recovery process",
"Recovery initiation on incident occurrence")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Rejected, problem
from toldsystem.transit import answers, answers_holder, states
from toldsystem.transit.service.log import StoredMessage, answering, send_to_holder_side, set_state
from toldsystem.transit.service.movements import require_on, require_state


def declared_amount(declaration: dict) -> tuple[str, str]:
    """The amount the guarantees cover for the movement (box 52), in the currency of the first: what is
    claimed unless the office states the debt."""
    references = [ref for g in declaration.get("Guarantee", []) for ref in g.get("GuaranteeReference", [])
                  if ref.get("amountToBeCovered")]
    currency = references[0].get("currency", "EUR") if references else "EUR"
    total = sum((Decimal(ref["amountToBeCovered"]) for ref in references if ref.get("currency", "EUR") == currency),
                Decimal("0"))
    return f"{total:.2f}", currency


def recover(officer: Party, mrn: str, text: str, amount: str | None = None, currency: str | None = None,
            office_of_recovery: str | None = None) -> list[StoredMessage]:
    """CC035C to the holder, then CC045C: the movement ends in recovery. The guarantee stays reserved:
    it answers for the debt until the office of guarantee frees it."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.recover", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.recover"], "start recovery for")
        declared = jsontext.loads(movement.declaration)
        default_amount, default_currency = declared_amount(declared)
        claimed = _amount(amount) if amount else default_amount
        office = office_of_recovery or movement.office_of_departure
        set_state(conn, movement.id, states.RECOVERED, "recovery", officer,
                  {"text": text, "amountClaimed": claimed, "currency": currency or default_currency,
                   "officeOfRecovery": office})
        notification = answers_holder.cc035c(declared, mrn, movement.submitted_at, clock.local(now).date(), office,
                                             claimed, currency or default_currency, text)
        sent.extend(send_to_holder_side(conn, movement, "CC035C", notification, None, now))
        sent.extend(send_to_holder_side(conn, movement, "CC045C", answers.cc045c(declared, mrn, now), None, now))
        return sent


def _amount(text: str) -> str:
    """The claimed amount: positive, at most 16 digits with 2 decimals (phase 5 amountClaimed)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("-1")
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")) or value >= Decimal("1e14"):
        raise Rejected(problem("recovery.amount", "amount", "the amount claimed is a positive amount with at most "
                               "2 decimals", "det krævede beløb er et positivt beløb med højst 2 decimaler"))
    return f"{value:.2f}"
