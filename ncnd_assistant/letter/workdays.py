"""The s10 time limit: the 20th working day after receipt.

FOIA s10(6): a working day is any day other than a Saturday, a Sunday, Christmas Day, Good Friday
or a bank holiday in any part of the United Kingdom (ICO LTT47). Bank holidays come from the
`holidays` package, taken over all four UK nations. A receipt so late that the limit would fall
after 31 December 9999 (the end of Python's calendar) is a `DueDateError`: such a date is a typing
error in the case details, and no letter can give a due date for it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from ncnd_assistant.errors import ExitCode, NcndError

UK_NATIONS = ("ENG", "NIR", "SCT", "WLS")
TIME_LIMIT_WORKING_DAYS = 20


class DueDateError(NcndError):
    """The time limit for a receipt date cannot be worked out: it would fall beyond the calendar."""

    exit_code = ExitCode.ANSWERS


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
        if day == date.max:
            raise DueDateError(f"the date received, {received.isoformat()}, is too late: {working_days} working "
                               "days after it fall beyond the calendar's last day (9999-12-31), so no letter "
                               "can give a due date; correct the date received")
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def long_date(day: date) -> str:
    """A date as letters write it: "1 December 2026" (no zero padding)."""
    return f"{day.day} {day:%B %Y}"
