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

Under another law (`regime`, `LIMITS`) the days are counted on that law's calendar
(`letter.workdays.calendar_for`: Scottish bank holidays for FOISA, s73) and its own limits apply:
the EIR allow an extension to 40 working days in all for a complex and voluminous request (reg 7(1))
and give 40 working days to reconsider (reg 11(4)); FOISA allows no extension (s10(1)) and gives 20
working days for a review (s21(1)).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

from ncnd_assistant.audit.record import CaseEventRecord
from ncnd_assistant.cases import events as ev
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.workdays import (
    TIME_LIMIT_WORKING_DAYS,
    UK_NATIONS,
    DueDateError,
    calendar_for,
    due_date,
    is_working_day,
)

DEFAULT_EXTENSION = 20  # ICO: a further 20 working days is normally the most that is reasonable
REVIEW_TARGET = 20  # s45 Code: normally within 20 working days
REVIEW_LIMIT = 40  # ... and no more than 40


@dataclass(frozen=True)
class Limits:
    """What a law allows beyond the 20 working days, and the time it gives for a review."""

    extension: int  # working days a holding notice adds by default, and the most it should (0: none allowed)
    too_long: str  # the note when a holding notice asks for more than `extension`
    review_target: int
    review_limit: int


LIMITS = {
    "foia": Limits(DEFAULT_EXTENSION, "more than the 20 the ICO normally accepts (s10(3))",
                   REVIEW_TARGET, REVIEW_LIMIT),
    "eir": Limits(20, "more than reg 7(1) allows (40 working days in all, for a complex and voluminous request)",
                  40, 40),  # reg 11(4): reconsidered within 40 working days of the representations
    "foisa": Limits(0, "", 20, 20),  # FOISA s10(1): no extension; s21(1): a review within 20 working days
}


def limits_for(regime: str) -> Limits:
    """The limits of `regime` (FOIA's when unknown)."""
    return LIMITS.get(regime, LIMITS["foia"])


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
    nations: tuple[str, ...] = UK_NATIONS  # whose bank holidays are not working days (the law's calendar)

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
        return working_days_between(today, self.deadline, self.nations)


@lru_cache(maxsize=256)
def _running_count(year: int, nations: tuple[str, ...] = UK_NATIONS) -> tuple[int, ...]:
    """For each day of `year` (by its day of the year, from 1), the working days from 1 January up
    to and including it; index 0 is 0."""
    counts, day = [0], date(year, 1, 1)
    while day.year == year:
        counts.append(counts[-1] + is_working_day(day, nations))
        if day == date.max:
            break
        day += timedelta(days=1)
    return tuple(counts)


def working_days_between(start: date, end: date, nations: tuple[str, ...] = UK_NATIONS) -> int:
    """Working days after `start` up to and including `end`; negative, counted the other way,
    when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start, nations)
    whole_years = sum(_running_count(year, nations)[-1] for year in range(start.year, end.year))
    return whole_years + _running_count(end.year, nations)[end.timetuple().tm_yday] \
        - _running_count(start.year, nations)[start.timetuple().tm_yday]


@lru_cache(maxsize=4096)
def _due(start: date, days: int, nations: tuple[str, ...]) -> date:
    return due_date(start, days, nations)


def _count_from(start: date, days: int, paused: list[tuple[date, date]], nations: tuple[str, ...]) -> date:
    """The `days`-th working day after `start`, not counting working days inside a paused span."""
    if not paused:
        return _due(start, days, nations)
    due_date(start, days + sum((b - a).days + 1 for a, b in paused), nations)  # a DueDateError near the end
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, nations) and not any(a <= day <= b for a, b in paused):
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


def case_clock(received: date | None, events: Iterable[CaseEventRecord], regime: str = "foia") -> CaseClock:
    """The clock of a case received on `received` with these events (in log order), under `regime`."""
    nations, limits = calendar_for(regime), limits_for(regime)
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
        return CaseClock(None, None, None, answered=answered, notes=("the date received is not recorded",),
                         nations=nations)
    stopped = ("awaiting clarification (s1(3))" if awaiting_clarification
               else "fees notice unpaid (s9, s10(2))" if fee_since is not None else "")
    if stopped:
        return CaseClock(start, None, None, stopped=stopped, answered=answered, notes=tuple(notes),
                         holding_notice=holding_day, nations=nations)
    extra = (holding.working_days or limits.extension) if holding is not None and limits.extension else 0
    if holding is not None and not limits.extension:
        notes.append("a holding notice does not extend the time under FOISA: s10(1) gives 20 working days, "
                     "with no extension for the public interest test")
    try:
        due = _count_from(start, TIME_LIMIT_WORKING_DAYS, paused, nations)
        deadline = _count_from(start, TIME_LIMIT_WORKING_DAYS + extra, paused, nations) if extra else due
    except DueDateError as error:
        return CaseClock(start, None, None, answered=answered, notes=(*notes, str(error)), nations=nations)
    if holding_day is not None and holding_day > due:
        notes.append(f"the holding notice of {holding_day.isoformat()} came after the 20th working day "
                     f"({due.isoformat()}): s17(1) wants it within the time for compliance")
    if extra > limits.extension:
        notes.append(f"an extension of {extra} working days is {limits.too_long}")
    return CaseClock(start, due, deadline, extended_by=extra, holding_notice=holding_day, answered=answered,
                     notes=tuple(notes), nations=nations)


@dataclass(frozen=True)
class ReviewClock:
    """The time for an internal review (the s45 Code of Practice; EIR reg 11(4); FOISA s21(1))."""

    requested: date
    target: date  # 20 working days (EIR: 40)
    limit: date  # 40 working days (FOISA: 20, the statutory limit)
    decided: date | None = None
    nations: tuple[str, ...] = UK_NATIONS

    def days_left(self, today: date) -> int | None:
        """Working days to the target (negative when past it); None once decided."""
        return None if self.decided is not None else working_days_between(today, self.target, self.nations)


def review_clock(requested: date, decided: date | None = None, regime: str = "foia") -> ReviewClock:
    """The review's target and limit under `regime` from the day it was asked for (FOIA: 20 and 40
    working days, s45 Code; EIR: 40, reg 11(4); FOISA: 20, s21(1))."""
    nations, limits = calendar_for(regime), limits_for(regime)
    return ReviewClock(requested, due_date(requested, limits.review_target, nations),
                       due_date(requested, limits.review_limit, nations), decided, nations)
