"""The statutory clock: s10(1) 20 working days, s10(2) fees, s1(3)/s10(6)(b) clarification, the
s10(3) extension with the s17(2) holding notice, and the s45 Code's review times. Dates worked out
by hand from the UK's 2026 bank holidays (St Patrick's Day 17 March in Northern Ireland, Good Friday
3 April, Easter Monday 6 April)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ncnd_assistant.audit.record import CaseEventRecord
from ncnd_assistant.cases.clock import case_clock, review_clock, working_days_between
from ncnd_assistant.letter.workdays import due_date, is_working_day

MARCH_2 = date(2026, 3, 2)  # a Monday


def event(kind: str, day: str, **more: Any) -> CaseEventRecord:
    record = CaseEventRecord.from_json({"kind": "case-event", "case_ref": "R1", "event": kind, "date": day, **more})
    assert isinstance(record, CaseEventRecord)
    return record


def test_twenty_working_days_skip_a_northern_irish_bank_holiday() -> None:
    clock = case_clock(MARCH_2, [])
    assert clock.due == clock.deadline == date(2026, 3, 31)  # 17 March is not a working day anywhere in the UK
    assert clock.days_left(date(2026, 3, 30)) == 1
    assert clock.days_left(date(2026, 4, 2)) == -2
    assert clock.days_left(date(2026, 3, 31)) == 0


def test_no_date_received_means_no_due_date() -> None:
    clock = case_clock(None, [])
    assert clock.due is None and clock.days_left(MARCH_2) is None
    assert "not recorded" in clock.notes[0]


def test_a_fees_notice_stops_the_clock_until_the_fee_is_paid() -> None:
    notice = event("fees-notice", "2026-03-09")
    waiting = case_clock(MARCH_2, [notice])
    assert waiting.due is None and "fees notice" in waiting.stopped
    paid = case_clock(MARCH_2, [notice, event("fee-paid", "2026-03-13")])
    # the five working days 9-13 March are disregarded (s10(2)); Good Friday and Easter Monday skipped
    assert paid.due == date(2026, 4, 9) and not paid.stopped


def test_clarification_restarts_the_twenty_days_from_its_arrival() -> None:
    sought = event("clarification-sought", "2026-03-04")
    assert "clarification" in case_clock(MARCH_2, [sought]).stopped
    clock = case_clock(MARCH_2, [sought, event("clarification-received", "2026-03-16")])
    assert clock.start == date(2026, 3, 16) and clock.due == date(2026, 4, 16)
    assert any("s10(6)(b)" in n for n in clock.notes)


def test_a_holding_notice_extends_by_twenty_working_days_by_default() -> None:
    clock = case_clock(MARCH_2, [event("holding-notice", "2026-03-20")])
    assert clock.due == date(2026, 3, 31) and clock.deadline == date(2026, 4, 30) and clock.extended_by == 20
    assert clock.holding_notice == date(2026, 3, 20) and clock.notes == ()
    shorter = case_clock(MARCH_2, [event("holding-notice", "2026-03-20", working_days=5)])
    assert shorter.deadline == due_date(MARCH_2, 25)


def test_a_late_holding_notice_and_a_long_extension_are_noted() -> None:
    clock = case_clock(MARCH_2, [event("holding-notice", "2026-04-01", working_days=30)])
    assert any("after the 20th working day" in n for n in clock.notes)
    assert any("more than the 20" in n for n in clock.notes)


def test_sent_on_time_late_and_within_the_extension() -> None:
    on_time = case_clock(MARCH_2, [event("sent", "2026-03-31")])
    assert on_time.within_20 is True and on_time.days_left(MARCH_2) is None
    late = case_clock(MARCH_2, [event("holding-notice", "2026-03-20"), event("sent", "2026-04-01")])
    assert late.within_20 is False and late.within_deadline is True
    assert case_clock(MARCH_2, []).within_20 is None


def test_a_hand_edited_event_date_is_ignored() -> None:
    assert case_clock(MARCH_2, [event("sent", "31/03/2026")]).answered is None


def test_review_target_twenty_and_limit_forty_working_days() -> None:
    review = review_clock(MARCH_2)
    assert review.target == date(2026, 3, 31) and review.limit == date(2026, 4, 30)
    assert review.days_left(date(2026, 3, 27)) == 2
    assert review_clock(MARCH_2, date(2026, 3, 10)).days_left(date(2026, 3, 27)) is None


def test_a_receipt_at_the_end_of_the_calendar_gives_no_due_date_and_no_crash() -> None:
    clock = case_clock(date(9999, 12, 20), [])
    assert clock.due is None and clock.notes


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 1)), st.integers(0, 40))
def test_working_days_between_agrees_with_the_due_date(start: date, n: int) -> None:
    end = due_date(start, n) if n else start
    assert working_days_between(start, end) == n
    assert working_days_between(end, start) == -n
    assert n == 0 or is_working_day(end)


@settings(max_examples=40, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 1)), st.integers(0, 30), st.integers(0, 15))
def test_a_paid_fee_delays_the_due_date_by_the_working_days_disregarded(start: date, after: int, span: int) -> None:
    notice = start + timedelta(days=after)
    paid = notice + timedelta(days=span)
    clock = case_clock(start, [event("fees-notice", notice.isoformat()), event("fee-paid", paid.isoformat())])
    plain = due_date(start)
    assert clock.due is not None and clock.due >= plain
    due = clock.due
    counted = [d for d in (start + timedelta(days=i) for i in range(1, (due - start).days + 1))
               if is_working_day(d) and not notice <= d <= paid]
    assert len(counted) == 20 and counted[-1] == due  # s10(2): the 20th working day not disregarded


def test_working_days_at_the_ends_of_the_calendar() -> None:
    assert working_days_between(date(9999, 12, 27), date.max) == sum(
        is_working_day(date(9999, 12, d)) for d in range(28, 32))
    assert working_days_between(date(1, 1, 1), date(1, 1, 10)) == sum(
        is_working_day(date(1, 1, d)) for d in range(2, 11))


def test_a_foisa_case_counts_scottish_working_days_and_allows_no_extension() -> None:
    # 17 March (St Patrick's Day) is a working day in Scotland (FOISA s73): the 20th is 30 March, not 31
    clock = case_clock(MARCH_2, [event("holding-notice", "2026-03-20")], "foisa")
    assert clock.due == clock.deadline == date(2026, 3, 30) and clock.extended_by == 0
    assert any("FOISA" in n and "s10(1)" in n for n in clock.notes)
    assert clock.days_left(date(2026, 3, 16)) == 10  # 17 March is counted in Scotland (UK-wide: 9)
    assert case_clock(MARCH_2, [], "foisa").notes == ()


def test_an_eir_case_extends_to_forty_working_days_at_most() -> None:
    clock = case_clock(MARCH_2, [event("holding-notice", "2026-03-20")], "eir")
    assert clock.deadline == date(2026, 4, 30) and clock.extended_by == 20 and clock.notes == ()
    longer = case_clock(MARCH_2, [event("holding-notice", "2026-03-20", working_days=25)], "eir")
    assert any("reg 7(1)" in n for n in longer.notes)


def test_review_times_follow_the_law() -> None:
    requested = date(2026, 4, 1)
    foia = review_clock(requested)
    assert (foia.target, foia.limit) == (date(2026, 5, 1), due_date(requested, 40))  # s45 Code: 20, 40 at most
    foisa = review_clock(requested, regime="foisa")  # s21(1): 20 working days; Easter Monday works in Scotland
    assert foisa.target == foisa.limit == date(2026, 4, 30)
    eir = review_clock(requested, regime="eir")  # reg 11(4): 40 working days
    assert eir.target == eir.limit == due_date(requested, 40)
