"""Reading the leaves of the phase 5 dict tolerantly: texts, repeated elements, numbers and dates.

A missing optional part reads as None or an empty list; a number or date that cannot be read is
collected as a Problem by the Reader, because no rule could judge it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from toldsystem.core.errors import Problem, problem
from toldsystem.transit.declaration.pointers import at

# Amounts, masses and quantities as the official decimal types write them: digits, an optional
# fraction. The official types bound the digits of the value (trailing zeros do not count), so
# the text may be longer than 16 digits; this bound only keeps a hostile value cheap to read.
MAX_NUMBER_CHARACTERS = 40

_INTEGER = re.compile(r"^[0-9]{1,9}$")
_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def leaf(node: dict, key: str) -> str | None:
    """A leaf's text, stripped; None when absent, empty or not a leaf."""
    value = node.get(key)
    if value.__class__ is str:  # what the XML conversion always gives: the quick way
        return value.strip() or None
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def repeated(node: dict, key: str) -> list[dict]:
    """A repeated element; a single dict is accepted as a list of one (lenient JSON)."""
    value = node.get(key)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    if isinstance(value, dict):
        return [value]
    return []


def single(node: dict, key: str) -> dict | None:
    value = node.get(key)
    if isinstance(value, list):  # lenient: a one-element list for a single element
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


class Reader:
    """Reads numbers and dates tolerantly and collects the problems with them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def integer(self, node: dict, key: str, pointer: str) -> int | None:
        text = leaf(node, key)
        if text is None:
            return None
        if not _INTEGER.fullmatch(text):
            self._malformed(at(pointer, key), text, "a whole number", "et helt tal")
            return None
        return int(text)

    def decimal(self, node: dict, key: str, pointer: str) -> Decimal | None:
        text = leaf(node, key)
        if text is None:
            return None
        try:
            value = Decimal(text) if len(text) <= MAX_NUMBER_CHARACTERS and _DECIMAL.fullmatch(text) else None
        except InvalidOperation:  # pragma: no cover - the pattern guards this
            value = None
        if value is None:
            self._malformed(at(pointer, key), text, "a positive decimal number (e.g. 1200.5)",
                            "et positivt decimaltal (fx 1200.5)")
        return value

    def day(self, node: dict, key: str, pointer: str) -> date | None:
        text = leaf(node, key)
        if text is None:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        self._malformed(at(pointer, key), text, "a date as YYYY-MM-DD", "en dato som ÅÅÅÅ-MM-DD")
        return None

    def _malformed(self, pointer: str, text: str, expected_en: str, expected_da: str) -> None:
        self.problems.append(problem("transit.malformed", pointer, f"{text!r} is not {expected_en}",
                                     f"{text!r} er ikke {expected_da}"))


def each(node: dict, name: str, pointer: str) -> list[tuple[dict, str]]:
    """A repeated element's entries, each with its pointer (`.../name[1]`, counted from 1)."""
    if node.get(name) is None:  # the usual case for an optional element: nothing to point at
        return []
    return [(child, f"{pointer}/{name}[{index}]") for index, child in enumerate(repeated(node, name), start=1)]
