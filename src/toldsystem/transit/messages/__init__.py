"""NCTS phase 5 transit messages: our schemas, a hardened parser, and XML ⇄ data conversion."""

from toldsystem.transit.messages.convert import fit, render, to_data, validate_data
from toldsystem.transit.messages.parser import ParsedMessage, parse_message
from toldsystem.transit.messages.schemas import MESSAGE_TYPES, NCTS_NS, prepare

__all__ = ["MESSAGE_TYPES", "NCTS_NS", "ParsedMessage", "fit", "parse_message", "prepare", "render", "to_data", "validate_data"]
