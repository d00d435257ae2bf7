"""DMS Export messages: our B1 and C1 declaration, B1 amendment and invalidation schemas, a hardened parser, XML ⇄ data,
notifications."""

from toldsystem.export.messages.convert import attribute_of, render, to_data, validate_data, value_of
from toldsystem.export.messages.parser import Parsed, kind_of, parse_export, schema_problems
from toldsystem.export.messages.schemas import DECLARATION_KINDS, KINDS, RECEIVED_KINDS, content_model, prepare

__all__ = ["DECLARATION_KINDS", "KINDS", "RECEIVED_KINDS", "Parsed", "attribute_of", "content_model", "kind_of",
           "parse_export",
           "prepare", "render", "schema_problems", "to_data", "validate_data", "value_of"]
