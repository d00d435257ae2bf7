"""The guarantee types as today's reference data gives them (CL251, CL286): the one place GMS, and
transit's service side, learn which types exist and which have a GRN (guarantees/rules_types.py)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from toldsystem.core.errors import Problem
from toldsystem.guarantees import rules
from toldsystem.reference import service as reference
from toldsystem.reference.rules import CodeEntry

# The CL251 entries of the last snapshot asked about, kept with that snapshot (an id could be reused).
_last: tuple[object, Mapping[str, CodeEntry]] = (None, MappingProxyType({}))


def guarantee_types() -> Mapping[str, CodeEntry]:
    """CL251 GuaranteeType: the types usable today, with their English and Danish descriptions (built once
    per reference snapshot)."""
    global _last
    snapshot, cached = reference.snapshot(), _last
    if cached[0] is snapshot:
        return cached[1]
    entries = snapshot.entries.get(rules.GUARANTEE_TYPE_LIST, {})
    usable = sorted(snapshot.code_lists.get(rules.GUARANTEE_TYPE_LIST, ()))
    found = MappingProxyType({code: entries[code] for code in usable if code in entries})
    _last = (snapshot, found)
    return found


def types_with_grn() -> frozenset[str]:
    """CL286 GuaranteeTypeWithGRN: the types that state a GRN and access code (C0086), which GMS holds."""
    return frozenset(reference.snapshot().code_lists.get(rules.TYPES_WITH_GRN_LIST, ()))


def requires_grn(guarantee_type: str | None) -> bool:
    """C0086: whether a guarantee of this type states a GRN and access code, and so is GMS's to check
    and reserve (CL286 of the reference data)."""
    return rules.requires_grn(guarantee_type, types_with_grn())


def type_held_in_gms_problem(guarantee_type: str, pointer: str = "guarantee/guaranteeType") -> Problem | None:
    """Why GMS holds no guarantee of this type (unknown in CL251, no GRN, or not registrable), or None."""
    return rules.check_type_held_in_gms(guarantee_type, guarantee_types(), types_with_grn(), pointer)


def registered_as_problem(guarantee_type: str, procedure: str, pointer: str = "guarantee_type") -> Problem | None:
    """Why a guarantee of this type is not registered by this procedure (seed 003), or None."""
    return rules.check_registered_as(guarantee_type, procedure, guarantee_types(), types_with_grn(), pointer)
