"""The release decision's lane: officer-written criteria first, then seeded random draws (SPEC I).

A criterion matches a declaration when some goods item satisfies its whole condition (item fields are
that item's, declaration fields the declaration's; `value` is the declaration's total customs value,
converted through EUR rates when the currencies differ — unconvertible, the value test counts as true,
so a missing rate never lets goods past a value criterion). Of the matching criteria the strictest
lane wins (red > yellow > blue > green; on a tie the first line). Then one number u in [0, 1) is drawn
from `random.Random(f"{seed}:{declaration id}")` — the same seed and declaration always draw the same.
Each lane with a random share owns the band [start, start + expected) of [0, 1), in the order red,
yellow, blue; its minimum share is the band's first part [start, start + minimum). With no criterion
matching, u in a lane's expected band selects that lane; with a criterion matching, u in the minimum
band of a lane stricter than the criterion's selects it. Otherwise: the criterion's lane, or green.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from toldsystem.core.money import convert
from toldsystem.imports.rules.model import Declaration, GoodsItem
from toldsystem.imports.rules.selectivity_language import (SEVERITY, All, AnyOf, Comparison, Condition, Criterion,
                                                           Lane, Not, RuleSet)

ITEM_VALUES = {
    "origin": lambda i: i.origin_country, "dispatch": lambda i: i.dispatch_country,
    "transport": lambda i: i.transport_mode, "entry": lambda i: i.place_of_entry, "status": lambda i: i.customs_status,
}
DECLARATION_VALUES = {
    "consignee": lambda d: d.consignee.identifier, "declarant": lambda d: d.declarant.identifier,
    "procedure": lambda d: d.procedure.value, "type": lambda d: d.additional_type,
}
LANE_DA = {Lane.GREEN: "grøn (frigivet)", Lane.YELLOW: "gul (dokumentkontrol)", Lane.RED: "rød (fysisk kontrol)",
           Lane.BLUE: "blå (efterfølgende kontrol)"}
LANE_EN = {Lane.GREEN: "green (release)", Lane.YELLOW: "yellow (documentary control)",
           Lane.RED: "red (physical control)", Lane.BLUE: "blue (post-clearance audit)"}


@dataclass(frozen=True, slots=True)
class RandomDraw:
    """The number drawn for the declaration and, when it chose the lane, the share and band that did."""

    value: float
    share: Decimal | None = None  # percent
    band: str = ""  # "expected" or "minimum"


@dataclass(frozen=True, slots=True)
class SelectionDecision:
    """The lane and what chose it: a criterion (text, line), the random draw, or neither (green by default)."""

    lane: Lane
    chosen_by: str  # "criterion", "random" or "default"
    criterion: Criterion | None
    draw: RandomDraw
    matched: tuple[Criterion, ...]
    en: str
    da: str

    @property
    def released(self) -> bool:
        """Green and blue release at once (blue is audited afterwards); yellow and red wait for control."""
        return self.lane in (Lane.GREEN, Lane.BLUE)


def _commodity_matches(pattern: str, code: str) -> bool:
    return code.startswith(pattern[:-1]) if pattern.endswith("*") else code == pattern


def _value_holds(test: Comparison, decl: Declaration, eur_rates: Mapping[str, Decimal]) -> bool:
    total = Decimal(0)
    for currency, amount in decl.total_value().items():
        if currency != test.currency and (currency not in eur_rates or test.currency not in eur_rates):
            return True
        total += convert(amount, currency, test.currency, dict(eur_rates))
    return {">": total > test.amount, ">=": total >= test.amount, "<": total < test.amount,
            "<=": total <= test.amount, "=": total == test.amount}[test.op]


def _holds(condition: Condition, decl: Declaration, item: GoodsItem | None, eur_rates: Mapping[str, Decimal]) -> bool:
    if isinstance(condition, Not):
        return not _holds(condition.operand, decl, item, eur_rates)
    if isinstance(condition, All):
        return all(_holds(c, decl, item, eur_rates) for c in condition.operands)
    if isinstance(condition, AnyOf):
        return any(_holds(c, decl, item, eur_rates) for c in condition.operands)
    if condition.field == "value":
        return _value_holds(condition, decl, eur_rates)
    if condition.field in DECLARATION_VALUES:
        return DECLARATION_VALUES[condition.field](decl) in condition.values
    if item is None:
        return False
    if condition.field == "commodity":
        return any(_commodity_matches(v, item.commodity_code) for v in condition.values)
    return ITEM_VALUES[condition.field](item) in condition.values


def criterion_matches(criterion: Criterion, decl: Declaration, eur_rates: Mapping[str, Decimal] | None = None) -> bool:
    """True when some goods item (or, without goods, the declaration alone) satisfies the criterion's condition."""
    rates = eur_rates or {}
    items: tuple[GoodsItem | None, ...] = decl.goods or (None,)
    return any(_holds(criterion.condition, decl, item, rates) for item in items)


def draw_for(seed: str | int, declaration_id: str) -> float:
    """The reproducible number in [0, 1) for the declaration under the seed."""
    return random.Random(f"{seed}:{declaration_id}").random()


def select_lane(decl: Declaration, rules: RuleSet, seed: str | int,
                eur_rates: Mapping[str, Decimal] | None = None) -> SelectionDecision:
    """The declaration's lane under the rule set and the seed, and the criterion or draw that chose it."""
    matched = tuple(c for c in rules.criteria if criterion_matches(c, decl, eur_rates))
    chosen = max(matched, key=lambda c: SEVERITY[c.lane], default=None)  # max keeps the first of equals
    u = draw_for(seed, decl.id)
    percent = Decimal(str(u)) * 100
    start = Decimal(0)
    for share in rules.random:  # red, yellow, blue
        stricter = chosen is None or SEVERITY[share.lane] > SEVERITY[chosen.lane]
        band, size = ("expected", share.expected) if chosen is None else ("minimum", share.minimum)
        if stricter and start <= percent < start + size:
            draw = RandomDraw(u, size, band)
            return SelectionDecision(
                share.lane, "random", None, draw, matched,
                f"{LANE_EN[share.lane]}: selected at random (draw {u:.6f} within the {band} share of {size}%)",
                f"{LANE_DA[share.lane]}: udtaget tilfældigt (lodtrækning {u:.6f} inden for "
                f"{'den forventede' if band == 'expected' else 'minimums'}andelen på {size}%)")
        start += share.expected
    if chosen is not None:
        return SelectionDecision(chosen.lane, "criterion", chosen, RandomDraw(u), matched,
                                 f"{LANE_EN[chosen.lane]}: criterion on line {chosen.line}: {chosen.text}",
                                 f"{LANE_DA[chosen.lane]}: kriterium i linje {chosen.line}: {chosen.text}")
    return SelectionDecision(Lane.GREEN, "default", None, RandomDraw(u), matched,
                             f"{LANE_EN[Lane.GREEN]}: no criterion matched and no random selection",
                             f"{LANE_DA[Lane.GREEN]}: intet kriterium passede, ingen tilfældig udtagelse")
