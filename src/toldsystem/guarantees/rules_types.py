"""Guarantee types in GMS: the codes are the reference data's, what GMS does with each is GMS's own.

The reference data (never copied here) says which types exist and which have a GRN:
CL251 GuaranteeType lists every phase 5 type (0, 1, 2, 3, 4, 5, 8, 9, A, B, J, R in the bundled
lists), CL286 GuaranteeTypeWithGRN those that state a GRN and its access code (C0086). A GRN is
the number GMS gives a guarantee it registers, so GMS holds exactly the types of CL286, and never
one of the others: cash deposits (3), waivers without a GRN (5, A), public bodies (8), TIR (B, the
carnet is the guarantee), and J and R, for which no guarantee is required.

What GMS does with each type it holds is seed 003 ("Sikkerhedsstillelse i NCTS") and phase 5:
how the office of guarantee registers it, whether it covers one movement or several, whether a
balance query answers for it, and which CL252 reason a refusal gives.

Pure: the callers pass the lists from the reference snapshot (guarantees/service/types.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from types import MappingProxyType

from toldsystem.core.errors import Problem, problem
from toldsystem.reference.rules import CodeEntry

GUARANTEE_TYPE_LIST = "CL251"  # GuaranteeType
TYPES_WITH_GRN_LIST = "CL286"  # GuaranteeTypeWithGRN (C0086)

# How the office of guarantee comes to hold a guarantee (seed 003 "Sikkerhedsstillelse i NCTS"):
COMPREHENSIVE = "comprehensive"  # registered with the holder's authorisation, a reference amount, GRN and codes
INDIVIDUAL_DOCUMENT = "individual_document"  # the guarantor's document, approved and registered before use
VOUCHERS = "vouchers"  # TC32 vouchers sold by the forwarders' association, usable once the office registers them
REGISTRATION: Mapping[str, str] = MappingProxyType({
    "0": COMPREHENSIVE,  # guarantee waiver: "samlet kaution (herunder fritagelse for sikkerhedsstillelse)"
    "1": COMPREHENSIVE,
    "2": INDIVIDUAL_DOCUMENT,  # "enkelt kaution ved kautionist"
    "9": INDIVIDUAL_DOCUMENT,  # an individual guarantee too, by a guarantor's document, "with multiple usage"
    "4": VOUCHERS,  # "enkelt kaution i form af sikkerhedsdokumenter (7.000 EUR)"
})
HELD_IN_GMS = frozenset(REGISTRATION)
COMPREHENSIVE_TYPES = frozenset(t for t, how in REGISTRATION.items() if how == COMPREHENSIVE)
INDIVIDUAL_DOCUMENT_TYPES = frozenset(t for t, how in REGISTRATION.items() if how == INDIVIDUAL_DOCUMENT)
VOUCHER_TYPE = "4"
INDIVIDUAL_BY_GUARANTOR = "2"
# One movement each: CL252 has "G05 Individual guarantee voucher already used" and "G10 Individual
# guarantee by Guarantor already used"; type 9 is the individual guarantee "with multiple usage" (CL251).
SINGLE_USE_TYPES = frozenset({INDIVIDUAL_BY_GUARANTOR, VOUCHER_TYPE})
# Phase 5 answers balance queries (IE034/IE037) for types 0, 1 and 9 only, not for the single-use
# 2 and 4 (HMRC's CTC Guarantee Balance API phase 5 service guide).
BALANCE_TYPES = frozenset({"0", "1", "9"})

_PROCEDURES = {
    COMPREHENSIVE: ("a comprehensive guarantee or guarantee waiver", "en samlet kaution eller fritagelse"),
    INDIVIDUAL_DOCUMENT: ("an individual guarantee document", "et kautionsdokument"),
    VOUCHERS: ("TC32 vouchers sold by the forwarders' association",
               "sikkerhedsdokumenter (TC32) solgt af Danske Speditører"),
}
_PROBLEM_CODES = {COMPREHENSIVE: "guarantee.not_comprehensive", INDIVIDUAL_DOCUMENT: "guarantee.not_individual",
                  VOUCHERS: "guarantee.not_vouchers"}
_LABEL_LENGTH = 70


def requires_grn(guarantee_type: str | None, types_with_grn: Collection[str] = ()) -> bool:
    """C0086: a type of CL286 states a GRN and its access code, and only GMS holds such guarantees.

    `types_with_grn` is CL286 from the reference data; without it (not loaded, or a caller that
    does not pass it) the types GMS registers, which are CL286's while the bundled lists are loaded."""
    return guarantee_type is not None and guarantee_type in (types_with_grn or HELD_IN_GMS)


def type_label(guarantee_type: str, guarantee_types: Mapping[str, CodeEntry]) -> tuple[str, str]:
    """'B (Guarantee for goods dispatched under TIR procedure)' in English and Danish, from CL251."""
    entry = guarantee_types.get(guarantee_type)
    if entry is None:
        return guarantee_type, guarantee_type
    return f"{guarantee_type} ({_short(entry.en)})", f"{guarantee_type} ({_short(entry.da or entry.en)})"


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_LENGTH else text[:_LABEL_LENGTH - 1].rstrip() + "…"


def check_type_held_in_gms(guarantee_type: str, guarantee_types: Mapping[str, CodeEntry],
                           types_with_grn: Collection[str], pointer: str = "guarantee/guaranteeType") -> Problem | None:
    """CL251, C0086 (CL286): GMS holds guarantees of the types with a GRN, and of no other type."""
    if guarantee_types and guarantee_type not in guarantee_types:
        return problem("guarantee.type_unknown", pointer,
                       f"guarantee type {guarantee_type!r} is not in CL251 (GuaranteeType): use one of "
                       f"{', '.join(sorted(guarantee_types))}",
                       f"sikkerhedsstillelsesart {guarantee_type!r} findes ikke i CL251: brug en af "
                       f"{', '.join(sorted(guarantee_types))}")
    en, da = type_label(guarantee_type, guarantee_types)
    if not requires_grn(guarantee_type, types_with_grn):
        return problem("guarantee.type_not_in_gms", pointer,
                       f"guarantee type {en} has no GRN and no access code (C0086, CL286), so GMS holds no "
                       "guarantee of this type; it is declared without a GRN",
                       f"sikkerhedsstillelsesart {da} har hverken GRN eller adgangskode (C0086, CL286), så GMS "
                       "har ingen sikkerhedsstillelse af denne art; den angives uden GRN")
    if guarantee_type not in REGISTRATION:
        return problem("guarantee.type_not_supported", pointer,
                       f"GMS cannot register guarantee type {en} (CL286): it registers types "
                       f"{', '.join(sorted(REGISTRATION))}",
                       f"GMS kan ikke registrere sikkerhedsstillelsesart {da} (CL286): den registrerer art "
                       f"{', '.join(sorted(REGISTRATION))}")
    return None


def check_registered_as(guarantee_type: str, procedure: str, guarantee_types: Mapping[str, CodeEntry],
                        types_with_grn: Collection[str], pointer: str = "guarantee_type") -> Problem | None:
    """Seed 003 "Sikkerhedsstillelse i NCTS": 0 and 1 are registered as comprehensive guarantees, 2 and 9 as
    guarantee documents, 4 as vouchers; a type GMS does not hold is not registered at all."""
    found = check_type_held_in_gms(guarantee_type, guarantee_types, types_with_grn, pointer)
    if found is not None or REGISTRATION[guarantee_type] == procedure:
        return found
    en, da = type_label(guarantee_type, guarantee_types)
    wanted_en, wanted_da = _PROCEDURES[procedure]
    how_en, how_da = _PROCEDURES[REGISTRATION[guarantee_type]]
    allowed = ", ".join(sorted(t for t, how in REGISTRATION.items() if how == procedure))
    return problem(_PROBLEM_CODES[procedure], pointer,
                   f"guarantee type {en} is registered as {how_en}, not as {wanted_en} (types {allowed})",
                   f"sikkerhedsstillelsesart {da} registreres som {how_da}, ikke som {wanted_da} (art {allowed})")


def check_declared_type(declared: str | None, registered: str, guarantee_types: Mapping[str, CodeEntry],
                        pointer: str = "guarantee/guaranteeType") -> Problem | None:
    """CL252 G13: the guarantee type declared with a GRN is the type GMS registered the GRN with."""
    if declared is None or declared == registered:
        return None
    en, da = type_label(registered, guarantee_types)
    return problem("guarantee.type_mismatch", pointer,
                   f"this GRN is a guarantee of type {en}, not of type {declared}",
                   f"dette GRN er en sikkerhedsstillelse af art {da}, ikke af art {declared}")


def check_balance_available(guarantee_type: str, guarantee_types: Mapping[str, CodeEntry],
                            pointer: str = "guarantee/GRN") -> Problem | None:
    """Phase 5 (HMRC's guarantee balance service guide): a balance query answers for types 0, 1 and 9 only."""
    if guarantee_type in BALANCE_TYPES:
        return None
    en, da = type_label(guarantee_type, guarantee_types)
    return problem("guarantee.balance_not_available", pointer,
                   f"a balance query answers for guarantee types {', '.join(sorted(BALANCE_TYPES))}; this GRN is "
                   f"type {en}, which covers one movement: the guarantee is checked when it is used",
                   f"saldoforespørgsel besvares for art {', '.join(sorted(BALANCE_TYPES))}; dette GRN er art {da}, "
                   "som dækker én forsendelse: den kontrolleres, når den bruges")


# The reason code of CL252 (InvalidGuaranteeReason) for each refusal GMS gives at release (CC055C).
# An unknown GRN, another holder's and a wrong access code share one answer (no oracle; seed 003,
# SPEC G), given as G01; so are the waits and lockouts after wrong codes, given as G03.
INVALID_GUARANTEE_REASONS: Mapping[str, str] = MappingProxyType({
    "guarantee.not_valid": "G01", "guarantee.grn_malformed": "G01", "guarantee.unknown": "G01",
    "guarantee.attempts_backoff": "G03", "guarantee.attempts_locked": "G03",
    "guarantee.access_code_malformed": "G03",
    "guarantee.not_approved": "G02", "guarantee.voucher_not_registered": "G02", "guarantee.revoked": "G02",
    "guarantee.voucher_already_used": "G05", "guarantee.document_already_used": "G10",
    "guarantee.not_valid_in_country": "G08", "guarantee.not_covered": "G09",
    "guarantee.type_mismatch": "G13", "guarantee.type_not_in_gms": "G13", "guarantee.type_unknown": "G13",
})
OTHER_INVALID_GUARANTEE_REASON = "G02"  # "Guarantee exists, but not valid": any other refusal


def invalid_guarantee_reason(problem_code: str) -> str:
    """CL252: the InvalidGuaranteeReason code of a GMS refusal, for CC055C."""
    return INVALID_GUARANTEE_REASONS.get(problem_code, OTHER_INVALID_GUARANTEE_REASON)
