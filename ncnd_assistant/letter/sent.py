"""What was sent: the letter the officer actually sent, read from its file and kept in the audit log
(`kind: notice-sent`), found again for a case, and compared with the draft.

A Markdown or text file is kept as its text; a Word file as the text read from it (paragraphs and
table cells, one line each). Either way the SHA-256 of the file's bytes is kept too, so the file
itself can later be shown to be the one sent.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from ncnd_assistant.audit.query import latest_decisions, sign_offs_for
from ncnd_assistant.audit.record import AuditRecord, DecisionRecord, NoticeSentRecord
from ncnd_assistant.errors import NcndError
from ncnd_assistant.lazy_dataclass import dataclass
from ncnd_assistant.letter.docx import docx_text
from ncnd_assistant.letter.formats import SUFFIXES, LetterFormat
from ncnd_assistant.text_safety import printable

MAX_BYTES = 20 * 1024 * 1024  # a letter, even a Word one with a logo, is far smaller
SENT_FORMATS = (LetterFormat.markdown, LetterFormat.text, LetterFormat.docx)
# what a sent letter should no longer say: the officer's working lines
LEFT_IN = ("DRAFT prepared with decision support", "AWAITING SIGN-OFF", "[to complete", "[officer to state",
           "[PART NOT YET DECIDED")


class SentLetterError(NcndError):
    """The letter file cannot be read, or is not one `finalise` can keep."""


@dataclass(frozen=True)
class SentLetter:
    file_name: str
    format: LetterFormat
    sha256: str
    text: str

    def left_in(self) -> list[str]:
        """The draft's working lines still in the letter (a warning: was this the letter sent?)."""
        folded = self.text.casefold()
        return [marker for marker in LEFT_IN if marker.casefold() in folded]


def read_sent(path: Path) -> SentLetter:
    """The letter in `path` (.md, .markdown, .txt or .docx)."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt not in SENT_FORMATS:
        raise SentLetterError(f"{path}: the letter sent must be a .docx, .md or .txt file (for a PDF, give the "
                              ".docx it was made from)")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SentLetterError(f"{path}: {size} bytes is too large for a letter (at most {MAX_BYTES})")
        data = path.read_bytes()
    except OSError as error:
        raise SentLetterError(f"cannot read {path}: {error.strerror or error}") from None
    if fmt is LetterFormat.docx:
        try:
            text = docx_text(data)
        except NcndError as error:
            raise SentLetterError(f"{path}: {error}") from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SentLetterError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    return SentLetter(path.name, fmt, hashlib.sha256(data).hexdigest(), printable(text))


def case_decisions(records: Iterable[AuditRecord], decision: DecisionRecord) -> list[DecisionRecord]:
    """The latest decision of each part of `decision`'s case (its session and reference)."""
    return [r for r in latest_decisions(records) if r.session == decision.session and r.case_ref == decision.case_ref]


def awaiting_sign_off(records: Sequence[AuditRecord], decision: DecisionRecord) -> list[DecisionRecord]:
    """The decisions of `decision`'s case that want a second officer's sign-off and have none."""
    return [r for r in case_decisions(records, decision) if r.sign_off_required and not sign_offs_for(records, r.id)]


def sent_body(decision: DecisionRecord, sent: SentLetter, sent_on: date, by: str,
              unsigned: Sequence[DecisionRecord] = ()) -> dict[str, object]:
    """The `notice-sent` record for the case of `decision` (`unsigned`: its decisions still awaiting
    sign-off when the letter went)."""
    return {"kind": "notice-sent", "decision_id": decision.id, "case_ref": decision.case_ref,
            "awaiting_sign_off": [r.id for r in unsigned],
            "session": decision.session, "file_name": sent.file_name, "format": sent.format.value,
            "sha256": sent.sha256, "text": sent.text, "sent_on": sent_on.isoformat(), "by": by}


def latest_sent(records: Iterable[AuditRecord], decision: DecisionRecord) -> NoticeSentRecord | None:
    """The last letter recorded as sent for `decision`'s case (the same session and reference)."""
    found = None
    for rec in records:
        if isinstance(rec, NoticeSentRecord) and rec.session == decision.session \
                and rec.case_ref == decision.case_ref:
            found = rec
    return found


def letter_diff(draft: str, sent: str, sent_name: str) -> str:
    """A unified diff of the draft against the letter sent ('' when they are the same)."""
    draft, sent = (t if t.endswith("\n") else t + "\n" for t in (draft, sent))
    return "".join(difflib.unified_diff(draft.splitlines(keepends=True), sent.splitlines(keepends=True),
                                        fromfile="draft", tofile=f"sent ({sent_name})"))
