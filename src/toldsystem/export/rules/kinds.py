"""The kinds of export declaration: standard, simplified with its supplementary, pre-lodged (SPEC E; UCC art.
162-167, 171; the DMS Export schemas B1 and C1 of skat/dms-public).

The DMS TypeCode is the declaration type (EX export, CO Union goods to or from special fiscal territories,
EU to an EFTA country) followed by the additional declaration type (A, D standard; B, C, E, F simplified;
X, Y, Z supplementary).
"""

from __future__ import annotations

from collections.abc import Iterable

from toldsystem.core.errors import Problem, problem
from toldsystem.export.rules.model import DeclarationKind

DECLARATION_TYPES = ("EX", "CO", "EU")
KIND_BY_ADDITIONAL_TYPE = {
    "A": DeclarationKind.STANDARD, "D": DeclarationKind.PRE_LODGED_STANDARD,
    "B": DeclarationKind.SIMPLIFIED, "C": DeclarationKind.SIMPLIFIED,
    "E": DeclarationKind.PRE_LODGED_SIMPLIFIED, "F": DeclarationKind.PRE_LODGED_SIMPLIFIED,
    "X": DeclarationKind.SUPPLEMENTARY, "Y": DeclarationKind.SUPPLEMENTARY, "Z": DeclarationKind.SUPPLEMENTARY,
}
STANDARD_CATEGORIES = ("B1", "B2", "B3", "B4")  # the DMS standard export declarations
SIMPLIFIED_CATEGORY = "C1"  # the DMS simplified export declaration (and its supplementary)
REGULAR_USE_TYPES = ("C", "F")  # simplified declarations on regular use need an authorisation
SIMPLIFIED_DECLARATION_AUTHORISATION = "C512"  # the authorisation type code of the simplified declaration
SUPPLEMENTARY_OF = {"X": ("B", "E"), "Y": ("C", "F")}
_TYPE_CODE = "/Declaration/TypeCode"


def declaration_kind(type_code: str) -> DeclarationKind | Problem:
    """The kind of export declaration a DMS TypeCode (declaration type and additional type) names (UCC art. 162-167)."""
    code = type_code.strip().upper()
    if len(code) != 3 or code[:2] not in DECLARATION_TYPES or code[2] not in KIND_BY_ADDITIONAL_TYPE:
        return problem("export.kind.unknown", _TYPE_CODE,
                       f"{type_code!r} is not an export declaration type with its additional declaration type "
                       "(EX, CO or EU followed by A, B, C, D, E, F, X, Y or Z).",
                       f"{type_code!r} er ikke en eksportangivelsestype med supplerende angivelsestype "
                       "(EX, CO eller EU efterfulgt af A, B, C, D, E, F, X, Y eller Z).")
    return KIND_BY_ADDITIONAL_TYPE[code[2]]


def kind_fits_schema(type_code: str, procedure_category: str) -> Problem | None:
    """A standard or pre-lodged standard declaration is a B1-B4; a simplified one and its supplementary a C1
    (skat/dms-public Export XSDs: the B and C schema families)."""
    kind = declaration_kind(type_code)
    if isinstance(kind, Problem):
        return kind
    standard = kind in (DeclarationKind.STANDARD, DeclarationKind.PRE_LODGED_STANDARD)
    if procedure_category in (STANDARD_CATEGORIES if standard else (SIMPLIFIED_CATEGORY,)):
        return None
    wanted = "B1, B2, B3 or B4" if standard else "C1"
    return problem("export.kind.wrong_schema", "/Declaration/ProcedureCategory",
                   f"A {kind.value.replace('_', ' ')} export declaration is lodged as {wanted}, "
                   f"not {procedure_category}.",
                   f"En eksportangivelse af typen {type_code} indgives som {wanted}, ikke {procedure_category}.")


def regular_simplified_is_authorised(type_code: str, authorisation_types: Iterable[str]) -> Problem | None:
    """A simplified declaration on regular use (C, F) needs the authorisation for simplified declarations,
    C512 (UCC art. 166(2))."""
    if type_code[2:3] not in REGULAR_USE_TYPES or SIMPLIFIED_DECLARATION_AUTHORISATION in set(authorisation_types):
        return None
    return problem("export.kind.no_authorisation", "/Declaration/Authorisation",
                   "A simplified declaration on regular use needs the authorisation C512 (simplified declaration).",
                   "En forenklet angivelse ved regelmæssig brug kræver bevillingen C512 (forenklet angivelse).")


def supplementary_follows_its_simplified(type_code: str, simplified_type_code: str | None) -> Problem | None:
    """A supplementary declaration (X, Y) names the simplified declaration it completes, of the matching
    type: X for B or E, Y for C or F (UCC art. 167; DMS C1 supplementary)."""
    additional = type_code[2:3]
    if additional not in SUPPLEMENTARY_OF:
        return None
    if simplified_type_code is not None and simplified_type_code[2:3] in SUPPLEMENTARY_OF[additional]:
        return None
    wanted = " or ".join(SUPPLEMENTARY_OF[additional])
    return problem("export.kind.supplementary_mismatch", "/Declaration/GoodsShipment/PreviousDocument",
                   f"A supplementary declaration of type {additional} completes a simplified one of type {wanted}.",
                   f"En supplerende angivelse af typen {additional} supplerer en forenklet angivelse af typen "
                   f"{wanted.replace(' or ', ' eller ')}.")
