"""Danish working days ("hverdage") for the deadlines customs sets (seed 004, "Supplerende angivelse").

A working day is Monday to Friday that is not a Danish public holiday (`holidays.country_holidays("DK")`,
which already knows that Store Bededag is no holiday from 2024), nor Grundlovsdag (5 June), nor
24 or 31 December. The seed says "hverdag" without defining it. Danish law extends a deadline that ends
on "en weekend, en helligdag, grundlovsdag, den 24. eller den 31. december" to the next weekday
(forældelsesloven § 27, stk. 2), so a customs deadline does not fall on those three days either: they are
not working days here. 1 May and the Friday after Ascension are working days.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays

# Not public holidays in the `holidays` package, but days a Danish deadline cannot end on.
CLOSED_DAYS: frozenset[tuple[int, int]] = frozenset({(6, 5), (12, 24), (12, 31)})


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=year))


def is_working_day(day: date) -> bool:
    """True for a Danish working day: a weekday, not a public holiday, not 5 June, 24 or 31 December."""
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in CLOSED_DAYS:
        return False
    return day not in _public_holidays(day.year)


def working_days_of_month(year: int, month: int) -> list[date]:
    """Every working day of the month, in order."""
    days = _calendar.monthrange(year, month)[1]
    return [d for d in (date(year, month, n) for n in range(1, days + 1)) if is_working_day(d)]


def nth_working_day_of_month(year: int, month: int, n: int) -> date:
    """The n-th (1-based) working day of the month; ValueError if n is not between 1 and their count."""
    days = working_days_of_month(year, month)
    if not 1 <= n <= len(days):
        raise ValueError(f"{year}-{month:02d} has {len(days)} working days, not {n}")
    return days[n - 1]


def last_working_day_of_month(year: int, month: int) -> date:
    """The last working day of the month."""
    return working_days_of_month(year, month)[-1]


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def month_after(year: int, month: int) -> tuple[int, int]:
    """The (year, month) that follows."""
    return (year + 1, 1) if month == 12 else (year, month + 1)
