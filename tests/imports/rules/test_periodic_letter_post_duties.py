"""Periodic declarations, letter post, and duty and VAT from a tariff (seed 004, SPEC I)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.money import Money
from toldsystem.imports.rules import check_declaration
from toldsystem.imports.rules.duties import Duties, Tariff, compute_duties, read_tariff
from toldsystem.imports.rules.model import AuthorisationKind, Consignee, LetterPostCategory, Procedure
from toldsystem.imports.rules.periodic import (UniformKey, group_uniform_goods, periodic_authorisation_conditions,
                                               periodic_goods_are_duty_free)

from tests.imports.rules.factory import IMPORTER, authorisation, codes, declaration, item

UTC = timezone.utc
MONTH_END = datetime(2026, 3, 31, 12, tzinfo=UTC)
TARIFF_TEXT = "commodity_code,duty_rate\n84,2.7\n8471,0\n6109,12\n610910,12\n4901,0\n"


def combined(**changes: object):
    base = declaration(procedure=Procedure.PERIODIC_COMBINED, additional_type="A", lodged_at=MONTH_END,
                       authorisations=(authorisation(AuthorisationKind.PERIODIC),),
                       goods=(item(1, arrived_on=date(2026, 3, 2)), item(2, arrived_on=date(2026, 3, 20))))
    return replace(base, **changes)


def test_a_uniform_month_end_declaration_has_no_problems() -> None:
    assert check_declaration(combined(), MONTH_END) == []


def test_periodic_needs_its_authorisation() -> None:
    assert codes(check_declaration(combined(authorisations=(authorisation(),)), MONTH_END)) == [
        "import.periodic.not_authorised"]
    summary = declaration(procedure=Procedure.PERIODIC_SUMMARY, additional_type="", authorisations=())
    assert codes(check_declaration(summary, summary.lodged_at)) == ["import.periodic.not_authorised"]


def test_the_month_end_declaration_combines_only_uniform_goods() -> None:
    mixed = combined(goods=(item(1, arrived_on=date(2026, 3, 2)),
                            item(2, arrived_on=date(2026, 3, 3), origin_country="US", transport_mode="1")))
    found = check_declaration(mixed, MONTH_END)
    assert codes(found) == ["import.periodic.goods_not_uniform"]
    assert found[0].pointer == "/goods/2" and "transport_mode" in found[0].en and "origin_country" in found[0].en


def test_a_monthly_declaration_covers_one_month_and_comes_at_its_end() -> None:
    two_months = combined(goods=(item(1, arrived_on=date(2026, 2, 27)), item(2, arrived_on=date(2026, 3, 2))))
    assert codes(check_declaration(two_months, MONTH_END)) == ["import.monthly.several_months"]
    early = combined(lodged_at=datetime(2026, 3, 30, 12, tzinfo=UTC))
    assert codes(check_declaration(early, MONTH_END)) == ["import.monthly.before_month_end"]
    undated = combined(goods=(item(1),))
    assert codes(check_declaration(undated, MONTH_END)) == ["import.monthly.arrival_missing"]


def test_grouping_of_uniform_goods() -> None:
    a1, a2 = item(1), item(2, description="other laptops", customs_value=Money(Decimal("5"), "DKK"))
    b = item(3, customs_status="T2")
    c = item(4, place_of_entry="DK001100")
    groups = group_uniform_goods([a1, b, a2, c])
    assert list(groups.values()) == [(a1, a2), (b,), (c,)]
    assert next(iter(groups)) == UniformKey("8471300000", "T1", "4", "DK003102", "CN", "CN")


@given(st.lists(st.tuples(st.sampled_from(["8471300000", "4901100000"]), st.sampled_from(["CN", "US"]),
                          st.sampled_from(["1", "4"])), max_size=20))
def test_grouping_keeps_every_item_once_and_groups_are_uniform(rows: list) -> None:
    goods = [item(n, commodity_code=c, origin_country=o, transport_mode=t) for n, (c, o, t) in enumerate(rows, 1)]
    groups = group_uniform_goods(goods)
    assert sorted(i.sequence for g in groups.values() for i in g) == list(range(1, len(goods) + 1))
    for key, members in groups.items():
        assert {(i.commodity_code, i.origin_country, i.transport_mode) for i in members} == \
            {(key.commodity_code, key.origin_country, key.transport_mode)}


def test_periodic_authorisation_conditions() -> None:
    assert periodic_authorisation_conditions(50, True, True) == []
    assert codes(periodic_authorisation_conditions(49, False, False)) == [
        "import.periodic.not_significant", "import.periodic.not_duty_free", "import.periodic.not_uniform"]


def test_periodic_goods_are_duty_free_by_the_tariff() -> None:
    tariff = read_tariff(TARIFF_TEXT)
    assert periodic_goods_are_duty_free(combined(), tariff) == []  # 8471 is 0 %
    dutiable = combined(goods=(item(1, commodity_code="6109100010", arrived_on=date(2026, 3, 2)),))
    assert codes(periodic_goods_are_duty_free(dutiable, tariff)) == ["import.periodic.goods_dutiable"]
    assert codes(check_declaration(dutiable, MONTH_END, tariff)) == ["import.periodic.goods_dutiable"]


def letter_post(**changes: object):
    base = declaration(procedure=Procedure.LETTER_POST, additional_type="A", lodged_at=MONTH_END,
                       consignee=Consignee(IMPORTER, "Bibliotek", library=True),
                       authorisations=(authorisation(AuthorisationKind.LETTER_POST, holder=IMPORTER),),
                       goods=(item(1, commodity_code="4901990000", letter_post_category=LetterPostCategory.BOOKS,
                                   arrived_on=date(2026, 3, 5), transport_mode="5"),
                              item(2, commodity_code="4902100000", letter_post_category=LetterPostCategory.PERIODICALS,
                                   arrived_on=date(2026, 3, 9), transport_mode="5")))
    return replace(base, **changes)


def test_letter_post() -> None:
    assert check_declaration(letter_post(), MONTH_END) == []
    assert check_declaration(letter_post(consignee=Consignee(IMPORTER, "I", vat_registered=True)), MONTH_END) == []
    assert codes(check_declaration(letter_post(consignee=Consignee(IMPORTER, "I")), MONTH_END)) == [
        "import.letter_post.consignee_not_eligible"]
    forwarders = letter_post(authorisations=(authorisation(AuthorisationKind.LETTER_POST),))
    assert codes(check_declaration(forwarders, MONTH_END)) == ["import.letter_post.not_authorised"]
    toys = letter_post(goods=(item(1, letter_post_category=LetterPostCategory.OTHER, arrived_on=date(2026, 3, 5)),
                              item(2, arrived_on=date(2026, 3, 5))))
    assert [p.pointer for p in check_declaration(toys, MONTH_END)] == ["/goods/1/letterPostCategory",
                                                                         "/goods/2/letterPostCategory"]


def test_read_tariff_and_the_most_specific_prefix_wins() -> None:
    tariff = read_tariff(TARIFF_TEXT)
    assert isinstance(tariff, Tariff)
    assert tariff.rate_for("8471300000") == Decimal("0")
    assert tariff.rate_for("8403100000") == Decimal("2.7")
    assert tariff.rate_for("6109100010") == Decimal("12")
    assert tariff.rate_for("0101210000") is None
    semicolons = read_tariff("commodity_code;duty_rate\n8471;2,5\n")
    assert semicolons.rate_for("84713000") == Decimal("2.5")


def test_read_tariff_reports_each_bad_line() -> None:
    found = read_tariff("commodity_code,duty_rate\n84,2.7\nabc,1\n85,101\n84,3\n86\n87,x\n")
    assert [(p.code, p.line) for p in found] == [("import.tariff.code", 3), ("import.tariff.rate", 4),
                                                 ("import.tariff.duplicate", 5), ("import.tariff.columns", 6),
                                                 ("import.tariff.rate", 7)]
    assert codes(read_tariff("code,rate\n84,1\n")) == ["import.tariff.header"]
    assert codes(read_tariff("")) == ["import.tariff.empty"]


def test_duty_and_vat_per_item_and_in_total() -> None:
    tariff = read_tariff(TARIFF_TEXT)
    goods = (item(1, commodity_code="6109100010", customs_value=Money(Decimal("1234.56"), "DKK")),
             item(2, commodity_code="8471300000", customs_value=Money(Decimal("10000.00"), "DKK")))
    duties = compute_duties(goods, tariff)
    assert isinstance(duties, Duties)
    first, second = duties.items
    assert first.duty == Money(Decimal("148.15"), "DKK")  # 1234.56 × 12 % = 148.1472 → 148.15
    assert first.vat == Money(Decimal("345.68"), "DKK")  # (1234.56 + 148.15) × 25 % = 345.6775 → 345.68
    assert second.duty == Money(Decimal("0.00"), "DKK") and second.vat == Money(Decimal("2500.00"), "DKK")
    assert duties.duty == Money(Decimal("148.15"), "DKK")
    assert duties.vat == Money(Decimal("2845.68"), "DKK")
    assert duties.total == Money(Decimal("2993.83"), "DKK")


def test_half_an_oere_rounds_up() -> None:
    tariff = read_tariff("commodity_code,duty_rate\n61,10\n")
    duties = compute_duties((item(1, commodity_code="6109", customs_value=Money(Decimal("0.05"), "DKK")),), tariff)
    assert duties.items[0].duty.amount == Decimal("0.01")  # 0.005 → 0.01 (half up)


def test_duties_problems() -> None:
    tariff = read_tariff(TARIFF_TEXT)
    assert codes(compute_duties((item(1, commodity_code="0101210000"),), tariff)) == ["import.duties.no_rate"]
    mixed = (item(1), item(2, customs_value=Money(Decimal("1"), "EUR")))
    assert codes(compute_duties(mixed, tariff)) == ["import.duties.mixed_currencies"]


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2),
       st.sampled_from(["0", "2.7", "12", "100"]))
def test_vat_is_a_quarter_of_value_and_duty_within_half_an_oere(value: Decimal, rate: str) -> None:
    tariff = read_tariff(f"commodity_code,duty_rate\n61,{rate}\n")
    duties = compute_duties((item(1, commodity_code="6109", customs_value=Money(value, "DKK")),), tariff)
    line = duties.items[0]
    assert abs(line.duty.amount - value * Decimal(rate) / 100) <= Decimal("0.005")
    assert abs(line.vat.amount - (value + line.duty.amount) / 4) <= Decimal("0.005")
    assert duties.total.amount == line.duty.amount + line.vat.amount
