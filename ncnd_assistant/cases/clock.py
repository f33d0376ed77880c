"""The statutory clock of one case, from its date of receipt and its case events.

- FOIA s10(1): respond by the 20th working day after the date of receipt (working days as
  `letter.workdays`: no weekends, Christmas Day, Good Friday or a bank holiday anywhere in the UK).
- s1(3) and s10(6)(b): while clarification the authority reasonably needs is outstanding the
  clock waits, and once it arrives the date of receipt is the day it arrived (the 20 days start
  again, they are not resumed).
- s9 and s10(2): the working days from the day a fees notice is given to the day the fee is
  received are disregarded; while the fee is unpaid the clock is stopped.
- s10(3) and s17(2): where the public interest needs longer, "such time as is reasonable", with a
  holding notice within the 20 days giving an estimate; the ICO expects normally no more than 20
  extra working days (ICO guidance on time limits; FOIA Explanatory Notes para 52), the default.
- Internal review (not statutory under FOIA; the s45 Code of Practice 2018): normally within 20
  working days of the request for review, 40 at most.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ncnd_assistant.audit.record import CaseEventRecord
from ncnd_assistant.cases import events as ev
from ncnd_assistant.letter.workdays import TIME_LIMIT_WORKING_DAYS, DueDateError, due_date, is_working_day

DEFAULT_EXTENSION = 20  # ICO: a further 20 working days is normally the most that is reasonable
REVIEW_TARGET = 20  # s45 Code: normally within 20 working days
REVIEW_LIMIT = 40  # ... and no more than 40


@dataclass(frozen=True)
class CaseClock:
    """Where a case stands against the time limit."""

    start: date | None  # the date of receipt the 20 days run from (None: not known)
    due: date | None  # the s10(1) 20th working day (None: not known, or the clock is stopped)
    deadline: date | None  # `due`, or the s10(3) extended date after a holding notice
    extended_by: int = 0  # working days added by a holding notice
    holding_notice: date | None = None  # the s17(2) notice's date
    stopped: str = ""  # why the clock is stopped now ("" when it runs)
    answered: date | None = None  # when the response was sent
    notes: tuple[str, ...] = ()

    @property
    def within_20(self) -> bool | None:
        """Whether the response went by the s10(1) 20th working day (None: not sent, or not known)."""
        if self.answered is None or self.due is None:
            return None
        return self.answered <= self.due

    @property
    def within_deadline(self) -> bool | None:
        """Whether it went by the deadline, allowing a s10(3) extension."""
        if self.answered is None or self.deadline is None:
            return None
        return self.answered <= self.deadline

    def days_left(self, today: date) -> int | None:
        """Working days from today to the deadline (0 on the day, negative when overdue); None when
        there is no deadline or the response has gone."""
        if self.deadline is None or self.answered is not None:
            return None
        return working_days_between(today, self.deadline)


@lru_cache(maxsize=256)
def _running_count(year: int) -> tuple[int, ...]:
    """For each day of `year` (by its day of the year, from 1), the working days from 1 January up
    to and including it; index 0 is 0."""
    counts, day = [0], date(year, 1, 1)
    while day.year == year:
        counts.append(counts[-1] + is_working_day(day))
        if day == date.max:
            break
        day += timedelta(days=1)
    return tuple(counts)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative, counted the other way,
    when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    whole_years = sum(_running_count(year)[-1] for year in range(start.year, end.year))
    return whole_years + _running_count(end.year)[end.timetuple().tm_yday] \
        - _running_count(start.year)[start.timetuple().tm_yday]


@lru_cache(maxsize=4096)
def _due(start: date, days: int) -> date:
    return due_date(start, days)


def _count_from(start: date, days: int, paused: list[tuple[date, date]]) -> date:
    """The `days`-th working day after `start`, not counting working days inside a paused span."""
    if not paused:
        return _due(start, days)
    due_date(start, days + sum((b - a).days + 1 for a, b in paused))  # a DueDateError near the calendar's end
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day) and not any(a <= day <= b for a, b in paused):
            counted += 1
    return day


def _in_order(records: Iterable[CaseEventRecord]) -> list[tuple[date, int, CaseEventRecord]]:
    dated = []
    for n, record in enumerate(records):
        try:
            dated.append((date.fromisoformat(record.date), n, record))
        except ValueError:
            continue  # a hand-edited date: the event is ignored (verify still checks the chain)
    return sorted(dated, key=lambda item: (item[0], item[1]))


def case_clock(received: date | None, events: Iterable[CaseEventRecord]) -> CaseClock:
    """The clock of a case received on `received` with these events (in log order)."""
    start, notes = received, []
    awaiting_clarification = False
    fee_since: date | None = None
    paused: list[tuple[date, date]] = []
    holding: CaseEventRecord | None = None
    holding_day: date | None = None
    answered: date | None = None
    for day, _, record in _in_order(events):
        match record.event:
            case ev.RECEIVED:
                start = start or day
            case ev.CLARIFICATION_SOUGHT:
                awaiting_clarification = True
            case ev.CLARIFICATION_RECEIVED:
                awaiting_clarification, start, paused = False, day, []
                notes.append(f"clarification received {day.isoformat()}: the 20 working days run from then "
                             "(s10(6)(b))")
            case ev.FEES_NOTICE:
                fee_since = fee_since or day
            case ev.FEE_PAID if fee_since is not None:
                paused.append((fee_since, day))
                fee_since = None
            case ev.HOLDING_NOTICE:
                holding, holding_day = record, day
            case ev.SENT:
                answered = answered or day
    if start is None:
        return CaseClock(None, None, None, answered=answered, notes=("the date received is not recorded",))
    stopped = ("awaiting clarification (s1(3))" if awaiting_clarification
               else "fees notice unpaid (s9, s10(2))" if fee_since is not None else "")
    if stopped:
        return CaseClock(start, None, None, stopped=stopped, answered=answered, notes=tuple(notes),
                         holding_notice=holding_day)
    try:
        due = _count_from(start, TIME_LIMIT_WORKING_DAYS, paused)
        extra = (holding.working_days or DEFAULT_EXTENSION) if holding is not None else 0
        deadline = _count_from(start, TIME_LIMIT_WORKING_DAYS + extra, paused) if extra else due
    except DueDateError as error:
        return CaseClock(start, None, None, answered=answered, notes=(*notes, str(error)))
    if holding_day is not None and holding_day > due:
        notes.append(f"the holding notice of {holding_day.isoformat()} came after the 20th working day "
                     f"({due.isoformat()}): s17(1) wants it within the time for compliance")
    if extra > DEFAULT_EXTENSION:
        notes.append(f"an extension of {extra} working days is more than the 20 the ICO normally accepts (s10(3))")
    return CaseClock(start, due, deadline, extended_by=extra, holding_notice=holding_day, answered=answered,
                     notes=tuple(notes))


@dataclass(frozen=True)
class ReviewClock:
    """The time for an internal review under the s45 Code of Practice."""

    requested: date
    target: date  # 20 working days
    limit: date  # 40 working days
    decided: date | None = None

    def days_left(self, today: date) -> int | None:
        """Working days to the 20-day target (negative when past it); None once decided."""
        return None if self.decided is not None else working_days_between(today, self.target)


def review_clock(requested: date, decided: date | None = None) -> ReviewClock:
    """The review's target (20 working days) and limit (40) from the day it was asked for."""
    return ReviewClock(requested, due_date(requested, REVIEW_TARGET), due_date(requested, REVIEW_LIMIT), decided)
