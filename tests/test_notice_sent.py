"""What was sent: reading the letter sent, the `notice-sent` record, finding it again, the diff."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from ncnd_assistant.audit import log as audit
from ncnd_assistant.audit.record import AuditRecord, DecisionRecord, NoticeSentRecord
from ncnd_assistant.audit.verify import verify
from ncnd_assistant.letter.docx import docx_bytes
from ncnd_assistant.letter.formats import LetterFormat
from ncnd_assistant.letter.notice import Block
from ncnd_assistant.letter.sent import (
    SentLetterError,
    awaiting_sign_off,
    latest_sent,
    letter_diff,
    read_sent,
    sent_body,
)
from ncnd_assistant.settings.model import Settings


def decision(session: str = "s1", case_ref: str = "R1", part: str = "p", **extra: object) -> dict[str, object]:
    return {"kind": "decision", "session": session, "case_ref": case_ref, "part": {"id": part}, **extra}


def test_a_markdown_letter_is_kept_as_its_text_with_the_sha256_of_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "sent.md"
    path.write_bytes("# Letter\n\nYour request \u2013 answered.\n".encode())
    sent = read_sent(path)
    assert (sent.file_name, sent.format, sent.text) == ("sent.md", LetterFormat.markdown,
                                                        "# Letter\n\nYour request \u2013 answered.\n")
    assert sent.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_word_letter_is_kept_as_the_text_read_from_it(tmp_path: Path) -> None:
    path = tmp_path / "sent.docx"
    path.write_bytes(docx_bytes((Block("heading", "Letter", level=1), Block("paragraph", "Answered.")), Settings()))
    sent = read_sent(path)
    assert (sent.format, sent.text) == (LetterFormat.docx, "Letter\nAnswered.\n")
    assert sent.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("sent.pdf", b"%PDF-1.4", "must be a .docx, .md or .txt file"),
    ("sent.txt", b"caf\xe9", "not UTF-8 text (byte 3)"),
    ("sent.docx", b"PK\x03\x04 broken", "not a Word (.docx) file")])
def test_a_letter_that_cannot_be_kept_is_a_clear_error(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(SentLetterError, match=r"sent\.(pdf|txt|docx)"):
        read_sent(tmp_path / name)
    with pytest.raises(SentLetterError) as error:
        read_sent(tmp_path / name)
    assert says in str(error.value)


def test_working_lines_left_in_the_letter_are_found(tmp_path: Path) -> None:
    path = tmp_path / "sent.txt"
    path.write_text("DRAFT prepared with decision support; ...\n[to complete: the information]\n", encoding="utf-8")
    assert read_sent(path).left_in() == ["DRAFT prepared with decision support", "[to complete"]


def test_the_sent_record_is_logged_typed_and_found_for_its_case(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    first, other = audit.append_many(log, [decision(sign_off_required=True), decision(session="s2")])
    assert isinstance(first, DecisionRecord) and isinstance(other, DecisionRecord)
    path = tmp_path / "sent.md"
    path.write_text("The letter.\n", encoding="utf-8")
    records: list[AuditRecord] = audit.read_records(log)
    unsigned = awaiting_sign_off(records, first)
    assert [r.id for r in unsigned] == [first.id]
    audit.append_many(log, [sent_body(first, read_sent(path), date(2026, 12, 1), "A Officer", unsigned)])
    path.write_text("The letter, corrected.\n", encoding="utf-8")
    audit.append_many(log, [sent_body(first, read_sent(path), date(2026, 12, 2), "A Officer")])
    records = audit.read_records(log)
    sent = latest_sent(records, first)
    assert isinstance(sent, NoticeSentRecord)
    assert (sent.text, sent.sent_on, sent.by, sent.decision_id, sent.format) == (
        "The letter, corrected.\n", "2026-12-02", "A Officer", first.id, "markdown")
    assert isinstance(records[2], NoticeSentRecord) and records[2].awaiting_sign_off == (first.id,)
    assert latest_sent(records, other) is None  # another case
    assert verify(log).ok and verify(log).kinds == {"decision": 2, "notice-sent": 2}
    assert all(r.to_json() == AuditRecord.from_json(r.to_json()).to_json() for r in records)  # read and written back


def test_a_signed_off_decision_does_not_await_sign_off(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    (first,) = audit.append_many(log, [decision(sign_off_required=True, officer="A")])
    audit.append_many(log, [{"kind": "sign-off", "decision_id": first.id, "by": "B"}])
    assert isinstance(first, DecisionRecord)
    assert awaiting_sign_off(audit.read_records(log), first) == []


def test_an_older_record_of_a_new_kind_reads_with_defaults() -> None:
    rec = AuditRecord.from_json({"id": "x", "kind": "notice-sent", "hash": "h", "prev_hash": "p", "text": "t"})
    assert isinstance(rec, NoticeSentRecord) and rec.awaiting_sign_off == () and rec.text == "t"
    assert "sha256" in rec.missing


def test_the_diff_shows_the_officers_changes() -> None:
    assert letter_diff("a\nb\n", "a\nb", "sent.md") == ""
    changes = letter_diff("Dear requester,\nThe force holds nothing.\n", "Dear Ms Smith,\nThe force holds nothing.\n",
                          "sent.md")
    assert changes.splitlines() == ["--- draft", "+++ sent (sent.md)", "@@ -1,2 +1,2 @@", "-Dear requester,",
                                    "+Dear Ms Smith,", " The force holds nothing."]
