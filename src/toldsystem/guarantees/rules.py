"""Pure rules of the guarantee management system, GMS (seed 003 box 52 and "Sikkerhedsstillelse i NCTS").

No IO here: the service reads the store, asks these functions, and writes.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from toldsystem.core.errors import Problem, problem
from toldsystem.core.identifiers import is_valid_grn, is_valid_office_code, make_grn, make_voucher_grn
# Access codes and the guessing rules are their own module; the room's rules are read from here.
from toldsystem.guarantees.rules_codes import (  # noqa: F401
    ACCESS_CODE_ALPHABET, ACCESS_CODE_PATTERN, AccessCode, CodeAttempts, IssuedCode, access_code_digest,
    access_code_matches, check_access_code_format, check_access_code_label, guarantee_not_valid_problem,
    new_access_code, normalise_access_code, proof_matches)
from toldsystem.reference.rules import GUARANTEE_LIMITATION_COUNTRIES
# The guarantee types (CL251, CL286 from the reference data) and what GMS does with each are their own module.
from toldsystem.guarantees.rules_types import (  # noqa: F401
    BALANCE_TYPES, COMPREHENSIVE, COMPREHENSIVE_TYPES, GUARANTEE_TYPE_LIST, HELD_IN_GMS, INDIVIDUAL_BY_GUARANTOR,
    INDIVIDUAL_DOCUMENT, INDIVIDUAL_DOCUMENT_TYPES, INVALID_GUARANTEE_REASONS, OTHER_INVALID_GUARANTEE_REASON,
    REGISTRATION, SINGLE_USE_TYPES, TYPES_WITH_GRN_LIST, VOUCHER_TYPE, VOUCHERS, check_balance_available,
    check_declared_type, check_registered_as, check_type_held_in_gms, invalid_guarantee_reason, requires_grn,
    type_label)

# Box 52 "countries where the guarantee is not valid" (seed 003): CH, NO, IS, AN, SM, HR.
LIMITATION_COUNTRIES = GUARANTEE_LIMITATION_COUNTRIES

VOUCHER_AMOUNT = Decimal("7000")
VOUCHER_CURRENCY = "EUR"
MAX_VOUCHERS_PER_BATCH = 1000

# Statuses of a guarantee in GMS.
PENDING, REGISTERED, REVOKED = "pending", "registered", "revoked"

# Ledger entry kinds: every change of an open amount is one of these.
RESERVE, FREE, DISCHARGE, ADJUST = "reserve", "free", "discharge", "adjust"
LEDGER_KINDS = (RESERVE, FREE, DISCHARGE, ADJUST)

# Reservation states: reserved at release, freed at arrival, discharged at control result "conform".
RESERVED, FREED, DISCHARGED = "reserved", "freed", "discharged"

COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class Guarantee:
    """A guarantee as GMS holds it; amounts in the guarantee's own currency."""

    grn: str
    type: str
    holder_eori: str
    office_of_guarantee: str
    reference_amount: Decimal
    currency: str
    status: str
    not_valid_in: frozenset[str]
    open_amount: Decimal
    uses: int
    batch_id: int | None
    created_at: datetime

    @property
    def single_use(self) -> bool:
        return self.type in SINGLE_USE_TYPES

    @property
    def available(self) -> Decimal:
        return available_amount(self)


@dataclass(frozen=True, slots=True)
class Reservation:
    """An amount held on a guarantee for one movement (box 52 at release)."""

    movement_ref: str
    grn: str
    amount: Decimal  # in the guarantee's currency
    currency: str
    declared_amount: Decimal
    declared_currency: str
    state: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Balance:
    """The answer to a balance query (IE034 → IE037)."""

    grn: str
    reference_amount: Decimal
    open_amount: Decimal
    available: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One append-only line of the guarantee ledger."""

    id: int
    grn: str
    kind: str
    movement_ref: str
    amount: Decimal
    currency: str
    created_at: datetime


# --- GRN ---------------------------------------------------------------------------------------

def grn_unique_part(office_of_guarantee: str, serial: int) -> str:
    """The 12-character unique part of a GRN: the office of guarantee's 6 digits and a 6-character serial."""
    if not is_valid_office_code(office_of_guarantee):
        raise ValueError("office of guarantee must be an office reference number")
    if not 0 < serial < 36**6:
        raise ValueError("GRN serial out of range")
    digits = string.digits + string.ascii_uppercase
    out, n = "", serial
    while n:
        n, rem = divmod(n, 36)
        out = digits[rem] + out
    return office_of_guarantee[2:] + out.rjust(6, "0")


def new_grn(year: int, office_of_guarantee: str, serial: int) -> str:
    """GRN of 17 characters for the office of guarantee and a serial allocated by the store — seed 003."""
    return make_grn(year, office_of_guarantee[:2], grn_unique_part(office_of_guarantee, serial))


def voucher_grns(base_grn: str, count: int) -> list[str]:
    """The 24-character GRNs of a batch of TC32 vouchers: the batch's GRN plus V and a number — seed 003."""
    return [make_voucher_grn(base_grn, n) for n in range(1, count + 1)]


def check_grn_format(grn: str, pointer: str = "guarantee/GRN") -> Problem | None:
    """Box 52: a GRN has 17 characters (24 for a voucher) with a correct check digit — seed 003."""
    if grn and is_valid_grn(grn):
        return None
    return problem("guarantee.grn_malformed", pointer,
                   "GRN must be 17 characters (24 for a TC32 voucher) with a correct check digit",
                   "GRN skal være 17 tegn (24 for et sikkerhedsdokument) med korrekt kontrolciffer")


# --- validity, amounts, coverage -------------------------------------------------------------

def check_limitation_countries(countries: Iterable[str], pointer: str = "not_valid_in") -> Problem | None:
    """Box 52: a guarantee may be limited as not valid in CH, NO, IS, AN, SM or HR only — seed 003."""
    wrong = sorted(set(countries) - LIMITATION_COUNTRIES)
    if not wrong:
        return None
    return problem("guarantee.limitation_country", pointer,
                   f"{', '.join(wrong)} cannot be a limitation; use {', '.join(sorted(LIMITATION_COUNTRIES))}",
                   f"{', '.join(wrong)} kan ikke angives som begrænsning")


def check_country_codes(countries: Iterable[str], pointer: str = "countryOfRoutingOfConsignment") -> Problem | None:
    """Countries of the route are 2-letter ISO codes."""
    wrong = [c for c in countries if not COUNTRY_PATTERN.fullmatch(c or "")]
    if not wrong:
        return None
    return problem("country.malformed", pointer, f"{wrong} are not 2-letter country codes",
                   f"{wrong} er ikke landekoder på 2 bogstaver")


def check_valid_in_route(not_valid_in: Iterable[str], route_countries: Iterable[str],
                         pointer: str = "countryOfRoutingOfConsignment") -> Problem | None:
    """Box 52: the guarantee must be valid in every country of the route — seed 003."""
    hit = sorted(set(not_valid_in) & set(route_countries))
    if not hit:
        return None
    return problem("guarantee.not_valid_in_country", pointer,
                   f"the guarantee is not valid in {', '.join(hit)}, which the route passes",
                   f"sikkerhedsstillelsen er ikke gyldig i {', '.join(hit)}, som ruten går igennem")


def check_usable(status: str, guarantee_type: str, pointer: str = "guarantee/GRN") -> Problem | None:
    """A guarantee is usable only when registered: documents approved, vouchers registered by the office — seed 003."""
    if status == REGISTERED:
        return None
    if status == PENDING and guarantee_type == VOUCHER_TYPE:
        return problem("guarantee.voucher_not_registered", pointer,
                       "this voucher cannot be used before the office of guarantee has registered it",
                       "sikkerhedsdokumentet kan ikke anvendes, før garantitoldstedet har registreret det")
    if status == PENDING:
        return problem("guarantee.not_approved", pointer,
                       "the guarantee document must be approved and registered by the office of guarantee before use",
                       "kautionsdokumentet skal godkendes og registreres af garantitoldstedet inden brug")
    return problem("guarantee.revoked", pointer, "the guarantee has been revoked",
                   "sikkerhedsstillelsen er tilbagekaldt")


def check_reference_amount(amount: Decimal, pointer: str = "reference_amount") -> Problem | None:
    """A reference amount is a positive amount — seed 003 "Referencebeløb"."""
    if amount > 0:
        return None
    return problem("amount.not_positive", pointer, "reference amount must be greater than zero",
                   "referencebeløbet skal være større end nul")


def check_currency_known(currency: str, eur_rates: dict[str, Decimal],
                         pointer: str = "guarantee/currency") -> Problem | None:
    """Amounts are in a currency of the reference list, which gives its EUR rate."""
    if currency in eur_rates:
        return None
    return problem("currency.unknown", pointer, f"currency {currency!r} is not in the reference list",
                   f"valuta {currency!r} findes ikke i referencelisten")


def available_amount(guarantee: Guarantee) -> Decimal:
    """What may still be reserved: reference minus open amounts; nothing once a single-use guarantee (2, 4) is
    used, nor while a guarantee is not registered (pending approval or revoked)."""
    if guarantee.status != REGISTERED or (guarantee.single_use and guarantee.uses > 0):
        return Decimal("0.00")
    return guarantee.reference_amount - guarantee.open_amount


def check_covers(guarantee: Guarantee, amount: Decimal, pointer: str = "guarantee/amountToBeCovered") -> Problem | None:
    """Coverage: open amounts plus this one within the reference amount (comprehensive, and type 9 "with
    multiple usage", CL251), the document's amount once (type 2), 7,000 EUR once per voucher — seed 003."""
    if guarantee.single_use and guarantee.uses > 0:
        return _already_used(guarantee.type, pointer)
    if guarantee.open_amount + amount <= guarantee.reference_amount:
        return None
    return problem("guarantee.not_covered", pointer,
                   f"the guarantee does not cover {amount} {guarantee.currency}: "
                   f"{available_amount(guarantee)} {guarantee.currency} is available",
                   f"sikkerhedsstillelsen dækker ikke {amount} {guarantee.currency}")


def _already_used(guarantee_type: str, pointer: str) -> Problem:
    """CL252 G05 (a voucher) and G10 (an individual guarantee by guarantor): used once, it covers no other movement."""
    if guarantee_type == VOUCHER_TYPE:
        return problem("guarantee.voucher_already_used", pointer, "this voucher (TC32) has already been used",
                       "dette sikkerhedsdokument (TC32) er allerede brugt")
    return problem("guarantee.document_already_used", pointer,
                   "this individual guarantee by guarantor has already been used; it covers one movement",
                   "denne enkeltkaution ved kautionist er allerede brugt; den dækker én forsendelse")


def check_movement_ref(movement_ref: str, pointer: str = "movementReference") -> Problem | None:
    """A reservation names its movement (MRN or LRN), 1 to 40 characters."""
    if movement_ref and len(movement_ref) <= 40 and movement_ref.strip() == movement_ref:
        return None
    return problem("movement.reference", pointer, "give the movement's reference (MRN or LRN), 1 to 40 characters",
                   "angiv forsendelsens reference (MRN eller LRN), 1 til 40 tegn")


def check_voucher_count(count: int, pointer: str = "count") -> Problem | None:
    """Vouchers are sold in batches of 1 to 1000 — seed 003 (Danske Speditører)."""
    if 0 < count <= MAX_VOUCHERS_PER_BATCH:
        return None
    return problem("voucher.count", pointer, f"a batch holds 1 to {MAX_VOUCHERS_PER_BATCH} vouchers",
                   f"en portion indeholder 1 til {MAX_VOUCHERS_PER_BATCH} sikkerhedsdokumenter")


def ledger_delta(kind: str, amount: Decimal) -> Decimal:
    """How a ledger entry moves the open amount: reserve adds, free and discharge subtract, adjust is signed."""
    if kind == RESERVE:
        return amount
    if kind in (FREE, DISCHARGE):
        return -amount
    return amount
