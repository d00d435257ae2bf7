"""HTTP API of the guarantee management system (GMS).

Officers register guarantees, approve documents and register voucher batches. The
forwarders' association notifies its sales of vouchers with its own token (a company holding
the `voucher_sales` authorisation; an officer may record one too). Companies see only their own
guarantees, manage their access codes, and query balances and test reservations with the GRN
and access code in the request body — never in the URL, where logs would keep them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from toldsystem.access.api import PartyDep
from toldsystem.core.api import CONFLICT, DbInt, RowId, room_router
from toldsystem.guarantees import service
from toldsystem.guarantees.rules import AccessCode, CodeAttempts, Guarantee, IssuedCode, Reservation

router = room_router("/guarantees", tags=["guarantees"])


# --- bodies and responses ----------------------------------------------------------------------

# Lengths as the store keeps them (guarantees/store.py): a longer value is refused here, by name.
Country = Annotated[str, Field(max_length=2)]
NotValidIn = Annotated[list[Country], Field(max_length=13, examples=[["CH", "NO"]])]  # 'CH;NO…' in 40 characters
Label = Annotated[str, Field(max_length=200, description="The person the first access code is for")]


class ComprehensiveIn(BaseModel):
    holder_eori: str = Field(max_length=17, examples=["DK13585628"])
    reference_amount: str = Field(max_length=40, examples=["100000.00"],
                                  description="Decimal as a string, at most 2 decimals")
    currency: str = Field("EUR", max_length=3, examples=["EUR"])
    office_of_guarantee: str = Field(max_length=8, examples=["DK009860"])
    guarantee_type: str = Field("1", max_length=1, description="1 comprehensive guarantee, 0 guarantee waiver (CL251)")
    not_valid_in: NotValidIn = []
    access_code_label: Label = "Hovedforpligtede"


class IndividualIn(BaseModel):
    holder_eori: str = Field(max_length=17, examples=["DK13585628"])
    amount: str = Field(max_length=40, examples=["25000.00"])
    currency: str = Field("EUR", max_length=3)
    office_of_guarantee: str = Field(max_length=8, examples=["DK009860"])
    guarantee_type: str = Field("2", max_length=1, description="2 by guarantor (one movement), 9 with multiple usage (CL251)")
    guarantor: str = Field("", max_length=200)
    not_valid_in: NotValidIn = []
    access_code_label: Label = "Hovedforpligtede"


class VoucherSaleIn(BaseModel):
    buyer_eori: str = Field(max_length=17, examples=["DK13585628"])
    count: DbInt = Field(examples=[5])
    office_of_guarantee: str = Field(max_length=8, examples=["DK009860"])


class AccessCodeIn(BaseModel):
    label: str = Field(max_length=200, examples=["Mette Jensen, speditør"], description="The person the holder authorises")
    access_code: str | None = Field(None, description="4 letters or digits; generated when left out")


class AccessCodeChangeIn(BaseModel):
    access_code: str | None = Field(None, description="4 letters or digits; generated when left out")


class BalanceIn(BaseModel):
    grn: str = Field(examples=["26DK0098600000017"])
    access_code: str = Field(examples=["AB12"])


class ReserveIn(BaseModel):
    grn: str = Field(examples=["26DK0098600000017"])
    access_code: str = Field(examples=["AB12"])
    amount: str = Field(max_length=40, examples=["12500.00"], description="Amount to be covered, as a string")
    currency: str = Field("EUR", max_length=3, examples=["DKK"])
    route_countries: list[Country] = Field(default_factory=list, max_length=99, examples=[["DK", "DE"]])
    movement_ref: str = Field(max_length=40, examples=["26DK009860000001J1"], description="MRN (or LRN) of the movement")
    guarantee_type: str | None = Field(None, max_length=1, examples=["1"],
                                       description="The guarantee type declared with the GRN (CL251); when given, "
                                                   "it must be the GRN's own type, one GMS holds (CL286)")


class GuaranteeOut(BaseModel):
    grn: str
    type: str
    holder_eori: str
    office_of_guarantee: str
    reference_amount: str
    currency: str
    status: str
    not_valid_in: list[str]
    open_amount: str
    available: str


class IssuedCodeOut(BaseModel):
    id: int
    grn: str
    label: str
    access_code: str = Field(description="Shown this once; store it safely. GMS keeps only a keyed hash.")


class RegisteredOut(BaseModel):
    guarantee: GuaranteeOut
    access_code: IssuedCodeOut


class AccessCodeOut(BaseModel):
    id: int
    grn: str
    label: str
    created_at: str
    revoked_at: str | None


class BatchOut(BaseModel):
    id: int
    base_grn: str
    buyer_eori: str
    office_of_guarantee: str
    count: int
    registered: bool
    vouchers: list[IssuedCodeOut] = Field(default_factory=list, description="GRN and access code per voucher, "
                                          "returned only in the answer to the sale")


class BalanceOut(BaseModel):
    grn: str
    reference_amount: str
    open_amount: str
    available: str
    currency: str


class ReservationOut(BaseModel):
    movement_ref: str
    grn: str
    amount: str
    currency: str
    declared_amount: str
    declared_currency: str
    state: str


class FailedAttemptsOut(BaseModel):
    caller: str = Field(description="The EORI of the company (or the officer) that sent wrong access codes")
    failures: int = Field(description="Wrong codes (or unknown GRNs) in a row; a right code clears them")
    first_failed_at: str
    last_failed_at: str
    blocked_until: str | None = Field(description="No code from this caller is checked before then")
    locked: bool = Field(description="Locked out of this GRN until you clear it")


class LedgerEntryOut(BaseModel):
    id: int
    kind: str
    movement_ref: str
    amount: str
    currency: str
    created_at: str


def _guarantee_out(g: Guarantee) -> GuaranteeOut:
    return GuaranteeOut(grn=g.grn, type=g.type, holder_eori=g.holder_eori, office_of_guarantee=g.office_of_guarantee,
                        reference_amount=str(g.reference_amount), currency=g.currency, status=g.status,
                        not_valid_in=sorted(g.not_valid_in), open_amount=str(g.open_amount), available=str(g.available))


def _issued_out(c: IssuedCode) -> IssuedCodeOut:
    return IssuedCodeOut(id=c.id, grn=c.grn, label=c.label, access_code=c.code)


def _code_out(c: AccessCode) -> AccessCodeOut:
    return AccessCodeOut(id=c.id, grn=c.grn, label=c.label, created_at=c.created_at.isoformat(),
                         revoked_at=c.revoked_at.isoformat() if c.revoked_at else None)


def _reservation_out(r: Reservation) -> ReservationOut:
    return ReservationOut(movement_ref=r.movement_ref, grn=r.grn, amount=str(r.amount), currency=r.currency,
                          declared_amount=str(r.declared_amount), declared_currency=r.declared_currency, state=r.state)


def _attempts_out(a: CodeAttempts) -> FailedAttemptsOut:
    return FailedAttemptsOut(caller=a.caller, failures=a.failures, first_failed_at=a.first_failed_at.isoformat(),
                             last_failed_at=a.last_failed_at.isoformat(),
                             blocked_until=a.blocked_until.isoformat() if a.blocked_until else None, locked=a.locked)


def _batch_out(b: service.VoucherBatch) -> BatchOut:
    return BatchOut(id=b.id, base_grn=b.base_grn, buyer_eori=b.buyer_eori, office_of_guarantee=b.office_of_guarantee,
                    count=b.count, registered=b.registered, vouchers=[_issued_out(v) for v in b.vouchers])


# --- officers --------------------------------------------------------------------------------

@router.post("/comprehensive", status_code=201, response_model=RegisteredOut,
             summary="Register a comprehensive guarantee or waiver (officer of the office of guarantee); the first "
                     "access code is shown once")
def register_comprehensive(body: ComprehensiveIn, party: PartyDep) -> RegisteredOut:
    g, code = service.register_comprehensive(
        body.holder_eori, body.reference_amount, body.currency, office_of_guarantee=body.office_of_guarantee,
        guarantee_type=body.guarantee_type, not_valid_in=body.not_valid_in, access_code_label=body.access_code_label,
        by=party)
    return RegisteredOut(guarantee=_guarantee_out(g), access_code=_issued_out(code))


@router.post("/individual", status_code=201, response_model=RegisteredOut,
             summary="Record an individual guarantee document (officer of the office of guarantee); usable only "
                     "once approved")
def register_individual(body: IndividualIn, party: PartyDep) -> RegisteredOut:
    g, code = service.register_individual_document(
        body.holder_eori, body.amount, body.currency, office_of_guarantee=body.office_of_guarantee,
        guarantee_type=body.guarantee_type, guarantor=body.guarantor, not_valid_in=body.not_valid_in,
        access_code_label=body.access_code_label, by=party)
    return RegisteredOut(guarantee=_guarantee_out(g), access_code=_issued_out(code))


@router.post("/{grn}/approve", response_model=GuaranteeOut, responses=CONFLICT,
             summary="Approve and register an individual guarantee document (officer of its office of guarantee)")
def approve(grn: str, party: PartyDep) -> GuaranteeOut:
    return _guarantee_out(service.approve_individual_document(grn, by=party))


@router.post("/{grn}/revoke", response_model=GuaranteeOut, responses=CONFLICT,
             summary="Revoke a guarantee (officer of its office of guarantee)")
def revoke(grn: str, party: PartyDep) -> GuaranteeOut:
    return _guarantee_out(service.revoke_guarantee(grn, by=party))


@router.post("/voucher-batches", status_code=201, response_model=BatchOut,
             summary="Notify a sale of TC32 vouchers (the forwarders' association, or an officer); "
                     "GRNs and access codes shown once")
def sell_vouchers(body: VoucherSaleIn, party: PartyDep) -> BatchOut:
    return _batch_out(service.sell_voucher_batch(body.buyer_eori, body.count,
                                                 office_of_guarantee=body.office_of_guarantee, by=party))


@router.post("/voucher-batches/{batch_id}/register", response_model=BatchOut, responses=CONFLICT,
             summary="Register a sold voucher batch (officer of its office of guarantee); its vouchers become usable")
def register_vouchers(batch_id: RowId, party: PartyDep) -> BatchOut:
    return _batch_out(service.register_voucher_batch(batch_id, by=party))


@router.get("/voucher-batches", response_model=list[BatchOut],
            summary="Voucher batches (officer: its office's; company: those it bought), without codes")
def list_batches(party: PartyDep) -> list[BatchOut]:
    return [_batch_out(b) for b in service.visible_voucher_batches(party)]


@router.post("/reservations/{movement_ref}/free", response_model=list[ReservationOut],
             summary="Free a movement's reserved amounts at arrival (national officer; transit does this itself)")
def free(movement_ref: str, party: PartyDep) -> list[ReservationOut]:
    return [_reservation_out(r) for r in service.free(movement_ref, by=party)]


@router.post("/reservations/{movement_ref}/discharge", response_model=list[ReservationOut],
             summary="Discharge a movement's guarantees at control result 'conform' (national officer; transit does "
                     "this itself)")
def discharge(movement_ref: str, party: PartyDep) -> list[ReservationOut]:
    return [_reservation_out(r) for r in service.discharge(movement_ref, by=party)]


# --- everyone: own guarantees only, balance ------------------------------------------------------

@router.get("", response_model=list[GuaranteeOut],
            summary="Guarantees (officer: its office's; company: its own only)")
def list_guarantees(party: PartyDep) -> list[GuaranteeOut]:
    return [_guarantee_out(g) for g in service.visible(party)]


@router.post("/balance", response_model=BalanceOut, responses={429: {}},
             summary="Balance query by GRN and access code (IE034 → IE037); limited and counted per caller and GRN")
def balance(body: BalanceIn, party: PartyDep) -> BalanceOut:
    b = service.balance(body.grn, body.access_code, caller=party.key)
    return BalanceOut(grn=b.grn, reference_amount=str(b.reference_amount), open_amount=str(b.open_amount),
                      available=str(b.available), currency=b.currency)


@router.post("/check-and-reserve", status_code=201, response_model=ReservationOut, responses={**CONFLICT, 429: {}},
             summary="Check a guarantee and reserve the amount for a movement, as at release (company, for testing "
                     "trader software); refusals list every reason (CC055C)")
def check_and_reserve(body: ReserveIn, party: PartyDep) -> ReservationOut:
    return _reservation_out(service.check_and_reserve_for(party, body.grn, body.access_code, body.amount,
                                                          body.currency, body.route_countries, body.movement_ref,
                                                          body.guarantee_type))


@router.get("/{grn}", response_model=GuaranteeOut, summary="One guarantee (officer, or its holder)")
def get_guarantee(grn: str, party: PartyDep) -> GuaranteeOut:
    return _guarantee_out(service.get_for(party, grn))


@router.get("/{grn}/ledger", response_model=list[LedgerEntryOut],
            summary="The guarantee's append-only ledger (officer, or its holder)")
def get_ledger(grn: str, party: PartyDep) -> list[LedgerEntryOut]:
    return [LedgerEntryOut(id=e.id, kind=e.kind, movement_ref=e.movement_ref, amount=str(e.amount),
                           currency=e.currency, created_at=e.created_at.isoformat())
            for e in service.ledger_for(party, grn)]


@router.get("/{grn}/failed-attempts", response_model=list[FailedAttemptsOut],
            summary="Who sent wrong access codes for your guarantee, and who waits or is locked out (holder)")
def failed_attempts(grn: str, party: PartyDep) -> list[FailedAttemptsOut]:
    return [_attempts_out(a) for a in service.failed_attempts(party, grn)]


@router.post("/{grn}/failed-attempts/{caller}/clear", response_model=FailedAttemptsOut,
             summary="Clear a caller's wait or lockout on your guarantee (holder); answers what was cleared")
def clear_failed_attempts(grn: str, caller: str, party: PartyDep) -> FailedAttemptsOut:
    return _attempts_out(service.clear_failed_attempts(party, grn, caller))


# --- holder: access codes --------------------------------------------------------------------------

@router.get("/{grn}/access-codes", response_model=list[AccessCodeOut],
            summary="The holder's list of authorised persons (labels and dates; never the codes)")
def list_access_codes(grn: str, party: PartyDep) -> list[AccessCodeOut]:
    return [_code_out(c) for c in service.access_codes(party, grn)]


@router.post("/{grn}/access-codes", status_code=201, response_model=IssuedCodeOut, responses=CONFLICT,
             summary="Authorise a person with a new access code (holder); the code is shown once")
def add_access_code(grn: str, body: AccessCodeIn, party: PartyDep) -> IssuedCodeOut:
    return _issued_out(service.add_access_code(party, grn, body.label, body.access_code))


@router.post("/{grn}/access-codes/{code_id}/change", status_code=201, response_model=IssuedCodeOut,
             responses=CONFLICT,
             summary="Change an access code (holder): the old one stops working; the new one is shown once")
def change_access_code(grn: str, code_id: RowId, body: AccessCodeChangeIn, party: PartyDep) -> IssuedCodeOut:
    return _issued_out(service.change_access_code(party, grn, code_id, body.access_code))


@router.post("/{grn}/access-codes/{code_id}/revoke", response_model=AccessCodeOut, responses=CONFLICT,
             summary="Revoke an access code (holder)")
def revoke_access_code(grn: str, code_id: RowId, party: PartyDep) -> AccessCodeOut:
    return _code_out(service.revoke_access_code(party, grn, code_id))
