"""DMS Import messages: our DEC-DMS and notification schemas, a hardened parser, XML ⇄ data, notifications."""

from toldsystem.imports.messages.convert import attribute_of, render, to_data, validate_data, value_of
from toldsystem.imports.messages.parser import ParsedDeclaration, kind_of, parse_declaration, schema_problems
from toldsystem.imports.messages.schemas import DEC_NS, DECLARATION_KINDS, KINDS, prepare

__all__ = ["DECLARATION_KINDS", "DEC_NS", "KINDS", "ParsedDeclaration", "attribute_of", "kind_of",
           "parse_declaration", "prepare", "render", "schema_problems", "to_data", "validate_data", "value_of"]
