"""Selectivity: the officers' rule language and the lane decision with seeded random draws."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toldsystem.core.errors import Problem
from toldsystem.core.money import Money
from toldsystem.imports.rules.selectivity import draw_for, select_lane
from toldsystem.imports.rules.selectivity_language import MAX_DEPTH, MAX_LINES, SEVERITY, Lane, RuleSet, parse_rules

from tests.imports.rules.factory import declaration, item

RULES = """# the officers' rules
commodity 8471* and origin CN -> red
value > 100000 DKK -> yellow
consignee DK12345674 -> blue
"""


def rules(text: str) -> RuleSet:
    parsed = parse_rules(text)
    assert isinstance(parsed, RuleSet), parsed
    return parsed


def test_a_criterion_chooses_and_is_recorded_with_its_text_and_line() -> None:
    decision = select_lane(declaration(), rules(RULES), seed=1)
    assert decision.lane == Lane.RED and decision.chosen_by == "criterion"
    assert (decision.criterion.text, decision.criterion.line) == ("commodity 8471* and origin CN -> red", 2)
    assert "line 2" in decision.en and "linje 2" in decision.da
    assert [c.line for c in decision.matched] == [2, 4]  # the consignee's blue also matched; red is stricter
    assert not decision.released


def test_the_strictest_matching_lane_wins_whatever_the_order() -> None:
    text = "consignee DK12345674 -> green\norigin CN -> yellow\norigin CN -> blue\n"
    decision = select_lane(declaration(), rules(text), seed=1)
    assert decision.lane == Lane.YELLOW and decision.criterion.line == 2


def test_prefix_and_exact_commodity_codes() -> None:
    decl = declaration(goods=(item(commodity_code="8471300000"),))
    assert select_lane(decl, rules("commodity 8471300000 -> red"), 1).lane == Lane.RED
    assert select_lane(decl, rules("commodity 8471 -> red"), 1).lane == Lane.GREEN  # no star: the whole code
    assert select_lane(decl, rules("commodity 847* -> red"), 1).lane == Lane.RED
    assert select_lane(decl, rules("commodity 8472* -> red"), 1).lane == Lane.GREEN


def test_one_goods_item_must_satisfy_the_whole_condition() -> None:
    decl = declaration(goods=(item(1, commodity_code="8471300000", origin_country="US"),
                              item(2, commodity_code="6109100010", origin_country="CN")))
    assert select_lane(decl, rules("commodity 8471* and origin CN -> red"), 1).lane == Lane.GREEN
    assert select_lane(decl, rules("commodity 6109* and origin CN -> red"), 1).lane == Lane.RED


@pytest.mark.parametrize(("text", "lane"), [
    ("value > 100000 DKK -> yellow", Lane.YELLOW),
    ("value >= 150000 DKK -> yellow", Lane.YELLOW),
    ("value > 150000 DKK -> yellow", Lane.GREEN),
    ("value < 1000 DKK -> blue", Lane.GREEN),
    ("value = 150000 DKK -> blue", Lane.BLUE),
    ("value > 20000 EUR -> red", Lane.GREEN),  # 150,000 DKK is exactly 20,000 EUR at the rates below
])
def test_value_is_the_total_customs_value(text: str, lane: Lane) -> None:
    decl = declaration(goods=(item(1, customs_value=Money(Decimal("100000"), "DKK")),
                              item(2, customs_value=Money(Decimal("50000"), "DKK"))))
    rates = {"EUR": Decimal("1"), "DKK": Decimal("7.5")}  # 150,000 DKK = 20,000 EUR: not more than 20,000
    assert select_lane(decl, rules(text), 1, rates).lane == lane


def test_a_value_that_cannot_be_converted_counts_as_matching() -> None:
    decl = declaration(goods=(item(customs_value=Money(Decimal("10"), "USD")),))
    assert select_lane(decl, rules("value > 100000 DKK -> yellow"), 1).lane == Lane.YELLOW


def test_declaration_fields() -> None:
    decl = declaration()
    assert select_lane(decl, rules("procedure simplified_express and type F -> yellow"), 1).lane == Lane.YELLOW
    assert select_lane(decl, rules("procedure full_express -> yellow"), 1).lane == Lane.GREEN
    assert select_lane(decl, rules("declarant DK13585628 -> blue"), 1).lane == Lane.BLUE
    assert select_lane(decl, rules("not origin in (DK, SE) and transport 4 -> red"), 1).lane == Lane.RED
    assert select_lane(decl, rules("origin in (DK, SE) or not (transport 4) -> red"), 1).lane == Lane.GREEN
    assert select_lane(decl, rules("entry DK003102 and dispatch CN and status T1 -> blue"), 1).lane == Lane.BLUE


def test_without_a_criterion_the_random_draw_decides_and_is_recorded() -> None:
    everything_red = rules("random red 100%")
    decision = select_lane(declaration(), everything_red, seed="2026")
    assert decision.lane == Lane.RED and decision.chosen_by == "random" and decision.criterion is None
    assert decision.draw.value == draw_for("2026", declaration().id) and decision.draw.band == "expected"
    assert "random" in decision.en and "tilfældigt" in decision.da
    nothing = select_lane(declaration(), rules(""), seed="2026")
    assert (nothing.lane, nothing.chosen_by) == (Lane.GREEN, "default") and nothing.released


def test_draws_are_reproducible_and_depend_on_seed_and_declaration() -> None:
    assert draw_for(7, "A") == draw_for(7, "A")
    assert len({draw_for(7, f"D{n}") for n in range(50)}) == 50
    assert draw_for(7, "A") != draw_for(8, "A")


def test_random_shares_come_out_near_their_expected_size() -> None:
    ruleset = rules("random red 10%\nrandom yellow 20%\nrandom blue 5%")
    lanes = Counter(select_lane(declaration(id=f"D{n}"), ruleset, seed="s").lane for n in range(4000))
    assert 320 < lanes[Lane.RED] < 480 and 680 < lanes[Lane.YELLOW] < 920 and 120 < lanes[Lane.BLUE] < 280


def test_the_minimum_share_reaches_declarations_a_milder_criterion_chose() -> None:
    ruleset = rules("consignee DK12345674 -> green\nrandom red 50% minimum 10%")
    decisions = [select_lane(declaration(id=f"D{n}"), ruleset, seed="s") for n in range(2000)]
    red = [d for d in decisions if d.lane == Lane.RED]
    assert 130 < len(red) < 270
    assert all(d.draw.band == "minimum" and d.draw.value < 0.10 for d in red)
    assert all(d.chosen_by == "criterion" and d.criterion.line == 1 for d in decisions if d.lane == Lane.GREEN)


@given(st.text(alphabet="()notandor->redcommodity84* CN\n", max_size=300))
@settings(max_examples=200)
def test_the_parser_never_raises(text: str) -> None:
    assert isinstance(parse_rules(text), RuleSet | list)


@pytest.mark.parametrize(("text", "code", "line", "column"), [
    ("origin CN -> red\ncommodity 8471* and -> red", "import.selectivity.syntax", 2, 21),
    ("origin cn -> red", "import.selectivity.syntax", 1, 8),
    ("origin CN -> purple", "import.selectivity.syntax", 1, 14),
    ("size 3 -> red", "import.selectivity.syntax", 1, 1),
    ("origin CN", "import.selectivity.syntax", 1, 10),
    ("origin CN $ -> red", "import.selectivity.syntax", 1, 11),
    ("random green 5%", "import.selectivity.syntax", 1, 8),
    ("random red 5% minimum 6%", "import.selectivity.syntax", 1, 23),
    ("random red 1%\nrandom red 2%", "import.selectivity.duplicate_random", 2, 1),
    ("random red 60%\nrandom yellow 50%", "import.selectivity.random_over_100", 2, 1),
    ("value > lots DKK -> red", "import.selectivity.syntax", 1, 9),
    ("procedure fast -> red", "import.selectivity.syntax", 1, 11),
])
def test_errors_say_what_and_where(text: str, code: str, line: int, column: int) -> None:
    found = parse_rules(text)
    assert isinstance(found, list) and len(found) == 1
    assert (found[0].code, found[0].line, found[0].column) == (code, line, column)
    assert found[0].en.startswith(f"line {line}, column {column}: ")
    assert found[0].da.startswith(f"linje {line}, kolonne {column}: ")


def test_huge_or_deep_rule_texts_are_refused() -> None:
    deep = parse_rules("(" * (MAX_DEPTH + 1) + "origin CN" + ")" * (MAX_DEPTH + 1) + " -> red")
    assert [p.code for p in deep] == ["import.selectivity.too_deep"]
    nots = parse_rules("not " * 100 + "origin CN -> red")
    assert [p.code for p in nots] == ["import.selectivity.too_deep"]
    assert [p.code for p in parse_rules("x" * 200_000)] == ["import.selectivity.too_large"]
    assert [p.code for p in parse_rules("origin CN -> red\n" * (MAX_LINES + 1))] == ["import.selectivity.too_large"]
    long_line = " or ".join(["origin CN"] * 100) + " -> red"
    assert [p.code for p in parse_rules(long_line)] == ["import.selectivity.too_large"]
    wide = parse_rules("origin in (" + ", ".join(["CN"] * 150) + ") -> red")
    assert isinstance(wide, list) and wide[0].code == "import.selectivity.too_large"


def test_every_problem_is_a_problem_with_both_languages() -> None:
    for found in parse_rules("origin -> red\nvalue > 1 -> red\nrandom red\n"):
        assert isinstance(found, Problem) and found.en and found.da and found.line


@given(st.integers(0, 10_000), st.sampled_from(list(Lane)), st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=200)
def test_a_decision_is_reproducible_and_never_milder_than_its_criterion(number: int, lane: Lane, red: int,
                                                                        yellow: int) -> None:
    ruleset = rules(f"origin CN -> {lane}\nrandom red {red}% minimum {red // 2}%\nrandom yellow {yellow}%")
    decl = declaration(id=f"26DK{number:013d}")
    first, again = select_lane(decl, ruleset, "seed"), select_lane(decl, ruleset, "seed")
    assert first == again
    assert SEVERITY[first.lane] >= SEVERITY[lane]
    if first.chosen_by == "random":
        assert first.lane == Lane.RED and first.draw.value < (red // 2) / 100
    else:
        assert first.lane == lane and first.criterion.line == 1
