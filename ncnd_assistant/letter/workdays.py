"""The s10 time limit: the 20th working day after receipt.

FOIA s10(6): a working day is any day other than a Saturday, a Sunday, Christmas Day, Good Friday
or a bank holiday in any part of the United Kingdom (ICO LTT47). Bank holidays come from the
`holidays` package, taken over all four UK nations.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

UK_NATIONS = ("ENG", "NIR", "SCT", "WLS")
TIME_LIMIT_WORKING_DAYS = 20


@lru_cache(maxsize=64)
def uk_bank_holidays(year: int) -> frozenset[date]:
    """Every day that is a bank holiday somewhere in the UK in `year`."""
    import holidays  # loaded on first use: a large package that `ncnd --help` has no need of

    days: set[date] = set()
    for nation in UK_NATIONS:
        days.update(holidays.country_holidays("GB", subdiv=nation, years=year))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) == (12, 25):
        return False
    return day not in uk_bank_holidays(day.year)


def due_date(received: date, working_days: int = TIME_LIMIT_WORKING_DAYS) -> date:
    """The `working_days`-th working day after the day of receipt."""
    day, counted = received, 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
