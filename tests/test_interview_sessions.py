"""`ncnd sessions`, case details that forgive, and the dates officers type (issue 15, points 5 and 6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ncnd_assistant.cli import app
from ncnd_assistant.interview.dates import date_warning, parse_date, time_limit
from ncnd_assistant.interview.session import Session

runner = CliRunner()
CASE_END = ["Does the force use facial recognition on CCTV?", ".", "Jo Officer"]


def interview(tmp_path: Path, lines: list[str], *extra: str) -> str:
    result = runner.invoke(app, ["interview", "--prompt", "--audit", str(tmp_path / "a.jsonl"),
                                 "--notice-out", str(tmp_path / "n.md"), *extra], input="\n".join(lines) + "\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "120"})
    return result.output


def sessions(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["sessions", *args], env={"NCND_DATA_DIR": str(tmp_path / "data"),
                                                          "COLUMNS": "120"})
    return result.exit_code, result.output


def test_unfinished_sessions_are_listed_with_where_they_stopped_and_can_be_deleted(tmp_path: Path) -> None:
    interview(tmp_path, ["SES-1", "", "2026-11-02", *CASE_END, "overt", "Overt use", "", "n", "n", "n"])
    code, out = sessions(tmp_path)
    assert code == 0, out
    assert "SES-1" in out and "part 1 of 1 (overt)" in out and "2026-12-01" in out  # 30 Nov: St Andrew's Day
    assert "Would confirming or denying reveal anything" in out  # the question reached, in words
    code, out = sessions(tmp_path, "delete", "SES-1")
    assert code == 0 and "Deleted" in out
    assert "No unfinished sessions" in sessions(tmp_path, "list")[1]
    code, out = sessions(tmp_path, "delete", "NOPE")
    assert code == 2 and "no session" in out


def test_finished_interviews_are_not_listed(tmp_path: Path) -> None:
    out = interview(tmp_path, ["SES-2", "", "2026-11-02", *CASE_END, "overt", "Overt", "", "n"]
                    + ["n"] * 8 + ["no", "n", "n", "a"])
    assert "Draft notice written" in out, out
    assert "SES-2" not in sessions(tmp_path)[1]
    assert "SES-2" in sessions(tmp_path, "list", "--finished")[1]


def test_a_session_keeps_the_path_printed_at_the_first_stop(tmp_path: Path) -> None:
    # stopped at the case details with no reference yet; resumed, given one, stopped again
    first = interview(tmp_path, [])
    path = Path(first.split("--resume ", 1)[1].split()[0])
    second = runner.invoke(app, ["interview", "--prompt", "--resume", str(path)], input="LATER-1\n",
                           env={"NCND_DATA_DIR": str(tmp_path / "data")}).output
    assert str(path) in second and path.exists()
    assert Session.load(path).case_ref == "LATER-1"


def test_case_details_forgive_help_uk_dates_and_empty_answers(tmp_path: Path) -> None:
    out = interview(tmp_path, ["?", "", "REF-5", "", "?", "31/02/2026", "03/11/2026", *CASE_END, "", "overt", "",
                               "Overt use", ""])
    assert "The reference your authority gave the request" in out
    assert "A case reference is needed" in out
    assert "The day the request reached the authority" in out
    assert "Could not read '31/02/2026' as a date" in out
    assert "Response due by Wednesday 2 December 2026" in out
    assert "A short name is needed" in out and "Say in a few words what this part asks" in out
    saved = Session.load(Path(out.split("--resume ", 1)[1].split()[0]))
    assert saved.case_ref == "REF-5" and saved.received == date(2026, 11, 3)


def test_review_can_change_the_case_details(tmp_path: Path) -> None:
    out = interview(tmp_path, ["REF-6", "", "2026-11-02", *CASE_END, "overt", "Overt", "", "n", "n", "review", "c",
                               "1", "REF-6B", "2", "4 Nov 2026", "", "quit"])
    assert "Case details:" in out
    saved = Session.load(Path(out.split("--resume ", 1)[1].split()[0]))
    assert saved.case_ref == "REF-6B" and saved.received == date(2026, 11, 4)


@pytest.mark.parametrize("raw", ["2026-11-03", "03/11/2026", "3/11/2026", "3 Nov 2026", "3 November 2026",
                                 "3rd November 2026", " 03-11-2026 "])
def test_dates_are_read_as_officers_type_them(raw: str) -> None:
    assert parse_date(raw) == date(2026, 11, 3)


def test_odd_dates_are_warned_about_and_the_time_limit_is_counted() -> None:
    today = date(2026, 11, 27)
    assert parse_date("11/03") is None and parse_date("tomorrow") is None
    assert "future" in date_warning(date(2027, 5, 1), today)
    assert "more than a year" in date_warning(date(2018, 11, 1), today)
    assert date_warning(date(2026, 11, 2), today) == ""
    assert time_limit(date(2026, 11, 2), today).describe() == "1 working day(s) left"  # due Tue 1 Dec
    assert time_limit(date(2026, 10, 1), today).describe() == "overdue by 29 day(s)"  # due 29 Oct


def test_a_far_date_is_warned_about_on_screen(tmp_path: Path) -> None:
    out = interview(tmp_path, ["REF-7", "", "2018-11-01", "quit"])
    assert "Check the date: 01 November 2018 is more than a year ago" in out
    assert "overdue by" in out


def test_an_unreadable_session_file_is_listed_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "sessions"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    code, out = sessions(tmp_path)
    assert code == 0, out
    assert "[unreadable]" in out and "Traceback" not in out
