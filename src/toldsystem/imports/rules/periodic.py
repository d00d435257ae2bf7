"""Periodic declarations: the authorisation, the summary at each arrival, the month-end combined one (seed 004).

Seed 004, "Tilladelse til periodeangivelse" (TBEK § 28), "Hvordan angives til periodeangivelse?".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from calendar import monthrange
from datetime import date, datetime

from toldsystem.core.errors import Problem
from toldsystem.imports.rules.duties import Tariff
from toldsystem.imports.rules.facts import Result, danish_day, import_problem
from toldsystem.imports.rules.model import AuthorisationKind, Declaration, GoodsItem, Procedure

MIN_IMPORTS_A_YEAR = 50
PERIODIC = frozenset({Procedure.PERIODIC_SUMMARY, Procedure.PERIODIC_COMBINED})
MONTHLY = frozenset({Procedure.PERIODIC_COMBINED, Procedure.LETTER_POST})


@dataclass(frozen=True, slots=True, order=True)
class UniformKey:
    """Seed 004 "Ved ensartede varer forstås": what makes goods uniform."""

    commodity_code: str
    customs_status: str
    transport_mode: str
    place_of_entry: str
    dispatch_country: str
    origin_country: str


def uniform_key(item: GoodsItem) -> UniformKey:
    """The fields that must be the same for goods to be combined."""
    return UniformKey(item.commodity_code, item.customs_status, item.transport_mode, item.place_of_entry,
                      item.dispatch_country, item.origin_country)


def group_uniform_goods(items: Iterable[GoodsItem]) -> dict[UniformKey, tuple[GoodsItem, ...]]:
    """Seed 004 "Ved periodens afslutning...": the month's arrivals grouped into uniform goods, one combined
    declaration per group; groups and items keep the order they first appear in."""
    groups: dict[UniformKey, list[GoodsItem]] = {}
    for item in items:
        groups.setdefault(uniform_key(item), []).append(item)
    return {key: tuple(found) for key, found in groups.items()}


def periodic_authorisation_conditions(expected_imports_of_same_goods: int, goods_duty_free: bool,
                                      goods_uniform: bool) -> list[Problem]:
    """Seed 004 "Tilladelse til periodeangivelse": significant import (≥ 50 a year of the same goods), uniform,
    duty-free goods — the conditions for granting the authorisation."""
    found: list[Problem] = []
    if expected_imports_of_same_goods < MIN_IMPORTS_A_YEAR:
        found.append(import_problem("periodic.not_significant", "/expectedImportsPerYear",
                                    f"a periodic declaration needs at least {MIN_IMPORTS_A_YEAR} imports a year of "
                                    f"the same goods, not {expected_imports_of_same_goods}",
                                    f"periodeangivelse kræver mindst {MIN_IMPORTS_A_YEAR} indførsler om året af "
                                    f"samme vare, ikke {expected_imports_of_same_goods}"))
    if not goods_duty_free:
        found.append(import_problem("periodic.not_duty_free", "/goods",
                                    "a periodic declaration is for duty-free goods",
                                    "periodeangivelse er for toldfri varer"))
    if not goods_uniform:
        found.append(import_problem("periodic.not_uniform", "/goods",
                                    "a periodic declaration is for uniform goods", "periodeangivelse er for ensartede varer"))
    return found


def periodic_needs_authorisation(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Tilladelse til periodeangivelse" (TBEK § 28): an authorisation valid on the day of lodging."""
    if decl.procedure in PERIODIC and decl.authorisation(AuthorisationKind.PERIODIC, danish_day(decl.lodged_at)) is None:
        return import_problem("periodic.not_authorised", "/authorisations",
                              "a periodic declaration needs an authorisation for periodic declaration, valid on the day",
                              "periodeangivelse kræver en tilladelse til periodeangivelse, gyldig på dagen")
    return None


def periodic_combined_goods_are_uniform(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "rubrik 8 - 46 skal være ens": the month-end declaration combines only uniform goods."""
    if decl.procedure != Procedure.PERIODIC_COMBINED or not decl.goods:
        return None
    first = uniform_key(decl.goods[0])
    found: list[Problem] = []
    for item in decl.goods[1:]:
        key = uniform_key(item)
        differing = [name for name in (f.name for f in fields(UniformKey)) if getattr(key, name) != getattr(first, name)]
        if differing:
            found.append(import_problem("periodic.goods_not_uniform", item.pointer,
                                        f"goods item {item.sequence} differs from item 1 in {', '.join(differing)}; "
                                        "combine only uniform goods (one declaration per group)",
                                        f"varepost {item.sequence} afviger fra varepost 1 i {', '.join(differing)}; "
                                        "kun ensartede varer kan samles (én angivelse pr. gruppe)"))
    return found


def monthly_declaration_covers_one_month(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "indførsler foretaget i en måned": a combined or letter-post declaration covers one calendar month,
    every item with its arrival date, lodged once that month's last day has come."""
    if decl.procedure not in MONTHLY:
        return None
    found: list[Problem] = []
    months = set()
    for item in decl.goods:
        if item.arrived_on is None:
            found.append(import_problem("monthly.arrival_missing", f"{item.pointer}/arrivedOn",
                                        "each item of a monthly declaration gives the day it arrived",
                                        "hver varepost i en månedsangivelse angiver ankomstdagen"))
        else:
            months.add((item.arrived_on.year, item.arrived_on.month))
    if len(months) > 1:
        found.append(import_problem("monthly.several_months", "/goods",
                                    "a monthly declaration covers the arrivals of one calendar month",
                                    "en månedsangivelse omfatter indførslerne i én kalendermåned"))
    elif months:
        (year, month), = months
        last_day = date(year, month, monthrange(year, month)[1])
        if danish_day(decl.lodged_at) < last_day:
            found.append(import_problem("monthly.before_month_end", "/lodgedAt",
                                        f"a monthly declaration is lodged at the end of the month it covers, "
                                        f"not before {last_day.isoformat()}",
                                        f"en månedsangivelse afgives ved udgangen af den måned, den omfatter, "
                                        f"ikke før {last_day.isoformat()}"))
    return found


def periodic_goods_are_duty_free(decl: Declaration, tariff: Tariff) -> list[Problem]:
    """Seed 004 "ensartede toldfri varer": under a periodic declaration every item's duty rate is zero."""
    if decl.procedure not in PERIODIC:
        return []
    found: list[Problem] = []
    for item in decl.goods:
        rate = tariff.rate_for(item.commodity_code)
        if rate is not None and rate != 0:
            found.append(import_problem("periodic.goods_dutiable", f"{item.pointer}/commodityCode",
                                        f"goods under {item.commodity_code} carry {rate} % duty; a periodic "
                                        "declaration is for duty-free goods",
                                        f"varer under {item.commodity_code} har {rate} % told; periodeangivelse er "
                                        "for toldfri varer"))
    return found


RULES = (periodic_needs_authorisation, periodic_combined_goods_are_uniform, monthly_declaration_covers_one_month)
