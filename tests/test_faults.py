"""Faults leave no half-decision (issue 13, item 4): a request's records go into the log as one
unit, only once its letter can be written; a full disk, an unwritable folder or an impossible due
date gives a clear error naming the path, the log untouched and the session kept for resume."""

from __future__ import annotations

import errno
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.cli import app
from ncnd_assistant.errors import StorageError
from ncnd_assistant.letter.workdays import DueDateError, due_date
from tests.conftest import SEED

runner = CliRunner()


def flat(output: str) -> str:
    return " ".join(output.split())


def far_answers(tmp_path: Path) -> Path:
    far = tmp_path / "far.yaml"
    far.write_text(SEED.read_text(encoding="utf-8").replace("received: 2018-06-11\n", "received: 9999-12-31\n"),
                   encoding="utf-8")
    return far


def full_disk(fd: int, data: bytes) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def interview(tmp_path: Path, answers: Path = SEED, *extra: str) -> tuple[Any, Path, Path]:
    notice, log = tmp_path / "n.md", tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(answers), "--no-prompt", "--notice-out", str(notice),
                                 "--audit", str(log), *extra])
    return result, notice, log


def session_file(output: str) -> Path:
    return Path(flat(output).split("--resume ")[1].split()[0])


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NCND_AUDIT", raising=False)
    return tmp_path / "data"


def test_a_due_date_beyond_the_calendar_is_a_clear_error() -> None:
    assert due_date(date(9999, 11, 1)) == date(9999, 11, 29)
    with pytest.raises(DueDateError, match="9999-12-31, is too late: 20 working days after it fall beyond"):
        due_date(date(9999, 12, 31))


def test_a_far_received_date_records_nothing_and_keeps_the_session(tmp_path: Path) -> None:
    result, notice, log = interview(tmp_path, far_answers(tmp_path))
    assert result.exit_code == 4, result.output
    assert "Error: the date received, 9999-12-31, is too late" in flat(result.output)
    assert "Internal error" not in result.output and not log.exists() and not notice.exists()
    saved = json.loads(session_file(result.output).read_text(encoding="utf-8"))
    assert [p["decision"]["final"] for p in saved["parts"]] == ["not_held", "ncnd"]
    assert all(not p["decision"]["record_id"] for p in saved["parts"])


def test_a_full_disk_logs_no_part_and_the_resume_logs_them_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "_write", full_disk)
    result, notice, log = interview(tmp_path)
    assert result.exit_code == 6, result.output
    assert f"Error: cannot append to the audit log {log}: No space left on device" in flat(result.output)
    assert log.read_bytes() == b"" and not notice.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary notice left
    monkeypatch.undo()
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    resumed = runner.invoke(app, ["interview", "--resume", str(session_file(result.output)), "--no-prompt"])
    assert resumed.exit_code == 0, resumed.output
    assert [r.to_json()["part"]["id"] for r in audit.read_records(log)] == ["overt", "covert"] and notice.exists()


def test_a_failed_append_takes_back_its_bytes_and_keeps_a_torn_tail(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "a.jsonl"
    audit.append(log, {"kind": "decision"})
    with log.open("ab") as handle:
        handle.write(b'{"case_ref": "TORN')
    before = log.read_bytes()

    def half_then_full(fd: int, data: bytes) -> None:
        import os
        os.write(fd, data[: len(data) // 2])
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(audit, "_write", half_then_full)
    with pytest.raises(StorageError, match=f"cannot append to the audit log {log}: File too large"):
        audit.append_many(log, [{"kind": "decision"}, {"kind": "decision"}])
    monkeypatch.undo()
    assert log.read_bytes() == before


def test_decide_record_on_a_full_disk_records_no_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "a.jsonl"
    audit.append(log, {"kind": "decision"})
    before = log.read_bytes()
    monkeypatch.setattr(audit, "_write", full_disk)
    result = runner.invoke(app, ["decide", "--answers", str(SEED), "--record", "--audit", str(log)])
    # Rich wraps the message at the terminal width, wherever the (worker-dependent) path puts the break
    assert result.exit_code == 6 and f"{log}:Nospaceleftondevice" in "".join(result.output.split())
    assert log.read_bytes() == before


def test_an_unwritable_notice_folder_records_nothing(tmp_path: Path) -> None:
    notice, log = Path("/dev/null/x/n.md"), tmp_path / "a.jsonl"
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--notice-out", str(notice),
                                 "--audit", str(log)])
    assert result.exit_code == 6, result.output
    assert "Error: cannot create the folder /dev/null/x: Not a directory" in flat(result.output)
    assert not log.exists() and session_file(result.output).exists()


def test_an_unwritable_data_folder_fails_in_one_line_without_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", "/dev/null/x")
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt"])
    assert result.exit_code == 6, result.output
    assert flat(result.output).endswith("Error: the session could not be saved either: cannot create the folder "
                                        "/dev/null/x/sessions: Not a directory")
