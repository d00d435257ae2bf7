"""Money is `Decimal` with its currency; conversion through the configured EUR rates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from toldsystem.core.errors import Problem, problem

AMOUNT_PATTERN = re.compile(r"^[0-9]{1,14}(\.[0-9]{1,2})?$")
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a currency (ISO 4217)."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"


def parse_amount(value: object, pointer: str) -> Decimal | Problem:
    """A positive amount with at most 2 decimals, or the problem with it."""
    text = str(value).strip() if value is not None else ""
    if isinstance(value, float):
        text = repr(value)
    if not AMOUNT_PATTERN.fullmatch(text):
        return problem("amount.malformed", pointer,
                       f"amount {text!r} must be a positive number with at most 2 decimals",
                       f"beløbet {text!r} skal være et positivt tal med højst 2 decimaler")
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - pattern already guards this
        return problem("amount.malformed", pointer, "amount is not a number", "beløbet er ikke et tal")
    if amount <= 0:
        return problem("amount.not_positive", pointer, "amount must be greater than zero",
                       "beløbet skal være større end nul")
    return amount


def convert(amount: Decimal, from_currency: str, to_currency: str, eur_rates: dict[str, Decimal]) -> Decimal:
    """Convert through EUR; `eur_rates[c]` is how many units of c one EUR buys."""
    if from_currency == to_currency:
        return amount
    in_eur = amount / eur_rates[from_currency]
    return (in_eur * eur_rates[to_currency]).quantize(CENT, rounding=ROUND_HALF_UP)
