"""The export rules read from a declaration as data (what export/messages gives, XML or JSON): its kind,
its MRN letter, and the typed ExportDeclaration the other rules take. Key paths: docs/export-messages.md."""

from __future__ import annotations

from typing import Any

from toldsystem.core.errors import Problem
from toldsystem.export.rules.kinds import (declaration_kind, kind_fits_schema, regular_simplified_is_authorised,
                                           supplementary_follows_its_simplified)
from toldsystem.export.rules.model import ExportDeclaration, Status
from toldsystem.export.rules.mrn import export_mrn_procedure_letter
from toldsystem.export.rules.states import initial_status
from toldsystem.imports.messages.convert import value_of


def declaration_problems(data: dict[str, Any], *, simplified_type_code: str | None = None) -> list[Problem]:
    """The kind rules on a declaration's data (kinds.py): a known kind, in its schema, authorised when on
    regular use, and, for a supplementary one, completing a simplified one of the matching type (whose type
    code the caller looks up from the previous document and passes as `simplified_type_code`)."""
    type_code = value_of(data.get("TypeCode")) or ""
    kind = declaration_kind(type_code)
    if isinstance(kind, Problem):
        return [kind]
    authorisations = [value_of(a.get("Type")) or "" for a in data.get("Authorisation") or []]
    found = [kind_fits_schema(type_code, value_of(data.get("ProcedureCategory")) or ""),
             regular_simplified_is_authorised(type_code, authorisations),
             supplementary_follows_its_simplified(type_code, simplified_type_code)]
    return [problem for problem in found if problem is not None]


def procedure_letter_of(data: dict[str, Any]) -> str | Problem:
    """The export MRN's procedure letter for a declaration's data (mrn.py: B1-B4/C1 and SecurityCode)."""
    return export_mrn_procedure_letter(value_of(data.get("ProcedureCategory")) or "",
                                       value_of(data.get("SecurityCode")))


def export_declaration_of(data: dict[str, Any], *, mrn: str | None = None, status: Status | None = None,
                          started_under_fallback: bool = False) -> ExportDeclaration | Problem:
    """The typed export declaration of a declaration's data; `status` defaults to where its kind starts."""
    kind = declaration_kind(value_of(data.get("TypeCode")) or "")
    if isinstance(kind, Problem):
        return kind
    return ExportDeclaration(lrn=value_of(data.get("FunctionalReferenceID")) or "",
                             mrn=mrn or value_of(data.get("ID")), kind=kind,
                             status=status or initial_status(kind),
                             exit_office=value_of((data.get("ExitOffice") or {}).get("ID")) or "",
                             started_under_fallback=started_under_fallback)
