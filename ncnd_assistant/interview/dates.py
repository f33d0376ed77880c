"""Dates as officers type them, and how a case stands against its time limit (FOIA s10(1))."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.workdays import UK_NATIONS, due_date, is_working_day

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y", "%d-%m-%Y", "%d.%m.%Y")
DATE_HINT = "YYYY-MM-DD, DD/MM/YYYY or 3 Nov 2026"
LONG_AGO = timedelta(days=365)  # a date received further back than this is probably mistyped


def parse_date(raw: str) -> date | None:
    """A date typed as 2026-11-03, 03/11/2026 (UK order), 3 Nov 2026 or 3 November 2026; None if
    it is none of those."""
    text = re.sub(r"\s+", " ", raw.strip()).replace(",", "")
    text = re.sub(r"^(\d{1,2})(st|nd|rd|th)\b", r"\1", text, flags=re.IGNORECASE)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def date_warning(received: date, today: date) -> str:
    """Why a date received looks wrong (in the future, or more than a year back), or ""."""
    if received > today:
        return f"{received:%d %B %Y} is in the future."
    if today - received > LONG_AGO:
        return f"{received:%d %B %Y} is more than a year ago."
    return ""


@dataclass(frozen=True)
class TimeLimit:
    """Where a case stands: its due date, and working days left or calendar days overdue."""

    due: date
    working_days_left: int
    days_overdue: int

    def describe(self) -> str:
        if self.days_overdue:
            return f"overdue by {self.days_overdue} day(s)"
        if self.working_days_left == 0:
            return "due today"
        return f"{self.working_days_left} working day(s) left"


def time_limit(received: date, today: date, nations: tuple[str, ...] = UK_NATIONS) -> TimeLimit:
    """The response due date (20 working days, on the calendar of `nations`) and how today stands against it."""
    due = due_date(received, nations=nations)
    if today > due:
        return TimeLimit(due, 0, (today - due).days)
    left, day = 0, today
    while day < due:
        day += timedelta(days=1)
        if is_working_day(day, nations):
            left += 1
    return TimeLimit(due, left, 0)
