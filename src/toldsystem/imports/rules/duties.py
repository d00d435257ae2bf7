"""Customs duty from a tariff and Danish import VAT, per goods item and in total (SPEC I; momsloven § 27).

The tariff is text (CSV): a header `commodity_code,duty_rate` then one line per code prefix and its ad
valorem rate in percent; `;` may separate instead, and then a decimal comma is allowed. The most specific
(longest) prefix of a commodity code wins. Duty = customs value × rate; VAT = 25 % of customs value + duty
(the import VAT base, momsloven § 27). Each amount is rounded to øre (0.01) half up — ordinary commercial
rounding, as the agency's assessments show øre — per goods item; totals are the sums of the rounded items.
Amounts are in the customs value's currency: the caller converts to DKK first (core.money.convert).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from toldsystem.core.errors import Problem, problem
from toldsystem.core.money import Money
from toldsystem.imports.rules.model import GoodsItem

OERE = Decimal("0.01")
DANISH_VAT_RATE = Decimal("25")
CODE_PREFIX = re.compile(r"^[0-9]{2,10}$")
MAX_TARIFF_LINES = 50_000


@dataclass(frozen=True, slots=True)
class Tariff:
    """Duty rates (percent) by commodity code prefix."""

    rates: dict[str, Decimal]

    def rate_for(self, commodity_code: str) -> Decimal | None:
        """The rate of the longest prefix of the code in the tariff, or None."""
        for length in range(len(commodity_code), 1, -1):
            rate = self.rates.get(commodity_code[:length])
            if rate is not None:
                return rate
        return None


@dataclass(frozen=True, slots=True)
class ItemDuties:
    """One goods item's duty and VAT."""

    sequence: int
    commodity_code: str
    customs_value: Money
    duty_rate: Decimal
    duty: Money
    vat_base: Money
    vat: Money


@dataclass(frozen=True, slots=True)
class Duties:
    """Every item's amounts and the totals."""

    items: tuple[ItemDuties, ...]
    duty: Money
    vat: Money
    total: Money


def _tariff_problem(code: str, line: int, en: str, da: str) -> Problem:
    return problem(f"import.tariff.{code}", f"/tariff/{line}", en, da, line=line, column=1)


def read_tariff(text: str) -> Tariff | list[Problem]:
    """The tariff in the text, or every problem with it (line numbers count the header as line 1)."""
    lines = text.splitlines()
    if not lines:
        return [_tariff_problem("empty", 1, "the tariff is empty", "toldtariffen er tom")]
    if len(lines) > MAX_TARIFF_LINES + 1:
        return [_tariff_problem("too_long", MAX_TARIFF_LINES + 2, f"a tariff has at most {MAX_TARIFF_LINES} lines",
                                f"en toldtarif har højst {MAX_TARIFF_LINES} linjer")]
    delimiter = ";" if ";" in lines[0] else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header = [cell.strip().lower() for cell in rows[0]]
    if header != ["commodity_code", "duty_rate"]:
        return [_tariff_problem("header", 1, "the first line is the header commodity_code,duty_rate",
                                "første linje er overskriften commodity_code,duty_rate")]
    rates: dict[str, Decimal] = {}
    found: list[Problem] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 2:
            found.append(_tariff_problem("columns", number, "a line has a commodity code and a rate",
                                         "en linje har en varekode og en sats"))
            continue
        code, rate_text = row[0].strip(), row[1].strip()
        if delimiter == ";":
            rate_text = rate_text.replace(",", ".")
        if not CODE_PREFIX.fullmatch(code):
            found.append(_tariff_problem("code", number, f"{code!r} is not a commodity code prefix of 2-10 digits",
                                         f"{code!r} er ikke en varekode (2-10 cifre)"))
            continue
        try:
            rate = Decimal(rate_text)
        except InvalidOperation:
            rate = Decimal(-1)
        if not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
            found.append(_tariff_problem("rate", number, f"rate {rate_text!r} is not a percentage from 0 to 100",
                                         f"satsen {rate_text!r} er ikke en procentsats fra 0 til 100"))
            continue
        if code in rates:
            found.append(_tariff_problem("duplicate", number, f"code {code} is in the tariff twice",
                                         f"varekoden {code} står to gange i tariffen"))
            continue
        rates[code] = rate
    return found or Tariff(rates)


def _oere(amount: Decimal) -> Decimal:
    return amount.quantize(OERE, rounding=ROUND_HALF_UP)


def compute_duties(goods: tuple[GoodsItem, ...] | list[GoodsItem], tariff: Tariff,
                   vat_rate: Decimal = DANISH_VAT_RATE) -> Duties | list[Problem]:
    """Duty and VAT per goods item and in total, or the problems (a code not in the tariff, mixed currencies)."""
    found: list[Problem] = []
    currencies = {item.customs_value.currency for item in goods}
    if len(currencies) > 1:
        found.append(problem("import.duties.mixed_currencies", "/goods",
                             "convert every customs value to one currency (DKK) before computing duties",
                             "omregn alle toldværdier til én valuta (DKK), før told beregnes"))
    items: list[ItemDuties] = []
    for item in goods:
        rate = tariff.rate_for(item.commodity_code)
        if rate is None:
            found.append(problem("import.duties.no_rate", f"{item.pointer}/commodityCode",
                                 f"commodity code {item.commodity_code} is not in the tariff",
                                 f"varekoden {item.commodity_code} findes ikke i toldtariffen"))
            continue
        value = item.customs_value
        duty = _oere(value.amount * rate / 100)
        base = value.amount + duty
        vat = _oere(base * vat_rate / 100)
        items.append(ItemDuties(item.sequence, item.commodity_code, value, rate, Money(duty, value.currency),
                                Money(base, value.currency), Money(vat, value.currency)))
    if found:
        return found
    currency = next(iter(currencies), "DKK")
    duty_total = sum((i.duty.amount for i in items), Decimal("0.00"))
    vat_total = sum((i.vat.amount for i in items), Decimal("0.00"))
    return Duties(tuple(items), Money(duty_total, currency), Money(vat_total, currency),
                  Money(duty_total + vat_total, currency))
