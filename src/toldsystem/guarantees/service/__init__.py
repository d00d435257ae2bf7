"""Guarantee use cases (GMS), the only seam between the guarantees room and its store.

registration.py registers guarantees at the office of guarantee; vouchers.py the TC32 vouchers;
codes.py the access codes, attempts.py the wrong ones (counted per caller and GRN against
guessing); reserving.py checks and reserves at release (holding.py writes the guarded amount),
releasing.py frees at arrival and discharges at "conform"; types.py the guarantee types of the
reference data (CL251, CL286) and `requires_grn`, which transit asks too; balance.py answers
balance queries; reading.py what a party may read; worklist.py the office's work lists. Each use case asks guarantees/authorisation.py
who may act.
"""

from toldsystem.guarantees.service.attempts import clear_failed_attempts, failed_attempts
from toldsystem.guarantees.service.balance import balance
from toldsystem.guarantees.service.codes import access_codes, add_access_code, change_access_code, revoke_access_code
from toldsystem.guarantees.service.demo import DEMO_CODES, DEMO_LABEL, DEMO_OFFICE, load_demo
from toldsystem.guarantees.service.reading import (get, get_for, ledger, ledger_balance, ledger_for, list_guarantees,
                                                   reservations, visible)
from toldsystem.guarantees.service.records import RateLimited, TooManyAttempts
from toldsystem.guarantees.service.registration import (approve_individual_document, register_comprehensive,
                                                        register_individual_document, revoke_guarantee)
from toldsystem.guarantees.service.releasing import discharge, free
from toldsystem.guarantees.service.reserving import (DeclaredReference, access_code_proof, check_and_reserve,
                                                     check_and_reserve_for, reserve_all)
from toldsystem.guarantees.service.types import guarantee_types, requires_grn, types_with_grn
from toldsystem.guarantees.service.vouchers import (VoucherBatch, register_voucher_batch, sell_voucher_batch,
                                                    visible_voucher_batches, voucher_batches)
from toldsystem.guarantees.service.worklist import Page, batches_to_register, guarantee_counts, office_guarantees

__all__ = ["Page", "batches_to_register", "guarantee_counts", "office_guarantees", "DEMO_CODES", "DEMO_LABEL", "DEMO_OFFICE", "DeclaredReference", "RateLimited", "TooManyAttempts",
           "VoucherBatch", "guarantee_types", "requires_grn", "types_with_grn",
           "access_code_proof", "access_codes",
           "add_access_code", "approve_individual_document", "balance", "change_access_code", "check_and_reserve",
           "check_and_reserve_for",
           "clear_failed_attempts", "discharge", "failed_attempts", "free", "get", "get_for", "ledger",
           "ledger_balance", "ledger_for", "list_guarantees", "load_demo", "register_comprehensive",
           "register_individual_document", "register_voucher_batch", "reservations", "reserve_all",
           "revoke_access_code", "revoke_guarantee", "sell_voucher_batch", "visible", "visible_voucher_batches",
           "voucher_batches"]
