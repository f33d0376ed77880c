"""`ncnd notice`: every listed format works, names that do not fit are refused, owner-only files;
`ncnd notice finalise` records the letter sent, which `ncnd notice` then gives, and `--diff`."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.record import DecisionRecord, NoticeSentRecord
from ncnd_assistant.audit.verify import verify
from ncnd_assistant.cli import app
from ncnd_assistant.letter import pdf
from ncnd_assistant.letter.docx import DEFAULT_TEMPLATE
from ncnd_assistant.letter.formats import LetterFormat
from ncnd_assistant.letter.sent import LEFT_IN
from tests.conftest import SEED
from tests.test_permissions import mode, permissive_umask  # noqa: F401 (an autouse fixture: 0022 here too)

runner = CliRunner()


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The seed interviewed into a fresh log: the log and the id of its first decision."""
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NCND_AUDIT", raising=False)
    log = tmp_path / "a.log"
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--audit", str(log),
                                 "--notice-out", str(tmp_path / "data" / "n.md")])
    assert result.exit_code == 0, result.output
    return log, audit.read_records(log)[0].id


def notice(log: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["notice", *args, "--audit", str(log)])
    return result.exit_code, result.stdout, result.stderr


def test_help_lists_every_format_and_finalise() -> None:
    result = runner.invoke(app, ["notice", "--help"])
    assert result.exit_code == 0
    words = set(re.findall(r"\w+", result.output))  # as `grep -w` finds them
    assert {f.value for f in LetterFormat} <= words and "finalise" in words


@pytest.mark.parametrize("fmt", [f for f in LetterFormat if f is not LetterFormat.pdf])
def test_every_format_prints_or_writes_what_it_says(case: tuple[Path, str], tmp_path: Path, fmt: LetterFormat) -> None:
    log, rid = case
    out = tmp_path / "letters" / f"n.{fmt.value}"
    code, stdout, stderr = notice(log, rid, "--format", fmt.value, "--out", str(out))
    assert code == 0, stderr
    data = out.read_bytes()
    assert (mode(out), mode(out.parent)) == (0o600, 0o700)
    if fmt is LetterFormat.docx:
        assert zipfile.is_zipfile(io.BytesIO(data))
        assert "neither confirm nor deny" in "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    elif fmt is LetterFormat.json:
        assert json.loads(data)["status"] == "draft"
    elif fmt is LetterFormat.html:
        assert data.startswith(b'<article class="foi-disclosure">') and b"DRAFT prepared" not in data
    else:
        assert b"neither confirm nor deny" in data.replace(b"\n", b" ")
    code, printed, _ = notice(log, rid, "--format", fmt.value)
    assert code == 0
    if fmt is LetterFormat.json:
        assert json.loads(printed)["blocks"]  # JSON on stdout, not Markdown
    elif fmt is not LetterFormat.docx:
        assert printed.encode() == data


def test_the_extension_chooses_the_format_and_a_mismatch_writes_nothing(case: tuple[Path, str], tmp_path: Path) -> None:
    log, rid = case
    assert notice(log, rid, "--out", str(tmp_path / "n.docx"))[0] == 0
    assert zipfile.is_zipfile(tmp_path / "n.docx")  # Word, never Markdown under a Word name
    code, _, stderr = notice(log, rid, "--format", "markdown", "--out", str(tmp_path / "m.docx"))
    assert code == 2 and "--format markdown does not fit the file name" in stderr
    code, _, stderr = notice(log, rid, "--out", str(tmp_path / "m.odt"))
    assert code == 2 and "cannot tell the letter's format" in stderr
    assert not (tmp_path / "m.docx").exists() and not (tmp_path / "m.odt").exists()


def test_the_internal_lines_are_shown_to_the_officer(case: tuple[Path, str]) -> None:
    log, rid = case
    code, _, stderr = notice(log, rid)
    assert code == 0 and "For you, not the requester: DRAFT prepared with decision support" in stderr


def test_without_libreoffice_a_pdf_notice_out_fails_before_any_question(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--audit", str(tmp_path / "a.log"),
                                 "--notice-out", str(tmp_path / "n.pdf")])
    assert result.exit_code == 1 and "PDF needs LibreOffice" in result.stderr and not (tmp_path / "a.log").exists()


@pytest.mark.slow
@pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice is not installed")
def test_pdf(case: tuple[Path, str], tmp_path: Path) -> None:
    log, rid = case
    assert notice(log, rid, "--out", str(tmp_path / "n.pdf"))[0] == 0
    assert (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF-") and mode(tmp_path / "n.pdf") == 0o600


# ---------------------------------------------------------------------------------------------- finalise
def finalise(log: Path, rid: str, letter: Path, *extra: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["notice", "finalise", rid, "--file", str(letter), "--audit", str(log), *extra])
    return result.exit_code, result.stdout, result.stderr


def test_finalise_records_the_letter_sent_and_notice_then_gives_it(case: tuple[Path, str], tmp_path: Path) -> None:
    log, rid = case
    draft = tmp_path / "draft.md"
    assert notice(log, rid, "--out", str(draft))[0] == 0
    sent_file = tmp_path / "sent.md"
    edited = draft.read_text(encoding="utf-8").replace("The force can neither", "West Midlands Police can neither")
    sent_file.write_text("\n".join(line for line in edited.splitlines() if not any(  # the officer's working lines
        marker.casefold() in line.casefold() for marker in LEFT_IN)) + "\n", encoding="utf-8")
    code, stdout, stderr = finalise(log, rid[:10], sent_file, "--by", "A Officer", "--sent-date", "2026-12-01")
    assert code == 0, stderr
    assert "Recorded the letter sent for case 16883_18" in stdout and "still contains" not in stderr
    assert "had not been signed off by a second officer" in stderr  # the covert part awaits sign-off
    sent = audit.read_records(log)[-1]
    assert isinstance(sent, NoticeSentRecord)
    assert (sent.by, sent.sent_on, sent.file_name, sent.sha256) == (
        "A Officer", "2026-12-01", "sent.md", hashlib.sha256(sent_file.read_bytes()).hexdigest())
    assert len(sent.awaiting_sign_off) == 1 and verify(log).ok
    other = next(r.id for r in audit.read_records(log) if isinstance(r, DecisionRecord) and r.id != rid)
    code, stdout, stderr = notice(log, other)  # any decision of the case
    assert code == 0 and stdout == sent_file.read_text(encoding="utf-8")
    assert "This is the letter as sent on 2026-12-01 by A Officer" in stderr
    code, _, _ = notice(log, rid, "--diff", "--out", str(tmp_path / "changes.diff"))
    stdout = (tmp_path / "changes.diff").read_text(encoding="utf-8")
    assert code == 0 and mode(tmp_path / "changes.diff") == 0o600
    assert "-The force can neither confirm nor deny" in stdout and "+West Midlands Police can neither" in stdout
    code, stdout, _ = notice(log, rid, "--draft")
    assert code == 0 and stdout == draft.read_text(encoding="utf-8")
    code, stdout, _ = notice(log, rid, "--format", "json")
    assert code == 0 and json.loads(stdout)["status"] == "sent" and json.loads(stdout)["text"] == sent.text
    code, _, stderr = notice(log, rid, "--format", "docx", "--out", str(tmp_path / "x.docx"))
    assert code == 2 and "the letter as sent is kept as its text" in stderr and "--draft" in stderr


def test_a_word_letter_sent_unchanged_has_no_diff(case: tuple[Path, str], tmp_path: Path) -> None:
    log, rid = case
    letter = tmp_path / "sent.docx"
    assert notice(log, rid, "--out", str(letter))[0] == 0
    code, _, stderr = finalise(log, rid, letter, "--by", "A Officer")
    assert code == 0 and "still contains" in stderr and "a line of the draft: is this the letter sent?" in stderr
    code, stdout, stderr = notice(log, rid, "--diff")
    assert code == 0 and stdout == "" and "is the draft, unchanged" in stderr


@pytest.mark.parametrize(("extra", "says"), [
    ((), "say who sent the letter: --by NAME"), (("--by", "A", "--sent-date", "2999-01-01"), "is in the future"),
    (("--by", "A", "--sent-date", "1/12/2026"), "must be a date YYYY-MM-DD")])
def test_finalise_needs_who_and_a_real_date(case: tuple[Path, str], tmp_path: Path, extra: tuple[str, ...],
                                            says: str) -> None:
    log, rid = case
    letter = tmp_path / "sent.txt"
    letter.write_text("x\n", encoding="utf-8")
    code, _, stderr = finalise(log, rid, letter, *extra)
    assert code == 2 and says in stderr
    assert not any(isinstance(r, NoticeSentRecord) for r in audit.read_records(log))


def test_diff_before_anything_was_sent_says_how_to_record_it(case: tuple[Path, str]) -> None:
    log, rid = case
    code, _, stderr = notice(log, rid, "--diff")
    assert code == 1 and "no letter has been recorded as sent" in stderr and "ncnd notice finalise" in stderr


# ---------------------------------------------------------------------------------------------- modes
@pytest.mark.parametrize("name", ["n.docx", "n.txt", "n.html", "n.json", "n.md"])
def test_the_interview_writes_every_notice_format_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             name: str) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "new" / name
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--audit", str(tmp_path / "a.log"),
                                 "--notice-out", str(out)])
    assert result.exit_code == 0, result.output
    assert (mode(out), mode(out.parent)) == (0o600, 0o700)
    assert zipfile.is_zipfile(out) == (name == "n.docx")


def test_an_interview_notice_name_no_format_has_fails_before_any_question(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCND_DATA_DIR", str(tmp_path / "data"))
    result = runner.invoke(app, ["interview", "--answers", str(SEED), "--no-prompt", "--audit", str(tmp_path / "a.log"),
                                 "--notice-out", str(tmp_path / "n.odt")])
    assert result.exit_code == 2 and "cannot tell the letter's format from the name" in result.stderr
    assert not (tmp_path / "a.log").exists()


def test_every_case_file_writer_replaces_a_loose_file_with_an_owner_only_one(case: tuple[Path, str],
                                                                             tmp_path: Path) -> None:
    log, rid = case
    for n, args in enumerate([["notice", rid, "--format", "docx"], ["notice", rid, "--format", "html"],
                              ["notice", rid, "--format", "json"], ["audit", "export", rid, "--format", "json"]]):
        out = tmp_path / f"loose-{n}.{args[-1]}"
        out.write_text("old", encoding="utf-8")
        out.chmod(0o644)
        result = runner.invoke(app, [*args, "--out", str(out), "--audit", str(log)])
        assert result.exit_code == 0, result.output
        assert mode(out) == 0o600 and out.read_bytes() != b"old"


def test_the_default_template_is_copied_once_to_restyle(tmp_path: Path) -> None:
    out = tmp_path / "ours.docx"
    result = runner.invoke(app, ["notice", "template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == DEFAULT_TEMPLATE.read_bytes() and "ncnd settings set word_template" in result.stdout
    again = runner.invoke(app, ["notice", "template", "--out", str(out)])
    assert again.exit_code == 2 and "exists" in again.stderr
    assert runner.invoke(app, ["notice", "template", "--out", str(tmp_path / "t.dotx")]).exit_code == 2
