"""The s10 time limit: the 20th working day after receipt, on the calendar of the regime.

FOIA s10(6) (and EIR reg 2(1)): a working day is any day other than a Saturday, a Sunday, Christmas
Day, Good Friday or a bank holiday in any part of the United Kingdom (ICO LTT47). FOISA s73: any day
other than a Saturday, a Sunday, Christmas Day or a bank holiday in Scotland under the Banking and
Financial Dealings Act 1971 (so Easter Monday and the English August holiday are working days under
FOISA). Bank holidays come from the `holidays` package, for the nations a calendar names
(`calendar_for(regime)`); the default is all four UK nations, as before. A receipt so late that the
limit would fall after 31 December 9999 (the end of Python's calendar) is a `DueDateError`: such a
date is a typing error in the case details, and no letter can give a due date for it.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from ncnd_assistant.errors import ExitCode, NcndError

UK_NATIONS = ("ENG", "NIR", "SCT", "WLS")
SCOTLAND = ("SCT",)
TIME_LIMIT_WORKING_DAYS = 20
REGIME_CALENDARS: dict[str, tuple[str, ...]] = {"foia": UK_NATIONS, "eir": UK_NATIONS, "foisa": SCOTLAND}


TIME_LIMIT_BASIS = {
    "foia": "FOIA s10(1); weekends and UK bank holidays excluded",
    "eir": "EIR reg 5(2); weekends and UK bank holidays excluded",
    "foisa": "FOISA s10(1); weekends, Christmas Day and Scottish bank holidays excluded, s73",
}


def calendar_for(regime: str) -> tuple[str, ...]:
    """The nations whose bank holidays are not working days under `regime` (UK-wide if unknown)."""
    return REGIME_CALENDARS.get(regime, UK_NATIONS)


def time_limit_basis(regime: str) -> str:
    """Where the 20 working days come from under `regime`, and which days are not counted."""
    return TIME_LIMIT_BASIS.get(regime, TIME_LIMIT_BASIS["foia"])


class DueDateError(NcndError):
    """The time limit for a receipt date cannot be worked out: it would fall beyond the calendar."""

    exit_code = ExitCode.ANSWERS


@lru_cache(maxsize=64)
def bank_holidays(year: int, nations: tuple[str, ...] = UK_NATIONS) -> frozenset[date]:
    """Every day that is a bank holiday in any of `nations` (GB subdivision codes) in `year`."""
    import holidays  # loaded on first use: a large package that `ncnd --help` has no need of

    days: set[date] = set()
    for nation in nations:
        days.update(holidays.country_holidays("GB", subdiv=nation, years=year))
    return frozenset(days)


def uk_bank_holidays(year: int) -> frozenset[date]:
    """Every day that is a bank holiday somewhere in the UK in `year`."""
    return bank_holidays(year, UK_NATIONS)


def is_working_day(day: date, nations: tuple[str, ...] = UK_NATIONS) -> bool:
    """Not a weekend, Christmas Day or a bank holiday in any of `nations` (UK-wide by default)."""
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) == (12, 25):
        return False
    return day not in bank_holidays(day.year, nations)


def due_date(received: date, working_days: int = TIME_LIMIT_WORKING_DAYS,
             nations: tuple[str, ...] = UK_NATIONS) -> date:
    """The `working_days`-th working day after the day of receipt, on the calendar of `nations`
    (UK-wide by default; `calendar_for("foisa")` for Scotland)."""
    day, counted = received, 0
    while counted < working_days:
        if day == date.max:
            raise DueDateError(f"the date received, {received.isoformat()}, is too late: {working_days} working "
                               "days after it fall beyond the calendar's last day (9999-12-31), so no letter "
                               "can give a due date; correct the date received")
        day += timedelta(days=1)
        if is_working_day(day, nations):
            counted += 1
    return day


def long_date(day: date) -> str:
    """A date as letters write it: "1 December 2026" (no zero padding)."""
    return f"{day.day} {day:%B %Y}"
