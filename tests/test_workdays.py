"""s10: the 20th working day after receipt, without weekends and UK bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncnd_assistant.letter.workdays import due_date, is_working_day


def test_christmas_and_new_year() -> None:
    # 1 Dec 2025: Christmas Day and Boxing Day are not working days
    assert due_date(date(2025, 12, 1)) == date(2025, 12, 31)


def test_easter_counts_good_friday_and_easter_monday_out() -> None:
    # Easter Monday is a bank holiday in England, Wales and Northern Ireland, so anywhere in the UK
    assert due_date(date(2025, 4, 10)) == date(2025, 5, 13)


def test_a_holiday_in_one_nation_only_still_counts() -> None:
    assert not is_working_day(date(2025, 7, 14))  # Battle of the Boyne (observed), Northern Ireland
    assert not is_working_day(date(2025, 8, 4))  # Summer bank holiday, Scotland only
    assert not is_working_day(date(2025, 12, 1))  # St Andrew's Day (observed), Scotland
    assert is_working_day(date(2025, 12, 2))


@pytest.mark.slow
@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)))
def test_the_due_date_is_a_working_day_with_exactly_20_working_days_after_receipt(received: date) -> None:
    due = due_date(received)
    assert is_working_day(due)
    days = [received + timedelta(days=n) for n in range(1, (due - received).days + 1)]
    assert sum(is_working_day(d) for d in days) == 20
    assert 26 <= (due - received).days <= 40
