"""Danish working days: weekends, public holidays, Grundlovsdag, 24 and 31 December (core/calendar.py).

Every expected date below was checked by hand against the Danish calendar for the year.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.calendar import (is_working_day, last_working_day_of_month, next_working_day,
                                      nth_working_day_of_month, working_days_of_month)


@pytest.mark.parametrize("day", [
    date(2025, 4, 17),  # Maundy Thursday 2025 (skærtorsdag)
    date(2025, 4, 18),  # Good Friday 2025
    date(2025, 4, 21),  # Easter Monday 2025
    date(2025, 5, 29),  # Ascension Day 2025
    date(2025, 6, 9),  # Whit Monday 2025
    date(2026, 1, 1),  # New Year's Day, a Thursday
    date(2026, 6, 5),  # Grundlovsdag, a Friday: closed day, counted as not working
    date(2026, 12, 24),  # Christmas Eve, a Thursday: closed day
    date(2026, 12, 31),  # New Year's Eve, a Thursday: closed day
    date(2027, 3, 29),  # Easter Monday 2027
    date(2027, 12, 25),  # Christmas Day 2027, a Saturday
    date(2025, 11, 29),  # an ordinary Saturday
    date(2025, 11, 30),  # an ordinary Sunday
])
def test_days_that_are_not_working_days(day: date) -> None:
    assert not is_working_day(day)


@pytest.mark.parametrize("day", [
    date(2025, 5, 1),  # 1 May is no public holiday (a Thursday)
    date(2025, 5, 30),  # the Friday after Ascension is a working day
    date(2024, 4, 26),  # Friday: would have been Store Bededag 2024, abolished
    date(2026, 12, 28),  # Monday between Christmas and New Year
    date(2027, 1, 4),  # first Monday of 2027
])
def test_days_that_are_working_days(day: date) -> None:
    assert is_working_day(day)


@pytest.mark.parametrize(("year", "month", "n", "expected"), [
    (2025, 1, 2, date(2025, 1, 3)),  # 1 Jan (Wed) holiday; Thu 2, Fri 3
    (2026, 1, 2, date(2026, 1, 5)),  # 1 Jan (Thu) holiday; Fri 2, then the weekend, Mon 5
    (2027, 1, 2, date(2027, 1, 5)),  # 1 Jan (Fri) holiday; Mon 4, Tue 5
    (2026, 4, 2, date(2026, 4, 7)),  # Wed 1; Thu 2, Fri 3 Easter; weekend; Mon 6 Easter Monday; Tue 7
    (2027, 4, 2, date(2027, 4, 2)),  # Thu 1, Fri 2 (Easter was in March)
    (2025, 6, 2, date(2025, 6, 3)),  # Mon 2, Tue 3
    (2026, 6, 4, date(2026, 6, 4)),  # Mon 1, Tue 2, Wed 3, Thu 4 (Grundlovsdag is Fri 5)
    (2025, 8, 2, date(2025, 8, 4)),  # Fri 1, weekend, Mon 4
    (2027, 5, 1, date(2027, 5, 3)),  # 1 May is a Saturday; Mon 3
])
def test_nth_working_day_of_month(year: int, month: int, n: int, expected: date) -> None:
    assert nth_working_day_of_month(year, month, n) == expected


def test_grundlovsdag_is_skipped_when_counting() -> None:
    # June 2026: Mon 1 .. Thu 4 are the 1st-4th; Fri 5 is Grundlovsdag; Mon 8 is the 5th.
    assert nth_working_day_of_month(2026, 6, 5) == date(2026, 6, 8)


@pytest.mark.parametrize(("year", "month", "expected"), [
    (2025, 12, date(2025, 12, 30)),  # Wed 31 is New Year's Eve: Tue 30
    (2026, 12, date(2026, 12, 30)),  # Thu 31 New Year's Eve: Wed 30
    (2027, 12, date(2027, 12, 30)),  # Fri 31 New Year's Eve: Thu 30
    (2025, 5, date(2025, 5, 30)),  # Sat 31: Fri 30 (Ascension was Thu 29)
    (2025, 11, date(2025, 11, 28)),  # Sun 30, Sat 29: Fri 28
    (2027, 3, date(2027, 3, 31)),  # Easter 25-29 March 2027; Wed 31 is a working day
    (2027, 7, date(2027, 7, 30)),  # Sat 31: Fri 30
    (2026, 2, date(2026, 2, 27)),  # Sat 28: Fri 27
])
def test_last_working_day_of_month(year: int, month: int, expected: date) -> None:
    assert last_working_day_of_month(year, month) == expected


def test_nth_working_day_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        nth_working_day_of_month(2026, 2, 0)
    with pytest.raises(ValueError):
        nth_working_day_of_month(2026, 2, 25)


def test_next_working_day_skips_christmas() -> None:
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)  # Thu 24, Fri 25, Sat 26, Sun 27 -> Mon 28
    assert next_working_day(date(2026, 12, 28)) == date(2026, 12, 28)


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
def test_working_days_are_weekdays_and_the_list_agrees(day: date) -> None:
    if is_working_day(day):
        assert day.weekday() < 5
    assert (day in working_days_of_month(day.year, day.month)) == is_working_day(day)
    assert next_working_day(day) - day < timedelta(days=6)
